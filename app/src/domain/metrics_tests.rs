use super::*;

fn d(seconds: i64, approximate: bool) -> ApproxDuration {
    ApproxDuration {
        seconds,
        approximate,
    }
}

fn min(minutes: i64) -> ApproxDuration {
    d(minutes * 60, false)
}

fn day(y: i32, m: u32, dd: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, dd).unwrap()
}

#[test]
fn the_median_of_an_odd_sample_is_its_middle_value_and_keeps_its_roughness() {
    // 2, 5, ≈7, 10 and 30 minutes: the middle is ≈7 min; ⌈0.9·5⌉ = 5th is 30 min.
    let stat = Stat::of(&[min(10), min(2), d(420, true), min(30), min(5)]);
    assert_eq!(stat.n, 5);
    assert_eq!(stat.median, Some(d(420, true)));
    assert_eq!(stat.p90, Some(min(30)));
    assert!(!stat.is_small_sample());
}

#[test]
fn the_median_of_an_even_sample_is_the_mean_of_the_middle_two() {
    // 1, ≈2, 3 and 4 minutes: (2 + 3) / 2 = 2.5 min, rough because ≈2 is; ⌈3.6⌉ = 4th is 4 min.
    let stat = Stat::of(&[min(4), d(120, true), min(1), min(3)]);
    assert_eq!(stat.median, Some(d(150, true)));
    assert_eq!(stat.p90, Some(min(4)));
    assert!(stat.is_small_sample(), "4 incidents are too few");

    // 1 to 10 minutes: median (5 + 6) / 2 = 5.5 min; the 9th of 10 is 9 min.
    let ten: Vec<ApproxDuration> = (1..=10).rev().map(min).collect();
    let stat = Stat::of(&ten);
    assert_eq!(stat.median, Some(d(330, false)));
    assert_eq!(stat.p90, Some(min(9)));
}

#[test]
fn one_or_no_values() {
    assert_eq!(Stat::of(&[]), Stat::default());
    let one = Stat::of(&[min(3)]);
    assert_eq!((one.median, one.p90), (Some(min(3)), Some(min(3))));
}

fn incident(
    id: i64,
    severity: Severity,
    on: NaiveDate,
    ttm: Option<i64>,
    excluded: Option<&str>,
) -> IncidentMeasures {
    IncidentMeasures {
        id,
        title: format!("Incident {id}"),
        severity,
        services: vec!["Login".into()],
        day: on,
        time_to_detect: Some(min(1)),
        time_to_mitigate: ttm.map(min),
        impact_duration: None,
        excluded: excluded.map(str::to_owned),
    }
}

#[test]
fn excluded_incidents_count_as_incidents_but_not_in_the_figures() {
    let items = [
        incident(1, Severity::Sev1, day(2020, 1, 5), Some(10), None),
        incident(2, Severity::Sev2, day(2020, 1, 20), Some(20), None),
        incident(
            3,
            Severity::Sev2,
            day(2020, 3, 2),
            Some(600),
            Some("A game day, not a real outage"),
        ),
        incident(4, Severity::Sev2, day(2020, 3, 9), None, None),
    ];
    let report = report(&items);
    assert_eq!(report.count, 4);
    assert_eq!(
        report.by_severity,
        [(Severity::Sev1, 1), (Severity::Sev2, 3)]
    );
    let ttm = report
        .stats
        .iter()
        .find(|(m, _)| *m == Measure::TimeToMitigate)
        .unwrap()
        .1;
    assert_eq!(
        (ttm.n, ttm.median),
        (2, Some(min(15))),
        "the game day is left out"
    );
    let ttd = report
        .stats
        .iter()
        .find(|(m, _)| *m == Measure::TimeToDetect)
        .unwrap()
        .1;
    assert_eq!(ttd.n, 3);
    let impact = report
        .stats
        .iter()
        .find(|(m, _)| *m == Measure::ImpactDuration)
        .unwrap()
        .1;
    assert_eq!(impact.n, 0, "no incident recorded when impact ended");
    let months: Vec<(NaiveDate, usize, usize)> = report
        .months
        .iter()
        .map(|m| (m.starts, m.incidents, m.time_to_mitigate.n))
        .collect();
    assert_eq!(
        months,
        [
            (day(2020, 1, 1), 2, 2),
            (day(2020, 2, 1), 0, 0),
            (day(2020, 3, 1), 2, 0)
        ],
        "a quiet month is shown as a zero, not skipped"
    );
}

#[test]
fn the_filter_reads_a_period_severity_and_service() {
    let (filter, errors) = MetricsQuery {
        from: "2020-01-10".into(),
        to: "2020-03-05".into(),
        severity: "sev2".into(),
        service: "login".into(),
    }
    .parse();
    assert!(errors.is_empty());
    let shown: Vec<i64> = [
        incident(1, Severity::Sev2, day(2020, 1, 5), None, None),
        incident(2, Severity::Sev2, day(2020, 1, 20), None, None),
        incident(3, Severity::Sev1, day(2020, 2, 2), None, None),
        incident(4, Severity::Sev2, day(2020, 3, 5), None, None),
    ]
    .iter()
    .filter(|i| filter.matches(i))
    .map(|i| i.id)
    .collect();
    assert_eq!(shown, [2, 4]);

    let (filter, errors) = MetricsQuery {
        from: "2020-05-01".into(),
        to: "2020-04-01".into(),
        severity: "sev9".into(),
        ..Default::default()
    }
    .parse();
    assert_eq!(filter.to, None);
    assert!(errors.get("to").is_some() && errors.get("severity").is_some());
    assert!(
        MetricsQuery {
            from: "May".into(),
            ..Default::default()
        }
        .parse()
        .1
        .get("from")
        .is_some()
    );
}
