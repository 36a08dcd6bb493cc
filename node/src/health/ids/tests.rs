use super::*;
use crate::health::vault::RecordsKey;
use crate::store::memory::MemoryStore;

const NOW: i64 = 1_795_000_000_000; // 2026-11-18

pub(super) struct Fixture {
    pub(super) ids: HealthIds,
    store: Arc<MemoryStore>,
    _dir: tempfile::TempDir,
}

pub(super) fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(MemoryStore::new());
    let vault = Vault::local(RecordsKey::generate(), dir.path()).unwrap();
    let ids = HealthIds::new(store.clone(), vault, 42173, "node.example:7701".into());
    Fixture {
        ids,
        store,
        _dir: dir,
    }
}

pub(super) fn member(handle: &str, role: Role) -> Member {
    Member {
        id: ulid::Ulid::new().to_string(),
        handle: handle.into(),
        role,
        facility_id: None,
        contact: String::new(),
        address: String::new(),
        lat: None,
        lon: None,
        created_at: NOW,
    }
}

pub(super) fn dependant(name: &str, birth_year: i64) -> NewDependant {
    NewDependant {
        name: name.into(),
        birth_year,
    }
}

#[test]
fn a_member_holds_one_own_id() {
    let f = fixture();
    let asha = member("Asha_K", Role::Patient);
    let record = f.ids.issue_own(&asha, NOW).unwrap();
    assert_eq!(record.number.prefix(), 42173);
    assert_eq!(record.holder.as_deref(), Some(asha.id.as_str()));
    let view = f.ids.view(&record);
    assert_eq!(view.address, "asha.k@node.example:7701");
    assert_eq!(view.guardians, vec!["Asha_K".to_owned()]);
    assert_eq!(HealthId::parse(&view.health_id), Ok(record.number));
    let again = f.ids.issue_own(&asha, NOW).unwrap_err();
    assert!(matches!(again, ServiceError::Conflict { .. }), "{again}");
    assert!(again.to_string().contains(&record.number.to_string()));
    assert_eq!(f.ids.get(&record.number).unwrap(), Some(record.clone()));
    assert_eq!(
        f.ids.relation(&asha, &record.number).unwrap(),
        Some(Relation::Holder)
    );
}

#[test]
fn only_patients_hold_ids() {
    let f = fixture();
    let staff = member("dr.rao", Role::Staff);
    let err = f.ids.issue_own(&staff, NOW).unwrap_err();
    assert!(matches!(err, ServiceError::Forbidden { .. }));
    let err = f
        .ids
        .issue_dependant(&staff, &dependant("Kamala", 1950), NOW);
    assert!(matches!(err, Err(ServiceError::Forbidden { .. })));
}

#[test]
fn dependants_are_guarded_and_validated() {
    let f = fixture();
    let ravi = member("ravi", Role::Patient);
    let other = member("meera", Role::Patient);
    let mum = f
        .ids
        .issue_dependant(&ravi, &dependant("Kamala Devi", 1950), NOW)
        .unwrap();
    assert_eq!(mum.holder, None);
    assert_eq!(mum.birth_year, Some(1950));
    assert_eq!(f.ids.view(&mum).address, "kamala.devi@node.example:7701");
    let namesake = f
        .ids
        .issue_dependant(&ravi, &dependant("Kamala  Devi", 1952), NOW)
        .unwrap();
    assert_eq!(namesake.handle, "kamala.devi2");
    assert_eq!(
        f.ids.relation(&ravi, &mum.number).unwrap(),
        Some(Relation::Guardian)
    );
    assert_eq!(f.ids.relation(&other, &mum.number).unwrap(), None);
    let own = f.ids.issue_own(&ravi, NOW).unwrap();
    let listed: Vec<HealthId> = f
        .ids
        .list_for(&ravi)
        .unwrap()
        .iter()
        .map(|r| r.number)
        .collect();
    assert_eq!(listed, vec![own.number, mum.number, namesake.number]);
    assert!(f.ids.list_for(&other).unwrap().is_empty());

    let field = |d: NewDependant| match f.ids.issue_dependant(&ravi, &d, NOW) {
        Err(ServiceError::Invalid { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(dependant(" ", 1950)), "dependant.name");
    assert_eq!(field(dependant(&"x".repeat(101), 1950)), "dependant.name");
    assert_eq!(field(dependant("Kamala", 1899)), "dependant.birth_year");
    assert_eq!(field(dependant("Kamala", 2027)), "dependant.birth_year");
    let devanagari = f
        .ids
        .issue_dependant(&ravi, &dependant("कमला देवी", 1950), NOW)
        .unwrap();
    assert_eq!(devanagari.handle, "person");
    assert_eq!(devanagari.name, "कमला देवी");
}

#[test]
fn a_member_guards_at_most_ten() {
    let f = fixture();
    let ravi = member("ravi", Role::Patient);
    for i in 0..MAX_DEPENDANTS {
        f.ids
            .issue_dependant(&ravi, &dependant(&format!("Child {i}"), 2010), NOW)
            .unwrap();
    }
    let err = f
        .ids
        .issue_dependant(&ravi, &dependant("One more", 2012), NOW);
    assert!(matches!(err, Err(ServiceError::Conflict { .. })));
}

#[test]
fn nothing_personal_is_readable_in_the_store() {
    let f = fixture();
    let asha = member("asha", Role::Patient);
    let record = f.ids.issue_own(&asha, NOW).unwrap();
    f.ids
        .issue_dependant(&asha, &dependant("Kamala Devi", 1950), NOW)
        .unwrap();
    for (key, value) in f.store.scan(Space::Health).unwrap() {
        assert!(
            !key.contains(&record.number.digits()) && !key.contains("asha"),
            "{key}"
        );
        let text = String::from_utf8_lossy(&value);
        for secret in ["asha", "Kamala", &record.number.digits(), &asha.id] {
            assert!(!text.contains(secret), "{key} shows {secret}");
        }
    }
}

#[test]
fn handles_from_names() {
    assert_eq!(handle_from_name("Kamala Devi"), "kamala.devi");
    assert_eq!(
        handle_from_name("  A. P. J. Abdul-Kalam "),
        "a.p.j.abdul.kalam"
    );
    assert_eq!(handle_from_name("Jo"), "person");
    assert_eq!(handle_from_name(&"long".repeat(20)).len(), 28);
    assert!(HealthAddress::new(&handle_from_name("Ünal Öz"), "n.example").is_ok());
}
