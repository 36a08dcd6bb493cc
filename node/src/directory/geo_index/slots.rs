//! Where each slot lives: its kind (which tree) and the leaf that holds it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The tree (kind) and leaf node of one indexed slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Loc {
    pub kind: u8,
    pub node: u32,
}

/// Slot → location map.
#[derive(Clone, Debug, Default)]
pub(super) struct Slots {
    map: HashMap<u32, Loc, BuildHasherDefault<SlotHasher>>,
}

impl Slots {
    /// An empty map with room for `n` slots.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            map: HashMap::with_capacity_and_hasher(n, BuildHasherDefault::default()),
        }
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// The location of `slot`.
    pub fn get(&self, slot: u32) -> Option<Loc> {
        self.map.get(&slot).copied()
    }

    /// Records where `slot` lives, returning where it lived before.
    pub fn set(&mut self, slot: u32, kind: u8, node: u32) -> Option<Loc> {
        self.map.insert(slot, Loc { kind, node })
    }

    /// Approximate heap bytes: one key, one value and one control byte per bucket.
    pub fn heap_bytes(&self) -> usize {
        let buckets = (self.map.capacity() * 8 / 7).next_power_of_two();
        buckets * (size_of::<(u32, Loc)>() + 1)
    }

    /// Forgets `slot`.
    pub fn remove(&mut self, slot: u32) -> Option<Loc> {
        self.map.remove(&slot)
    }
}

/// A multiplicative hash for u32 keys. Slots are the caller's own handles, usually dense
/// small numbers, so SipHash's flooding resistance buys nothing and costs a third of a bulk
/// load. The low bits of `slot * odd` are a permutation of the low bits of `slot`, so dense
/// slots fill buckets evenly; the high bits (the control byte) are well mixed.
#[derive(Default, Clone, Copy, Debug)]
pub(super) struct SlotHasher(u64);

const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for SlotHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(MULTIPLIER);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(MULTIPLIER);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
