//! Browser tests: the worked example's journey in headless Chromium, once hydrated (JavaScript
//! on) and once as plain HTML forms (JavaScript off). Any browser console error fails the test.
//!
//! Needs Debian's `chromium` and `chromedriver` (scripts/install.sh --browser installs them) and
//! the site built by `cargo leptos build` (scripts/test.sh does both).

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// A chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    async fn start() -> Self {
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

async fn browser(driver: &Driver, javascript: bool, profile: &std::path::Path) -> Client {
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

/// Console errors, except Chromium's note that a server function answered 422: that is the
/// designed answer to invalid input (the journey submits one on purpose), not a fault.
async fn console_errors(client: &Client) -> Vec<String> {
    match client.issue_cmd(BrowserLog).await {
        Ok(Value::Array(entries)) => entries
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .filter(|e| {
                let message = e["message"].as_str().unwrap_or_default();
                !(message.contains("/api/") && message.contains("status of 422"))
            })
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect(),
        other => panic!("could not read the browser console: {other:?}"),
    }
}

/// One step of the journey, with the page's JavaScript on or off.
struct Journey {
    client: Client,
    javascript: bool,
}

impl Journey {
    async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("the page opens");
        self.settle().await;
    }

    /// With JavaScript, waits until the page has hydrated (an effect marks the body).
    async fn settle(&self) {
        if self.javascript {
            self.wait_for("body[data-hydrated=true]").await;
        }
    }

    async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
    }

    /// Waits until the page's visible text contains `text` (ignoring case: some labels are
    /// upper-cased by the stylesheet).
    async fn wait_text(&self, text: &str) {
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

    async fn click_link(&self, text: &str) {
        self.client
            .find(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("no link {text:?}: {e}"))
            .click()
            .await
            .expect("the link is clickable");
        self.settle().await;
    }

    async fn type_into(&self, field: &str, text: &str) {
        let input = self.wait_for(&format!("[name=\"form[{field}]\"]")).await;
        input.clear().await.expect("clearable");
        input.send_keys(text).await.expect("typeable");
    }

    /// Types a date and time into a datetime-local input, segment by segment as a person would
    /// (en-US order: month, day, year, hour, minute, AM/PM). Typing starts at the first segment;
    /// a click would land on whichever segment is under the pointer.
    async fn type_time(
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

    async fn choose(&self, field: &str, value: &str) {
        self.wait_for(&format!("select[name=\"form[{field}]\"]"))
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{field} has no option {value}: {e}"));
    }

    async fn choose_by_label(&self, field: &str, label: &str) {
        self.wait_for(&format!("select[name=\"form[{field}]\"]"))
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|e| panic!("{field} has no option {label:?}: {e}"));
    }

    async fn tick(&self, field: &str) {
        let checkbox = self
            .wait_for(&format!("input[type=checkbox][name=\"form[{field}]\"]"))
            .await;
        if checkbox.prop("checked").await.ok().flatten().as_deref() != Some("true") {
            checkbox.click().await.expect("tickable");
        }
    }

    async fn submit(&self, button: &str) {
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

    async fn field_value(&self, field: &str) -> String {
        self.wait_for(&format!("[name=\"form[{field}]\"]"))
            .await
            .prop("value")
            .await
            .expect("a value")
            .unwrap_or_default()
    }
}

async fn worked_example_journey(javascript: bool) {
    let app = common::spawn().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let client = browser(&driver, javascript, profile.path()).await;
    let j = Journey { client, javascript };
    let result = tokio::time::timeout(Duration::from_secs(180), async {
        // Opening Debrief asks for a login, then returns to the page asked for.
        j.open(&app.url("/")).await;
        j.wait_text("Log in to Debrief").await;
        j.type_into("email", common::ADMIN_EMAIL).await;
        j.type_into("password", common::PASSWORD).await;
        j.submit("Log in").await;
        j.wait_text("No incidents yet").await;
        j.wait_text("Ada Admin").await;
        j.click_link("Record an incident").await;

        // The incident and its first milestones.
        j.type_into("title", "Customer logins failed for about a minute")
            .await;
        j.choose("severity", "sev2").await;
        j.type_into("services", "Login, Jenkins").await;
        j.type_into(
            "summary",
            "A restart job restarted **every** Java server at once.",
        )
        .await;
        j.type_time("impact_started_at", "03232020", "1027", "AM")
            .await;
        j.choose("impact_started_precision", "approximate").await;
        j.type_time("detected_at", "03232020", "1028", "AM").await;
        assert_eq!(
            j.field_value("impact_started_at").await,
            "2020-03-23T10:27",
            "the time input took the typed time"
        );
        j.submit("Create incident").await;
        j.wait_text("Time to detect").await;
        j.wait_text("≈1 min").await;

        // A timeline entry; first without an actor, which comes back with the message and the text kept.
        j.click_link("Add entry").await;
        j.type_time("at", "03232020", "1028", "AM").await;
        j.choose("marker", "detection").await;
        j.type_into("body", "Sees the job connect to every server at once.")
            .await;
        j.submit("Add entry").await;
        j.wait_text("Say who acted, by role rather than name").await;
        assert_eq!(
            j.field_value("body").await,
            "Sees the job connect to every server at once.",
            "nothing typed is lost"
        );
        j.type_into("actor", "engineer running the change").await;
        j.submit("Add entry").await;
        j.wait_text("Sees the job connect to every server at once.")
            .await;
        j.wait_text("T+0:01").await;

        // The impact figure.
        j.click_link("Add impact figure").await;
        j.type_into("affected", "customer logins failed").await;
        j.choose("quantity_kind", "approximate").await;
        j.type_into("quantity", "500").await;
        j.type_into("window", "1 min").await;
        j.tick("window_approx").await;
        j.type_into(
            "estimation",
            "count of failed login requests in load-balancer logs",
        )
        .await;
        j.submit("Add figure").await;
        j.wait_text("≈500 customer logins failed over ≈1 min").await;

        // The change, and the parameter that took its default.
        j.click_link("Link a change").await;
        j.type_into("summary", "Restart of all Java applications")
            .await;
        j.choose("kind", "job_run").await;
        j.type_into("system", "Jenkins").await;
        j.type_into("identifier", "generic run-command job").await;
        j.choose("relation", "confirmed_trigger").await;
        j.submit("Save and add parameters").await;
        j.wait_text("Parameters it ran with").await;
        j.type_into("name", "concurrency").await;
        j.tick("is_default").await;
        j.submit("Add parameter").await;
        j.wait_text("Default value").await;
        // Correct it in place: the default it took was "all at once".
        j.click_link("Edit").await;
        j.wait_text("Edit parameter concurrency").await;
        j.type_into("value", "0 (all at once)").await;
        j.submit("Save parameter").await;
        j.wait_text("0 (all at once)").await;
        j.click_link("Back to the postmortem").await;
        j.wait_text("Took a default: concurrency").await;

        // A follow-up that targets that parameter.
        j.click_link("Add follow-up").await;
        j.type_into("title", "Give the generic job a safe default concurrency")
            .await;
        j.choose_by_label(
            "change_id",
            "Jenkins · generic run-command job (the change as a whole)",
        )
        .await;
        j.choose_by_label(
            "parameter_id",
            "Jenkins · generic run-command job — parameter concurrency, took the default",
        )
        .await;
        j.submit("Add follow-up").await;
        j.wait_text("Give the generic job a safe default concurrency")
            .await;
        j.wait_text("Jenkins · generic run-command job — parameter concurrency")
            .await;

        // Everything is on the postmortem page after a fresh load, too.
        let here = j.client.current_url().await.expect("a url");
        j.open(here.as_str()).await;
        for expected in [
            "≈500 customer logins failed over ≈1 min",
            "Confirmed trigger",
            "Took a default: concurrency",
            "Sees the job connect",
            "Give the generic job a safe default concurrency",
        ] {
            j.wait_text(expected).await;
        }
        if !javascript {
            let hydrated = j
                .client
                .find(Locator::Css("body"))
                .await
                .expect("a body")
                .attr("data-hydrated")
                .await
                .expect("readable");
            assert_eq!(
                hydrated, None,
                "JavaScript really was off: the page never hydrated"
            );
        }
        console_errors(&j.client).await
    })
    .await;
    let _ = j.client.close().await;
    let errors = result.expect("the journey finished within three minutes");
    assert!(
        errors.is_empty(),
        "the browser console reported errors: {errors:#?}"
    );
}

#[tokio::test]
async fn the_worked_example_journey_works_after_hydration() {
    worked_example_journey(true).await;
}

#[tokio::test]
async fn the_worked_example_journey_works_without_javascript() {
    worked_example_journey(false).await;
}
