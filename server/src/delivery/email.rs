//! Notices by email: a message with a plain-text part and an HTML part (built from the notice's
//! plain text, escaped, never from stored markup), the absolute link back to the page, and the
//! delivery's idempotency key as `X-Debrief-Delivery` and, hashed, as its `Message-ID`, so a
//! message sent again after a crash can be recognised as a repeat.

use std::time::Duration;

use app::server::entities::outbox;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::{Digest, Sha256};

use super::config::Smtp;

/// The SMTP connection settings and the sender.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// A mailer for `smtp`, giving each SMTP command `timeout`.
    ///
    /// # Errors
    /// When the URL cannot be used (the configuration checked it already).
    pub fn new(smtp: &Smtp, timeout: Duration) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp.url)
            .map_err(|e| format!("DEBRIEF_SMTP_URL: {e}"))?
            .timeout(Some(timeout))
            .build();
        Ok(Mailer {
            transport,
            from: smtp.from.clone(),
        })
    }

    /// Sends the email delivery `row` to its recipient.
    ///
    /// # Errors
    /// What went wrong (the SMTP server's answer, a timeout), for the outbox's `last_error`.
    pub async fn send(&self, row: &outbox::Model, public_url: &str) -> Result<(), String> {
        let message = message(&self.from, row, public_url)?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// The email of one delivery.
///
/// # Errors
/// When the recipient's address cannot be used.
pub fn message(from: &Mailbox, row: &outbox::Model, public_url: &str) -> Result<Message, String> {
    let to: Mailbox = row
        .recipient
        .parse()
        .map_err(|_| format!("{:?} is not an email address", row.recipient))?;
    let link = absolute(public_url, &row.link);
    let body = absolute_paths(public_url, &row.body);
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(message_id(&row.idempotency_key, public_url)))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Debrief-Delivery"),
            row.idempotency_key.clone(),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("X-Debrief-Event"),
            row.event.clone(),
        ))
        .multipart(MultiPart::alternative_plain_html(
            text_part(&body, &link),
            html_part(&row.subject, &body, &link),
        ))
        .map_err(|e| format!("building the message: {e}"))
}

/// `link` (a path on this Debrief) as an address people can open.
pub fn absolute(public_url: &str, link: &str) -> String {
    if link.starts_with("http://") || link.starts_with("https://") {
        link.to_owned()
    } else {
        format!("{public_url}/{}", link.trim_start_matches('/'))
    }
}

/// The paths of Debrief's pages in a notice's text (a digest lists each follow-up's), each
/// preceded by the start or a blank, as addresses people can open: `see /incidents/4.` becomes
/// `see https://debrief.example.com/incidents/4.`.
pub fn absolute_paths(public_url: &str, text: &str) -> String {
    const PAGES: &str = "/incidents/";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(PAGES) {
        let starts_word = rest[..at]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        out.push_str(&rest[..at]);
        if starts_word {
            out.push_str(public_url.trim_end_matches('/'));
        }
        out.push_str(PAGES);
        rest = &rest[at + PAGES.len()..];
    }
    out.push_str(rest);
    out
}

/// A `Message-ID` derived from the idempotency key: the same delivery always has the same one.
pub fn message_id(key: &str, public_url: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let host = public_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', ':']).next())
        .filter(|h| !h.is_empty())
        .unwrap_or("debrief.invalid");
    format!("<{hex}@{host}>")
}

/// The plain-text part: the notice's text and the link.
pub fn text_part(body: &str, link: &str) -> String {
    format!("{}\n\nOpen it in Debrief: {link}\n", body.trim_end())
}

/// The HTML part: each paragraph of the notice's plain text, escaped, and the link.
pub fn html_part(subject: &str, body: &str, link: &str) -> String {
    let paragraphs: String = body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>\n", escape(p.trim()).replace('\n', "<br>\n")))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n{paragraphs}<p><a href=\"{}\">Open it in Debrief</a></p>\n</body></html>\n",
        escape(subject),
        escape(link)
    )
}

/// Text made safe inside HTML elements and quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_part_escapes_the_notice_and_links_back() {
        let html = html_part(
            "Review <now>",
            "Ada wrote <script>alert(1)</script>\n\nSecond & last",
            "https://debrief.example.com/incidents/12?a=1&b=\"2\"",
        );
        assert!(html.contains("<p>Ada wrote &lt;script&gt;alert(1)&lt;/script&gt;</p>"));
        assert!(html.contains("<p>Second &amp; last</p>"));
        assert!(html.contains(
            "<a href=\"https://debrief.example.com/incidents/12?a=1&amp;b=&quot;2&quot;\">"
        ));
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn a_path_becomes_an_absolute_link_under_the_public_url() {
        assert_eq!(
            absolute("https://debrief.example.com", "/incidents/12"),
            "https://debrief.example.com/incidents/12"
        );
        assert_eq!(
            absolute("https://x.example", "https://y.example/a"),
            "https://y.example/a"
        );
    }

    #[test]
    fn the_pages_named_in_a_notices_text_become_absolute_links() {
        let url = "https://debrief.example.com";
        assert_eq!(
            absolute_paths(
                url,
                "- Alert (due 2026-12-03) — from “Login outage”: /incidents/1/follow-ups/1\n/incidents/4."
            ),
            "- Alert (due 2026-12-03) — from “Login outage”: https://debrief.example.com/incidents/1/follow-ups/1\nhttps://debrief.example.com/incidents/4."
        );
        // Only a path that starts a word: an address already whole, or a path inside another
        // word, stays as it is.
        for kept in [
            "https://other.example/incidents/3",
            "see a/incidents/3",
            "no link here",
        ] {
            assert_eq!(absolute_paths(url, kept), kept);
        }
    }

    #[test]
    fn the_message_id_is_the_same_for_the_same_delivery_only() {
        let a = message_id("k:email:1", "https://debrief.example.com");
        assert_eq!(a, message_id("k:email:1", "https://debrief.example.com"));
        assert_ne!(a, message_id("k:email:2", "https://debrief.example.com"));
        assert!(
            a.starts_with('<') && a.ends_with("@debrief.example.com>"),
            "{a}"
        );
    }
}
