//! Best-first search over the kind trees: a min-heap of subtrees ordered by the lower bound
//! of their distance, a max-heap of the best `k` entries found so far, and a stop as soon
//! as the nearest unopened subtree cannot beat the worst kept entry.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::Hit;
use super::sphere::{Origin, h_to_km};
use super::tree::{Body, NO_NODE, Stored, Summary, Tree};

/// What a search looks for, already validated.
#[derive(Clone, Copy, Debug)]
pub(super) struct Search {
    pub origin: Origin,
    /// Keep at most this many entries.
    pub k: usize,
    /// Entry bits that must all be set.
    pub specialties: u64,
    pub flags: u32,
    /// Padded haversine ceiling for pruning; `max_km` is the exact test.
    pub h_max: f64,
    pub max_km: Option<f64>,
}

/// A subtree waiting to be opened, ordered so that the heap pops the smallest bound.
#[derive(Clone, Copy, Debug)]
struct Pending {
    bound: f64,
    tree: u8,
    node: u32,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        other.bound.total_cmp(&self.bound)
    }
}

/// A kept entry; the heap's top is the worst (farthest, then highest slot).
#[derive(Clone, Copy, Debug)]
struct Found {
    h: f64,
    slot: u32,
}

impl PartialEq for Found {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Found {}
impl PartialOrd for Found {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Found {
    fn cmp(&self, other: &Self) -> Ordering {
        self.h.total_cmp(&other.h).then(self.slot.cmp(&other.slot))
    }
}

/// The running state of one search.
struct Walk<'a> {
    trees: &'a [Tree],
    s: Search,
    frontier: BinaryHeap<Pending>,
    best: BinaryHeap<Found>,
}

/// Runs `s` over the trees listed in `kinds` and returns the hits, nearest first, ties by
/// slot.
pub(super) fn run(trees: &[Tree], kinds: &[u8], s: Search) -> Vec<Hit> {
    if s.k == 0 {
        return Vec::new();
    }
    let mut walk = Walk {
        trees,
        s,
        frontier: BinaryHeap::with_capacity(64),
        best: BinaryHeap::with_capacity(s.k.min(1024) + 1),
    };
    for &kind in kinds {
        walk.offer(kind, 0);
    }
    while let Some(p) = walk.frontier.pop() {
        if p.bound > walk.ceiling() {
            break;
        }
        walk.open(p);
    }
    walk.finish()
}

impl Walk<'_> {
    /// The haversine term an entry or subtree must not exceed to still matter.
    fn ceiling(&self) -> f64 {
        match self.best.peek() {
            Some(worst) if self.best.len() >= self.s.k => worst.h.min(self.s.h_max),
            _ => self.s.h_max,
        }
    }

    /// Queues node `node` of tree `kind` if it may hold a match close enough.
    fn offer(&mut self, kind: u8, node: u32) {
        let Some(n) = self.trees[kind as usize].nodes.get(node as usize) else {
            return;
        };
        let sum: &Summary = &n.summary;
        if !sum.may_match(self.s.specialties, self.s.flags) {
            return;
        }
        let bound = self
            .s
            .origin
            .bound_to_box(sum.lat_min, sum.lat_max, sum.lon_min, sum.lon_max);
        if bound <= self.ceiling() {
            self.frontier.push(Pending {
                bound,
                tree: kind,
                node,
            });
        }
    }

    /// Scans a leaf or queues an inner node's children.
    fn open(&mut self, p: Pending) {
        let trees = self.trees;
        let Some(node) = trees[p.tree as usize].nodes.get(p.node as usize) else {
            return;
        };
        match &node.body {
            Body::Leaf(entries) => self.scan(entries),
            Body::Inner(children) => {
                for &c in children.iter().filter(|&&c| c != NO_NODE) {
                    self.offer(p.tree, c);
                }
            }
        }
    }

    fn scan(&mut self, entries: &[Stored]) {
        let (spec, flags) = (self.s.specialties, self.s.flags);
        let mut ceiling = self.ceiling();
        for e in entries {
            if e.specialties & spec != spec || e.flags & flags != flags {
                continue;
            }
            let h = self.s.origin.hav_to(e.lat, e.lon);
            if h > ceiling || self.s.max_km.is_some_and(|m| h_to_km(h) > m) {
                continue;
            }
            let found = Found { h, slot: e.slot };
            if self.best.len() < self.s.k {
                self.best.push(found);
            } else if let Some(mut worst) = self.best.peek_mut()
                && found < *worst
            {
                *worst = found;
            }
            ceiling = self.ceiling();
        }
    }

    fn finish(self) -> Vec<Hit> {
        let mut hits: Vec<Hit> = self
            .best
            .into_vec()
            .into_iter()
            .map(|f| Hit {
                slot: f.slot,
                distance_km: h_to_km(f.h),
            })
            .collect();
        // Sorting by kilometres (not by h) makes equal reported distances tie by slot.
        hits.sort_unstable_by(|a, b| {
            a.distance_km
                .total_cmp(&b.distance_km)
                .then(a.slot.cmp(&b.slot))
        });
        hits
    }
}
