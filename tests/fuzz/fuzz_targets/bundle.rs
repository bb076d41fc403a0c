//! Any bytes given to the bundle reader: it must refuse or accept, never panic, hang or
//! allocate without bound. Small limits make oversized inputs reach the limit checks.
#![no_main]

use libfuzzer_sys::fuzz_target;
use riskverkstad_bundle::{Limits, open};

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_file: 1 << 20, max_entries: 64, max_entry: 4 << 20, max_total: 8 << 20, max_ratio: 50 };
    if let Ok(mut opened) = open(data, limits, None) {
        for name in opened.names() {
            let _ = opened.entry(&name);
        }
    }
});
