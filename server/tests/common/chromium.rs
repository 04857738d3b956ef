//! Driving headless Chromium (Debian's `chromium` and `chromedriver`) for the browser tests:
//! a chromedriver per test, a browser session per person, with JavaScript on or off, and the
//! console errors each session logged.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// A chromedriver on a free port, stopped when dropped.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (scripts/install.sh --browser installs it)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn browser(driver: &Driver, javascript: bool, profile: &std::path::Path) -> Client {
    let mut options = json!({
        "binary": "/usr/bin/chromium",
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1200,900", "--lang=en-US",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    if !javascript {
        options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a Chromium session")
}

/// Chromium's console log since the last call (chromedriver's log endpoint).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// Console errors, except Chromium's note that a server function answered 422 or 409: those are
/// the designed answers to invalid input and to a save that conflicts with someone else's (the
/// journeys provoke both on purpose), not faults.
pub async fn console_errors(client: &Client) -> Vec<String> {
    match client.issue_cmd(BrowserLog).await {
        Ok(Value::Array(entries)) => entries
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .filter(|e| {
                let message = e["message"].as_str().unwrap_or_default();
                !(message.contains("/api/")
                    && (message.contains("status of 422") || message.contains("status of 409")))
            })
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect(),
        other => panic!("could not read the browser console: {other:?}"),
    }
}

/// One step of the journey, with the page's JavaScript on or off.
pub struct Journey {
    pub client: Client,
    pub javascript: bool,
}

impl Journey {
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("the page opens");
        self.settle().await;
    }

    /// With JavaScript, waits until the page has hydrated (an effect marks the body).
    pub async fn settle(&self) {
        if self.javascript {
            self.wait_for("body[data-hydrated=true]").await;
        }
    }

    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits until the page's visible text contains `text` (ignoring case: some labels are
    /// upper-cased by the stylesheet).
    pub async fn wait_text(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            // During a full page load (forms without JavaScript) there may briefly be no body.
            let shown = match self.client.find(Locator::Css("body")).await {
                Ok(body) => body.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if shown.to_lowercase().contains(&text.to_lowercase()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page never showed {text:?}; it shows:\n{shown}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click_link(&self, text: &str) {
        self.client
            .find(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("no link {text:?}: {e}"))
            .click()
            .await
            .expect("the link is clickable");
        self.settle().await;
    }

    pub async fn type_into(&self, field: &str, text: &str) {
        let input = self.wait_for(&format!("[name=\"form[{field}]\"]")).await;
        input.clear().await.expect("clearable");
        input.send_keys(text).await.expect("typeable");
    }

    /// Types a date and time into a datetime-local input, segment by segment as a person would
    /// (en-US order: month, day, year, hour, minute, AM/PM). Typing starts at the first segment;
    /// a click would land on whichever segment is under the pointer.
    pub async fn type_time(
        &self,
        field: &str,
        month_day_year: &str,
        hour_minute: &str,
        meridiem: &str,
    ) {
        let input = self.wait_for(&format!("[name=\"form[{field}]\"]")).await;
        let right = "\u{E014}";
        input
            .send_keys(&format!("{month_day_year}{right}{hour_minute}{meridiem}"))
            .await
            .expect("typeable");
    }

    pub async fn choose(&self, field: &str, value: &str) {
        self.wait_for(&format!("select[name=\"form[{field}]\"]"))
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{field} has no option {value}: {e}"));
    }

    pub async fn choose_by_label(&self, field: &str, label: &str) {
        self.wait_for(&format!("select[name=\"form[{field}]\"]"))
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("{field} has no option {label:?}: {e}"));
    }

    pub async fn tick(&self, field: &str) {
        let checkbox = self
            .wait_for(&format!("input[type=checkbox][name=\"form[{field}]\"]"))
            .await;
        if checkbox.prop("checked").await.ok().flatten().as_deref() != Some("true") {
            checkbox.click().await.expect("tickable");
        }
    }

    pub async fn submit(&self, button: &str) {
        let xpath = format!("//button[@type='submit' and normalize-space(.)='{button}']");
        self.client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button {button:?}: {e}"))
            .click()
            .await
            .expect("the button is clickable");
        self.settle().await;
    }

    pub async fn field_value(&self, field: &str) -> String {
        self.wait_for(&format!("[name=\"form[{field}]\"]"))
            .await
            .prop("value")
            .await
            .expect("a value")
            .unwrap_or_default()
    }
}
