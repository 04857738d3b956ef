//! Generators shared by the properties: hostile text for "never panics", and valid domain values
//! (as the forms would build them) for "reads back the same".

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, TimeZone, Utc};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

use crate::domain::change::{ChangeKind, ChangeRelation, NewChange, NewParameter};
use crate::domain::follow_up::{ActionType, NewFollowUp, Priority};
use crate::domain::form::{MAX_MARKDOWN_CHARS, MAX_SHORT_TEXT_CHARS, MAX_TITLE_CHARS};
use crate::domain::impact::{NewImpactFigure, Quantity, RatePer};
use crate::domain::incident::{
    IncidentStatus, Lessons, MilestoneKind, Milestones, NewIncident, Severity, parse_services,
};
use crate::domain::time::{ApproxDuration, Precision, RecordedTime};
use crate::domain::timeline::{EntryKind, Marker, NewTimelineEntry};

/// Text a person or a client might send, and worse: any characters (control characters and
/// every plane of unicode), near-misses of numbers, times and durations, huge numbers, and
/// very long input.
pub(super) fn hostile() -> BoxedStrategy<String> {
    prop_oneof![
        4 => vec(any::<char>(), 0..40).prop_map(String::from_iter),
        3 => "[0-9 .,:+\\-−TZe~≈hmsdayor]{0,30}",
        2 => "[+-]?[0-9]{1,7}-[0-9]{1,3}-[0-9]{1,3}([T ][0-9]{1,3}:[0-9]{1,3}(:[0-9]{1,3}(\\.[0-9]{0,12})?)?)?",
        1 => "[0-9]{15,400}",
        1 => (any::<char>(), 0..25_000usize)
            .prop_map(|(c, n)| std::iter::repeat_n(c, n).collect::<String>()),
        1 => select(vec![
            "NaN", "inf", "-inf", "infinity", "-0", "1e309", "1e-400", "0x10", "+5", "−5", "≈",
            "~", "and", "1 and", "1 h and", " ", "\u{0}", "\u{feff}1", "١٢٣", "1,00", ",000",
            "9223372036854775808", "-9223372036854775809", "0", "none", "on",
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

/// Trimmed text of at most `max` characters, possibly empty, sometimes exactly `max` long.
pub(super) fn text(max: usize) -> BoxedStrategy<String> {
    let clean = move |s: String| -> String {
        s.trim()
            .chars()
            .take(max)
            .collect::<String>()
            .trim()
            .to_owned()
    };
    prop_oneof![
        8 => vec(any::<char>(), 0..40).prop_map(move |c| clean(String::from_iter(c))),
        1 => any::<char>().prop_map(move |c| clean(std::iter::repeat_n(c, max).collect())),
    ]
    .boxed()
}

/// Like [`text`], never empty.
pub(super) fn required(max: usize) -> BoxedStrategy<String> {
    text(max)
        .prop_filter("non-empty", |s| !s.is_empty())
        .boxed()
}

/// A value of a labelled enum.
pub(super) fn one_of<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> BoxedStrategy<T> {
    select(all).boxed()
}

/// Minutes east of UTC of any offset a clock can have.
pub(super) fn offset_minutes() -> impl Strategy<Value = i32> {
    -1439..=1439i32
}

/// The fixed zone `offset_minutes` east of UTC.
pub(super) fn zone(offset_minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(offset_minutes * 60).expect("offset_minutes() is under a day")
}

/// A valid recorded time entered at `offset_minutes`: any plausible year, any precision.
pub(super) fn recorded_time_at(offset_minutes: i32) -> BoxedStrategy<RecordedTime> {
    let first = Utc
        .with_ymd_and_hms(1900, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid date")
        .timestamp();
    let last = Utc
        .with_ymd_and_hms(2200, 12, 31, 23, 59, 59)
        .single()
        .expect("a valid date")
        .timestamp();
    (first..=last, one_of(&Precision::ALL), 1..=10 * 86_400i64)
        .prop_filter_map("a plausible time", move |(at, precision, length)| {
            let at = DateTime::from_timestamp(at, 0)?;
            let until = (precision == Precision::Range).then(|| at + TimeDelta::seconds(length));
            RecordedTime::new(at, until, precision, offset_minutes).ok()
        })
        .boxed()
}

/// A duration a form accepts: up to a thousand years, exact or approximate.
pub(super) fn duration() -> impl Strategy<Value = ApproxDuration> {
    (0..=31_622_400_000i64, any::<bool>()).prop_map(|(seconds, approximate)| ApproxDuration {
        seconds,
        approximate,
    })
}

/// A finite number that is not negative: whole, fractional, tiny and huge.
pub(super) fn amount() -> BoxedStrategy<f64> {
    prop_oneof![
        (0u32..1_000_000).prop_map(f64::from),
        0.0..1_000_000.0f64,
        0.0..f64::MAX,
        select(vec![0.0, 0.1 + 0.2, 1e-300, f64::MIN_POSITIVE, f64::MAX]),
    ]
    .boxed()
}

pub(super) fn quantity() -> BoxedStrategy<Quantity> {
    prop_oneof![
        amount().prop_map(Quantity::Exact),
        amount().prop_map(Quantity::Approximate),
        (amount(), amount())
            .prop_filter("low below high", |(low, high)| low < high)
            .prop_map(|(low, high)| Quantity::Range { low, high }),
        (0.0..=100.0f64, any::<bool>()).prop_map(|(percent, approximate)| Quantity::Share {
            percent,
            approximate
        }),
        (amount(), any::<bool>(), select(RatePer::ALL.to_vec())).prop_map(
            |(value, approximate, per)| Quantity::Rate {
                value,
                approximate,
                per
            }
        ),
        (amount(), any::<bool>(), "[A-Z]{3}").prop_map(|(amount, approximate, currency)| {
            Quantity::Money {
                amount,
                approximate,
                currency,
            }
        }),
        required(MAX_SHORT_TEXT_CHARS).prop_map(|reason| Quantity::NotMeasured { reason }),
    ]
    .boxed()
}

pub(super) fn impact_figure() -> impl Strategy<Value = NewImpactFigure> {
    (
        required(MAX_SHORT_TEXT_CHARS),
        quantity(),
        text(MAX_SHORT_TEXT_CHARS),
        option::of(duration()),
        text(MAX_MARKDOWN_CHARS),
        any::<bool>(),
    )
        .prop_map(
            |(affected, quantity, unit, window, estimation, customer_visible)| NewImpactFigure {
                affected,
                // Money and what was not measured have no unit: their forms do not read one.
                unit: match quantity {
                    Quantity::Money { .. } | Quantity::NotMeasured { .. } => String::new(),
                    _ => unit,
                },
                quantity,
                window,
                estimation,
                customer_visible,
            },
        )
}

/// A valid parameter: a value unless it took the default.
pub(super) fn parameter() -> impl Strategy<Value = NewParameter> {
    (
        required(MAX_SHORT_TEXT_CHARS),
        text(MAX_MARKDOWN_CHARS),
        any::<bool>(),
    )
        .prop_map(|(name, value, is_default)| NewParameter {
            is_default: is_default || value.is_empty(),
            name,
            value,
        })
}

/// Parameters of one change: no name twice (ignoring ASCII case, as the rules do).
pub(super) fn parameters() -> impl Strategy<Value = Vec<NewParameter>> {
    vec(parameter(), 0..4).prop_map(|all| {
        let mut kept: Vec<NewParameter> = Vec::new();
        for p in all {
            if !kept.iter().any(|q| q.name.eq_ignore_ascii_case(&p.name)) {
                kept.push(p);
            }
        }
        kept
    })
}

/// A valid change whose time was entered at `offset_minutes`.
pub(super) fn change_at(offset_minutes: i32) -> impl Strategy<Value = NewChange> {
    (
        (
            required(MAX_TITLE_CHARS),
            one_of(&ChangeKind::ALL),
            required(MAX_SHORT_TEXT_CHARS),
            text(MAX_SHORT_TEXT_CHARS),
            option::of("[hH][tT][tT][pP][sS]?://[a-zA-Z0-9./?=_%:#&-]{1,60}"),
            option::of(recorded_time_at(offset_minutes)),
        ),
        (
            text(MAX_SHORT_TEXT_CHARS),
            text(MAX_MARKDOWN_CHARS),
            text(MAX_SHORT_TEXT_CHARS),
            one_of(&ChangeRelation::ALL),
            text(MAX_MARKDOWN_CHARS),
        ),
    )
        .prop_map(
            |(
                (summary, kind, system, identifier, link, time),
                (started_by, plan, reviewer, relation, rationale_md),
            )| NewChange {
                summary,
                kind,
                system,
                identifier,
                link,
                time,
                started_by,
                plan,
                reviewer,
                relation,
                rationale_md,
            },
        )
}

/// A valid timeline entry whose time was entered at `offset_minutes`.
pub(super) fn timeline_entry_at(offset_minutes: i32) -> impl Strategy<Value = NewTimelineEntry> {
    (
        recorded_time_at(offset_minutes),
        one_of(&EntryKind::ALL),
        option::of(one_of(&Marker::ALL)),
        required(MAX_SHORT_TEXT_CHARS),
        required(MAX_MARKDOWN_CHARS),
        text(MAX_SHORT_TEXT_CHARS),
    )
        .prop_map(
            |(time, kind, marker, actor, body_md, time_source)| NewTimelineEntry {
                time,
                kind,
                marker,
                actor,
                body_md,
                time_source,
            },
        )
}

/// Any date chrono can hold.
pub(super) fn any_date() -> impl Strategy<Value = NaiveDate> {
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
        .prop_filter_map("a date", NaiveDate::from_num_days_from_ce_opt)
}

/// A date someone would set as a due date.
pub(super) fn due_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        4 => (1900..=2200i32, 1..=366u32)
            .prop_filter_map("a date", |(y, d)| NaiveDate::from_yo_opt(y, d)),
        1 => any_date(),
    ]
}

/// A valid follow-up as its form builds it: a parameter only with its change.
pub(super) fn follow_up() -> impl Strategy<Value = NewFollowUp> {
    (
        (
            required(MAX_TITLE_CHARS),
            text(MAX_MARKDOWN_CHARS),
            one_of(&ActionType::ALL),
            one_of(&Priority::ALL),
        ),
        (
            option::of(1..=i64::MAX),
            text(MAX_SHORT_TEXT_CHARS),
            option::of(due_date()),
            option::of(1..=i64::MAX),
            option::of(1..=i64::MAX),
        ),
    )
        .prop_map(
            |(
                (title, description_md, action_type, priority),
                (owner_id, owner, due, change_id, parameter_id),
            )| NewFollowUp {
                title,
                description_md,
                action_type,
                priority,
                owner_id,
                owner,
                due,
                change_id,
                parameter_id: change_id.and(parameter_id),
                factor_id: None,
            },
        )
}

/// Milestones in order, each entered at `offset_minutes`, some left out.
pub(super) fn milestones_at(offset_minutes: i32) -> impl Strategy<Value = Milestones> {
    vec(option::of(recorded_time_at(offset_minutes)), 4).prop_map(|slots| {
        // Sorted by their earliest time, every later one's latest is at or after every
        // earlier one's earliest: in order.
        let mut times: Vec<RecordedTime> = slots.iter().flatten().copied().collect();
        times.sort_by_key(RecordedTime::earliest);
        let mut times = times.into_iter();
        let mut milestones = Milestones::default();
        for (kind, slot) in MilestoneKind::ALL.into_iter().zip(&slots) {
            if slot.is_some() {
                milestones.set(kind, times.next());
            }
        }
        milestones
    })
}

/// A valid incident (as a draft) whose times were entered at `offset_minutes`.
pub(super) fn incident_at(offset_minutes: i32) -> impl Strategy<Value = NewIncident> {
    (
        required(MAX_TITLE_CHARS),
        text(MAX_MARKDOWN_CHARS),
        one_of(&Severity::ALL),
        vec(text(MAX_SHORT_TEXT_CHARS), 0..4),
        milestones_at(offset_minutes),
    )
        .prop_map(
            |(title, summary_md, severity, services, milestones)| NewIncident {
                title,
                summary_md,
                severity,
                status: IncidentStatus::Draft,
                services: parse_services(&services.join(",")),
                milestones,
            },
        )
}

pub(super) fn lessons() -> impl Strategy<Value = Lessons> {
    (
        text(MAX_MARKDOWN_CHARS),
        text(MAX_MARKDOWN_CHARS),
        text(MAX_MARKDOWN_CHARS),
    )
        .prop_map(|(went_well_md, went_wrong_md, lucky_md)| Lessons {
            went_well_md,
            went_wrong_md,
            lucky_md,
        })
}
