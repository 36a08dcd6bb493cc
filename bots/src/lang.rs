//! Message catalogs: every user-facing string, one catalog per language. Templates use
//! `{0}`, `{1}`… for arguments and `{p}` for the platform's command prefix (`/` or `!`).

mod en;
mod hi;

use serde::{Deserialize, Serialize};

/// A language people can choose with `/lang`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Hi,
}

impl Lang {
    /// Every language, in menu order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Hi];

    /// The code typed after `/lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Hi => "hi",
        }
    }

    /// A language by code or name.
    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().to_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "hi" | "hindi" | "हिन्दी" | "हिंदी" => Some(Lang::Hi),
            _ => None,
        }
    }

    /// The template for `key` in this language.
    pub fn template(self, key: Key) -> &'static str {
        match self {
            Lang::En => en::text(key),
            Lang::Hi => hi::text(key),
        }
    }
}

/// Every message the engine can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    LanguageName,
    Welcome,
    WelcomeBack,
    Help,
    UnknownCommand,
    NotACommand,
    NotRegistered,
    PendingApproval,
    NotRequester,
    NotMaker,
    NotAdmin,
    TooLong,
    FileNotSupported,
    StaleButton,
    UnknownButton,
    Cancelled,
    NothingToCancel,
    InternalError,
    LangChoose,
    LangSet,
    AlreadyRegistered,
    AskRole,
    RoleRequester,
    RoleMaker,
    AskLocation,
    ShareLocation,
    Skip,
    BadLocation,
    Registered,
    RegisteredPending,
    LocationSaved,
    NoticePending,
    ApproveButton,
    NoticeApproved,
    ApprovedDone,
    ApproveUsage,
    PendingList,
    NothingPending,
    LinkCode,
    Linked,
    AskProduct,
    BadProduct,
    AskQuantity,
    BadNumber,
    AskNeededBy,
    AskFacility,
    NoFacility,
    BadChoice,
    NeedPosted,
    NoNeeds,
    NeedsHeader,
    NeedLine,
    OfferButton,
    IdUsage,
    AskOfferQuantity,
    AskMaterial,
    BadMaterial,
    AskEta,
    OfferSent,
    NoProposals,
    ProposalLine,
    ContactLine,
    AcceptButton,
    DeferButton,
    DeclineButton,
    ShippedButton,
    ReceivedButton,
    DecidedAccept,
    DecidedDefer,
    DecidedDecline,
    ShippedDone,
    ReceivedDone,
    NoticeNewRequest,
    NoticeNewProposal,
    NoticeAccepted,
    NoticeDeferred,
    NoticeDeclined,
    NoticeShipped,
    NoticeReceived,
    AskRadius,
    BadRadius,
    AskProducts,
    AllProducts,
    Subscribed,
    Muted,
    Unmuted,
    NoSubscription,
    AskNearby,
    NoNearby,
    NearbyCard,
    NotStaff,
    FacilityUsage,
    FacilityList,
    FacilityNewButton,
    FacilityChanged,
    FacilityCreated,
    BloodStockUsage,
    AskListingKind,
    AskListingName,
    AskListingPlace,
    AskListingPhone,
    NearPlace,
    UnknownPlace,
    MapUsage,
    NoSuchFacility,
    BloodUsage,
    ServicesUsage,
    NoServices,
    ServicesHeader,
    ServiceLine,
    StatsHeader,
    StatsChart,
    StatsLine,
    NoStats,
    AskSymptoms,
    SymptomsAnswer,
    NoTriage,
    ErrInvalid,
    ErrForbidden,
    ErrNotFound,
    ErrConflict,
    ErrUnavailable,
    Unknown,
}

/// Fills a template: `{p}` becomes `prefix`, `{0}`… the arguments.
pub fn fill(template: &str, prefix: char, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match name {
            "p" => out.push(prefix),
            _ => match name.parse::<usize>().ok().and_then(|i| args.get(i)) {
                Some(arg) => out.push_str(arg),
                None => out.push_str(&rest[open..open + close + 2]),
            },
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_prefix_and_arguments() {
        assert_eq!(fill("{p}need {0} x{1}", '!', &["a", "b"]), "!need a xb");
        assert_eq!(fill("{9} {", '/', &[]), "{9} {");
    }

    #[test]
    fn catalogs_differ_and_keep_placeholders() {
        for key in [Key::Welcome, Key::NeedLine, Key::Help, Key::ProposalLine] {
            let (en, hi) = (Lang::En.template(key), Lang::Hi.template(key));
            assert_ne!(en, hi, "{key:?}");
            for i in 0..8 {
                let ph = format!("{{{i}}}");
                assert_eq!(en.contains(&ph), hi.contains(&ph), "{key:?} {ph}");
            }
        }
    }
}
