//! A small iCalendar (RFC 5545) writer for all-day events: TEXT values escaped (`\`, `;`, `,`,
//! newlines), lines ended with CRLF and folded at 75 octets without splitting a UTF-8
//! character.

use chrono::{DateTime, Days, NaiveDate, Utc};

/// One all-day event.
#[derive(Clone, Debug, PartialEq)]
pub struct AllDayEvent {
    /// Stable across downloads, so a calendar updates the event rather than adding another.
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
    /// An absolute address to open it at.
    pub url: String,
}

/// The longest a content line may be, in octets, before its CRLF.
const LINE_OCTETS: usize = 75;

/// A calendar named `name` holding `events`, stamped `now`.
pub fn calendar(name: &str, now: DateTime<Utc>, events: &[AllDayEvent]) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    let mut line = |l: String| out.push_str(&fold(&l));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Debrief//Follow-ups//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    for event in events {
        let next_day = event
            .date
            .checked_add_days(Days::new(1))
            .unwrap_or(event.date);
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&event.uid)));
        line(format!("DTSTAMP:{stamp}"));
        line(format!(
            "DTSTART;VALUE=DATE:{}",
            event.date.format("%Y%m%d")
        ));
        line(format!("DTEND;VALUE=DATE:{}", next_day.format("%Y%m%d")));
        line(format!("SUMMARY:{}", escape_text(&event.summary)));
        line(format!("DESCRIPTION:{}", escape_text(&event.description)));
        line(format!("URL:{}", uri(&event.url)));
        line("TRANSP:TRANSPARENT".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// A TEXT value: backslash, semicolon and comma escaped, each line break written as `\n`,
/// other control characters (which TEXT may not hold) left out.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value: no escaping in iCalendar, so anything that could end or break the line goes.
fn uri(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// One content line, folded: at most 75 octets per physical line, each continuation begun with
/// a space, never splitting a character; every physical line ended with CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / LINE_OCTETS * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > LINE_OCTETS {
            out.push_str("\r\n ");
            // The space counts towards the continuation line's 75.
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_backslash_semicolon_comma_and_newlines() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
    }

    #[test]
    fn text_leaves_out_control_characters() {
        assert_eq!(escape_text("bell\u{7}\u{0}end\ttab"), "bellend tab");
    }

    #[test]
    fn a_short_line_is_not_folded_and_ends_with_crlf() {
        assert_eq!(fold("SUMMARY:short"), "SUMMARY:short\r\n");
        let exactly = "x".repeat(75);
        assert_eq!(fold(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_with_a_leading_space() {
        let folded = fold(&"y".repeat(200));
        let lines: Vec<&str> = folded.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(lines.iter().all(|l| l.len() <= 75), "{lines:?}");
        assert_eq!(lines[0].len(), 75);
        assert!(lines[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = folded.replace("\r\n ", "").replace("\r\n", "");
        assert_eq!(unfolded, "y".repeat(200));
    }

    #[test]
    fn folding_never_splits_a_utf8_character() {
        // 3-octet characters after one ASCII octet: 75 is not a multiple of the boundary.
        let line = format!("S{}", "€".repeat(60));
        let folded = fold(&line);
        for physical in folded.split("\r\n") {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }

    #[test]
    fn a_calendar_has_one_all_day_event_per_item_with_crlf_lines() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T09:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let event = AllDayEvent {
            uid: "follow-up-7@debrief".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            summary: "Overdue: Lower the default, concurrency".into(),
            description: "Logins failed; for a minute".into(),
            url: "http://debrief.example/incidents/1/follow-ups/7".into(),
        };
        let text = calendar("My follow-ups", now, &[event]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "only CRLF ends");
        assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 1);
        assert!(text.contains("DTSTART;VALUE=DATE:20261231\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20270101\r\n"));
        assert!(text.contains("DTSTAMP:20261201T093000Z\r\n"));
        assert!(text.contains("SUMMARY:Overdue: Lower the default\\, concurrency\r\n"));
        assert!(text.contains("DESCRIPTION:Logins failed\\; for a minute\r\n"));
        assert!(text.contains("UID:follow-up-7@debrief\r\n"));
    }
}
