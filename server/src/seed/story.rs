//! One seeded incident: its story decided from its number, then written through the
//! repositories (postmortem, milestones, lessons, timeline, impact, changes, follow-ups,
//! history, search documents and published version).

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use sea_orm::{ConnectionTrait, DbErr};

use app::domain::change::{ChangeKind, ChangeRelation, NewChange, NewParameter};
use app::domain::follow_up::{
    ActionType, FollowUp, FollowUpState, NewFollowUp, Priority, Verification,
};
use app::domain::history::{Action, HistoryEntry, Part};
use app::domain::impact::{NewImpactFigure, Quantity};
use app::domain::incident::{IncidentStatus, Lessons, Milestones, NewIncident, Severity};
use app::domain::time::{ApproxDuration, Precision, RecordedTime};
use app::domain::timeline::{EntryKind, Marker, NewTimelineEntry};
use app::server::repo::{
    changes, follow_ups, history, impact, incidents, published, search, timeline,
};

use super::text::{
    CAUSES, CHANGE_VERBS, CONSEQUENCES, CONTEXT, Dice, FOLLOW_UP_OBJECTS, FOLLOW_UP_VERBS,
    JOB_VERBS, JOBS, LUCKY, ROLES, SERVICES, SEVERITY_REASONS, SYMPTOMS, SYSTEMS, TIMELINE_ENDINGS,
    TIMELINE_MIDDLES, TIMELINE_OPENINGS, WENT_WELL, WENT_WRONG, capitalised,
};
use super::{CHANGES_PER_INCIDENT, FOLLOW_UPS_PER_INCIDENT, TIMELINE_PER_INCIDENT};

/// One incident's postmortem, decided before anything is written.
pub(super) struct Story<'p> {
    n: usize,
    dice_seed: usize,
    pub(super) status: IncidentStatus,
    started: DateTime<Utc>,
    service: &'static str,
    job: usize,
    people: &'p [(i64, String)],
}

impl<'p> Story<'p> {
    pub(super) fn new(n: usize, total: usize, people: &'p [(i64, String)]) -> Self {
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

    pub(super) fn at(&self, minutes: i64, precision: Precision) -> Result<RecordedTime, DbErr> {
        RecordedTime::new(
            self.started + Duration::minutes(minutes),
            None,
            precision,
            0,
        )
        .map_err(|e| DbErr::Custom(format!("a seeded time: {e}")))
    }

    pub(super) fn job_name(&self, offset: usize) -> (String, String) {
        let job = (self.job + offset * 37) % JOBS;
        let system = SYSTEMS[job % SYSTEMS.len()];
        let verb = JOB_VERBS[(job / SYSTEMS.len()) % JOB_VERBS.len()];
        let target = SERVICES[(job * 7) % SERVICES.len()]
            .to_lowercase()
            .replace(' ', "-");
        (system.to_owned(), format!("{verb}-{target}"))
    }

    pub(super) async fn write<C: ConnectionTrait>(
        &self,
        tx: &C,
        author: (i64, &str),
    ) -> Result<i64, DbErr> {
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
                time_source: String::new(),
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
                factor_id: None,
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
        search::index_new(tx, id).await?;
        if self.status != IncidentStatus::Draft {
            incidents::set_review(tx, id, self.status, 1).await?;
        }
        if self.status == IncidentStatus::Published {
            published::keep(tx, id).await?;
        }
        Ok(id)
    }
}
