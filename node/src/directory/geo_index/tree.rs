//! One bucket quadtree over the latitude/longitude grid, holding the entries of one kind.
//!
//! Nodes live in an arena and are addressed by `u32`. A node covers one cell of the
//! [`GRID_BITS`]-level grid, but what searches see is its [`Summary`]: the tight bounding
//! box of what it holds and the OR of their specialty and flag bits. Leaves hold up to
//! [`LEAF_CAPACITY`] entries inline (more only at the finest level, where all share a
//! grid cell) and split into four when they overflow. Removal shrinks the summaries on the
//! way back up but never merges nodes; a fresh [`Tree::build`] compacts.

use super::slots::Slots;
use super::sphere::{GRID_BITS, grid_cell, morton, quadrant};

/// Entries per leaf before it splits.
pub(super) const LEAF_CAPACITY: usize = 24;

/// Marks a missing child.
pub(super) const NO_NODE: u32 = u32::MAX;

/// An indexed entry as stored in a leaf; its kind is the tree it is in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Stored {
    pub lat: f64,
    pub lon: f64,
    pub specialties: u64,
    pub slot: u32,
    pub flags: u32,
}

/// What a subtree holds, for pruning.
#[derive(Clone, Copy, Debug)]
pub(super) struct Summary {
    pub lat_min: f64,
    pub lat_max: f64,
    pub lon_min: f64,
    pub lon_max: f64,
    pub specialties: u64,
    pub flags: u32,
    pub len: u32,
}

impl Summary {
    const EMPTY: Self = Self {
        lat_min: f64::INFINITY,
        lat_max: f64::NEG_INFINITY,
        lon_min: f64::INFINITY,
        lon_max: f64::NEG_INFINITY,
        specialties: 0,
        flags: 0,
        len: 0,
    };

    fn add(&mut self, e: &Stored) {
        self.lat_min = self.lat_min.min(e.lat);
        self.lat_max = self.lat_max.max(e.lat);
        self.lon_min = self.lon_min.min(e.lon);
        self.lon_max = self.lon_max.max(e.lon);
        self.specialties |= e.specialties;
        self.flags |= e.flags;
        self.len += 1;
    }

    fn merge(&mut self, o: &Summary) {
        if o.len == 0 {
            return;
        }
        self.lat_min = self.lat_min.min(o.lat_min);
        self.lat_max = self.lat_max.max(o.lat_max);
        self.lon_min = self.lon_min.min(o.lon_min);
        self.lon_max = self.lon_max.max(o.lon_max);
        self.specialties |= o.specialties;
        self.flags |= o.flags;
        self.len += o.len;
    }

    fn of(entries: &[Stored]) -> Self {
        let mut s = Self::EMPTY;
        entries.iter().for_each(|e| s.add(e));
        s
    }

    /// Whether some entry below may have all of `specialties` and all of `flags`.
    #[inline]
    pub fn may_match(&self, specialties: u64, flags: u32) -> bool {
        self.len > 0 && self.specialties & specialties == specialties && self.flags & flags == flags
    }
}

/// A leaf's entries or an inner node's four children (NO_NODE where empty).
#[derive(Clone, Debug)]
pub(super) enum Body {
    Leaf(Vec<Stored>),
    Inner([u32; 4]),
}

/// One quadtree node.
#[derive(Clone, Debug)]
pub(super) struct Node {
    pub summary: Summary,
    pub depth: u32,
    pub body: Body,
}

/// The quadtree of one kind; node 0 is the root once anything was inserted.
#[derive(Clone, Debug, Default)]
pub(super) struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    /// Builds a tree from entries that all have valid, normalised positions and distinct
    /// slots, recording every slot's leaf in `slots`.
    pub fn build(entries: &[Stored], kind: u8, slots: &mut Slots) -> Self {
        let mut keys: Vec<(u64, u32)> = (0u32..)
            .zip(entries)
            .map(|(i, e)| (morton(grid_cell(e.lat, e.lon)), i))
            .collect();
        keys.sort_unstable();
        let mut tree = Self {
            nodes: Vec::with_capacity(entries.len() / 8 + 1),
        };
        if !entries.is_empty() {
            tree.build_node(&keys, entries, 0, kind, slots);
        }
        tree
    }

    /// Builds the subtree for `keys` (sorted Morton codes sharing their first `depth`
    /// quadrants) and returns its id.
    fn build_node(
        &mut self,
        keys: &[(u64, u32)],
        src: &[Stored],
        depth: u32,
        kind: u8,
        slots: &mut Slots,
    ) -> u32 {
        let id = self.push(depth, Body::Inner([NO_NODE; 4]));
        if keys.len() <= LEAF_CAPACITY || depth >= GRID_BITS {
            let entries: Vec<Stored> = keys.iter().map(|&(_, i)| src[i as usize]).collect();
            entries.iter().for_each(|e| {
                slots.set(e.slot, kind, id);
            });
            self.nodes[id as usize].summary = Summary::of(&entries);
            self.nodes[id as usize].body = Body::Leaf(entries);
            return id;
        }
        let shift = 2 * (GRID_BITS - 1 - depth);
        let mut children = [NO_NODE; 4];
        let mut summary = Summary::EMPTY;
        let mut rest = keys;
        for (q, child) in (0u64..).zip(children.iter_mut()) {
            let n = rest.partition_point(|&(code, _)| (code >> shift) & 3 <= q);
            let (mine, tail) = rest.split_at(n);
            rest = tail;
            if !mine.is_empty() {
                *child = self.build_node(mine, src, depth + 1, kind, slots);
                summary.merge(&self.nodes[*child as usize].summary);
            }
        }
        let node = &mut self.nodes[id as usize];
        node.summary = summary;
        node.body = Body::Inner(children);
        id
    }

    fn push(&mut self, depth: u32, body: Body) -> u32 {
        let id = u32::try_from(self.nodes.len()).unwrap_or(NO_NODE);
        debug_assert!(id != NO_NODE, "quadtree arena overflow");
        self.nodes.push(Node {
            summary: Summary::EMPTY,
            depth,
            body,
        });
        id
    }

    /// Adds an entry (valid position, slot not present in this tree), recording its leaf.
    pub fn insert(&mut self, e: Stored, kind: u8, slots: &mut Slots) {
        if self.nodes.is_empty() {
            self.push(0, Body::Leaf(Vec::new()));
        }
        let cell = grid_cell(e.lat, e.lon);
        let mut id = 0u32;
        loop {
            let node = &mut self.nodes[id as usize];
            node.summary.add(&e);
            let depth = node.depth;
            match &mut node.body {
                Body::Leaf(entries) => {
                    entries.push(e);
                    break;
                }
                Body::Inner(children) => {
                    let q = quadrant(cell, depth);
                    if children[q] == NO_NODE {
                        let leaf = self.push(depth + 1, Body::Leaf(Vec::new()));
                        if let Body::Inner(children) = &mut self.nodes[id as usize].body {
                            children[q] = leaf;
                        }
                    }
                    if let Body::Inner(children) = &self.nodes[id as usize].body {
                        id = children[q];
                    }
                }
            }
        }
        slots.set(e.slot, kind, id);
        self.split_if_full(id, kind, slots);
    }

    /// Splits leaf `id` into four while it holds more than a leaf should.
    fn split_if_full(&mut self, id: u32, kind: u8, slots: &mut Slots) {
        let node = &mut self.nodes[id as usize];
        let depth = node.depth;
        let Body::Leaf(entries) = &mut node.body else {
            return;
        };
        if entries.len() <= LEAF_CAPACITY || depth >= GRID_BITS {
            return;
        }
        let entries = std::mem::take(entries);
        let mut parts: [Vec<Stored>; 4] = Default::default();
        for e in entries {
            parts[quadrant(grid_cell(e.lat, e.lon), depth)].push(e);
        }
        let mut children = [NO_NODE; 4];
        for (child, part) in children.iter_mut().zip(parts) {
            if part.is_empty() {
                continue;
            }
            let summary = Summary::of(&part);
            *child = self.push(depth + 1, Body::Leaf(Vec::new()));
            part.iter().for_each(|e| {
                slots.set(e.slot, kind, *child);
            });
            let node = &mut self.nodes[*child as usize];
            node.summary = summary;
            node.body = Body::Leaf(part);
        }
        self.nodes[id as usize].body = Body::Inner(children);
        for child in children.into_iter().filter(|&c| c != NO_NODE) {
            self.split_if_full(child, kind, slots);
        }
    }

    /// Removes `slot` from leaf `leaf`, shrinking the summaries above it.
    pub fn remove(&mut self, leaf: u32, slot: u32) -> Option<Stored> {
        let Body::Leaf(entries) = &mut self.nodes.get_mut(leaf as usize)?.body else {
            return None;
        };
        let pos = entries.iter().position(|e| e.slot == slot)?;
        let removed = entries.swap_remove(pos);
        let path = self.path_to(leaf, grid_cell(removed.lat, removed.lon));
        for &id in path.iter().rev() {
            self.resummarize(id);
        }
        Some(removed)
    }

    /// The nodes from the root down to `leaf`, following the quadrants of `cell`.
    fn path_to(&self, leaf: u32, cell: (u32, u32)) -> Vec<u32> {
        let mut path = Vec::with_capacity(GRID_BITS as usize + 1);
        let mut id = 0u32;
        while let Some(node) = self.nodes.get(id as usize) {
            path.push(id);
            match &node.body {
                Body::Inner(children) if id != leaf => id = children[quadrant(cell, node.depth)],
                _ => break,
            }
        }
        debug_assert_eq!(
            path.last(),
            Some(&leaf),
            "entry not under its recorded leaf"
        );
        path
    }

    /// Recomputes a node's summary from its entries or children.
    fn resummarize(&mut self, id: u32) {
        let summary = match &self.nodes[id as usize].body {
            Body::Leaf(entries) => Summary::of(entries),
            Body::Inner(children) => {
                let mut s = Summary::EMPTY;
                for &c in children.iter().filter(|&&c| c != NO_NODE) {
                    s.merge(&self.nodes[c as usize].summary);
                }
                s
            }
        };
        self.nodes[id as usize].summary = summary;
    }

    /// The entry for `slot` in leaf `leaf`.
    pub fn get(&self, leaf: u32, slot: u32) -> Option<&Stored> {
        match &self.nodes.get(leaf as usize)?.body {
            Body::Leaf(entries) => entries.iter().find(|e| e.slot == slot),
            Body::Inner(_) => None,
        }
    }

    /// Bytes held by this tree's nodes and entries (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        let leaves: usize = self
            .nodes
            .iter()
            .map(|n| match &n.body {
                Body::Leaf(v) => v.capacity() * size_of::<Stored>(),
                Body::Inner(_) => 0,
            })
            .sum();
        self.nodes.capacity() * size_of::<Node>() + leaves
    }
}
