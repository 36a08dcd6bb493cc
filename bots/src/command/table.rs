//! The rows of the command table, in `/help` order. A new command is one row here.

use caremesh_federation::object::Verdict;

use super::{Command, Gate, Gated, Open, Resume, Run};
use crate::flows::{
    account, alerts, appointments, book, consent, directory, health, listing, market, need, offer,
    order, orders, profile, quote, records, resume,
};
use crate::lang::Help;
use crate::lang::appointments as ap;
use crate::lang::orders as o;
use crate::lang::records as r;
use crate::lang::{account as a, directory as d, health as h, listing as l, market as m};

const fn open(name: &'static str, help: Option<Help>, run: Open) -> Command {
    Command {
        name,
        aliases: &[],
        help,
        run: Run::Open(run),
        answer: None,
    }
}

const fn gated(name: &'static str, gate: Gate, help: Option<Help>, run: Gated) -> Command {
    Command {
        name,
        aliases: &[],
        help,
        run: Run::Gated(gate, run),
        answer: None,
    }
}

/// A command whose flow asks questions, answered by `step`.
const fn asks(mut command: Command, step: Resume) -> Command {
    command.answer = Some(step);
    command
}

const fn aka(mut command: Command, aliases: &'static [&'static str]) -> Command {
    command.aliases = aliases;
    command
}

/// Every command, in `/help` order.
pub static COMMANDS: [Command; 38] = [
    open("start", None, |t, _| Box::pin(account::start(t))),
    open("help", None, |t, _| Box::pin(account::help(t))),
    asks(
        open("register", Some(a::HELP_REGISTER), |t, _| {
            Box::pin(account::register(t))
        }),
        |t, s, a| resume(t, s, a, account::register_step),
    ),
    gated("approve", Gate::Admin, None, |t, who, args| {
        Box::pin(account::approve(t, who, args))
    }),
    gated("pending", Gate::Admin, None, |t, _, _| {
        Box::pin(account::pending(t))
    }),
    asks(
        gated("need", Gate::Requester, Some(m::HELP_NEED), |t, _, _| {
            Box::pin(need::start(t))
        }),
        |t, s, a| resume(t, s, a, need::step),
    ),
    gated("needs", Gate::Member, Some(m::HELP_NEEDS), |t, who, _| {
        Box::pin(market::needs(t, who))
    }),
    asks(
        gated("offer", Gate::Maker, Some(m::HELP_OFFER), |t, _, args| {
            Box::pin(offer::start(t, args))
        }),
        |t, s, a| resume(t, s, a, offer::step),
    ),
    aka(
        gated(
            "proposals",
            Gate::Member,
            Some(m::HELP_PROPOSALS),
            |t, who, _| Box::pin(market::proposals(t, who)),
        ),
        &["offers"],
    ),
    gated(
        "accept",
        Gate::Requester,
        Some(m::HELP_ACCEPT),
        |t, who, args| Box::pin(market::decide(t, who, args, Verdict::Accept)),
    ),
    gated(
        "defer",
        Gate::Requester,
        Some(m::HELP_DEFER),
        |t, who, args| Box::pin(market::decide(t, who, args, Verdict::Defer)),
    ),
    gated(
        "decline",
        Gate::Requester,
        Some(m::HELP_DECLINE),
        |t, who, args| Box::pin(market::decide(t, who, args, Verdict::Decline)),
    ),
    gated(
        "shipped",
        Gate::Maker,
        Some(m::HELP_SHIPPED),
        |t, who, args| Box::pin(market::shipped(t, who, args)),
    ),
    gated(
        "received",
        Gate::Requester,
        Some(m::HELP_RECEIVED),
        |t, who, args| Box::pin(market::received(t, who, args)),
    ),
    asks(
        gated(
            "subscribe",
            Gate::Maker,
            Some(m::HELP_SUBSCRIBE),
            |t, who, args| Box::pin(alerts::start(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, alerts::step),
    ),
    gated("mute", Gate::Member, Some(m::HELP_MUTE), |t, who, _| {
        Box::pin(alerts::mute(t, who))
    }),
    asks(
        open("nearby", Some(d::HELP_NEARBY), |t, args| {
            Box::pin(directory::nearby(t, args))
        }),
        |t, s, a| resume(t, s, a, directory::nearby_step),
    ),
    asks(
        open("blood", Some(d::HELP_BLOOD), |t, args| {
            Box::pin(directory::blood(t, args))
        }),
        |t, s, a| resume(t, s, a, directory::nearby_step),
    ),
    aka(
        open("map", Some(d::HELP_MAP), |t, args| {
            Box::pin(directory::map(t, args))
        }),
        &["where"],
    ),
    aka(
        asks(
            gated(
                "facility",
                Gate::Staff,
                Some(l::HELP_FACILITY),
                |t, who, args| Box::pin(listing::start(t, who, args)),
            ),
            |t, s, a| resume(t, s, a, listing::step),
        ),
        &["listing"],
    ),
    open("services", Some(d::HELP_SERVICES), |t, args| {
        Box::pin(directory::services(t, args))
    }),
    asks(
        open("symptoms", Some(d::HELP_SYMPTOMS), |t, args| {
            Box::pin(directory::symptoms(t, args))
        }),
        |t, s, a| resume(t, s, a, directory::symptoms_step),
    ),
    open("stats", Some(m::HELP_STATS), |t, _| {
        Box::pin(market::stats(t))
    }),
    gated(
        "healthid",
        Gate::Member,
        Some(h::HELP_HEALTHID),
        |t, who, args| Box::pin(health::healthid(t, who, args)),
    ),
    asks(
        gated(
            "family",
            Gate::Member,
            Some(h::HELP_FAMILY),
            |t, who, args| Box::pin(health::family(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, health::family_step),
    ),
    asks(
        gated(
            "profile",
            Gate::Member,
            Some(h::HELP_PROFILE),
            |t, who, args| Box::pin(profile::start(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, profile::step),
    ),
    gated(
        "records",
        Gate::Member,
        Some(r::HELP_RECORDS),
        |t, who, args| Box::pin(records::start(t, who, args)),
    ),
    gated(
        "upload",
        Gate::Staff,
        Some(r::HELP_UPLOAD),
        |t, who, args| Box::pin(records::upload(t, who, args)),
    ),
    gated(
        "consent",
        Gate::Member,
        Some(r::HELP_CONSENT),
        |t, who, args| Box::pin(consent::start(t, who, args)),
    ),
    asks(
        gated("book", Gate::Member, Some(ap::HELP_BOOK), |t, who, args| {
            Box::pin(book::start(t, who, args))
        }),
        |t, s, a| resume(t, s, a, book::step),
    ),
    asks(
        gated(
            "appointments",
            Gate::Member,
            Some(ap::HELP_APPOINTMENTS),
            |t, who, args| Box::pin(appointments::start(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, book::step),
    ),
    gated(
        "agenda",
        Gate::Staff,
        Some(ap::HELP_AGENDA),
        |t, who, args| Box::pin(appointments::agenda(t, who, args)),
    ),
    asks(
        gated(
            "order",
            Gate::Member,
            Some(o::HELP_ORDER),
            |t, who, args| Box::pin(order::start(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, order::step),
    ),
    asks(
        gated(
            "orders",
            Gate::Member,
            Some(o::HELP_ORDERS),
            |t, who, args| Box::pin(orders::start(t, who, args)),
        ),
        |t, s, a| resume(t, s, a, quote::step),
    ),
    open("link", Some(a::HELP_LINK), |t, args| {
        Box::pin(account::link(t, args))
    }),
    Command {
        name: "lang",
        aliases: &["language"],
        help: Some(a::HELP_LANG),
        run: Run::Lang,
        answer: None,
    },
    Command {
        name: "cancel",
        aliases: &["stop"],
        help: Some(a::HELP_CANCEL),
        run: Run::Cancel,
        answer: None,
    },
    Command {
        name: "skip",
        aliases: &[],
        help: None,
        run: Run::Skip,
        answer: None,
    },
];
