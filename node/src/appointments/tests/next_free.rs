//! A refusal's next free slots are counted from the slot asked for, not from now.

use super::*;

#[test]
fn next_free_slots_follow_the_asked_slot() {
    let w = world(1);
    let (p1, p2) = (w.a.patient("asha", &hid(1)), w.a.patient("ravi", &hid(2)));
    // Tuesday 11:00, the day's last slot; Tuesday 09:00 and 10:00 stay free.
    let asked = w.slot(1, 2);
    w.book(&w.a, &p1, &asked).unwrap();
    w.exchange();
    let second = w.book(&w.a, &p2, &asked).unwrap();
    w.exchange();
    let seen = w.a.app.my_appointment(&p2, &second.id).unwrap();
    assert_eq!(seen.status, "refused");
    let asked_ms = bookings::parse_start(&asked).unwrap();
    let wednesday_nine = bookings::parse_start(&w.slot(2, 0)).unwrap();
    assert_eq!(
        seen.next_free.first(),
        Some(&wednesday_nine),
        "{:?}",
        seen.next_free
    );
    assert!(seen.next_free.iter().all(|t| *t > asked_ms));
}
