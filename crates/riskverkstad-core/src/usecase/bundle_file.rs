//! Reading a bundle file, as both shells do before anything else: a file larger than a
//! bundle may be is refused before it is read ([`Limits::max_file`]).

use crate::error::{Error, Result};
use riskverkstad_bundle::Limits;
use std::path::Path;

/// The bytes of the bundle file at `path`, if it is no larger than a bundle may be.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    let max = Limits::default().max_file;
    crate::files::read_limited(path, max, |size| Error::Bundle(riskverkstad_bundle::Error::TooLarge { size, max }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_larger_than_a_bundle_may_be_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stor.rvb");
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(Limits::default().max_file + 1).unwrap();
        let e = read(&path).unwrap_err();
        assert_eq!(e.code(), "bundle_too_large");
        assert!(e.to_string().contains("för stort"), "{e}");
        assert_eq!(read(&dir.path().join("saknas.rvb")).unwrap_err().code(), "read");
    }
}
