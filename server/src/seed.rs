//! `server seed --incidents N`: fills the database with what a large organisation holds after a
//! few years, for the benchmark (`scripts/bench.sh`). Everything is written through the app's
//! repositories, as the app writes it: per incident a postmortem with its milestones, lessons,
//! 20 timeline entries, an impact figure, 2 changes (with parameters) made by a few hundred
//! systems and jobs, 5 follow-ups in every state, its history, its search documents and, when
//! published, its published version. 10,000 incidents make 200,000 timeline entries, 50,000
//! follow-ups and 20,000 changes. The text varies with the incident (a fixed pseudo-random
//! sequence: the same N gives the same database).
//!
//! It also creates the accounts the benchmark logs in with: `bench-author@example.com`
//! (author) and `bench-admin@example.com` (admin), both with the password given, and 40 people
//! who own follow-ups. Writes go in transactions of 50 incidents.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

use app::domain::account::{NewAccount, Role};
use app::domain::change::{ChangeKind, ChangeRelation, NewChange, NewParameter};
use app::domain::follow_up::{
    ActionType, FollowUp, FollowUpState, NewFollowUp, Priority, Verification,
};
use app::domain::history::{Action, HistoryEntry, Part};
use app::domain::impact::{NewImpactFigure, Quantity};
use app::domain::incident::{IncidentStatus, Lessons, Milestones, NewIncident, Severity};
use app::domain::time::{ApproxDuration, Precision, RecordedTime};
use app::domain::timeline::{EntryKind, Marker, NewTimelineEntry};
use app::server::db::begin_write;
use app::server::repo::{
    accounts, changes, follow_ups, history, impact, incidents, published, search, timeline,
};

/// The author the benchmark logs in as.
pub const AUTHOR_EMAIL: &str = "bench-author@example.com";
/// An admin, for looking around the seeded database.
pub const ADMIN_EMAIL: &str = "bench-admin@example.com";

/// Per incident, as in a team that writes thorough postmortems.
const TIMELINE_PER_INCIDENT: usize = 20;
const FOLLOW_UPS_PER_INCIDENT: usize = 5;
const CHANGES_PER_INCIDENT: usize = 2;
const INCIDENTS_PER_TRANSACTION: usize = 50;
const PEOPLE: usize = 40;

/// What `seed` was asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Seed {
    pub incidents: usize,
}

impl Seed {
    /// Reads `--incidents N` (default 10,000) from the arguments after the subcommand.
    ///
    /// # Errors
    /// A one-line usage message.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let usage = "usage: server seed [--incidents N] (password of the accounts it creates from DEBRIEF_ADMIN_PASSWORD)";
        match args {
            [] => Ok(Seed { incidents: 10_000 }),
            [flag, n] if flag == "--incidents" => n
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .map(|incidents| Seed { incidents })
                .ok_or_else(|| format!("--incidents needs a positive number; {usage}")),
            _ => Err(usage.to_owned()),
        }
    }
}

/// What was written, and the incidents the benchmark reads and writes.
#[derive(Debug)]
pub struct Seeded {
    pub incidents: usize,
    pub timeline_entries: usize,
    pub follow_ups: usize,
    pub changes: usize,
    /// A published postmortem from the middle of the history (20 entries, 2 changes).
    pub postmortem: i64,
    /// A draft the author may add timeline entries to.
    pub draft: i64,
}

/// Writes the dataset. The database must have no incidents yet.
///
/// # Errors
/// A one-line message: a database failure, or a database that is not empty.
pub async fn run(db: &DatabaseConnection, seed: &Seed, password: &str) -> Result<Seeded, String> {
    let failed = |e: DbErr| format!("seeding: {e}");
    if incidents::any(db).await.map_err(failed)? {
        return Err("seed: the database already holds incidents; seed a fresh one".to_owned());
    }
    let hash = app::server::password::hash_off_thread(password).await?;
    let account = |email: String, name: String, role: Role| NewAccount {
        email,
        display_name: name,
        password: password.to_owned(),
        role,
        time_zone: "Europe/London".to_owned(),
    };
    let author = accounts::create(
        db,
        &account(AUTHOR_EMAIL.into(), "Bench Author".into(), Role::Author),
        &hash,
    )
    .await
    .map_err(failed)?;
    accounts::create(
        db,
        &account(ADMIN_EMAIL.into(), "Bench Admin".into(), Role::Admin),
        &hash,
    )
    .await
    .map_err(failed)?;
    let mut people = Vec::new();
    for p in 0..PEOPLE {
        let name = format!(
            "{} {}",
            FIRST_NAMES[p % FIRST_NAMES.len()],
            LAST_NAMES[(p * 7) % LAST_NAMES.len()]
        );
        let email = format!("person{p}@example.com");
        let id = accounts::create(db, &account(email, name.clone(), Role::Author), &hash)
            .await
            .map_err(failed)?;
        people.push((id, name));
    }

    let mut seeded = Seeded {
        incidents: 0,
        timeline_entries: 0,
        follow_ups: 0,
        changes: 0,
        postmortem: 0,
        draft: 0,
    };
    let mut i = 0;
    while i < seed.incidents {
        let tx = begin_write(db).await.map_err(failed)?;
        let end = (i + INCIDENTS_PER_TRANSACTION).min(seed.incidents);
        for n in i..end {
            let story = Story::new(n, seed.incidents, &people);
            let id = story
                .write(&tx, (author, "Bench Author"))
                .await
                .map_err(failed)?;
            seeded.incidents += 1;
            seeded.timeline_entries += TIMELINE_PER_INCIDENT;
            seeded.follow_ups += FOLLOW_UPS_PER_INCIDENT;
            seeded.changes += CHANGES_PER_INCIDENT;
            // The last published one up to the middle of the history.
            if story.status == IncidentStatus::Published
                && (seeded.postmortem == 0 || n <= seed.incidents / 2)
            {
                seeded.postmortem = id;
            }
            if story.status == IncidentStatus::Draft {
                seeded.draft = id;
            }
        }
        tx.commit().await.map_err(failed)?;
        i = end;
    }
    Ok(seeded)
}

/// A small, fixed pseudo-random sequence (a linear congruential generator).
struct Dice(u64);

impl Dice {
    fn new(seed: usize) -> Self {
        Dice((seed as u64).wrapping_mul(6_364_136_223_846_793_005) ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// One incident's postmortem, decided before anything is written.
struct Story<'p> {
    n: usize,
    dice_seed: usize,
    status: IncidentStatus,
    started: DateTime<Utc>,
    service: &'static str,
    job: usize,
    people: &'p [(i64, String)],
}

impl<'p> Story<'p> {
    fn new(n: usize, total: usize, people: &'p [(i64, String)]) -> Self {
        let mut dice = Dice::new(n);
        // Three years of incidents, oldest first, ending a month before the benchmark's "now".
        let end = Utc
            .with_ymd_and_hms(2026, 10, 31, 0, 0, 0)
            .single()
            .unwrap_or_else(Utc::now);
        let span_minutes = 3 * 365 * 24 * 60;
        let back = (total - n) as i64 * span_minutes / total.max(1) as i64;
        let started = end - Duration::minutes(back) + Duration::minutes(dice.below(600) as i64);
        // The newest tenth is still being written or reviewed; the rest is mostly published.
        let recent = n * 10 >= total * 9;
        let status = match (recent, dice.below(10)) {
            (true, 0..=5) => IncidentStatus::Draft,
            (true, 6..=7) => IncidentStatus::InReview,
            (true, _) => IncidentStatus::ChangesRequested,
            (false, 0) => IncidentStatus::Approved,
            (false, _) => IncidentStatus::Published,
        };
        Story {
            n,
            dice_seed: n * 31 + 7,
            status,
            started,
            service: SERVICES[dice.below(SERVICES.len())],
            // Jobs are reused: some jobs set off many incidents over the years.
            job: (dice.below(JOBS) * dice.below(JOBS)) / JOBS,
            people,
        }
    }

    fn at(&self, minutes: i64, precision: Precision) -> Result<RecordedTime, DbErr> {
        RecordedTime::new(
            self.started + Duration::minutes(minutes),
            None,
            precision,
            0,
        )
        .map_err(|e| DbErr::Custom(format!("a seeded time: {e}")))
    }

    fn job_name(&self, offset: usize) -> (String, String) {
        let job = (self.job + offset * 37) % JOBS;
        let system = SYSTEMS[job % SYSTEMS.len()];
        let verb = JOB_VERBS[(job / SYSTEMS.len()) % JOB_VERBS.len()];
        let target = SERVICES[(job * 7) % SERVICES.len()]
            .to_lowercase()
            .replace(' ', "-");
        (system.to_owned(), format!("{verb}-{target}"))
    }

    async fn write<C: ConnectionTrait>(&self, tx: &C, author: (i64, &str)) -> Result<i64, DbErr> {
        let mut dice = Dice::new(self.dice_seed);
        let symptom = dice.pick(&SYMPTOMS);
        let cause = dice.pick(&CAUSES);
        let (system, job) = self.job_name(0);
        let detect = 2 + dice.below(30) as i64;
        let mitigate = detect + 5 + dice.below(90) as i64;
        let resolve = mitigate + 10 + dice.below(240) as i64;
        let severity = match dice.below(20) {
            0 => Severity::Sev1,
            1..=4 => Severity::Sev2,
            5..=13 => Severity::Sev3,
            _ => Severity::Sev4,
        };
        let mut services = vec![self.service.to_owned()];
        let other = dice.pick(&SERVICES);
        if other != self.service {
            services.push(other.to_owned());
        }
        let incident = NewIncident {
            title: format!("{} {symptom} after {cause}", self.service),
            summary_md: format!(
                "For about {} minutes {} {symptom}. {} ran `{job}` on {system}; {}.\n\n\
                 {}\n\n**Severity: {}.** {}",
                resolve,
                self.service,
                capitalised(dice.pick(&ROLES)),
                dice.pick(&CONSEQUENCES),
                dice.pick(&CONTEXT),
                severity.label(),
                dice.pick(&SEVERITY_REASONS),
            ),
            severity,
            status: IncidentStatus::Draft,
            services,
            milestones: Milestones {
                impact_started: Some(self.at(0, Precision::Approximate)?),
                detected: Some(self.at(detect, Precision::Minute)?),
                mitigated: Some(self.at(mitigate, Precision::Minute)?),
                resolved: Some(self.at(resolve, Precision::Minute)?),
            },
        };
        let lessons = Lessons {
            went_well_md: format!("- {}\n- {}", dice.pick(&WENT_WELL), dice.pick(&WENT_WELL)),
            went_wrong_md: format!("- {}\n- {}", dice.pick(&WENT_WRONG), dice.pick(&WENT_WRONG)),
            lucky_md: format!("- {}", dice.pick(&LUCKY)),
        };
        let id = incidents::insert(tx, &incident, &lessons).await?;

        for k in 0..TIMELINE_PER_INCIDENT {
            let minute = k as i64 * resolve / TIMELINE_PER_INCIDENT as i64 - 20;
            let kind = EntryKind::ALL[dice.below(EntryKind::ALL.len())];
            let marker = match k {
                2 => Some(Marker::Detection),
                9 => Some(Marker::KeyMoment),
                15 => Some(Marker::Repair),
                _ => None,
            };
            let entry = NewTimelineEntry {
                time: self.at(minute, Precision::Minute)?,
                kind,
                marker,
                actor: dice.pick(&ROLES).to_owned(),
                body_md: format!(
                    "{} {} {}",
                    capitalised(dice.pick(&TIMELINE_OPENINGS)),
                    dice.pick(&TIMELINE_MIDDLES),
                    dice.pick(&TIMELINE_ENDINGS)
                ),
            };
            timeline::add(tx, id, &entry).await?;
        }

        impact::add(
            tx,
            id,
            &NewImpactFigure {
                affected: format!("{} requests failed", self.service),
                quantity: Quantity::Approximate((100 + dice.below(50_000)) as f64),
                unit: String::new(),
                window: Some(ApproxDuration {
                    seconds: resolve * 60,
                    approximate: true,
                }),
                estimation: "count of 5xx responses in the load balancer's logs".into(),
                customer_visible: dice.below(3) > 0,
            },
        )
        .await?;

        let mut change_ids = Vec::new();
        for c in 0..CHANGES_PER_INCIDENT {
            let (system, job) = self.job_name(c);
            let change = NewChange {
                summary: format!("{} {job} on {system}", dice.pick(&CHANGE_VERBS)),
                kind: ChangeKind::ALL[(self.job + c) % ChangeKind::ALL.len()],
                system,
                identifier: job.clone(),
                link: Some(format!(
                    "https://ci.example.com/job/{job}/{}",
                    1000 + self.n
                )),
                time: Some(self.at(-(5 + c as i64 * 60), Precision::Approximate)?),
                started_by: dice.pick(&ROLES).to_owned(),
                plan: format!("Run {job} in the usual window; watch the dashboards"),
                reviewer: "senior engineer, not involved in the change".into(),
                relation: if c == 0 {
                    ChangeRelation::ConfirmedTrigger
                } else {
                    ChangeRelation::ALL[dice.below(ChangeRelation::ALL.len())]
                },
                rationale_md: format!("{}.", capitalised(dice.pick(&CONSEQUENCES))),
            };
            let change_id = changes::add(tx, id, &change).await?;
            for (p, name) in ["concurrency", "environment"].iter().enumerate() {
                let is_default = p == 0 && dice.below(2) == 0;
                changes::add_parameter(
                    tx,
                    change_id,
                    &NewParameter {
                        name: (*name).to_owned(),
                        value: if is_default {
                            String::new()
                        } else if p == 0 {
                            (1 + dice.below(50)).to_string()
                        } else {
                            "production".to_owned()
                        },
                        is_default,
                    },
                )
                .await?;
            }
            change_ids.push(change_id);
        }

        let old = self.status == IncidentStatus::Published;
        for f in 0..FOLLOW_UPS_PER_INCIDENT {
            let (owner_id, owner) = &self.people[dice.below(self.people.len())];
            let state = if old {
                [
                    FollowUpState::Verified,
                    FollowUpState::Done,
                    FollowUpState::WontDo,
                    FollowUpState::InProgress,
                    FollowUpState::Committed,
                ][dice.below(5)]
            } else {
                [FollowUpState::Proposed, FollowUpState::Committed][dice.below(2)]
            };
            let owned = state != FollowUpState::Proposed;
            let due = NaiveDate::from_num_days_from_ce_opt(
                self.started.date_naive().num_days_from_ce() + 14 + dice.below(120) as i32,
            );
            let new = NewFollowUp {
                title: format!(
                    "{} {}",
                    dice.pick(&FOLLOW_UP_VERBS),
                    dice.pick(&FOLLOW_UP_OBJECTS)
                ),
                description_md: format!("{}.", capitalised(dice.pick(&CONTEXT))),
                action_type: ActionType::ALL[(f + self.n) % ActionType::ALL.len()],
                priority: Priority::ALL[dice.below(Priority::ALL.len())],
                owner_id: owned.then_some(*owner_id),
                owner: if owned { owner.clone() } else { String::new() },
                due: if owned { due } else { None },
                change_id: (f < 2).then_some(change_ids[0]),
                parameter_id: None,
            };
            let first = match state {
                FollowUpState::Verified | FollowUpState::WontDo => FollowUpState::Committed,
                other => other,
            };
            let follow_up_id = follow_ups::add(tx, id, &new, first).await?;
            if first != state {
                let closed = self.started + Duration::days(20 + dice.below(200) as i64);
                let verified = state == FollowUpState::Verified;
                let moved = FollowUp {
                    id: follow_up_id,
                    incident_id: id,
                    follow_up: new,
                    state,
                    wont_do_reason: (!verified)
                        .then(|| "Superseded by the platform team's new deploy pipeline".into()),
                    evidence: verified.then(|| {
                        "Ran the job twice in staging with the new default; one server at a time"
                            .into()
                    }),
                    verified: verified.then(|| Verification {
                        by_id: Some(*owner_id),
                        by: owner.clone(),
                        at: closed,
                    }),
                    closed_at: Some(closed),
                    created_at: self.started,
                    updated_at: closed,
                };
                follow_ups::set_state(tx, &moved).await?;
            }
        }

        history::record(
            tx,
            &HistoryEntry {
                id: 0,
                incident_id: id,
                user_id: Some(author.0),
                user_name: author.1.to_owned(),
                at: self.started + Duration::minutes(resolve + 60),
                part: Part::Incident,
                part_id: id,
                action: Action::Created,
                summary: format!("Incident “{}”", incident.title),
                before: None,
                after: None,
            },
        )
        .await?;
        search::reindex(tx, id).await?;
        if self.status != IncidentStatus::Draft {
            incidents::set_review(tx, id, self.status, 1).await?;
        }
        if self.status == IncidentStatus::Published {
            published::keep(tx, id).await?;
        }
        Ok(id)
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// How many distinct jobs the changes come from (each on one of the systems).
const JOBS: usize = 300;

const SERVICES: [&str; 40] = [
    "Login",
    "Checkout",
    "Search",
    "Payments API",
    "Billing",
    "Notifications",
    "Email delivery",
    "Mobile API",
    "Web frontend",
    "Catalogue",
    "Inventory",
    "Recommendations",
    "Reporting",
    "Data warehouse",
    "Identity",
    "Single sign-on",
    "File uploads",
    "Image resizing",
    "Video transcoding",
    "Messaging",
    "Webhooks",
    "Public API",
    "Partner API",
    "Admin console",
    "Customer support tools",
    "Status page",
    "DNS",
    "CDN",
    "Load balancers",
    "Kafka",
    "Postgres primary",
    "Redis cache",
    "Elasticsearch",
    "Object storage",
    "Scheduler",
    "Feature flags",
    "Audit log",
    "Exports",
    "Invoicing",
    "Fraud checks",
];

const SYSTEMS: [&str; 24] = [
    "Jenkins",
    "GitHub Actions",
    "Argo CD",
    "Spinnaker",
    "Terraform",
    "Chef",
    "Ansible",
    "Puppet",
    "Kubernetes",
    "Helm",
    "Flyway",
    "Liquibase",
    "LaunchDarkly",
    "Consul",
    "Vault",
    "AWS console",
    "Cloudflare",
    "Nomad",
    "Rundeck",
    "Buildkite",
    "GitLab CI",
    "CircleCI",
    "Salt",
    "Pulumi",
];

const JOB_VERBS: [&str; 14] = [
    "deploy",
    "restart",
    "migrate",
    "rotate-certs",
    "scale",
    "rollback",
    "reindex",
    "backfill",
    "purge-cache",
    "rebalance",
    "upgrade",
    "vacuum",
    "failover",
    "sync-config",
];

const SYMPTOMS: [&str; 12] = [
    "returned errors to most customers",
    "timed out for about a third of requests",
    "was unavailable",
    "served stale data",
    "dropped messages",
    "was slow for everyone in Europe",
    "rejected valid sessions",
    "double-charged some customers",
    "stopped processing its queue",
    "ran out of database connections",
    "filled its disks",
    "lost its cache",
];

const CAUSES: [&str; 12] = [
    "a deploy with a missing environment variable",
    "a restart of every server at once",
    "a certificate expired",
    "a schema migration locked a hot table",
    "a feature flag was turned on for everyone",
    "a config push with the wrong region",
    "a dependency upgrade changed a default",
    "a cache purge during peak traffic",
    "a scaling job removed too many instances",
    "a DNS record was replaced",
    "a failover that did not fail back",
    "a cron job ran twice",
];

const CONSEQUENCES: [&str; 8] = [
    "every instance restarted at the same moment, so nothing was left to serve traffic",
    "the new default concurrency was far higher than the old one",
    "the migration held a lock that every write waited behind",
    "the cache came back empty and the database could not take the load",
    "the health check passed while the service could not reach its database",
    "retries from every client multiplied the load tenfold",
    "the rollout reached production before the canary had reported",
    "the job treated an empty search as every server",
];

const CONTEXT: [&str; 8] = [
    "The change had been reviewed and tried in staging, where it behaved",
    "The runbook for this job was last updated two years ago",
    "The alert fired, but to a channel nobody was watching that morning",
    "Nobody had run this job against production since the team was reorganised",
    "The dashboards showed the error rate, not the share of customers affected",
    "A similar incident last year had a follow-up to add a confirmation step, still open",
    "The on-call engineer was new to this service and asked for help early",
    "Load was twice the usual because of a marketing campaign",
];

const SEVERITY_REASONS: [&str; 4] = [
    "A core function was lost for many customers while it lasted.",
    "Customers noticed, but there was a workaround.",
    "Internal users only; no customer saw it.",
    "Short and partial, but it touched payments.",
];

const ROLES: [&str; 10] = [
    "on-call engineer",
    "engineer running the change",
    "incident commander",
    "database administrator",
    "support lead",
    "platform engineer",
    "Jenkins",
    "the monitoring system",
    "release manager",
    "customer support",
];

const TIMELINE_OPENINGS: [&str; 10] = [
    "pages the on-call engineer:",
    "notices in the dashboards that",
    "posts in the incident channel that",
    "confirms from the logs that",
    "decides to roll back because",
    "starts the job; it reports that",
    "asks the database team to check whether",
    "tells customer support that",
    "sees the error rate drop as",
    "writes in the status page that",
];

const TIMELINE_MIDDLES: [&str; 10] = [
    "the error rate on the load balancers is above 30%",
    "every instance restarted within the same minute",
    "connections to the primary are exhausted",
    "the queue depth keeps growing",
    "requests from Europe time out after 30 seconds",
    "the canary never reported its health",
    "the certificate on the edge expired at midnight UTC",
    "the new configuration points at the wrong region",
    "the cache hit rate fell to zero",
    "retries from the mobile apps doubled the traffic",
];

const TIMELINE_ENDINGS: [&str; 8] = [
    "Nobody is paged yet.",
    "The team agrees to wait for the job to finish.",
    "Customers start reporting it on social media.",
    "The graphs recover within two minutes.",
    "The runbook does not cover this case.",
    "A second engineer joins the call.",
    "The change is paused for the rest of the day.",
    "Support posts a holding reply.",
];

const WENT_WELL: [&str; 6] = [
    "The engineer who made the change said so at once, so nobody hunted for the cause.",
    "The alert fired within two minutes.",
    "Rolling back took one command and worked the first time.",
    "Support had a holding reply out before customers asked.",
    "The runbook was accurate and easy to follow.",
    "Experts on the service were at hand and confirmed the recovery.",
];

const WENT_WRONG: [&str; 6] = [
    "A field left empty silently meant every server at once.",
    "Nothing asked for confirmation before touching production.",
    "The dashboards showed averages that hid the failing region.",
    "The change's review covered the steps, not the parameters.",
    "The alert went to a channel nobody watched.",
    "The rollback needed a person with rights who was asleep.",
];

const LUCKY: [&str; 4] = [
    "It happened at the quietest hour of the week.",
    "Every instance came back on its own.",
    "The engineer who knew the job was still online.",
    "The payment provider retried the failed charges.",
];

const CHANGE_VERBS: [&str; 5] = ["Ran", "Deployed", "Rolled out", "Scheduled", "Triggered"];

const FOLLOW_UP_VERBS: [&str; 6] = [
    "Make safe the default of",
    "Add a confirmation step to",
    "Alert on the error rate of",
    "Document the recovery of",
    "Add a canary stage to",
    "Limit the concurrency of",
];

const FOLLOW_UP_OBJECTS: [&str; 8] = [
    "the generic run-command job",
    "the deploy pipeline",
    "the schema migrations",
    "the certificate rotation",
    "the cache purge job",
    "the scaling policy",
    "the DNS changes",
    "the nightly backfill",
];

const FIRST_NAMES: [&str; 10] = [
    "Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Donald", "Margaret", "Ken", "Radia",
];
const LAST_NAMES: [&str; 10] = [
    "Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen", "Knuth", "Hamilton", "Thompson",
    "Perlman",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dataset_size_is_read_from_the_arguments() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(Seed::parse(&[]), Ok(Seed { incidents: 10_000 }));
        assert_eq!(
            Seed::parse(&args(&["--incidents", "500"])),
            Ok(Seed { incidents: 500 })
        );
        assert!(Seed::parse(&args(&["--incidents", "0"])).is_err());
        assert!(Seed::parse(&args(&["--incident", "5"])).is_err());
    }

    #[test]
    fn jobs_are_named_after_a_verb_and_a_service_and_repeat_across_incidents() {
        let people = [(1, "Ada Lovelace".to_owned())];
        let jobs: std::collections::HashSet<String> = (0..2_000)
            .map(|n| Story::new(n, 2_000, &people).job_name(0).1)
            .collect();
        assert!(jobs.len() > 100 && jobs.len() <= JOBS, "{}", jobs.len());
        assert!(jobs.iter().all(|j| !j.contains(' ')));
    }
}
