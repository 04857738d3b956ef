//! The writes the fault tests make, as a program calls the server functions (no JavaScript, no
//! `text/html`): adding timeline entries, saving an incident's fields, moving follow-ups. A
//! [`Writer`] makes them one after another and keeps a ledger of what the server acknowledged
//! (a 200 answer) and what it sent without an answer (cut off by a crash), so the checks can
//! tell a lost write from one that was never promised.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use app::api::follow_ups::{AddFollowUp, TransitionFollowUp};
use app::api::incidents::{CreateIncident, IncidentForEdit, UpdateIncident};
use app::api::timeline::AddTimelineEntry;
use leptos::server_fn::ServerFn;

use crate::common::{ADMIN_EMAIL, Browser, PASSWORD};

/// What became of one request.
pub enum Answer {
    /// 200, with its body.
    Acknowledged(String),
    /// Any other status, with its body.
    Refused(u16, String),
    /// No answer at all: the connection was refused, reset or timed out.
    Cut(String),
}

/// Posts `fields` to a server function; never panics (the server may be gone).
pub async fn post(browser: &Browser, path: &str, fields: &[(&str, &str)]) -> Answer {
    let sent = browser
        .client
        .post(browser.url(path))
        .form(fields)
        .timeout(Duration::from_secs(60))
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Answer::Cut(e.to_string()),
    };
    let status = response.status().as_u16();
    match response.text().await {
        Ok(body) if status == 200 => Answer::Acknowledged(body),
        Ok(body) => Answer::Refused(status, body),
        Err(e) => Answer::Cut(e.to_string()),
    }
}

/// A browser logged in as the admin of the server at `base`.
pub async fn admin(base: &str) -> Browser {
    let browser = Browser::new(base);
    let (status, _) = browser.log_in(ADMIN_EMAIL, PASSWORD).await;
    assert_eq!(status, 302, "the admin logs in");
    browser
}

fn incident_fields(title: &str, summary: &str) -> Vec<(&'static str, String)> {
    vec![
        ("form[title]", title.to_owned()),
        ("form[summary]", summary.to_owned()),
        ("form[severity]", "sev2".to_owned()),
        ("form[services]", "Login".to_owned()),
        ("form[impact_started_at]", "2020-03-23T10:27".to_owned()),
        ("form[impact_started_precision]", "approximate".to_owned()),
        ("zone", "UTC".to_owned()),
    ]
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The title of every incident the tests write.
pub const TITLE: &str = "Fault test incident";
/// The summary every incident starts with.
pub const FIRST_SUMMARY: &str = "Logins failed for everyone.";
/// The state every follow-up starts in.
pub const FIRST_STATE: &str = "committed";

/// Creates an incident; returns its id.
pub async fn create_incident(browser: &Browser, title: &str) -> i64 {
    browser
        .json(
            CreateIncident::PATH,
            &pairs(&incident_fields(title, FIRST_SUMMARY)),
        )
        .await
}

/// Adds a committed follow-up to `incident`; returns its id.
pub async fn create_follow_up(browser: &Browser, incident: i64, title: &str) -> i64 {
    browser
        .json(
            AddFollowUp::PATH,
            &[
                ("incident_id", incident.to_string().as_str()),
                ("state", FIRST_STATE),
                ("form[title]", title),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[owner_id]", ""),
                ("form[owner]", "The platform team"),
                ("form[due]", "2030-01-01"),
            ],
        )
        .await
}

/// What the server answered, counted.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub acknowledged: u64,
    /// Answers other than 200.
    pub refused: u64,
    /// Answers of 500 and above.
    pub server_errors: u64,
    /// Answers that mention "database is locked".
    pub locked: u64,
    /// Requests without an answer.
    pub cut: u64,
    /// The first few refusals and cuts, for the failure message.
    pub samples: Vec<String>,
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.acknowledged += other.acknowledged;
        self.refused += other.refused;
        self.server_errors += other.server_errors;
        self.locked += other.locked;
        self.cut += other.cut;
        for sample in &other.samples {
            if self.samples.len() < 10 {
                self.samples.push(sample.clone());
            }
        }
    }

    fn sample(&mut self, what: String) {
        if self.samples.len() < 10 {
            self.samples.push(what);
        }
    }
}

/// One writer: adds timeline entries to `incident`, saves its summary (when it `owns` the
/// incident's fields) and moves its own follow-up, one request at a time, and remembers what
/// the server acknowledged.
pub struct Writer {
    pub number: usize,
    pub incident: i64,
    pub owns_incident: bool,
    pub follow_up: i64,
    /// Makes its words unique to this test run.
    tag: u64,
    step: u64,
    /// Entries acknowledged (or found after a crash): id and body.
    pub entries: Vec<(i64, String)>,
    /// Entries sent without an acknowledgement since the last check.
    pub unconfirmed_entries: Vec<String>,
    /// Summaries acknowledged (or found after a crash), in order.
    pub summaries: Vec<String>,
    /// A summary sent without an acknowledgement since the last check.
    pub unconfirmed_summaries: Vec<String>,
    /// The follow-up's state as last acknowledged (or found after a crash).
    pub state: String,
    /// Moves acknowledged (or found after a crash), and sent without an acknowledgement.
    pub moves: u64,
    pub unconfirmed_moves: Vec<String>,
    pub tally: Tally,
}

impl Writer {
    pub fn new(
        number: usize,
        incident: i64,
        owns_incident: bool,
        follow_up: i64,
        tag: u64,
    ) -> Self {
        Writer {
            number,
            incident,
            owns_incident,
            follow_up,
            tag,
            step: 0,
            entries: Vec::new(),
            unconfirmed_entries: Vec::new(),
            summaries: Vec::new(),
            unconfirmed_summaries: Vec::new(),
            state: FIRST_STATE.to_owned(),
            moves: 0,
            unconfirmed_moves: Vec::new(),
            tally: Tally::default(),
        }
    }

    /// A word no other write of this run contains (the search checks look it up).
    pub fn word(&self, step: u64) -> String {
        format!("fw{}x{}x{}z", self.tag, self.number, step)
    }

    /// Writes until `stop` is set, or, with `stop_when_cut`, until a request goes unanswered
    /// (the server was killed). Returns itself with its ledger.
    pub fn spawn(
        mut self,
        browser: Browser,
        stop: Arc<AtomicBool>,
        stop_when_cut: bool,
    ) -> tokio::task::JoinHandle<Writer> {
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let answered = self.write_once(&browser).await;
                if !answered && stop_when_cut {
                    break;
                }
            }
            self
        })
    }

    /// Makes the next write; false when it went unanswered.
    async fn write_once(&mut self, browser: &Browser) -> bool {
        self.step += 1;
        let step = self.step;
        match step % 4 {
            1 if self.owns_incident => self.save_summary(browser, step).await,
            3 => self.move_follow_up(browser).await,
            _ => self.add_entry(browser, step).await,
        }
    }

    async fn add_entry(&mut self, browser: &Browser, step: u64) -> bool {
        let body = format!(
            "Writer {} observed {} while the fault test ran.",
            self.number,
            self.word(step)
        );
        let incident = self.incident.to_string();
        let answer = post(
            browser,
            AddTimelineEntry::PATH,
            &[
                ("incident_id", &incident),
                ("form[at]", "2020-03-23T10:29"),
                ("form[precision]", "minute"),
                ("form[kind]", "observation"),
                ("form[actor]", "on-call engineer"),
                ("form[body]", &body),
                ("zone", "UTC"),
            ],
        )
        .await;
        match answer {
            Answer::Acknowledged(id) => match id.trim().parse::<i64>() {
                Ok(id) => {
                    self.tally.acknowledged += 1;
                    self.entries.push((id, body));
                    true
                }
                Err(_) => {
                    self.refused(200, format!("an entry's id that is not a number: {id}"));
                    self.unconfirmed_entries.push(body);
                    true
                }
            },
            other => {
                self.unconfirmed_entries.push(body);
                self.note(other, "adding an entry")
            }
        }
    }

    async fn save_summary(&mut self, browser: &Browser, step: u64) -> bool {
        let id = self.incident.to_string();
        let version = match post(browser, IncidentForEdit::PATH, &[("id", &id)]).await {
            Answer::Acknowledged(body) => {
                match serde_json::from_str::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| v["version"].as_i64())
                {
                    Some(version) => version.to_string(),
                    None => {
                        self.refused(200, format!("an edit form without a version: {body}"));
                        return true;
                    }
                }
            }
            other => return self.note(other, "opening the incident form"),
        };
        let summary = format!("Logins failed; {} is the latest word.", self.word(step));
        let mut fields = incident_fields(TITLE, &summary);
        fields.push(("id", id.clone()));
        fields.push(("version", version));
        match post(browser, UpdateIncident::PATH, &pairs(&fields)).await {
            Answer::Acknowledged(_) => {
                self.tally.acknowledged += 1;
                self.summaries.push(summary);
                true
            }
            other => {
                self.unconfirmed_summaries.push(summary);
                self.note(other, "saving the incident")
            }
        }
    }

    async fn move_follow_up(&mut self, browser: &Browser) -> bool {
        let to = if self.state == "committed" {
            "in_progress"
        } else {
            "committed"
        };
        let id = self.follow_up.to_string();
        let answer = post(
            browser,
            TransitionFollowUp::PATH,
            &[("id", &id), ("form[to]", to), ("form[note]", "")],
        )
        .await;
        match answer {
            Answer::Acknowledged(_) => {
                self.tally.acknowledged += 1;
                self.moves += 1;
                to.clone_into(&mut self.state);
                true
            }
            other => {
                self.unconfirmed_moves.push(to.to_owned());
                let answered = self.note(other, "moving the follow-up");
                if answered {
                    // Refused: the server said it did not move; the next try goes the same way.
                    self.unconfirmed_moves.clear();
                }
                answered
            }
        }
    }

    /// Counts an answer that is not an acknowledgement; false when there was none.
    fn note(&mut self, answer: Answer, doing: &str) -> bool {
        match answer {
            Answer::Acknowledged(_) => true,
            Answer::Refused(status, body) => {
                self.refused(status, format!("{doing}: {body}"));
                true
            }
            Answer::Cut(e) => {
                self.tally.cut += 1;
                self.tally
                    .sample(format!("writer {}: {doing}: no answer: {e}", self.number));
                false
            }
        }
    }

    fn refused(&mut self, status: u16, what: String) {
        self.tally.refused += 1;
        if status >= 500 {
            self.tally.server_errors += 1;
        }
        if what.contains("database is locked") {
            self.tally.locked += 1;
        }
        let what: String = what.chars().take(300).collect();
        self.tally
            .sample(format!("writer {}: {status}: {what}", self.number));
    }
}

/// Sets up `writers` writers over `incidents` incidents (writer n adds entries to incident
/// n mod `incidents`; the first writer of each incident also saves its fields), each with a
/// follow-up of its own.
pub async fn team(browser: &Browser, writers: usize, incidents: usize, tag: u64) -> Vec<Writer> {
    let mut ids = Vec::new();
    for _ in 0..incidents {
        ids.push(create_incident(browser, TITLE).await);
    }
    let mut team = Vec::new();
    for n in 0..writers {
        let incident = ids[n % incidents];
        let follow_up =
            create_follow_up(browser, incident, &format!("Follow-up of writer {n}")).await;
        team.push(Writer::new(n, incident, n < incidents, follow_up, tag));
    }
    team
}

/// A number for this run, from the clock: words of different runs differ.
pub fn run_tag() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64 % 100_000)
        .unwrap_or_default()
}
