//! The facts of the worked example, told as domain values: 23 March 2020, UK time (then UTC+0).
//! Actors are roles, never names.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::ExampleFollowUp;
use crate::domain::change::{ChangeKind, ChangeRelation, NewChange, NewParameter};
use crate::domain::follow_up::{ActionType, FollowUpState, NewFollowUp, Priority};
use crate::domain::impact::{NewImpactFigure, Quantity};
use crate::domain::incident::{IncidentStatus, Lessons, Milestones, NewIncident, Severity};
use crate::domain::time::{ApproxDuration, Precision, RecordedTime};
use crate::domain::timeline::{EntryKind, Marker, NewTimelineEntry};

/// UK time on 23 March 2020 was GMT, so local times and UTC agree.
const UK_OFFSET_MINUTES: i32 = 0;

/// Why the story could not be told: a date or time chrono refused. It cannot happen for the
/// fixed dates used, but a request that loads the example answers with an error, never a panic.
pub type Untold = String;

pub(super) fn march_2020(day: u32, hour: u32, minute: u32) -> Result<DateTime<Utc>, Untold> {
    Utc.with_ymd_and_hms(2020, 3, day, hour, minute, 0)
        .single()
        .ok_or_else(|| format!("23 March 2020 has no {day} {hour}:{minute:02}"))
}

fn on_the_day(precision: Precision, hour: u32, minute: u32) -> Result<RecordedTime, Untold> {
    RecordedTime::new(
        march_2020(23, hour, minute)?,
        None,
        precision,
        UK_OFFSET_MINUTES,
    )
    .map_err(|e| e.to_string())
}

fn between(from: DateTime<Utc>, until: DateTime<Utc>) -> Result<RecordedTime, Untold> {
    RecordedTime::new(from, Some(until), Precision::Range, UK_OFFSET_MINUTES)
        .map_err(|e| e.to_string())
}

fn due(month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2020, month, day)
}

const ENGINEER: &str = "engineer running the change";
const REVIEWER: &str = "senior engineer, not involved in the change";
const APP_EXPERTS: &str = "engineers who know the Java applications";

pub(super) fn incident() -> Result<NewIncident, Untold> {
    use Precision::{Approximate, Minute};
    Ok(NewIncident {
        title: "Customer logins failed across all products for about a minute".into(),
        summary_md: "On 23 March 2020 at about 10:27 (UK time, UTC+0), every customer login \
                     across all our products failed for about a minute; about 500 logins failed.\n\n\
                     A planned and reviewed rollout of new JMX settings (how the Java \
                     applications' metrics are collected) restarted the applications with \
                     Jenkins' generic run-command job, with its concurrency left unset. That \
                     job's default concurrency is high because it is used across hundreds of \
                     servers, so every Java application server restarted at once instead of one \
                     after another.\n\n\
                     **Severity: SEV1.** For as long as it lasted, customers could not log in to \
                     any product, a core function lost for everyone; it was short, but total."
            .into(),
        severity: Severity::Sev1,
        status: IncidentStatus::Draft,
        services: vec![
            "Login".into(),
            "Java applications".into(),
            "Jenkins".into(),
        ],
        milestones: Milestones {
            impact_started: Some(on_the_day(Approximate, 10, 27)?),
            detected: Some(on_the_day(Minute, 10, 28)?),
            mitigated: Some(on_the_day(Approximate, 10, 28)?),
            resolved: Some(between(march_2020(23, 10, 28)?, march_2020(23, 10, 29)?)?),
        },
    })
}

pub(super) fn lessons() -> Lessons {
    Lessons {
        went_well_md: "- The engineer running the change said at once “I have caused an \
                       outage”, so others could fix and measure instead of investigating.\n\
                       - Seeing the job reach every server, they paused before killing it; \
                       killing it would have stopped the applications from coming back.\n\
                       - They asked for help, and engineers who know the applications confirmed \
                       a clean recovery and measured the impact.\n\
                       - The plan had been reviewed by a senior engineer not involved in the \
                       change, and the risky part had been tried outside production first."
            .into(),
        went_wrong_md: "- The generic run-command job defaults to a high concurrency because it \
                        is used across hundreds of servers, so a field left unset silently \
                        meant “every server at once”.\n\
                        - Nothing in the job asks for confirmation when a run will touch every \
                        server.\n\
                        - The dedicated application-restart job, which starts with one server \
                        and waits for a check before going on, is mostly run as part of \
                        deploys, so it was not well known to the people planning this change; \
                        it restarts one application, and several were involved.\n\
                        - The plan review covered the steps, not the parameters the restart job \
                        would run with."
            .into(),
        lucky_md: "- Every application came back cleanly on its own; had one not, the outage \
                   would have lasted until someone restarted it by hand.\n\
                   - Engineers who know the applications were at hand to confirm the recovery."
            .into(),
    }
}

pub(super) fn timeline() -> Result<Vec<NewTimelineEntry>, Untold> {
    use Precision::{Approximate, Minute};
    Ok(vec![
        entry(
            between(march_2020(16, 9, 0)?, march_2020(20, 18, 0)?)?,
            EntryKind::Change,
            None,
            "platform engineers",
            "In the days before (the exact date is not recorded), an earlier attempt at the \
             same JMX change broke metrics collection for the Java applications. Customers \
             were not affected.",
        )
        .time_from("memory; the date was not recorded"),
        entry(
            between(march_2020(18, 9, 0)?, march_2020(20, 18, 0)?)?,
            EntryKind::Change,
            None,
            ENGINEER,
            "The corrected JMX settings go to non-production environments first, more slowly \
             than usual, and work there.",
        )
        .time_from("memory; the date was not recorded"),
        entry(
            on_the_day(Approximate, 9, 30)?,
            EntryKind::Decision,
            None,
            REVIEWER,
            "Reviews and approves the plan: deploy the JMX configuration with Chef, run \
             chef-client on all Java application servers, restart the Java applications in \
             sequence.",
        )
        .time_from("the reviewer's memory"),
        entry(
            on_the_day(Approximate, 10, 27)?,
            EntryKind::Change,
            None,
            ENGINEER,
            "Starts Jenkins' generic run-command job to restart the Java applications \
             (environment: production; search: all Java application servers; command: \
             restart the Java application). The concurrency field is left unset.",
        )
        .time_from("the engineer's memory"),
        entry(
            on_the_day(Minute, 10, 28)?,
            EntryKind::Observation,
            Some(Marker::Detection),
            ENGINEER,
            "Sees the job connect to every Java application server at once instead of one \
             at a time.",
        ),
        entry(
            on_the_day(Minute, 10, 28)?,
            EntryKind::Communication,
            Some(Marker::KeyMoment),
            ENGINEER,
            "Says in the team channel: “I have caused an outage.” Everyone can start fixing \
             and measuring straight away instead of looking for the cause.",
        ),
        entry(
            on_the_day(Approximate, 10, 28)?,
            EntryKind::Decision,
            Some(Marker::KeyMoment),
            ENGINEER,
            "About to kill the job, pauses instead: killing it would have stopped the \
             applications from coming back. Lets it finish and asks for help.",
        )
        .time_from("the engineer's memory"),
        entry(
            on_the_day(Approximate, 10, 29)?,
            EntryKind::Action,
            Some(Marker::Repair),
            APP_EXPERTS,
            "Confirm that every Java application came back cleanly after the restart.",
        )
        .time_from("the experts' memory"),
        entry(
            on_the_day(Approximate, 10, 45)?,
            EntryKind::Action,
            None,
            APP_EXPERTS,
            "Measure the impact from the load-balancer logs: about 500 customer logins \
             failed, over about a minute.",
        )
        .time_from("the experts' memory"),
    ])
}

pub(super) fn impact() -> Vec<NewImpactFigure> {
    vec![NewImpactFigure {
        affected: "customer logins failed".into(),
        quantity: Quantity::Approximate(500.0),
        unit: String::new(),
        window: Some(ApproxDuration {
            seconds: 60,
            approximate: true,
        }),
        estimation: "count of failed login requests in load-balancer logs".into(),
        customer_visible: true,
    }]
}

pub(super) fn change() -> Result<NewChange, Untold> {
    Ok(NewChange {
        summary: "Restart of the Java applications during the JMX settings rollout".into(),
        kind: ChangeKind::JobRun,
        system: "Jenkins".into(),
        identifier: "generic run-command job".into(),
        link: None,
        time: Some(on_the_day(Precision::Approximate, 10, 27)?),
        started_by: ENGINEER.into(),
        plan: "Deploy JMX config with Chef; run chef-client on all Java app servers; restart \
               the Java apps in sequence"
            .into(),
        reviewer: REVIEWER.into(),
        relation: ChangeRelation::ConfirmedTrigger,
        rationale_md: "The job ran with its concurrency left unset. Because the generic job is \
                       used across hundreds of servers, its default concurrency is high, so it \
                       restarted every Java application server at once and logins failed until \
                       the applications came back. Restarting in sequence, as the plan \
                       intended, would have kept login up."
            .into(),
    })
}

pub(super) fn parameters() -> Vec<NewParameter> {
    vec![
        parameter("environment", "production", false),
        parameter("search", "all Java application servers", false),
        parameter("command", "restart the Java application", false),
        parameter("concurrency", "", true),
    ]
}

pub(super) fn follow_ups() -> Vec<ExampleFollowUp> {
    vec![
        ExampleFollowUp {
            follow_up: follow_up(
                "Give plans that use the generic run-command job extra scrutiny",
                "Reviews of a plan that runs the generic job check every parameter it will run \
                 with, including those left at their defaults.",
                ActionType::Process,
                Priority::P2,
                "Platform team",
                due(4, 30),
            ),
            targets_parameter: None,
            targets_change: true,
            state: FollowUpState::Committed,
        },
        ExampleFollowUp {
            follow_up: follow_up(
                "Teach the dedicated application-restart job to everyone who plans changes",
                "Show when to use it instead of the generic job, and how it checks one server \
                 before going on.",
                ActionType::Educate,
                Priority::P3,
                "Platform team",
                due(5, 15),
            ),
            targets_parameter: None,
            targets_change: false,
            state: FollowUpState::Committed,
        },
        ExampleFollowUp {
            follow_up: follow_up(
                "Make the generic job's default concurrency safe",
                "Default to one server at a time; runs that need more say so explicitly.",
                ActionType::Prevent,
                Priority::P1,
                "",
                None,
            ),
            targets_parameter: Some("concurrency".into()),
            targets_change: true,
            state: FollowUpState::Proposed,
        },
        ExampleFollowUp {
            follow_up: follow_up(
                "Ask for confirmation when a run would touch every server",
                "Show how many servers the search matches and ask before going on.",
                ActionType::Prevent,
                Priority::P2,
                "",
                None,
            ),
            targets_parameter: None,
            targets_change: true,
            state: FollowUpState::Proposed,
        },
    ]
}

fn entry(
    time: RecordedTime,
    kind: EntryKind,
    marker: Option<Marker>,
    actor: &str,
    body: &str,
) -> NewTimelineEntry {
    NewTimelineEntry {
        time,
        kind,
        marker,
        actor: actor.into(),
        body_md: body.into(),
        time_source: String::new(),
    }
}

/// Says where an entry's time comes from.
trait Sourced {
    fn time_from(self, source: &str) -> Self;
}

impl Sourced for NewTimelineEntry {
    fn time_from(self, source: &str) -> Self {
        NewTimelineEntry {
            time_source: source.into(),
            ..self
        }
    }
}

fn parameter(name: &str, value: &str, is_default: bool) -> NewParameter {
    NewParameter {
        name: name.into(),
        value: value.into(),
        is_default,
    }
}

fn follow_up(
    title: &str,
    description: &str,
    action_type: ActionType,
    priority: Priority,
    owner: &str,
    due: Option<NaiveDate>,
) -> NewFollowUp {
    NewFollowUp {
        title: title.into(),
        description_md: description.into(),
        action_type,
        priority,
        owner_id: None,
        owner: owner.into(),
        due,
        change_id: None,
        parameter_id: None,
        factor_id: None,
    }
}
