//! The appointment routes of the OpenAPI document (docs/api.md "Appointments").

use serde_json::{Value, json};

use super::by_hand::{Op, op, operation};

fn object() -> Value {
    json!({ "type": "object" })
}

fn list(key: &str) -> Value {
    json!({ "type": "object", "properties": { key: { "type": "array", "items": object() } } })
}

fn call(summary: &str, auth: bool, body: Option<Value>, answer: Value, path: &str) -> Value {
    operation(op(summary, auth, body, answer), path)
}

/// `(path, method, operation)` of every appointment route.
pub(super) fn paths() -> Vec<(&'static str, &'static str, Value)> {
    let schedules = "/api/v1/facilities/{id}/schedules";
    let schedule = "/api/v1/schedules/{id}";
    let slots = "/api/v1/facilities/{id}/slots";
    let all = "/api/v1/appointments";
    let one = "/api/v1/appointments/{id}";
    let mut out = vec![
        (
            schedules,
            "post",
            call(
                "Publish a schedule (staff of the facility)",
                true,
                Some(object()),
                object(),
                schedules,
            ),
        ),
        (
            schedules,
            "get",
            call(
                "A facility's schedules (anyone, any node)",
                false,
                None,
                list("schedules"),
                schedules,
            ),
        ),
        (
            schedule,
            "get",
            call("One schedule", false, None, object(), schedule),
        ),
        (
            schedule,
            "put",
            call(
                "Replace a schedule (staff of the facility)",
                true,
                Some(object()),
                object(),
                schedule,
            ),
        ),
        (
            schedule,
            "delete",
            call(
                "Retract a schedule (staff of the facility)",
                true,
                None,
                object(),
                schedule,
            ),
        ),
        (
            slots,
            "get",
            operation(
                Op {
                    params: &[
                        (
                            "date",
                            "string",
                            "the facility's local date, YYYY-MM-DD (required)",
                        ),
                        ("service", "string", "a service's name"),
                    ],
                    ..op(
                        "Slots of a day with their free places (anyone, any node)",
                        false,
                        None,
                        list("slots"),
                    )
                },
                slots,
            ),
        ),
        (
            all,
            "post",
            call(
                "Book a slot (patient, guardian; any node)",
                true,
                Some(object()),
                object(),
                all,
            ),
        ),
        (
            all,
            "get",
            operation(
                Op {
                    params: &[
                        ("facility_id", "string", "staff: that facility's agenda"),
                        (
                            "date",
                            "string",
                            "with facility_id: the local date, YYYY-MM-DD",
                        ),
                    ],
                    ..op(
                        "My appointments, or a facility's agenda (staff)",
                        true,
                        None,
                        list("appointments"),
                    )
                },
                all,
            ),
        ),
        (
            one,
            "get",
            call("One of my appointments", true, None, object(), one),
        ),
    ];
    let steps: [(&'static str, &'static str); 6] = [
        (
            "/api/v1/appointments/{id}/cancel",
            "Cancel (patient until the cutoff; staff any time, with a reason)",
        ),
        ("/api/v1/appointments/{id}/arrived", "Mark arrived (staff)"),
        (
            "/api/v1/appointments/{id}/no_show",
            "Mark a no-show (staff, once the slot began)",
        ),
        (
            "/api/v1/appointments/{id}/wait",
            "Wait for a place on the day (patient, after a refusal)",
        ),
        (
            "/api/v1/appointments/{id}/take",
            "Take the place offered (patient)",
        ),
        (
            "/api/v1/appointments/{id}/reschedule",
            "Move to another slot: a new booking replaces this one (patient)",
        ),
    ];
    for (path, summary) in steps {
        out.push((path, "post", call(summary, true, None, object(), path)));
    }
    out
}
