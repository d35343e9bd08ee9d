//! One fast hasher for the crate's lookup tables (class tokens of the pipeline config,
//! abbreviation lists, the walker's per-page intern tables): rustc's FxHash scheme, eight
//! bytes per multiply-rotate step, the length of a short tail mixed in, and a final fold of
//! the high half into the low one (the multiply leaves differences in the high bits, and a
//! table indexes by the low ones). Cheaper than SipHash on short keys. The tables using it
//! are looked up, or iterated only for order-free work, so the hasher never changes output.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher; build maps with [`FastMap`] or [`FastBuild`].
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

/// `BuildHasher` of [`FastHasher`].
pub type FastBuild = BuildHasherDefault<FastHasher>;

/// A `HashMap` hashed with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, FastBuild>;

impl FastHasher {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(b) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        (self.0 ^ (self.0 >> 32)).wrapping_mul(Self::K)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn h<T: Hash + ?Sized>(v: &T) -> u64 {
        FastBuild::default().hash_one(v)
    }

    #[test]
    fn tails_and_high_bits_reach_different_buckets() {
        // Tails of different lengths with the same bytes, and keys differing past byte 8.
        assert_ne!(h("ab"), h("ab\0"));
        assert_ne!(h("navigation-menu-a"), h("navigation-menu-b"));
        let low: std::collections::HashSet<u64> = (0..256u32)
            .map(|i| h(format!("token-{i}").as_str()) & 0xff)
            .collect();
        assert!(low.len() > 128, "{}", low.len());
    }
}
