//! The delivery settings, from the environment (read with the rest of [`crate::config`]):
//!
//! - `DEBRIEF_SMTP_URL`: the SMTP server, `smtp://user:password@host:587?tls=required`
//!   (STARTTLS), `smtps://user:password@host:465` (TLS from the start) or `smtp://host:25`
//!   (plain, for a relay on the same host). Unset: email is off (see [`crate::delivery`]).
//! - `DEBRIEF_MAIL_FROM`: the sender, `Debrief <debrief@example.com>`; required with SMTP.
//! - `DEBRIEF_PUBLIC_URL`: the address people open Debrief at (`https://debrief.example.com`),
//!   which makes a notice's link absolute; default `http://` and the listening address.
//! - `DEBRIEF_NOTIFY_POLL_MS`: how often the worker looks for due deliveries (default 5000).
//! - `DEBRIEF_NOTIFY_MAX_ATTEMPTS`: tries before a delivery is given up on (default 8).
//! - `DEBRIEF_NOTIFY_RETRY_MS`: the wait after the first failed try, doubled after each
//!   further one up to an hour (default 30000).

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};

use crate::config::ConfigError;

/// How notices are delivered.
#[derive(Clone, Debug, PartialEq)]
pub struct NotifyConfig {
    /// The SMTP server and sender; `None` when email is off.
    pub smtp: Option<Smtp>,
    /// The address people open, without a trailing slash; `None` for `http://` and the
    /// listening address.
    pub public_url: Option<String>,
    pub poll: Duration,
    pub max_attempts: u32,
    pub retry_base: Duration,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            smtp: None,
            public_url: None,
            poll: Duration::from_secs(5),
            max_attempts: 8,
            retry_base: Duration::from_secs(30),
        }
    }
}

/// An SMTP server and the sender. Its `Debug` never shows the URL (it may hold a password).
#[derive(Clone, PartialEq)]
pub struct Smtp {
    pub url: String,
    pub from: Mailbox,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Smtp {{ url: …, from: {} }}", self.from)
    }
}

impl Smtp {
    /// Checks an SMTP URL and a sender.
    ///
    /// # Errors
    /// Which variable is wrong, never the URL's password.
    pub fn parse(url: &str, from: Option<&str>) -> Result<Self, ConfigError> {
        let url = url.trim();
        AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| ConfigError {
            variable: "DEBRIEF_SMTP_URL",
            problem: format!(
                "not an SMTP URL such as smtp://user:password@mail.example.com:587?tls=required ({})",
                e.to_string().replace(url, "…")
            ),
        })?;
        let from = from.ok_or_else(|| ConfigError {
            variable: "DEBRIEF_MAIL_FROM",
            problem:
                "required with DEBRIEF_SMTP_URL: the sender, such as Debrief <debrief@example.com>"
                    .to_owned(),
        })?;
        let from = from.trim().parse::<Mailbox>().map_err(|_| ConfigError {
            variable: "DEBRIEF_MAIL_FROM",
            problem: format!("{from:?} is not an address such as Debrief <debrief@example.com>"),
        })?;
        Ok(Smtp {
            url: url.to_owned(),
            from,
        })
    }
}

impl NotifyConfig {
    /// Reads the delivery settings through `lookup`.
    ///
    /// # Errors
    /// When a variable is set to a value Debrief cannot use.
    pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let defaults = NotifyConfig::default();
        let smtp = match lookup("DEBRIEF_SMTP_URL") {
            None => None,
            Some(url) => Some(Smtp::parse(&url, lookup("DEBRIEF_MAIL_FROM").as_deref())?),
        };
        let public_url = match lookup("DEBRIEF_PUBLIC_URL") {
            None => None,
            Some(url) => Some(public_url(&url)?),
        };
        let poll = millis(lookup, "DEBRIEF_NOTIFY_POLL_MS", defaults.poll)?;
        let retry_base = millis(lookup, "DEBRIEF_NOTIFY_RETRY_MS", defaults.retry_base)?;
        let max_attempts = match lookup("DEBRIEF_NOTIFY_MAX_ATTEMPTS") {
            None => defaults.max_attempts,
            Some(value) => value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| ConfigError {
                    variable: "DEBRIEF_NOTIFY_MAX_ATTEMPTS",
                    problem: format!("{value:?} is not a whole number from 1 to 100"),
                })?,
        };
        Ok(NotifyConfig {
            smtp,
            public_url,
            poll,
            max_attempts,
            retry_base,
        })
    }
}

/// An absolute `http(s)://` address without a trailing slash.
fn public_url(value: &str) -> Result<String, ConfigError> {
    let url = value.trim().trim_end_matches('/');
    match app::domain::form::parse_link(url) {
        Ok(Some(url)) if !url[url.find("://").map_or(0, |at| at + 3)..].contains(['?', '#']) => {
            Ok(url)
        }
        _ => Err(ConfigError {
            variable: "DEBRIEF_PUBLIC_URL",
            problem: format!(
                "{value:?} is not an address such as https://debrief.example.com (http:// or https://, no query)"
            ),
        }),
    }
}

/// A whole number of milliseconds from 1 to a day, or `default` when `variable` is not set.
fn millis(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: Duration,
) -> Result<Duration, ConfigError> {
    crate::config::up_to_a_day(
        lookup,
        variable,
        default,
        crate::config::TimeUnit::Milliseconds,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<NotifyConfig, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        NotifyConfig::from_lookup(&|k: &str| map.get(k).cloned())
    }

    #[test]
    fn email_is_off_by_default_and_delivery_has_defaults() {
        assert_eq!(config(&[]).expect("defaults"), NotifyConfig::default());
    }

    #[test]
    fn an_smtp_url_with_a_sender_turns_email_on_without_showing_the_password() {
        let c = config(&[
            (
                "DEBRIEF_SMTP_URL",
                "smtp://debrief:hunter2@mail.example.com:587?tls=required",
            ),
            ("DEBRIEF_MAIL_FROM", "Debrief <debrief@example.com>"),
        ])
        .expect("valid");
        let smtp = c.smtp.expect("on");
        assert_eq!(smtp.from.email.to_string(), "debrief@example.com");
        assert!(!format!("{smtp:?}").contains("hunter2"));
    }

    #[test]
    fn a_bad_mail_setting_names_its_variable() {
        let e = config(&[("DEBRIEF_SMTP_URL", "smtp://mail.example.com")]).expect_err("no sender");
        assert_eq!(e.variable, "DEBRIEF_MAIL_FROM");
        let e = config(&[
            ("DEBRIEF_SMTP_URL", "http://u:hunter2@mail.example.com"),
            ("DEBRIEF_MAIL_FROM", "debrief@example.com"),
        ])
        .expect_err("not smtp");
        assert_eq!(e.variable, "DEBRIEF_SMTP_URL");
        assert!(!e.to_string().contains("hunter2"), "{e}");
        let e = config(&[
            ("DEBRIEF_SMTP_URL", "smtp://mail.example.com"),
            ("DEBRIEF_MAIL_FROM", "not an address"),
        ])
        .expect_err("bad sender");
        assert_eq!(e.variable, "DEBRIEF_MAIL_FROM");
    }

    #[test]
    fn the_public_url_loses_its_trailing_slash_and_must_be_http() {
        let c = config(&[("DEBRIEF_PUBLIC_URL", "https://debrief.example.com/")]).expect("valid");
        assert_eq!(c.public_url.as_deref(), Some("https://debrief.example.com"));
        for bad in ["debrief.example.com", "ftp://x", "https://x/?a=1"] {
            let e = config(&[("DEBRIEF_PUBLIC_URL", bad)]).expect_err(bad);
            assert_eq!(e.variable, "DEBRIEF_PUBLIC_URL");
        }
    }

    #[test]
    fn poll_retry_and_attempts_read_whole_numbers() {
        let c = config(&[
            ("DEBRIEF_NOTIFY_POLL_MS", "50"),
            ("DEBRIEF_NOTIFY_RETRY_MS", "100"),
            ("DEBRIEF_NOTIFY_MAX_ATTEMPTS", "3"),
        ])
        .expect("valid");
        assert_eq!(c.poll, Duration::from_millis(50));
        assert_eq!(c.retry_base, Duration::from_millis(100));
        assert_eq!(c.max_attempts, 3);
        for (variable, bad) in [
            ("DEBRIEF_NOTIFY_POLL_MS", "0"),
            ("DEBRIEF_NOTIFY_RETRY_MS", "soon"),
            ("DEBRIEF_NOTIFY_MAX_ATTEMPTS", "0"),
        ] {
            assert_eq!(
                config(&[(variable, bad)]).expect_err(bad).variable,
                variable
            );
        }
    }
}
