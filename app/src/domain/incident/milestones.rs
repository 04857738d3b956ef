//! The four milestones of an incident (impact started, detected, mitigated, resolved), the rule
//! that they happen in that order, and the durations measured between them.

use serde::{Deserialize, Serialize};

use crate::domain::time::{ApproxDuration, RecordedTime};

labelled_enum! {
    /// The four moments every incident is measured by, in the order they must happen.
    pub enum MilestoneKind {
        /// Customers (or systems) started to be affected.
        ImpactStarted = ("impact_started", "Impact started"),
        /// Someone or something noticed.
        Detected = ("detected", "Detected"),
        /// The impact was stopped or reduced.
        Mitigated = ("mitigated", "Mitigated"),
        /// The impact was over.
        Resolved = ("resolved", "Resolved (impact ended)"),
    }
}

/// When each milestone happened, where known.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestones {
    /// When impact started.
    pub impact_started: Option<RecordedTime>,
    /// When the incident was detected.
    pub detected: Option<RecordedTime>,
    /// When the impact was mitigated.
    pub mitigated: Option<RecordedTime>,
    /// When the impact ended.
    pub resolved: Option<RecordedTime>,
}

/// Two milestones recorded out of order.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{message}")]
pub struct MilestoneOrderError {
    /// The milestone that should come later but is recorded before the other.
    pub later: MilestoneKind,
    /// The milestone it is recorded before.
    pub earlier: MilestoneKind,
    /// Names both milestones and both times as entered.
    pub message: String,
}

impl Milestones {
    /// The time of one milestone.
    pub fn get(&self, kind: MilestoneKind) -> Option<&RecordedTime> {
        match kind {
            MilestoneKind::ImpactStarted => self.impact_started.as_ref(),
            MilestoneKind::Detected => self.detected.as_ref(),
            MilestoneKind::Mitigated => self.mitigated.as_ref(),
            MilestoneKind::Resolved => self.resolved.as_ref(),
        }
    }

    /// Records (or, with `None`, forgets) the time of one milestone.
    pub fn set(&mut self, kind: MilestoneKind, time: Option<RecordedTime>) {
        let slot = match kind {
            MilestoneKind::ImpactStarted => &mut self.impact_started,
            MilestoneKind::Detected => &mut self.detected,
            MilestoneKind::Mitigated => &mut self.mitigated,
            MilestoneKind::Resolved => &mut self.resolved,
        };
        *slot = time;
    }

    /// Checks every pair of recorded milestones, not only neighbours: a later milestone is out
    /// of order when even its latest possible time is before the earliest possible time of an
    /// earlier one. Overlapping ranges and equal times are in order.
    ///
    /// # Errors
    /// The first pair out of order, e.g. "Detected (23 Mar 2020 10:20 (UTC+00:00)) is before
    /// Impact started (23 Mar 2020 10:27 (UTC+00:00)): milestones must be in order."
    pub fn check_order(&self) -> Result<(), MilestoneOrderError> {
        for (i, &later) in MilestoneKind::ALL.iter().enumerate() {
            let Some(later_time) = self.get(later) else {
                continue;
            };
            for &earlier in MilestoneKind::ALL.iter().take(i) {
                let Some(earlier_time) = self.get(earlier) else {
                    continue;
                };
                if later_time.latest() < earlier_time.earliest() {
                    return Err(MilestoneOrderError {
                        later,
                        earlier,
                        message: format!(
                            "{} ({}) is before {} ({}): milestones must be in order.",
                            later.label(),
                            later_time.display_as_entered(),
                            earlier.label(),
                            earlier_time.display_as_entered()
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Milestones in order can still have midpoints out of order (overlapping ranges): the
    /// duration is then "≈0", never negative.
    fn since_impact_started(&self, kind: MilestoneKind) -> Option<ApproxDuration> {
        let d = ApproxDuration::between(self.impact_started.as_ref()?, self.get(kind)?);
        Some(if d.seconds < 0 {
            ApproxDuration {
                seconds: 0,
                approximate: true,
            }
        } else {
            d
        })
    }

    /// From impact starting to detection.
    pub fn time_to_detect(&self) -> Option<ApproxDuration> {
        self.since_impact_started(MilestoneKind::Detected)
    }

    /// From impact starting to mitigation.
    pub fn time_to_mitigate(&self) -> Option<ApproxDuration> {
        self.since_impact_started(MilestoneKind::Mitigated)
    }

    /// From impact starting to impact ending.
    pub fn impact_duration(&self) -> Option<ApproxDuration> {
        self.since_impact_started(MilestoneKind::Resolved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::Precision;
    use crate::domain::time::tests::{approx, minute, range, utc};

    fn milestones(times: [Option<RecordedTime>; 4]) -> Milestones {
        let mut m = Milestones::default();
        for (kind, time) in MilestoneKind::ALL.into_iter().zip(times) {
            m.set(kind, time);
        }
        m
    }

    #[test]
    fn milestone_kinds_are_listed_in_the_order_they_happen() {
        assert_eq!(
            MilestoneKind::ALL.map(MilestoneKind::as_str),
            ["impact_started", "detected", "mitigated", "resolved"]
        );
        assert_eq!(MilestoneKind::Resolved.label(), "Resolved (impact ended)");
        assert_eq!(
            MilestoneKind::parse("detected"),
            Some(MilestoneKind::Detected)
        );
    }

    #[test]
    fn each_milestone_is_set_and_read_in_its_own_slot() {
        let mut m = Milestones::default();
        for (i, kind) in MilestoneKind::ALL.into_iter().enumerate() {
            m.set(kind, Some(minute(10, i as u32)));
        }
        for (i, kind) in MilestoneKind::ALL.into_iter().enumerate() {
            assert_eq!(m.get(kind), Some(&minute(10, i as u32)));
        }
        assert_eq!(m.detected, Some(minute(10, 1)));
        m.set(MilestoneKind::Detected, None);
        assert_eq!(m.get(MilestoneKind::Detected), None);
    }

    #[test]
    fn milestones_in_order_pass() {
        let m = milestones([
            Some(approx(10, 27)),
            Some(minute(10, 28)),
            Some(approx(10, 28)),
            Some(range((10, 28), (10, 29))),
        ]);
        assert_eq!(m.check_order(), Ok(()));
        assert_eq!(Milestones::default().check_order(), Ok(()));
    }

    #[test]
    fn equal_times_are_in_order() {
        let m = milestones([Some(minute(10, 28)); 4]);
        assert_eq!(m.check_order(), Ok(()));
    }

    #[test]
    fn detected_before_impact_start_is_rejected() {
        let m = milestones([Some(minute(10, 27)), Some(minute(10, 20)), None, None]);
        let error = m.check_order().unwrap_err();
        assert_eq!(error.later, MilestoneKind::Detected);
        assert_eq!(error.earlier, MilestoneKind::ImpactStarted);
        assert_eq!(
            error.to_string(),
            "Detected (23 Mar 2020 10:20 (UTC+00:00)) is before Impact started \
             (23 Mar 2020 10:27 (UTC+00:00)): milestones must be in order."
        );
        assert_eq!(error.message, error.to_string());
    }

    #[test]
    fn milestones_that_are_not_neighbours_are_compared_too() {
        let m = milestones([Some(minute(10, 27)), None, None, Some(minute(10, 25))]);
        let error = m.check_order().unwrap_err();
        assert_eq!(
            (error.later, error.earlier),
            (MilestoneKind::Resolved, MilestoneKind::ImpactStarted)
        );

        // Every neighbour is in order here, only mitigated and detected are not.
        let m = milestones([
            Some(minute(10, 0)),
            Some(minute(10, 30)),
            Some(minute(10, 20)),
            None,
        ]);
        let error = m.check_order().unwrap_err();
        assert_eq!(
            (error.later, error.earlier),
            (MilestoneKind::Mitigated, MilestoneKind::Detected)
        );
    }

    #[test]
    fn overlapping_ranges_are_in_order() {
        let m = milestones([
            Some(range((10, 25), (10, 30))),
            Some(minute(10, 26)),
            Some(range((10, 20), (10, 27))),
            None,
        ]);
        assert_eq!(m.check_order(), Ok(()));
        let ttd = m.time_to_detect().expect("both recorded");
        assert_eq!(
            (ttd.seconds, ttd.approximate),
            (0, true),
            "never a negative duration"
        );
    }

    #[test]
    fn a_range_wholly_before_an_earlier_milestone_is_rejected() {
        let m = milestones([
            Some(minute(10, 25)),
            Some(range((10, 20), (10, 24))),
            None,
            None,
        ]);
        assert_eq!(
            m.check_order().unwrap_err().message,
            "Detected (between 23 Mar 2020 10:20 and 10:24 (UTC+00:00)) is before Impact \
             started (23 Mar 2020 10:25 (UTC+00:00)): milestones must be in order."
        );
    }

    #[test]
    fn times_are_named_in_the_offset_they_were_entered_in() {
        let detected = RecordedTime::new(utc(10, 20, 0), None, Precision::Minute, 60).unwrap();
        let m = milestones([Some(minute(10, 27)), Some(detected), None, None]);
        assert!(
            m.check_order()
                .unwrap_err()
                .message
                .starts_with("Detected (23 Mar 2020 11:20 (UTC+01:00)) is before")
        );
    }

    #[test]
    fn durations_are_measured_from_impact_start() {
        let m = milestones([
            Some(minute(10, 0)),
            Some(minute(10, 5)),
            Some(minute(10, 45)),
            Some(minute(12, 5)),
        ]);
        assert_eq!(m.time_to_detect().unwrap().display(), "5 min");
        assert_eq!(m.time_to_mitigate().unwrap().display(), "45 min");
        assert_eq!(m.impact_duration().unwrap().display(), "2 h 5 min");
    }

    #[test]
    fn durations_from_approximate_milestones_are_approximate() {
        let m = milestones([
            Some(approx(10, 27)),
            Some(minute(10, 28)),
            Some(approx(10, 28)),
            Some(range((10, 28), (10, 29))),
        ]);
        assert_eq!(m.time_to_detect().unwrap().display(), "≈1 min");
        assert!(m.time_to_mitigate().unwrap().approximate);
        assert_eq!(m.impact_duration().unwrap().display(), "≈1 min 30 s");

        let exact_start = milestones([Some(minute(10, 27)), Some(minute(10, 28)), None, None]);
        assert_eq!(exact_start.time_to_detect().unwrap().display(), "1 min");
    }

    #[test]
    fn durations_need_both_milestones() {
        let m = milestones([None, Some(minute(10, 28)), None, None]);
        assert_eq!(m.time_to_detect(), None);
        let m = milestones([Some(minute(10, 27)), None, None, None]);
        assert_eq!(m.time_to_detect(), None);
        assert_eq!(m.time_to_mitigate(), None);
        assert_eq!(m.impact_duration(), None);
    }
}
