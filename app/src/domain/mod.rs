//! The rules of Debrief: incidents, their milestones and timelines, impact figures, the changes
//! that set them off, and the follow-up actions that come out of a review.
//!
//! Everything here is pure data and pure functions, compiled for both the server and the
//! browser. This module owns the rules (what a valid time, milestone order or follow-up
//! transition is) and imports nothing of `api`, `server` or `ui`: they depend on it, never the
//! other way round. No I/O, no clock reads, no database types.

/// Declares a fieldless enum with the four things every domain enum has: `ALL` (in the order
/// forms list the values), `as_str` (the stable snake_case name stored in the database and sent
/// as an HTML form value, also used by serde), `parse` (its inverse) and `label` (what a person
/// reads, also its `Display`); and implements [`form::Choice`] so generic form code can list
/// and read the values.
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident = ($stored:literal, $label:literal),
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $(
                $(#[$variant_meta])*
                #[serde(rename = $stored)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in the order a form lists them.
            pub const ALL: [Self; [$($stored),+].len()] = [$(Self::$variant),+];

            /// The stable snake_case name stored in the database and used as an HTML form value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $stored,)+
                }
            }

            /// Reads a name written by [`Self::as_str`] (surrounding spaces ignored); `None` for
            /// anything else.
            pub fn parse(value: &str) -> Option<Self> {
                match value.trim() {
                    $($stored => Some(Self::$variant),)+
                    _ => None,
                }
            }

            /// What a person reads.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }
        }

        impl crate::domain::form::Choice for $name {
            fn all() -> &'static [Self] {
                &Self::ALL
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
            fn parse(value: &str) -> Option<Self> {
                $name::parse(value)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

pub mod account;
pub mod blameless;
pub mod change;
pub mod comment;
pub mod csv;
pub mod example;
pub mod export;
pub mod factor;
pub mod feeds;
pub mod follow_up;
pub mod form;
pub mod history;
pub mod impact;
pub mod incident;
pub mod integration;
pub mod library;
pub mod login_limit;
pub mod mentor_note;
pub mod metrics;
pub mod notify;
pub mod participant;
pub mod published;
pub mod redirect;
pub mod relation;
pub mod review;
pub mod review_group;
pub mod search;
pub mod share;
pub mod template;
pub mod text;
pub mod time;
pub mod timeline;
pub mod timeline_checks;
pub mod webhook;

#[cfg(test)]
mod proptests;
