//! A department's key pair: Ed25519 in OpenSSH's own formats, so that `ssh-keygen` and `age`
//! read the same files our code does.

use crate::{Error, NAMESPACE, Result};
use serde::Serialize;
use ssh_key::{Algorithm, HashAlg, LineEnding};
use std::fmt;

/// A key's fingerprint, in two forms of the same SHA-256 of the public key.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Fingerprint {
    /// OpenSSH's form, `SHA256:…` (what `ssh-keygen -l -f key.pub` prints).
    pub openssh: String,
    /// 32 characters in 8 groups of 4 (the first 160 bits, Crockford base32: digits and
    /// capitals without I, L, O, U), for reading aloud on the phone or comparing on paper.
    pub readable: String,
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.readable)
    }
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn readable(digest: &[u8]) -> String {
    let bits: Vec<bool> = digest.iter().take(20).flat_map(|b| (0..8).rev().map(move |i| (b >> i) & 1 == 1)).collect();
    let chars: Vec<char> =
        bits.chunks(5).map(|c| CROCKFORD[c.iter().fold(0usize, |acc, &b| (acc << 1) | b as usize)] as char).collect();
    chars.chunks(4).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A department's public key: what other departments trust and encrypt to. Two keys are
/// equal when their key data is; the comment (a name) does not count.
#[derive(Debug, Clone)]
pub struct PublicKey {
    inner: ssh_key::PublicKey,
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.inner.key_data() == other.inner.key_data()
    }
}
impl Eq for PublicKey {}

impl PublicKey {
    /// Parses one line of OpenSSH public key text (`ssh-ed25519 AAAA… name`).
    pub fn from_openssh(text: &str) -> Result<PublicKey> {
        let line = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).unwrap_or_default();
        let inner = ssh_key::PublicKey::from_openssh(line)
            .map_err(|e| Error::Key(format!("ingen OpenSSH-publik nyckel ({e})")))?;
        PublicKey::from_ssh(inner)
    }

    fn from_ssh(inner: ssh_key::PublicKey) -> Result<PublicKey> {
        if inner.algorithm() != Algorithm::Ed25519 {
            return Err(Error::Key(format!("nyckeltypen {} stöds inte; bara Ed25519", inner.algorithm())));
        }
        Ok(PublicKey { inner })
    }

    /// The OpenSSH one-line form, with the department name as comment.
    pub fn to_openssh(&self) -> String {
        // Encoding an Ed25519 key cannot fail; fall back to the key data alone if it did.
        self.inner.to_openssh().unwrap_or_else(|_| String::new())
    }

    /// The comment (the department's name when we made the key).
    pub fn comment(&self) -> &str {
        self.inner.comment()
    }

    /// The fingerprint.
    pub fn fingerprint(&self) -> Fingerprint {
        let fp = self.inner.fingerprint(HashAlg::Sha256);
        Fingerprint { openssh: fp.to_string(), readable: readable(fp.as_bytes()) }
    }

    /// Checks an OpenSSH signature (PEM) of `message` made by this key.
    pub fn verify(&self, message: &[u8], signature_pem: &[u8]) -> Result<()> {
        self.verify_in(NAMESPACE, message, signature_pem)
    }

    /// Checks an OpenSSH signature (PEM) of `message` made by this key in `namespace`
    /// ([`crate::CHANGE_NAMESPACE`] for change attestations).
    pub fn verify_in(&self, namespace: &str, message: &[u8], signature_pem: &[u8]) -> Result<()> {
        let sig = ssh_key::SshSig::from_pem(signature_pem).map_err(|e| Error::Unsigned(e.to_string()))?;
        self.inner.verify(namespace, message, &sig).map_err(|e| Error::BadSignature(e.to_string()))
    }

    /// The key that made an OpenSSH signature (PEM), as the signature states it. Says nothing
    /// of whether the signature is valid.
    pub fn of_signature(signature_pem: &[u8]) -> Result<PublicKey> {
        let sig = ssh_key::SshSig::from_pem(signature_pem).map_err(|e| Error::Unsigned(e.to_string()))?;
        if sig.namespace() != NAMESPACE {
            return Err(Error::Unsigned(format!("fel namnrymd {:?}", sig.namespace())));
        }
        PublicKey::from_ssh(ssh_key::PublicKey::from(sig.public_key().clone()))
            .map_err(|e| Error::Unsigned(e.to_string()))
    }

    pub(crate) fn age_recipient(&self) -> Result<age::ssh::Recipient> {
        let line = self.inner.to_openssh().map_err(|e| Error::Key(e.to_string()))?;
        line.parse::<age::ssh::Recipient>().map_err(|e| Error::Key(format!("kan inte kryptera till nyckeln ({e:?})")))
    }
}

/// A department's private key. Never serialised except to its own file; its `Debug` shows
/// only the fingerprint.
pub struct SecretKey {
    inner: ssh_key::PrivateKey,
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey({})", self.public().fingerprint().openssh)
    }
}

impl SecretKey {
    /// A new random key pair, with the department's name as comment.
    pub fn generate(department: &str) -> Result<SecretKey> {
        let mut inner = ssh_key::PrivateKey::random(&mut ssh_key::rand_core::OsRng, Algorithm::Ed25519)
            .map_err(|e| Error::Key(e.to_string()))?;
        inner.set_comment(department);
        Ok(SecretKey { inner })
    }

    /// Parses an unencrypted OpenSSH private key file's text.
    pub fn from_openssh(text: &str) -> Result<SecretKey> {
        SecretKey::from_openssh_with(text, None)
    }

    /// Whether an OpenSSH private key file's text is encrypted (false for what does not parse).
    pub fn file_is_encrypted(text: &str) -> bool {
        ssh_key::PrivateKey::from_openssh(text).is_ok_and(|k| k.is_encrypted())
    }

    /// Parses an OpenSSH private key file's text, decrypting it with `passphrase` when the
    /// file is encrypted (as `ssh-keygen -p` writes it: bcrypt-pbkdf and AES-256-CTR).
    pub fn from_openssh_with(text: &str, passphrase: Option<&str>) -> Result<SecretKey> {
        let mut inner = ssh_key::PrivateKey::from_openssh(text).map_err(|e| Error::Key(e.to_string()))?;
        if inner.is_encrypted() {
            let Some(p) = passphrase else {
                return Err(Error::Key("nyckelfilen är krypterad och ingen lösenfras gavs".into()));
            };
            inner = inner
                .decrypt(p.as_bytes())
                .map_err(|_| Error::Key("nyckelfilen öppnas inte med databasens lösenfras".into()))?;
        }
        if inner.algorithm() != Algorithm::Ed25519 {
            return Err(Error::Key(format!("nyckeltypen {} stöds inte; bara Ed25519", inner.algorithm())));
        }
        Ok(SecretKey { inner })
    }

    /// The OpenSSH private key file's text (what `ssh-keygen -Y sign -f` and `age -i` read).
    pub fn to_openssh(&self) -> Result<zeroize::Zeroizing<String>> {
        self.inner.to_openssh(LineEnding::LF).map_err(|e| Error::Key(e.to_string()))
    }

    /// The OpenSSH private key file's text, encrypted with `passphrase` when one is given
    /// (readable by `ssh-keygen` with the same passphrase).
    pub fn to_openssh_with(&self, passphrase: Option<&str>) -> Result<zeroize::Zeroizing<String>> {
        match passphrase {
            None => self.to_openssh(),
            Some(p) => self
                .inner
                .encrypt(&mut ssh_key::rand_core::OsRng, p.as_bytes())
                .and_then(|k| k.to_openssh(LineEnding::LF))
                .map_err(|e| Error::Key(e.to_string())),
        }
    }

    /// The public half.
    pub fn public(&self) -> PublicKey {
        PublicKey { inner: self.inner.public_key().clone() }
    }

    /// An OpenSSH signature (PEM) of `message` in the bundle namespace.
    pub fn sign(&self, message: &[u8]) -> Result<String> {
        self.sign_in(NAMESPACE, message)
    }

    /// An OpenSSH signature (PEM) of `message` in `namespace`.
    pub fn sign_in(&self, namespace: &str, message: &[u8]) -> Result<String> {
        let sig = self.inner.sign(namespace, HashAlg::Sha512, message).map_err(|e| Error::Write(e.to_string()))?;
        sig.to_pem(LineEnding::LF).map_err(|e| Error::Write(e.to_string()))
    }

    pub(crate) fn age_identity(&self) -> Result<age::ssh::Identity> {
        let pem = self.to_openssh()?;
        age::ssh::Identity::from_buffer(pem.as_bytes(), None).map_err(|e| Error::Key(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_sign() {
        let k = SecretKey::generate("Socialförvaltningen").expect("key");
        let text = k.to_openssh().expect("pem");
        let again = SecretKey::from_openssh(&text).expect("parse");
        assert_eq!(again.public(), k.public());
        let public = PublicKey::from_openssh(&k.public().to_openssh()).expect("pub");
        assert_eq!(public.comment(), "Socialförvaltningen");
        let sig = k.sign(b"hej").expect("sign");
        public.verify(b"hej", sig.as_bytes()).expect("verifies");
        assert!(matches!(public.verify(b"hek", sig.as_bytes()), Err(Error::BadSignature(_))));
        assert_eq!(PublicKey::of_signature(sig.as_bytes()).expect("signer"), public);
        let other = SecretKey::generate("Annan").expect("key");
        assert!(other.public().verify(b"hej", sig.as_bytes()).is_err());
    }

    #[test]
    fn readable_fingerprint_is_eight_groups_without_ambiguous_letters() {
        let fp = SecretKey::generate("x").expect("key").public().fingerprint();
        assert!(fp.openssh.starts_with("SHA256:"), "{}", fp.openssh);
        let groups: Vec<&str> = fp.readable.split('-').collect();
        assert_eq!(groups.len(), 8, "{}", fp.readable);
        assert!(groups.iter().all(|g| g.len() == 4));
        assert!(!fp.readable.contains(['I', 'L', 'O', 'U']), "{}", fp.readable);
        // Known value: 20 bytes of 0xFF are all ones → all 'Z'.
        assert_eq!(readable(&[0xFF; 32]), "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        assert_eq!(readable(&[0; 32]), "0000-0000-0000-0000-0000-0000-0000-0000");
    }

    #[test]
    fn other_key_types_are_refused() {
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7 x";
        assert!(PublicKey::from_openssh(rsa).is_err());
        assert!(PublicKey::from_openssh("inte en nyckel").is_err());
    }
}
