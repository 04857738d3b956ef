//! Configuration from the environment, with defaults that start Debrief on an embedded SQLite
//! database at http://127.0.0.1:3000. A bad value is a one-line error naming the variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use app::server::proxies::TrustedProxies;

/// Everything the server needs to start.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `DEBRIEF_ADDR`: where to listen (default `127.0.0.1:3000`; port 0 picks a free port).
    pub addr: SocketAddr,
    /// `DEBRIEF_DATA_DIR`: where the embedded database lives (default `./data`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…` (default: `debrief.db` in the data directory).
    pub database_url: String,
    /// `LEPTOS_SITE_ROOT`: the built site (wasm, JS, CSS, assets) to serve (default `target/site`).
    pub site_root: String,
    /// `DEBRIEF_TRUSTED_PROXIES`: comma-separated IP addresses and CIDR ranges of the reverse
    /// proxies in front of Debrief (default: none). Only when the TCP peer is one of them is the
    /// client's address taken from `X-Forwarded-For` (its right-most entry that is not a trusted
    /// proxy); otherwise forwarded headers are ignored. Login limits count per client address.
    pub trusted_proxies: TrustedProxies,
    /// `DEBRIEF_OPS_TOKEN`: the bearer token a scraper must send for `GET /ops/metrics`
    /// (default: none, and the route answers 404). At least 32 visible ASCII characters
    /// without spaces, e.g. from `openssl rand -hex 32`.
    pub ops_token: Option<OpsToken>,
    /// How long requests, slow clients and a shutdown may take.
    pub limits: Limits,
    /// `DEBRIEF_DB_MAX_CONNECTIONS`: the most database connections this instance's pool opens
    /// (default: 10 on Postgres, 8 on SQLite). With several instances on one Postgres, their
    /// sum must stay below its `max_connections`.
    pub db_max_connections: Option<u32>,
    /// How notices reach people: SMTP, the public address, the delivery worker's pace (see
    /// [`crate::delivery::config`]).
    pub notify: crate::delivery::config::NotifyConfig,
    /// `DEBRIEF_REMINDER_INTERVAL_SECS`: how often the periodic task looks for reminders to
    /// write (daily digests of due follow-ups, postmortems not submitted; default 60).
    pub reminder_interval: Duration,
}

/// The operator's secret for `/ops/metrics`. Its `Debug` never shows it, so a logged
/// configuration cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct OpsToken(String);

impl OpsToken {
    /// The fewest characters a token may have.
    pub const MIN_LEN: usize = 32;

    /// A token of at least [`OpsToken::MIN_LEN`] visible ASCII characters (what fits in an
    /// `Authorization: Bearer` header as it is), without spaces.
    ///
    /// # Errors
    /// What is wrong with it, never the token itself.
    pub fn parse(token: &str) -> Result<Self, String> {
        let token = token.trim();
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            return Err(
                "the token must be visible ASCII characters without spaces, e.g. from `openssl rand -hex 32`"
                    .to_owned(),
            );
        }
        if token.len() < Self::MIN_LEN {
            return Err(format!(
                "the token has {} characters; it needs at least {}, e.g. from `openssl rand -hex 32`",
                token.len(),
                Self::MIN_LEN
            ));
        }
        Ok(OpsToken(token.to_owned()))
    }

    /// Whether `given` is this token, compared in constant time.
    pub fn matches(&self, given: &str) -> bool {
        app::server::password::same_secret(given, &self.0)
    }
}

impl std::fmt::Debug for OpsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpsToken(…)")
    }
}

/// Time limits that keep one slow request or client from holding the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `DEBRIEF_REQUEST_TIMEOUT_SECS`: how long a request may take to be answered (default 30);
    /// past it the caller gets a 503.
    pub request_timeout: Duration,
    /// `DEBRIEF_HEADER_READ_TIMEOUT_SECS`: how long a connection may take to send a request's
    /// headers, or stay idle between requests (default 30); then it is closed.
    pub header_read_timeout: Duration,
    /// `DEBRIEF_SHUTDOWN_GRACE_SECS`: how long requests in flight at SIGTERM or Ctrl-C may take
    /// to finish before the server exits anyway (default 20).
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout: Duration::from_secs(30),
            header_read_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(20),
        }
    }
}

/// A configuration value that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl Config {
    /// Reads the configuration from the process environment.
    ///
    /// # Errors
    /// When a variable is set to a value Debrief cannot use.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    ///
    /// # Errors
    /// When a variable is set to a value Debrief cannot use.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let addr = match lookup("DEBRIEF_ADDR") {
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
            Some(v) => v.trim().parse().map_err(|_| ConfigError {
                variable: "DEBRIEF_ADDR",
                problem: format!("{v:?} is not an address and port such as 127.0.0.1:3000"),
            })?,
        };
        let data_dir =
            PathBuf::from(lookup("DEBRIEF_DATA_DIR").unwrap_or_else(|| "data".to_owned()));
        let database_url = match lookup("DATABASE_URL") {
            None => format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("debrief.db").display()
            ),
            Some(url)
                if url.starts_with("sqlite:")
                    || url.starts_with("postgres://")
                    || url.starts_with("postgresql://") =>
            {
                url
            }
            Some(url) => {
                return Err(ConfigError {
                    variable: "DATABASE_URL",
                    problem: format!(
                        "{:?} is neither a sqlite:// nor a postgres:// URL",
                        url.split('@').next_back().unwrap_or_default()
                    ),
                });
            }
        };
        let site_root = lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned());
        let trusted_proxies = match lookup("DEBRIEF_TRUSTED_PROXIES") {
            None => TrustedProxies::default(),
            Some(list) => TrustedProxies::parse(&list).map_err(|problem| ConfigError {
                variable: "DEBRIEF_TRUSTED_PROXIES",
                problem,
            })?,
        };
        let ops_token = match lookup("DEBRIEF_OPS_TOKEN") {
            None => None,
            Some(token) => Some(OpsToken::parse(&token).map_err(|problem| ConfigError {
                variable: "DEBRIEF_OPS_TOKEN",
                problem,
            })?),
        };
        let defaults = Limits::default();
        let limits = Limits {
            request_timeout: seconds(
                &lookup,
                "DEBRIEF_REQUEST_TIMEOUT_SECS",
                defaults.request_timeout,
            )?,
            header_read_timeout: seconds(
                &lookup,
                "DEBRIEF_HEADER_READ_TIMEOUT_SECS",
                defaults.header_read_timeout,
            )?,
            shutdown_grace: seconds(
                &lookup,
                "DEBRIEF_SHUTDOWN_GRACE_SECS",
                defaults.shutdown_grace,
            )?,
        };
        let db_max_connections = match lookup("DEBRIEF_DB_MAX_CONNECTIONS") {
            None => None,
            Some(value) => Some(
                value
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=10_000).contains(n))
                    .ok_or_else(|| ConfigError {
                        variable: "DEBRIEF_DB_MAX_CONNECTIONS",
                        problem: format!("{value:?} is not a whole number from 1 to 10000"),
                    })?,
            ),
        };
        Ok(Config {
            addr,
            data_dir,
            database_url,
            site_root,
            trusted_proxies,
            ops_token,
            limits,
            db_max_connections,
            notify: crate::delivery::config::NotifyConfig::from_lookup(&lookup)?,
            reminder_interval: seconds(
                &lookup,
                "DEBRIEF_REMINDER_INTERVAL_SECS",
                Duration::from_secs(60),
            )?,
        })
    }

    /// Whether the database is an SQLite file inside the data directory (which must then exist).
    pub fn uses_data_dir(&self) -> bool {
        self.database_url.starts_with("sqlite:") && !self.database_url.contains(":memory:")
    }
}

/// A whole number of seconds from 1 to a day, or `default` when `variable` is not set.
fn seconds(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: Duration,
) -> Result<Duration, ConfigError> {
    up_to_a_day(lookup, variable, default, TimeUnit::Seconds)
}

/// The unit a duration variable is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TimeUnit {
    Seconds,
    Milliseconds,
}

/// A whole number of `unit`s from 1 to a day, or `default` when `variable` is not set.
pub(crate) fn up_to_a_day(
    lookup: &impl Fn(&str) -> Option<String>,
    variable: &'static str,
    default: Duration,
    unit: TimeUnit,
) -> Result<Duration, ConfigError> {
    let (name, per_day, of): (&str, u64, fn(u64) -> Duration) = match unit {
        TimeUnit::Seconds => ("seconds", 86_400, Duration::from_secs),
        TimeUnit::Milliseconds => ("milliseconds", 86_400_000, Duration::from_millis),
    };
    let Some(value) = lookup(variable) else {
        return Ok(default);
    };
    value
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| (1..=per_day).contains(n))
        .map(of)
        .ok_or_else(|| ConfigError {
            variable,
            problem: format!("{value:?} is not a whole number of {name} from 1 to {per_day}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_start_on_sqlite_at_port_3000() {
        let c = config(&[]).expect("defaults are valid");
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://data/debrief.db?mode=rwc");
    }

    #[test]
    fn a_bad_address_names_the_variable() {
        let e = config(&[("DEBRIEF_ADDR", "localhost")]).expect_err("not a socket address");
        assert_eq!(e.variable, "DEBRIEF_ADDR");
        assert!(e.to_string().starts_with("DEBRIEF_ADDR: "));
    }

    #[test]
    fn postgres_urls_are_accepted_and_others_refused_without_echoing_passwords() {
        assert!(config(&[("DATABASE_URL", "postgres://u:p@localhost/debrief")]).is_ok());
        let e = config(&[("DATABASE_URL", "mysql://u:secret@host/db")]).expect_err("unsupported");
        assert_eq!(e.variable, "DATABASE_URL");
        assert!(!e.to_string().contains("secret"));
    }

    #[test]
    fn trusted_proxies_are_none_by_default_and_parse_from_a_comma_list() {
        assert!(config(&[]).expect("defaults").trusted_proxies.is_empty());
        let c = config(&[("DEBRIEF_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1,::1")])
            .expect("addresses and ranges");
        for trusted in ["10.2.3.4", "127.0.0.1", "::1"] {
            assert!(
                c.trusted_proxies.trusts(trusted.parse().unwrap()),
                "{trusted}"
            );
        }
        assert!(!c.trusted_proxies.trusts("192.168.0.1".parse().unwrap()));
    }

    #[test]
    fn a_bad_trusted_proxy_names_the_variable_and_the_entry() {
        for bad in ["10.0.0.0/8, proxy.internal", "10.0.0.0/40", "*"] {
            let e = config(&[("DEBRIEF_TRUSTED_PROXIES", bad)]).expect_err(bad);
            assert_eq!(e.variable, "DEBRIEF_TRUSTED_PROXIES");
            assert!(
                e.to_string().starts_with("DEBRIEF_TRUSTED_PROXIES: "),
                "{e}"
            );
        }
        let e = config(&[("DEBRIEF_TRUSTED_PROXIES", "10.0.0.1, proxy.internal")])
            .expect_err("a host name");
        assert!(e.to_string().contains("\"proxy.internal\""), "{e}");
    }

    #[test]
    fn time_limits_have_defaults_and_read_whole_seconds() {
        assert_eq!(config(&[]).expect("defaults").limits, Limits::default());
        let c = config(&[
            ("DEBRIEF_REQUEST_TIMEOUT_SECS", "5"),
            ("DEBRIEF_HEADER_READ_TIMEOUT_SECS", "2"),
            ("DEBRIEF_SHUTDOWN_GRACE_SECS", " 7 "),
        ])
        .expect("valid");
        assert_eq!(c.limits.request_timeout, Duration::from_secs(5));
        assert_eq!(c.limits.header_read_timeout, Duration::from_secs(2));
        assert_eq!(c.limits.shutdown_grace, Duration::from_secs(7));
        for bad in ["0", "-1", "1.5", "soon"] {
            let e = config(&[("DEBRIEF_SHUTDOWN_GRACE_SECS", bad)]).expect_err(bad);
            assert_eq!(e.variable, "DEBRIEF_SHUTDOWN_GRACE_SECS");
        }
    }

    #[test]
    fn the_ops_token_is_off_by_default_and_a_weak_one_is_refused_without_being_echoed() {
        assert_eq!(config(&[]).expect("defaults").ops_token, None);
        let good = "0123456789abcdef0123456789abcdef";
        let c = config(&[("DEBRIEF_OPS_TOKEN", &format!(" {good}\n"))]).expect("a long token");
        let token = c.ops_token.as_ref().expect("set");
        assert!(token.matches(good));
        assert!(!token.matches("0123456789abcdef0123456789abcdeF"));
        assert!(!token.matches(""));
        assert!(!format!("{c:?}").contains(good), "Debug hides the token");
        for bad in [
            "short-secret-1234",
            "0123456789abcdef 0123456789abcdef",
            "0123456789abcdef0123456789abcdé",
        ] {
            let e = config(&[("DEBRIEF_OPS_TOKEN", bad)]).expect_err(bad);
            assert_eq!(e.variable, "DEBRIEF_OPS_TOKEN");
            assert!(e.to_string().starts_with("DEBRIEF_OPS_TOKEN: "), "{e}");
            assert!(!e.to_string().contains(bad), "the token is not echoed: {e}");
        }
    }

    #[test]
    fn the_pool_size_is_the_drivers_default_unless_set_to_a_whole_number() {
        assert_eq!(config(&[]).expect("defaults").db_max_connections, None);
        let c = config(&[("DEBRIEF_DB_MAX_CONNECTIONS", " 20 ")]).expect("valid");
        assert_eq!(c.db_max_connections, Some(20));
        for bad in ["0", "-1", "many", "1.5"] {
            let e = config(&[("DEBRIEF_DB_MAX_CONNECTIONS", bad)]).expect_err(bad);
            assert_eq!(e.variable, "DEBRIEF_DB_MAX_CONNECTIONS");
        }
    }

    #[test]
    fn the_data_dir_moves_the_default_database() {
        let c = config(&[("DEBRIEF_DATA_DIR", "/var/lib/debrief")]).expect("valid");
        assert_eq!(
            c.database_url,
            "sqlite:///var/lib/debrief/debrief.db?mode=rwc"
        );
    }
}
