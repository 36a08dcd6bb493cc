//! The [`ObjectKind`] impls that kinds of one shape share, written once: each kind's file
//! calls one of these with what is its own (parent, checks). Defined before the kinds'
//! modules, which see them by textual scope.

/// The [`ObjectKind`] impl of a directed kind whose addressee is its `addressee` field (the
/// health kinds): `parent` and the checks of its own fields are given, the addressee is
/// checked to be an origin.
macro_rules! directed_kind {
    ($Kind:ident, parent($p:ident) => $parent:expr, validate($v:ident) => $checks:block) => {
        impl ObjectKind for $Kind {
            fn meta(&self) -> &Meta {
                &self.meta
            }

            fn audience(&self) -> Audience<'_> {
                Audience::Directed {
                    to: &self.addressee,
                }
            }

            fn parent(&self) -> Option<&str> {
                let $p = self;
                $parent
            }

            fn validate(&self) -> Result<(), SchemaError> {
                let $v = self;
                check_origin("addressee", &$v.addressee)?;
                $checks
            }
        }
    };
}

/// The [`ObjectKind`] impl of a public kind: relayed to every peer and served by pull, so
/// its audience is [`Audience::Public`]; `parent` and the checks of its own fields are given.
macro_rules! public_kind {
    ($Kind:ident, parent($p:pat) => $parent:expr, validate($v:ident) => $checks:block) => {
        impl ObjectKind for $Kind {
            fn meta(&self) -> &Meta {
                &self.meta
            }

            fn audience(&self) -> Audience<'_> {
                Audience::Public
            }

            fn parent(&self) -> Option<&str> {
                let $p = self;
                $parent
            }

            fn validate(&self) -> Result<(), SchemaError> {
                let $v = self;
                $checks
            }
        }
    };
}

/// `place()` of a sealed kind whose associated data has no `extra`.
macro_rules! sealed_place {
    ($Kind:ident) => {
        impl $Kind {
            /// Where its sealed content belongs (docs/protocol.md §9.6).
            pub fn place(&self) -> crate::health_seal::Place {
                crate::health_seal::Place::new(Kind::$Kind, &self.meta.id, &self.addressee)
            }
        }
    };
}
