//! The formats people's feed readers and calendars subscribe to: an RFC 5545 iCalendar writer
//! ([`ical`]) and an RFC 4287 Atom writer ([`atom`]), and the dates "on this day" looks at
//! ([`on_this_day`]). Pure text building: no I/O, nothing of `server` or `ui`.

pub mod atom;
pub mod ical;
pub mod on_this_day;
