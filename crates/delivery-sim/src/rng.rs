//! Deterministic randomness: a hash of the scenario's seed and what is being decided, so the
//! same message and attempt meet the same network in every lane and every run.

/// SplitMix64's finaliser (Steele, Lea, Flood 2014).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn hash(seed: u64, key: u64) -> u64 {
    mix(seed ^ mix(key))
}

/// A uniform number in [0, 1) from 53 bits of `h`.
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}
