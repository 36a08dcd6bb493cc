//! The wire objects of protocol v1. Every field that is signed is an integer, a string, a
//! bool, a list or a `BTreeMap`: no floats (coordinates are fixed-point) and no hash maps, so
//! the same value always encodes to the same bytes.
//!
//! Each kind of object lives in its own module (`object/facility.rs`, …) with its types and
//! one [`ObjectKind`] impl: who may see it, what it belongs to, what its fields must hold.
//! [`for_each_kind!`](crate::for_each_kind) is the one list of kinds; [`Object`] and [`Kind`] are generated from
//! it here, and `caremesh-node` generates its own per-kind dispatch from the same list.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::codec;
use crate::error::{CodecError, SchemaError};

mod checks;

use checks::{
    check_coords, check_origin, check_quantity, check_sealed, check_text, check_ulid, field,
    validate_meta,
};
pub use checks::{find_bidi_control, is_bidi_control, is_slug};

/// Coordinates travel as degrees × 10⁷ (about 1 cm), like OpenStreetMap.
pub const COORD_SCALE: f64 = 1e7;

/// Longest text field accepted in any object.
pub const MAX_TEXT: usize = 2_000;
/// Largest quantity a request or proposal may carry.
pub const MAX_QUANTITY: u32 = 10_000_000;
/// Highest version an object may carry (2^53): far beyond any real number of updates, and
/// low enough that `version + 1` never overflows anywhere, nor loses precision in JSON.
pub const MAX_VERSION: u64 = 1 << 53;

/// The one list of object kinds. It calls `$callback!` with every kind as
/// `Variant = code, "wire name" in module;` (doc comments first), so each crate generates
/// its dispatch from this list and no `match` on kinds is written by hand.
///
/// `code` is a stable number for compact keys (the node's store): never reuse or renumber
/// one. The wire name goes into the signing prefix and the envelope's `kind` field.
///
/// A new kind touches these files; after the first two, the build or a test names each one
/// (tried with a throwaway kind):
/// 1. `federation/src/object/<module>.rs` (new): the struct and its [`ObjectKind`] impl
///    (`public_kind!` or `directed_kind!` write the parts every such kind shares);
/// 2. this list: one line;
/// 3. `node/src/<domain>/rules.rs`: its `KindRules` impl (admission, what chat says about
///    it, in-process indexes): the node does not compile without it, and the error says
///    where it goes;
/// 4. `federation/tests/wire.rs`: its snapshot (`every_kind_has_a_snapshot` fails without);
///
/// then, to use it, 5. the domain service that creates it and 6. its endpoint or chat
/// command, plus its section in docs/protocol.md. The store, inbox, outbox, pull, relay and
/// fan-out need no change: they dispatch through the list.
#[macro_export]
macro_rules! for_each_kind {
    ($callback:ident) => {
        $callback! {
            /// A facility listing (public).
            Facility = 1, "facility" in facility;
            /// A supply request (public).
            Request = 2, "request" in request;
            /// A maker's proposal, directed to the request's origin.
            Proposal = 3, "proposal" in proposal;
            /// A requester's decision on a proposal, directed to the proposal's origin.
            Decision = 4, "decision" in decision;
            /// The health ID prefixes a node issues (public).
            Announcement = 5, "announcement" in announcement;
            /// A record on its way to its home node, directed and sealed.
            Deposit = 6, "deposit" in deposit;
            /// A piece of a deposit's bytes, directed and sealed.
            Chunk = 7, "chunk" in chunk;
            /// The home node's answer to a deposit, directed and sealed.
            Receipt = 8, "receipt" in receipt;
            /// An ask for consent to a health ID's records, directed and sealed.
            ConsentAsk = 9, "consent_ask" in consent_ask;
            /// The home node's decision on a consent ask, directed and sealed.
            Consent = 10, "consent" in consent;
            /// A notice that a record or a health ID was erased, directed and sealed.
            Erasure = 11, "erasure" in erasure;
            /// A live read under consent; relayed hop by hop, never stored.
            Read = 12, "read" in read;
            /// The home node's answer to a read; never stored.
            ReadAnswer = 13, "read_answer" in read_answer;
            /// A facility's schedule for one bookable service (public).
            Schedule = 14, "schedule" in schedule;
            /// Places taken in a schedule's slots on one day (public).
            Availability = 15, "availability" in availability;
            /// A booking of a slot, directed to the facility's node and sealed.
            Booking = 16, "booking" in booking;
            /// The facility node's answer to a booking, directed and sealed.
            BookingAnswer = 17, "booking_answer" in booking_answer;
            /// A medicine order, directed to the pharmacy's node and sealed.
            Order = 18, "order" in order;
            /// The pharmacy node's answer to an order, directed and sealed.
            OrderAnswer = 19, "order_answer" in order_answer;
        }
    };
}

#[macro_use]
mod kind_macros;

/// Who may receive an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience<'a> {
    /// Relayed to every peer and served to anyone who pulls.
    Public,
    /// Sent only toward one node (and sealed where private); never served by pull.
    Directed {
        /// The addressee's origin.
        to: &'a str,
    },
}

/// The rules the protocol knows about one kind of object. Implemented once per kind, beside
/// its struct; [`Object`] dispatches to these.
#[diagnostic::on_unimplemented(
    message = "object kind `{Self}` has no protocol rules",
    note = "write `impl ObjectKind for {Self}` in its own file, `federation/src/object/<kind>.rs`"
)]
pub trait ObjectKind:
    Sized
    + Clone
    + std::fmt::Debug
    + Serialize
    + DeserializeOwned
    + Into<Object>
    + TryFrom<Object, Error = Object>
    + Tagged
    + Send
    + Sync
    + 'static
{
    /// The fields every object carries.
    fn meta(&self) -> &Meta;
    /// Public, or directed to one node. A kind answers the same way for all its objects.
    fn audience(&self) -> Audience<'_>;
    /// The object this one belongs to (a proposal's request, a decision's proposal): stores
    /// list an object's children by it.
    fn parent(&self) -> Option<&str>;
    /// Checks the kind's own fields, the values a peer could get wrong: identifiers, ranges,
    /// lengths. [`Object::validate`] checks [`Meta`] first.
    fn validate(&self) -> Result<(), SchemaError>;
}

/// The [`Kind`] of each object type (generated from the list).
pub trait Tagged {
    /// This type's kind.
    const KIND: Kind;
}

macro_rules! define_kinds {
    ($( $(#[$doc:meta])* $Variant:ident = $code:literal, $name:tt in $module:ident; )*) => {
        $( mod $module; pub use $module::*; )*

        /// The kind of an object, signed as part of the envelope's domain-separation prefix.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Kind {
            $( $(#[$doc])* #[serde(rename = $name)] $Variant, )*
        }

        impl Kind {
            /// Every kind, in the list's order.
            pub const ALL: &'static [Kind] = &[$(Kind::$Variant),*];

            /// The name used on the wire and in the signing prefix.
            pub fn as_str(self) -> &'static str {
                match self { $( Kind::$Variant => $name, )* }
            }

            /// The kind's stable number (see [`for_each_kind!`](crate::for_each_kind)).
            pub fn code(self) -> u8 {
                match self { $( Kind::$Variant => $code, )* }
            }

            /// The kind with this stable number.
            pub fn from_code(code: u8) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.code() == code)
            }
        }

        /// Any wire object.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Object {
            $( $(#[$doc])* $Variant($Variant), )*
        }

        $(
            impl Tagged for $Variant {
                const KIND: Kind = Kind::$Variant;
            }

            impl From<$Variant> for Object {
                fn from(object: $Variant) -> Object {
                    Object::$Variant(object)
                }
            }

            impl TryFrom<Object> for $Variant {
                type Error = Object;
                fn try_from(object: Object) -> Result<Self, Object> {
                    match object {
                        Object::$Variant(o) => Ok(o),
                        other => Err(other),
                    }
                }
            }
        )*

        impl Object {
            /// Which kind of object this is.
            pub fn kind(&self) -> Kind {
                match self { $( Object::$Variant(_) => Kind::$Variant, )* }
            }

            /// The common fields.
            pub fn meta(&self) -> &Meta {
                match self { $( Object::$Variant(o) => o.meta(), )* }
            }

            /// Public, or directed to one node.
            pub fn audience(&self) -> Audience<'_> {
                match self { $( Object::$Variant(o) => o.audience(), )* }
            }

            /// The object this one belongs to, if any.
            pub fn parent(&self) -> Option<&str> {
                match self { $( Object::$Variant(o) => o.parent(), )* }
            }

            /// Checks the values a peer could get wrong: identifiers, ranges, lengths.
            pub fn validate(&self) -> Result<(), SchemaError> {
                validate_meta(self.meta())?;
                match self { $( Object::$Variant(o) => o.validate(), )* }
            }

            /// The canonical MessagePack bytes of the object.
            pub fn encode(&self) -> Result<Vec<u8>, CodecError> {
                match self { $( Object::$Variant(o) => codec::encode($name, o), )* }
            }

            /// Decodes bytes as an object of `kind`.
            pub fn decode(kind: Kind, bytes: &[u8]) -> Result<Object, CodecError> {
                Ok(match kind {
                    $( Kind::$Variant => Object::$Variant(codec::decode::<$Variant>($name, bytes)?), )*
                })
            }
        }
    };
}

for_each_kind!(define_kinds);

impl Object {
    /// The node a directed object is for; `None` for public objects.
    pub fn addressee(&self) -> Option<&str> {
        match self.audience() {
            Audience::Public => None,
            Audience::Directed { to } => Some(to),
        }
    }
}

/// The fields every object carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// A ULID, unique across the federation.
    pub id: String,
    /// The public URL of the node that owns the object; only it may publish new versions.
    pub origin: String,
    /// Grows by at least one with every update.
    pub version: u64,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds.
    pub updated_at: i64,
}

impl Meta {
    /// The meta of the next version, updated at `now` (never before the last update);
    /// `None` when the version would pass [`MAX_VERSION`].
    pub fn next_version(&self, now: i64) -> Option<Meta> {
        let version = self.version.checked_add(1).filter(|v| *v <= MAX_VERSION)?;
        Some(Meta {
            version,
            updated_at: now.max(self.updated_at),
            ..self.clone()
        })
    }
}

/// A printing material a maker offers (facilities' printers, proposals).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Material {
    #[serde(rename = "PLA")]
    Pla,
    #[serde(rename = "PETG")]
    Petg,
    #[serde(rename = "ABS")]
    Abs,
    #[serde(rename = "ASA")]
    Asa,
    #[serde(rename = "TPU")]
    Tpu,
    #[serde(rename = "nylon")]
    Nylon,
}

/// Degrees to fixed point, rounding to the nearest step.
pub fn to_e7(degrees: f64) -> i32 {
    (degrees * COORD_SCALE).round() as i32
}

/// Fixed point back to degrees.
pub fn from_e7(value: i32) -> f64 {
    f64::from(value) / COORD_SCALE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_and_codes_are_unique_and_round_trip() {
        let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
        let mut codes: Vec<u8> = Kind::ALL.iter().map(|k| k.code()).collect();
        names.sort_unstable();
        names.dedup();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(names.len(), Kind::ALL.len());
        assert_eq!(codes.len(), Kind::ALL.len());
        for kind in Kind::ALL {
            assert_eq!(Kind::from_code(kind.code()), Some(*kind));
            // The serde name on the wire is the list's name.
            let json = format!("\"{}\"", kind.as_str());
            assert_eq!(serde_json::to_string(kind).unwrap(), json);
        }
        assert_eq!(Kind::from_code(0), None);
    }
}
