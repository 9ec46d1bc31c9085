//! The whole view in the address: compact, readable, editable by hand. Decoding never fails:
//! what cannot be read is named and ignored, and the rest is kept.
//!
//! `?story=side&m=A,B,C&f=req.B.1,ack.B.2&seed=7&lat=10&l1=acks:1,retries:0&step=4&lang=ko`

use crate::browser::Defaults;
use crate::i18n::Lang;
use crate::state::{check_names, Doc, State, MAX_UI_MESSAGES};
use crate::stories::Story;
use delivery_sim::config::check_key;
use delivery_sim::scenario::{
    Fault, FaultKind, Scenario, MAX_LATENCY_MS, MAX_REPLICAS, MAX_TIME_MS,
};
#[cfg(txn)]
use delivery_sim::scenario::{Transaction, TxnEnd};
#[cfg(feature = "partitions")]
use delivery_sim::scenario::{MAX_KEY_CHARS, MAX_PARTITIONS, MAX_RECORD_BYTES};
use delivery_sim::{KafkaError, Settings};

mod decode;
mod encode;
mod params;
#[cfg(test)]
mod tests;
mod tokens;

pub use decode::decode;
#[cfg(feature = "workshop")]
pub use decode::exercise_fresh;
#[cfg(not(feature = "workshop"))]
pub use decode::needs_workshop;
pub use encode::encode;

/// Longer queries are cut here (at a parameter boundary) and the cut is reported.
pub const MAX_QUERY: usize = 8 * 1024;

/// Percent-encodes everything but letters, digits, `-` and `_`, so `.`, `,` and `:` stay free
/// as separators.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn dec(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        let near: String = s.get(i..).unwrap_or("").chars().take(3).collect();
                        format!("bad escape near `{near}`")
                    })?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "not valid UTF-8".into())
}
