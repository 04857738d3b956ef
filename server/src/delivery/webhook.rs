//! Notices to webhook destinations: a Slack-compatible `{"text": …}`, or the generic JSON
//! document signed with HMAC-SHA256. Every request carries `X-Debrief-Delivery` (the
//! idempotency key: a repeat after a crash has the same one) and `X-Debrief-Event`; a generic
//! one also `X-Debrief-Timestamp` (Unix seconds) and
//! `X-Debrief-Signature: v1=<hex of HMAC-SHA256(secret, "{timestamp}.{body}")>`.
//!
//! A receiver verifies by computing the same HMAC over the timestamp, a dot and the raw body,
//! comparing in constant time, and refusing timestamps more than a few minutes old (a replay).

use app::domain::webhook::WebhookKind;
use app::server::entities::{outbox, webhook_destinations};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::email::{absolute, absolute_paths};

/// The signature header's value for `body` sent at `timestamp` under `secret`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    // An HMAC key may have any length: `new_from_slice` cannot fail for HMAC.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("v1={hex}")
}

/// The Slack-compatible payload: the subject and the absolute link.
pub fn slack_payload(row: &outbox::Model, public_url: &str) -> String {
    serde_json::json!({
        "text": format!("{}\n{}", row.subject, absolute(public_url, &row.link)),
    })
    .to_string()
}

/// The generic payload: the whole notice.
pub fn json_payload(row: &outbox::Model, public_url: &str) -> String {
    let data: serde_json::Value =
        serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null);
    serde_json::json!({
        "delivery": row.idempotency_key,
        "event": row.event,
        "subject": row.subject,
        "body": absolute_paths(public_url, &row.body),
        "link": absolute(public_url, &row.link),
        "data": data,
        "created_at": row.created_at.to_rfc3339(),
    })
    .to_string()
}

/// POSTs the delivery `row` to `destination`.
///
/// # Errors
/// The status of a non-2xx answer, or why no answer came (a timeout, a refused connection).
pub async fn send(
    client: &reqwest::Client,
    destination: &webhook_destinations::Model,
    row: &outbox::Model,
    public_url: &str,
    timestamp: i64,
) -> Result<(), String> {
    let kind = WebhookKind::parse(&destination.kind);
    let mut request = client
        .post(&destination.url)
        .header("content-type", "application/json")
        .header("x-debrief-delivery", &row.idempotency_key)
        .header("x-debrief-event", &row.event);
    let body = match kind {
        Some(WebhookKind::Slack) => slack_payload(row, public_url),
        _ => {
            let body = json_payload(row, public_url);
            let secret = destination.secret.as_deref().unwrap_or_default();
            request = request
                .header("x-debrief-timestamp", timestamp.to_string())
                .header("x-debrief-signature", sign(secret, timestamp, &body));
            body
        }
    };
    let response = request.body(body).send().await.map_err(|e| {
        if e.is_timeout() {
            "HTTP: no answer in time".to_owned()
        } else if e.is_connect() {
            format!("HTTP: cannot connect: {e}")
        } else {
            format!("HTTP: {e}")
        }
    })?;
    let status = response.status();
    if status.is_success() {
        Ok(())
    } else {
        let text: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(200)
            .collect();
        Err(format!("HTTP {status}: {text}")
            .trim_end_matches(": ")
            .to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_a_fixed_vector() {
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"topsecret",
        //   b"1764554400.{\"event\":\"published\"}", hashlib.sha256).hexdigest())'
        assert_eq!(
            sign("topsecret", 1_764_554_400, r#"{"event":"published"}"#),
            "v1=a9e35f38f2fe06a898699bacaa899908cc66cae9d9cee7c9fcefff765c5f9064"
        );
    }

    #[test]
    fn the_signature_changes_with_the_body_the_time_and_the_secret() {
        let s = sign("k", 1, "{}");
        assert_ne!(s, sign("k", 2, "{}"));
        assert_ne!(s, sign("k", 1, "{ }"));
        assert_ne!(s, sign("j", 1, "{}"));
    }
}
