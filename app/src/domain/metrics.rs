//! Honest metrics across incidents: for time to detect, time to mitigate and impact duration,
//! the median and the 90th percentile with the number of incidents they rest on (never a bare
//! mean), "≈" when the value reported was itself only roughly known, a warning when there are
//! too few incidents to trust, and incidents left out only with a recorded reason.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::form::FieldErrors;
use crate::domain::incident::Severity;
use crate::domain::time::ApproxDuration;

/// Below this many incidents a figure comes with a warning: one more incident can move it a lot.
pub const SMALL_SAMPLE: usize = 5;

labelled_enum! {
    /// What is measured per incident, from the start of impact.
    pub enum Measure {
        TimeToDetect = ("time_to_detect", "Time to detect"),
        TimeToMitigate = ("time_to_mitigate", "Time to mitigate"),
        ImpactDuration = ("impact_duration", "Impact duration"),
    }
}

/// The median and 90th percentile of a sample, and its size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stat {
    pub n: usize,
    pub median: Option<ApproxDuration>,
    pub p90: Option<ApproxDuration>,
}

impl Stat {
    /// Of these durations. The median of an even number is the mean of the middle two; the
    /// 90th percentile is the nearest rank (the ⌈0.9·n⌉-th smallest). Each is approximate when
    /// a value it comes from is.
    pub fn of(values: &[ApproxDuration]) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_by_key(|d| (d.seconds, d.approximate));
        let n = sorted.len();
        if n == 0 {
            return Self::default();
        }
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            let (a, b) = (sorted[n / 2 - 1], sorted[n / 2]);
            ApproxDuration {
                seconds: (a.seconds + b.seconds) / 2,
                approximate: a.approximate || b.approximate,
            }
        };
        let rank = (n * 9).div_ceil(10);
        Self {
            n,
            median: Some(median),
            p90: Some(sorted[rank.max(1) - 1]),
        }
    }

    /// Whether too few incidents stand behind it to trust it.
    pub fn is_small_sample(&self) -> bool {
        self.n < SMALL_SAMPLE
    }
}

/// One incident's measures, as the metrics read them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentMeasures {
    pub id: i64,
    pub title: String,
    pub severity: Severity,
    pub services: Vec<String>,
    /// The day impact started (or the incident was recorded, when that is not known).
    pub day: NaiveDate,
    pub time_to_detect: Option<ApproxDuration>,
    pub time_to_mitigate: Option<ApproxDuration>,
    pub impact_duration: Option<ApproxDuration>,
    /// Why it is left out of the figures, when it is.
    pub excluded: Option<String>,
}

impl IncidentMeasures {
    /// One of its measures.
    pub fn get(&self, measure: Measure) -> Option<ApproxDuration> {
        match measure {
            Measure::TimeToDetect => self.time_to_detect,
            Measure::TimeToMitigate => self.time_to_mitigate,
            Measure::ImpactDuration => self.impact_duration,
        }
    }
}

/// The metrics page's query string, as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct MetricsQuery {
    /// "YYYY-MM-DD" or empty.
    pub from: String,
    pub to: String,
    /// A [`Severity::as_str`] or empty.
    pub severity: String,
    pub service: String,
}

/// A checked metrics filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricsFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub severity: Option<Severity>,
    pub service: String,
}

fn date(value: &str, field: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let text = value.trim();
    if text.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            errors.add(
                field,
                format!("“{text}” is not a date; enter it like 2020-04-30."),
            );
            None
        })
}

impl MetricsQuery {
    /// Reads the query; what cannot be read is left out and named in the errors.
    pub fn parse(&self) -> (MetricsFilter, FieldErrors) {
        let mut errors = FieldErrors::new();
        let from = date(&self.from, "from", &mut errors);
        let to = date(&self.to, "to", &mut errors);
        let severity = match self.severity.trim() {
            "" => None,
            text => Severity::parse(text).or_else(|| {
                errors.add("severity", format!("“{text}” is not a severity."));
                None
            }),
        };
        let (from, to) = match (from, to) {
            (Some(f), Some(t)) if f > t => {
                errors.add(
                    "to",
                    "The period ends before it starts; showing from the start date on.",
                );
                (Some(f), None)
            }
            other => other,
        };
        (
            MetricsFilter {
                from,
                to,
                severity,
                service: self.service.trim().to_owned(),
            },
            errors,
        )
    }
}

impl MetricsFilter {
    /// The metrics page for this filter at `page`: `/metrics?from=…&page=2`.
    pub fn href_at_page(&self, page: u64) -> String {
        use crate::domain::follow_up::encode;
        let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        let pairs = [
            ("from", day(self.from)),
            ("to", day(self.to)),
            ("severity", self.severity.map(|s| s.as_str().to_owned())),
            (
                "service",
                Some(self.service.clone()).filter(|s| !s.is_empty()),
            ),
            ("page", Some(page.to_string())),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name}={}", encode(v))))
            .collect();
        format!("/metrics?{}", query.join("&"))
    }

    /// Whether the incident is in the period, severity and service asked for.
    pub fn matches(&self, i: &IncidentMeasures) -> bool {
        self.from.is_none_or(|from| i.day >= from)
            && self.to.is_none_or(|to| i.day <= to)
            && self.severity.is_none_or(|s| s == i.severity)
            && (self.service.is_empty()
                || i.services
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(&self.service)))
    }
}

/// A month of incidents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Month {
    /// Its first day.
    pub starts: NaiveDate,
    /// Incidents that started in it (excluded ones too: they happened).
    pub incidents: usize,
    /// The median time to mitigate of the included ones.
    pub time_to_mitigate: Stat,
}

/// The figures for the incidents a filter matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Incidents in the period, excluded ones included.
    pub count: usize,
    pub by_severity: Vec<(Severity, usize)>,
    /// Per measure, over the incidents not excluded.
    pub stats: Vec<(Measure, Stat)>,
    /// Month by month from the first incident's month to the last's.
    pub months: Vec<Month>,
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn next_month(day: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// What the figures need of one incident: the day it started, whether it is left out, and its
/// measures (the metrics page reads only these of every incident it counts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measured {
    pub day: NaiveDate,
    pub excluded: bool,
    pub time_to_detect: Option<ApproxDuration>,
    pub time_to_mitigate: Option<ApproxDuration>,
    pub impact_duration: Option<ApproxDuration>,
}

impl Measured {
    /// One of its measures.
    pub fn get(&self, measure: Measure) -> Option<ApproxDuration> {
        match measure {
            Measure::TimeToDetect => self.time_to_detect,
            Measure::TimeToMitigate => self.time_to_mitigate,
            Measure::ImpactDuration => self.impact_duration,
        }
    }
}

impl From<&IncidentMeasures> for Measured {
    fn from(i: &IncidentMeasures) -> Self {
        Self {
            day: i.day,
            excluded: i.excluded.is_some(),
            time_to_detect: i.time_to_detect,
            time_to_mitigate: i.time_to_mitigate,
            impact_duration: i.impact_duration,
        }
    }
}

/// How many of `items` have each severity, in [`Severity::ALL`] order, those with none left out.
pub fn by_severity(items: &[IncidentMeasures]) -> Vec<(Severity, usize)> {
    Severity::ALL
        .into_iter()
        .map(|s| (s, items.iter().filter(|i| i.severity == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// The report for `items` (already filtered).
pub fn report(items: &[IncidentMeasures]) -> Report {
    let measured: Vec<Measured> = items.iter().map(Measured::from).collect();
    report_of(by_severity(items), &measured)
}

/// The report for incidents already filtered and counted by severity (as [`by_severity`]
/// counts them), from what the figures need of each of the same incidents.
pub fn report_of(by_severity: Vec<(Severity, usize)>, items: &[Measured]) -> Report {
    let counted: Vec<&Measured> = items.iter().filter(|i| !i.excluded).collect();
    let stats = Measure::ALL
        .into_iter()
        .map(|m| {
            let values: Vec<ApproxDuration> = counted.iter().filter_map(|i| i.get(m)).collect();
            (m, Stat::of(&values))
        })
        .collect();
    // Each month's incidents and the times to mitigate of those counted, in one pass.
    let mut by_month: std::collections::BTreeMap<NaiveDate, (usize, Vec<ApproxDuration>)> =
        std::collections::BTreeMap::new();
    for i in items {
        let month = by_month.entry(first_of_month(i.day)).or_default();
        month.0 += 1;
        if let Some(ttm) = i.time_to_mitigate.filter(|_| !i.excluded) {
            month.1.push(ttm);
        }
    }
    let mut months = Vec::new();
    let first = by_month.keys().next().copied();
    let last = by_month.keys().next_back().copied();
    if let (Some(mut month), Some(last)) = (first, last) {
        while month <= last {
            let (incidents, ttm) = by_month.get(&month).cloned().unwrap_or_default();
            months.push(Month {
                starts: month,
                incidents,
                time_to_mitigate: Stat::of(&ttm),
            });
            match next_month(month) {
                Some(next) => month = next,
                None => break,
            }
        }
    }
    Report {
        count: items.len(),
        by_severity,
        stats,
        months,
    }
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;
