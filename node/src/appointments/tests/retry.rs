//! An answer whose publication fails after its decision is on disk goes out on a later
//! tick of the runner, not only at the next start.

use caremesh_federation::object::BookingAnswer;

use super::*;

fn answers_of(node: &Node) -> Vec<BookingAnswer> {
    crate::objects::list::<BookingAnswer>(&*node.store).unwrap()
}

#[test]
fn an_answer_that_could_not_be_published_is_published_by_a_later_retry() {
    let w = world(1);
    // C knows F, but F does not know C's key yet: F cannot seal its answer to C.
    let c = Node::new("http://c.test", &w.clock);
    Identities::new(c.store.clone())
        .put(&w.f.identity())
        .unwrap();
    assert!(w.f.deliver(&c).is_empty());
    let p = c.patient("kiran", &hid(7));
    let view = w.book(&c, &p, &w.slot(1, 0)).unwrap();
    assert!(c.deliver_with(&w.f, false).is_empty());
    w.f.app.process_booking(&view.id).unwrap();
    assert!(answers_of(&w.f).is_empty(), "no answer could be sealed");
    assert_eq!(w.f.app.retry_answers(), 0, "still no key: kept for later");

    Identities::new(w.f.store.clone())
        .put(&c.identity())
        .unwrap();
    assert_eq!(w.f.app.retry_answers(), 1);
    let answers = answers_of(&w.f);
    assert_eq!(answers.len(), 1);
    assert_eq!(answers[0].booking_id, view.id);
    assert_eq!(w.f.app.retry_answers(), 0, "nothing left to retry");
    assert!(w.f.deliver(&c).is_empty());
    let seen = c.app.my_appointment(&p, &view.id).unwrap();
    assert_eq!(seen.status, "confirmed");
}
