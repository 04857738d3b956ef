//! Metrics against the real server: medians and 90th percentiles with the number of incidents
//! behind them, a small-sample warning, and leaving an incident out only with a reason.

use crate::common::{spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::metrics::{ExcludeFromMetrics, IncidentMetrics, IncludeInMetrics};
use app::domain::metrics::Measure;
use app::dto::metrics::MetricsView;

async fn metrics(app: &crate::common::TestApp, query: &[(&str, &str)]) -> MetricsView {
    app.json(IncidentMetrics::PATH, query).await
}

fn stat(view: &MetricsView, measure: Measure) -> app::domain::metrics::Stat {
    view.report
        .stats
        .iter()
        .find(|(m, _)| *m == measure)
        .expect("each measure")
        .1
}

#[tokio::test]
async fn figures_name_how_many_incidents_they_rest_on_and_leave_out_only_with_a_reason() {
    let app = spawn().await;
    let (_, html) = app.page("/metrics").await;
    assert!(
        text_of(&html).contains("No incident in this period"),
        "an empty state"
    );

    let first = crate::common::incident_of(&app.load_example().await);
    crate::common::incident_of(&app.load_example().await);
    let view = metrics(&app, &[]).await;
    // Each worked example is two incidents: the login outage and its earlier attempt, which
    // has no mitigation milestone and so adds nothing to the time to mitigate.
    assert_eq!(view.report.count, 4);
    let ttm = stat(&view, Measure::TimeToMitigate);
    assert_eq!(ttm.n, 2);
    assert!(ttm.is_small_sample());
    let row = &view.rows[0];
    assert_eq!(
        ttm.median.map(|d| d.display()),
        row.time_to_mitigate.clone(),
        "two identical incidents: the median is theirs"
    );
    let (_, html) = app.page("/metrics").await;
    let text = text_of(&html);
    assert!(text.contains("From 2 incidents."), "{text}");
    assert!(text.contains("Fewer than 5 incidents"), "{text}");

    let id = first.to_string();
    let (status, body) = app
        .call(
            ExcludeFromMetrics::PATH,
            &[("incident_id", &id), ("reason", " ")],
        )
        .await;
    assert_eq!(status, 422, "a reason is required: {body}");
    let (status, body) = app
        .call(
            ExcludeFromMetrics::PATH,
            &[
                ("incident_id", &id),
                ("reason", "A game day, not a real outage"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let view = metrics(&app, &[]).await;
    assert_eq!(view.report.count, 4, "still an incident");
    assert_eq!(
        stat(&view, Measure::TimeToMitigate).n,
        1,
        "but not in the figures"
    );
    let excluded = view.rows.iter().find(|r| r.id == first).unwrap();
    assert_eq!(
        excluded.excluded.as_deref(),
        Some(
            format!(
                "A game day, not a real outage (left out by {})",
                crate::common::ADMIN_NAME
            )
            .as_str()
        )
    );
    let (status, _) = app
        .call(IncludeInMetrics::PATH, &[("incident_id", &id)])
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        stat(&metrics(&app, &[]).await, Measure::TimeToMitigate).n,
        2
    );
}

#[tokio::test]
async fn the_period_severity_and_service_narrow_the_figures() {
    let app = spawn().await;
    app.load_example().await;
    // The worked example is two incidents: the SEV1 login outage and its SEV4 earlier attempt,
    // both in March 2020 and both on the Java applications.
    assert_eq!(metrics(&app, &[("severity", "sev1")]).await.report.count, 1);
    assert_eq!(metrics(&app, &[("severity", "sev4")]).await.report.count, 1);
    assert_eq!(metrics(&app, &[("severity", "sev2")]).await.report.count, 0);
    assert_eq!(
        metrics(&app, &[("from", "2020-03-01"), ("to", "2020-03-31")])
            .await
            .report
            .count,
        2
    );
    assert_eq!(
        metrics(&app, &[("from", "2020-04-01")]).await.report.count,
        0
    );
    assert_eq!(
        metrics(&app, &[("service", "java APPLICATIONS")])
            .await
            .report
            .count,
        2,
        "a service is one of the incident's, whatever its case"
    );
    assert_eq!(
        metrics(&app, &[("service", "Java")]).await.report.count,
        0,
        "a part of a service's name is not the service"
    );
    let view = metrics(&app, &[("from", "March"), ("service", "no such service")]).await;
    assert_eq!(view.report.count, 0);
    assert_eq!(
        view.ignored,
        ["“March” is not a date; enter it like 2020-04-30."]
    );
    let (status, html) = app.page("/metrics?from=March").await;
    assert_eq!(status, 200);
    assert!(text_of(&html).contains("“March” is not a date"));
}
