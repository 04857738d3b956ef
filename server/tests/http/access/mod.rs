//! Who may do what, over HTTP against the real server: every server function called by every
//! role (one table, checked to cover every registered function), the session cookie and how
//! sessions end, forms posted from other sites, and what viewers can see.
//!
//! The rules are in `app/src/api/access.rs`. In short: anonymous callers get 401 from everything
//! but the public and self-service functions; viewers read published postmortems only (anything
//! else is 404 to them); authors and up write postmortems that are draft or have changes
//! requested, and follow-ups on any postmortem they can read; `users/*` but `users/people` is
//! for admins.

mod csrf;
mod fixture;
mod form_state;
mod login_limits;
mod redirects;
mod sessions;
mod setup;
mod support;
mod table;
mod viewers;
