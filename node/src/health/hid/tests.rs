use super::*;

#[test]
fn damm_table_is_a_totally_antisymmetric_quasigroup() {
    for i in 0..10 {
        let mut row: Vec<u8> = DAMM[i].to_vec();
        let mut col: Vec<u8> = DAMM.iter().map(|r| r[i]).collect();
        row.sort_unstable();
        col.sort_unstable();
        assert_eq!(row, (0..10).collect::<Vec<u8>>(), "row {i}");
        assert_eq!(col, (0..10).collect::<Vec<u8>>(), "column {i}");
        assert_eq!(DAMM[i][i], 0);
    }
    for c in 0..10 {
        for x in 0..10 {
            for y in 0..10 {
                let xy = DAMM[DAMM[c][x] as usize][y];
                let yx = DAMM[DAMM[c][y] as usize][x];
                assert!(xy != yx || x == y, "c={c} x={x} y={y}");
            }
        }
    }
}

#[test]
fn worked_examples_of_docs_health_md() {
    // docs/health.md §1.2 lists these as test vectors.
    assert_eq!(damm(&[5, 7, 2]), 4);
    let a = HealthId::from_parts(42173, 1).unwrap();
    assert_eq!(a.to_string(), "42-1730-0000-0011");
    let b = HealthId::from_parts(91000, 12_345_678).unwrap();
    assert_eq!(b.to_string(), "91-0001-2345-6788");
    assert_eq!(b.prefix(), 91000);
    assert_eq!(b.digits(), "91000123456788");
    let c = HealthId::from_parts(10000, 0).unwrap();
    assert_eq!(c.to_string(), "10-0000-0000-0008");
}

#[test]
fn parses_as_typed_at_a_counter() {
    let want = HealthId::from_parts(91000, 12_345_678).unwrap();
    for typed in [
        "91-0001-2345-6788",
        "91000123456788",
        " 91 0001 2345 6788 ",
        "9100-0123-4567-88",
        "91–0001–2345–6788",
    ] {
        assert_eq!(HealthId::parse(typed), Ok(want), "{typed}");
    }
}

#[test]
fn typos_get_clear_errors() {
    let err = |t: &str| HealthId::parse(t).unwrap_err().to_string();
    assert_eq!(
        err("91-0001-2345-678"),
        "13 digits: one is missing (a health ID has 14)"
    );
    assert_eq!(
        err("91-0001-2345-67880"),
        "15 digits: one too many (a health ID has 14)"
    );
    assert_eq!(
        err("91-0001-2345-6780"),
        "the check digit does not match: a digit is mistyped"
    );
    assert!(err("91-0001-2345-678O").contains("`O` is not allowed"));
    assert_eq!(err(""), "0 digits: a health ID has 14");
    assert_eq!(err("01000123456780"), "a health ID never starts with 0");
}

#[test]
fn every_single_digit_error_and_adjacent_swap_is_caught() {
    let mut rng = rand::thread_rng();
    for _ in 0..200 {
        let id = HealthId::issue(rng.gen_range(PREFIX_RANGE), &mut rng).unwrap();
        let digits = id.0;
        for pos in 0..DIGITS {
            for d in 0..10 {
                if d == digits[pos] {
                    continue;
                }
                let mut typo = digits;
                typo[pos] = d;
                assert_ne!(damm(&typo), 0, "{id} with digit {pos} = {d}");
            }
            if pos + 1 < DIGITS && digits[pos] != digits[pos + 1] {
                let mut swapped = digits;
                swapped.swap(pos, pos + 1);
                assert_ne!(damm(&swapped), 0, "{id} with {pos} swapped");
            }
        }
    }
}

#[test]
fn issued_ids_carry_the_prefix_and_round_trip() {
    let mut rng = rand::thread_rng();
    let id = HealthId::issue(42173, &mut rng).unwrap();
    assert_eq!(id.prefix(), 42173);
    assert_eq!(HealthId::parse(&id.to_string()), Ok(id));
    assert_eq!(HealthId::parse(&id.digits()), Ok(id));
    assert!(HealthId::issue(9999, &mut rng).is_none());
    assert!(HealthId::from_parts(42173, 100_000_000).is_none());
    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(json, format!("\"{id}\""));
    assert_eq!(serde_json::from_str::<HealthId>(&json).unwrap(), id);
    assert!(serde_json::from_str::<HealthId>("\"91-0001-2345-6780\"").is_err());
    assert!(!format!("{id:?}").contains(&id.digits()[5..]));
}

#[test]
fn health_addresses() {
    let a = HealthAddress::parse(" Asha.K@Node.District-Hospital.Example ").unwrap();
    assert_eq!(a.to_string(), "asha.k@node.district-hospital.example");
    assert_eq!(a.handle(), "asha.k");
    assert_eq!(a.host(), "node.district-hospital.example");
    assert_eq!(
        HealthAddress::parse("kamala@127.0.0.1:7701")
            .unwrap()
            .host(),
        "127.0.0.1:7701"
    );
    assert_eq!(HealthAddress::parse("asha"), Err(AddressError::NoAt));
    assert_eq!(
        HealthAddress::parse("as@node.example"),
        Err(AddressError::Handle)
    );
    assert_eq!(
        HealthAddress::parse(".asha@node.example"),
        Err(AddressError::Handle)
    );
    assert_eq!(HealthAddress::parse("asha@"), Err(AddressError::Host));
    assert_eq!(
        HealthAddress::parse("asha@node..example"),
        Err(AddressError::Host)
    );
    assert_eq!(
        HealthAddress::parse("asha@node.example:0"),
        Err(AddressError::Host)
    );
    assert_eq!(
        host_of_url("https://Node.Example:8443/x").as_deref(),
        Some("node.example:8443")
    );
    assert_eq!(host_of_url("ftp://node.example"), None);
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(serde_json::from_str::<HealthAddress>(&json).unwrap(), a);
    assert!(!format!("{a:?}").contains("asha"));
}
