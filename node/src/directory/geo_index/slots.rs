//! Where each slot lives: its kind (which tree) and the leaf that holds it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The tree (kind) and leaf node of one indexed slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Loc {
    pub kind: u8,
    pub node: u32,
}

/// Slot → location map. Slots below about twice the number of entries (the usual case:
/// the caller numbers its facilities) live in a plain vector, 8 bytes each; the rest in a
/// hash map. The vector never shrinks.
#[derive(Clone, Debug, Default)]
pub(super) struct Slots {
    dense: Vec<Loc>,
    sparse: HashMap<u32, Loc, BuildHasherDefault<SlotHasher>>,
    len: usize,
}

impl Loc {
    /// Marks a free place in the dense vector (no node has this id).
    const VACANT: Self = Self {
        kind: 0,
        node: u32::MAX,
    };

    fn occupied(self) -> Option<Self> {
        (self != Self::VACANT).then_some(self)
    }
}

impl Slots {
    /// Number of slots.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The location of `slot`.
    pub fn get(&self, slot: u32) -> Option<Loc> {
        match self.dense.get(slot as usize) {
            Some(loc) => loc.occupied(),
            None => self.sparse.get(&slot).copied(),
        }
    }

    /// Records where `slot` lives, returning where it lived before.
    pub fn set(&mut self, slot: u32, kind: u8, node: u32) -> Option<Loc> {
        let loc = Loc { kind, node };
        let i = slot as usize;
        if i >= self.dense.len() && i < 2 * self.len + 1024 {
            self.grow_dense(i + 1);
        }
        let old = match self.dense.get_mut(i) {
            Some(place) => std::mem::replace(place, loc).occupied(),
            None => self.sparse.insert(slot, loc),
        };
        self.len += usize::from(old.is_none());
        old
    }

    /// Lengthens the dense vector to at least `min_len` (doubling, within the bound that
    /// keeps it under twice the entries), moving sparse slots it now covers.
    fn grow_dense(&mut self, min_len: usize) {
        let new_len = (self.dense.len() * 2).min(2 * self.len + 1024).max(min_len);
        self.dense.resize(new_len, Loc::VACANT);
        let dense = &mut self.dense;
        self.sparse
            .retain(|&slot, loc| match dense.get_mut(slot as usize) {
                Some(place) => {
                    *place = *loc;
                    false
                }
                None => true,
            });
    }

    /// Forgets `slot`.
    pub fn remove(&mut self, slot: u32) -> Option<Loc> {
        let old = match self.dense.get_mut(slot as usize) {
            Some(place) => std::mem::replace(place, Loc::VACANT).occupied(),
            None => self.sparse.remove(&slot),
        };
        self.len -= usize::from(old.is_some());
        old
    }

    /// Approximate heap bytes: the vector, and one key, value and control byte per
    /// hash bucket.
    pub fn heap_bytes(&self) -> usize {
        let buckets = (self.sparse.capacity() * 8).div_ceil(7).next_power_of_two();
        self.dense.capacity() * size_of::<Loc>() + buckets * (size_of::<(u32, Loc)>() + 1)
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
