//! Where the server's log lines go and what they look like: `tracing` events on stderr, as
//! readable text by default or, with `DEBRIEF_LOG_FORMAT=json`, as one JSON object per line
//! (`timestamp`, `level`, `target`, `message` and each field of the event by name), for a log
//! collector. `RUST_LOG` filters as usual.
//!
//! The JSON is written here rather than by tracing-subscriber's `json` feature, whose
//! dependency is not in this build's tree.

use std::fmt;

use serde_json::{Map, Value};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::registry::LookupSpan;

/// The filter when `RUST_LOG` is not set.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn";

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// For a person reading a terminal.
    Text,
    /// One JSON object per line.
    Json,
}

impl LogFormat {
    /// `DEBRIEF_LOG_FORMAT`: `json`, or `text` (the default).
    ///
    /// # Errors
    /// A message naming the variable for any other value.
    pub fn parse(value: Option<&str>) -> Result<Self, String> {
        match value.map(str::trim) {
            None | Some("" | "text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!(
                "DEBRIEF_LOG_FORMAT: {other:?} is neither \"text\" nor \"json\""
            )),
        }
    }
}

/// A subscriber that writes `format` lines through `writer`, keeping events `filter` lets
/// through. `main` installs one on stderr; tests install one on a buffer.
pub fn subscriber<W>(
    format: LogFormat,
    filter: EnvFilter,
    writer: W,
) -> Box<dyn Subscriber + Send + Sync + 'static>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        LogFormat::Text => Box::new(builder.finish()),
        LogFormat::Json => Box::new(builder.event_format(JsonLines).finish()),
    }
}

/// Installs the process's subscriber: `DEBRIEF_LOG_FORMAT` on stderr, filtered by `RUST_LOG`.
///
/// # Errors
/// When `DEBRIEF_LOG_FORMAT` has a value it does not know.
pub fn init_from_env() -> Result<(), String> {
    let format = LogFormat::parse(std::env::var("DEBRIEF_LOG_FORMAT").ok().as_deref())?;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    tracing::subscriber::set_global_default(subscriber(format, filter, std::io::stderr))
        .map_err(|e| format!("installing the log subscriber: {e}"))
}

/// Writes each event as one JSON object on one line.
pub struct JsonLines;

impl<S, N> FormatEvent<S, N> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let meta = event.metadata();
        let mut object = Map::new();
        object.insert(
            "timestamp".into(),
            Value::String(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)),
        );
        object.insert("level".into(), Value::String(meta.level().to_string()));
        object.insert("target".into(), Value::String(meta.target().to_owned()));
        event.record(&mut Fields(&mut object));
        let line = serde_json::to_string(&Value::Object(object)).map_err(|_| fmt::Error)?;
        writeln!(writer, "{line}")
    }
}

/// Collects an event's fields into a JSON object, numbers and booleans as themselves.
struct Fields<'a>(&'a mut Map<String, Value>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().to_owned(), Value::String(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0
            .insert(field.name().to_owned(), Value::String(value.to_owned()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), Value::from(value));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        self.0
            .insert(field.name().to_owned(), Value::String(value.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::Error::other("poisoned"))?
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn json_lines_carry_the_message_and_each_field_by_name() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = subscriber(LogFormat::Json, EnvFilter::new("info"), move || {
            writer.clone()
        });
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(target: "debrief::request", route = "/incidents/{id}", status = 200u16, latency_ms = 3u64, "GET \"quoted\"");
        });
        let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        let line: Value = serde_json::from_str(text.trim()).expect("one JSON object");
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["target"], "debrief::request");
        assert_eq!(line["message"], "GET \"quoted\"");
        assert_eq!(line["route"], "/incidents/{id}");
        assert_eq!(line["status"], 200);
        assert_eq!(line["latency_ms"], 3);
        assert_eq!(text.lines().count(), 1);
    }

    #[test]
    fn the_log_format_is_text_unless_json_is_asked_for() {
        assert_eq!(LogFormat::parse(None), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("json")), Ok(LogFormat::Json));
        assert!(
            LogFormat::parse(Some("yaml"))
                .unwrap_err()
                .starts_with("DEBRIEF_LOG_FORMAT: ")
        );
    }
}
