//! The service-name index behind `?service=`: which listings offer a service whose name
//! contains the asked text. Service names repeat across listings ("x-ray", "consultation"),
//! so a search walks the distinct names, not the listings, and reads only the listings
//! whose slots it finds; the old way decoded every listing when few or none matched.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use caremesh_federation::object::Facility;

/// Lower-case service names of the listings, by slot and by name.
#[derive(Clone, Debug, Default)]
pub(super) struct ServiceIndex {
    by_name: BTreeMap<String, BTreeSet<u32>>,
    of_slot: HashMap<u32, Vec<String>>,
}

/// The names a listing is found by: its services' names in lower case, once each; none for
/// a retracted listing.
pub(super) fn names_of(f: &Facility) -> Vec<String> {
    if f.retracted {
        return Vec::new();
    }
    let names: BTreeSet<String> = f.services.iter().map(|s| s.name.to_lowercase()).collect();
    names.into_iter().collect()
}

impl ServiceIndex {
    /// Sets the names of `slot`, replacing what it had.
    pub(super) fn set(&mut self, slot: u32, names: Vec<String>) {
        if let Some(old) = self.of_slot.remove(&slot) {
            for name in old {
                if let Some(slots) = self.by_name.get_mut(&name) {
                    slots.remove(&slot);
                    if slots.is_empty() {
                        self.by_name.remove(&name);
                    }
                }
            }
        }
        if names.is_empty() {
            return;
        }
        for name in &names {
            self.by_name.entry(name.clone()).or_default().insert(slot);
        }
        self.of_slot.insert(slot, names);
    }

    /// The slots of listings with a service name containing `needle` (lower case).
    pub(super) fn matching(&self, needle: &str) -> BTreeSet<u32> {
        self.by_name
            .iter()
            .filter(|(name, _)| name.contains(needle))
            .flat_map(|(_, slots)| slots.iter().copied())
            .collect()
    }

    /// The names of `slot` (empty when it has none).
    pub(super) fn names(&self, slot: u32) -> &[String] {
        self.of_slot.get(&slot).map_or(&[], Vec::as_slice)
    }

    /// Distinct names indexed.
    #[cfg(test)]
    pub(super) fn distinct(&self) -> usize {
        self.by_name.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn names_are_found_by_part_and_replaced_with_the_listing() {
        let mut index = ServiceIndex::default();
        index.set(1, names(&["x-ray", "consultation"]));
        index.set(2, names(&["dental x-ray"]));
        index.set(3, names(&["consultation"]));
        assert_eq!(index.matching("x-ray"), BTreeSet::from([1, 2]));
        assert_eq!(index.matching("consult"), BTreeSet::from([1, 3]));
        assert_eq!(index.distinct(), 3);
        index.set(1, names(&["dialysis"]));
        assert_eq!(index.matching("x-ray"), BTreeSet::from([2]));
        assert_eq!(index.names(1), &names(&["dialysis"])[..]);
        index.set(2, Vec::new());
        assert!(index.matching("x-ray").is_empty());
        assert_eq!(index.distinct(), 2, "a name nobody offers is dropped");
    }

    #[test]
    fn a_listing_is_found_by_its_lower_case_names_unless_retracted() {
        let mut f = crate::fixtures::facility(caremesh_federation::Meta::default());
        f.services = ["X-Ray", "x-ray", "ECG"]
            .iter()
            .map(|n| caremesh_federation::object::Service {
                name: (*n).to_owned(),
                price_minor: 0,
                currency: "INR".into(),
            })
            .collect();
        assert_eq!(names_of(&f), names(&["ecg", "x-ray"]));
        f.retracted = true;
        assert!(names_of(&f).is_empty());
    }
}
