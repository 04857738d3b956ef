//! Receivers that notification tests deliver to, started by the test on 127.0.0.1:0: a small
//! SMTP server that records each message (and can be told to refuse them), and an HTTP receiver
//! that records each request (and can be told to answer with an error status).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message the SMTP sink accepted.
#[derive(Clone, Debug)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    /// The message as sent (headers and body), dot-unstuffed, quoted-printable decoded.
    pub data: String,
}

#[derive(Default)]
struct SmtpLog {
    accepted: Vec<Mail>,
    /// When each `MAIL FROM` came, accepted or refused: one per delivery attempt.
    attempts: Vec<Instant>,
    /// The reply to `MAIL FROM` while failing (e.g. "451 4.3.0 try later").
    failing: Option<String>,
}

/// A local SMTP server: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    log: Arc<Mutex<SmtpLog>>,
}

impl SmtpSink {
    /// Starts it on a free port; it runs as long as the test's runtime.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("an address").port();
        let log = Arc::new(Mutex::new(SmtpLog::default()));
        let shared = log.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, shared.clone()));
            }
        });
        SmtpSink { port, log }
    }

    /// `DEBRIEF_SMTP_URL` for it (plain SMTP, no TLS).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Refuses every message with `reply` (a full SMTP reply line), or accepts again (`None`).
    pub fn fail_with(&self, reply: Option<&str>) {
        self.log.lock().unwrap().failing = reply.map(str::to_owned);
    }

    /// The messages accepted so far.
    pub fn messages(&self) -> Vec<Mail> {
        self.log.lock().unwrap().accepted.clone()
    }

    /// When each delivery attempt (`MAIL FROM`) came.
    pub fn attempts(&self) -> Vec<Instant> {
        self.log.lock().unwrap().attempts.clone()
    }

    /// Waits (up to `within`) until at least `n` messages were accepted; returns them all.
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Mail> {
        let started = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= n || started.elapsed() > within {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn session(stream: tokio::net::TcpStream, log: Arc<Mutex<SmtpLog>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let mut from = String::new();
    let mut to = Vec::new();
    if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply: String = if upper.starts_with("EHLO") {
            "250-sink\r\n250 8BITMIME\r\n".to_owned()
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            "250 OK\r\n".to_owned()
        } else if upper.starts_with("RSET") {
            from.clear();
            to.clear();
            "250 OK\r\n".to_owned()
        } else if upper.starts_with("MAIL FROM:") {
            let mut log = log.lock().unwrap();
            log.attempts.push(Instant::now());
            match &log.failing {
                Some(reply) => format!("{reply}\r\n"),
                None => {
                    from = address(&line["MAIL FROM:".len()..]);
                    "250 OK\r\n".to_owned()
                }
            }
        } else if upper.starts_with("RCPT TO:") {
            to.push(address(&line["RCPT TO:".len()..]));
            "250 OK\r\n".to_owned()
        } else if upper == "DATA" {
            if write.write_all(b"354 go on\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line == "." {
                    break;
                }
                let line = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(line);
                data.push('\n');
            }
            log.lock().unwrap().accepted.push(Mail {
                from: std::mem::take(&mut from),
                to: std::mem::take(&mut to),
                data: decode_quoted_printable(&data),
            });
            "250 OK queued\r\n".to_owned()
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            "502 not implemented\r\n".to_owned()
        };
        if write.write_all(reply.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// `<a@b>` (with any parameters after it) as `a@b`.
fn address(arg: &str) -> String {
    let arg = arg.trim();
    let end = arg.find('>').map_or(arg.len(), |at| at + 1);
    arg[..end]
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}

/// Undoes quoted-printable soft line breaks and `=XX` escapes (harmless on other parts, which
/// the tests write without `=`).
fn decode_quoted_printable(data: &str) -> String {
    let joined = data.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One request the HTTP receiver got.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Received {
    /// The `X-Debrief-Signature` a receiver holding `secret` expects for this request, computed
    /// as the README tells receivers to: `v1=` and the hex of HMAC-SHA256(secret,
    /// "{X-Debrief-Timestamp}.{body}").
    #[allow(dead_code)]
    pub fn signature_with(&self, secret: &str) -> String {
        use hmac::{Hmac, Mac};
        let timestamp = self
            .headers
            .get("x-debrief-timestamp")
            .map_or("", String::as_str);
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("a key");
        mac.update(format!("{timestamp}.{}", self.body).as_bytes());
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("v1={hex}")
    }
}

/// A local HTTP server that records every request and answers with a chosen status.
#[derive(Clone)]
pub struct HttpReceiver {
    pub base: String,
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

impl HttpReceiver {
    /// Starts it on a free port, answering 200; it runs as long as the test's runtime.
    pub async fn start() -> HttpReceiver {
        let received = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(AtomicU16::new(200));
        let (log, answer) = (received.clone(), status.clone());
        let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
            let (log, answer) = (log.clone(), answer.clone());
            async move {
                let (parts, body) = request.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20)
                    .await
                    .unwrap_or_default();
                log.lock().unwrap().push(Received {
                    path: parts.uri.path().to_owned(),
                    headers: parts
                        .headers
                        .iter()
                        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
                        .collect(),
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
                let status = axum::http::StatusCode::from_u16(answer.load(Ordering::SeqCst))
                    .unwrap_or(axum::http::StatusCode::OK);
                (status, "recorded")
            }
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        HttpReceiver {
            base,
            received,
            status,
        }
    }

    /// Answers every later request with `status`.
    pub fn answer(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// The requests to `path` so far.
    pub fn at(&self, path: &str) -> Vec<Received> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Waits (up to `within`) until at least `n` requests came to `path`; returns them.
    pub async fn wait_for(&self, path: &str, n: usize, within: Duration) -> Vec<Received> {
        let started = Instant::now();
        loop {
            let got = self.at(path);
            if got.len() >= n || started.elapsed() > within {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
