//! Impact that has no count, through the plain forms: a share, money and a figure nobody
//! measured (with why not) are added without JavaScript, read as sentences on the postmortem,
//! in its exports and search, and the metrics never add them to counts nor show them as 0.

use crate::common::{TestApp, incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::export::ImportPostmortem;
use app::api::impact::AddImpactFigure;
use app::api::metrics::IncidentMetrics;
use app::api::search::Search;
use app::domain::impact::Measures;
use app::dto::metrics::MetricsView;
use app::dto::search::SearchResults;

const NOT_MEASURED: &str = "S3 GET, LIST, PUT and DELETE requests failed in US-EAST-1 for ≈4 h \
                            17 min — not measured: the access journals were rotated away";

fn not_measured(incident: &str) -> Vec<(&'static str, String)> {
    vec![
        ("incident_id", incident.to_owned()),
        (
            "form[affected]",
            "S3 GET, LIST, PUT and DELETE requests failed in US-EAST-1".to_owned(),
        ),
        ("form[quantity_kind]", "not_measured".to_owned()),
        ("form[quantity]", String::new()),
        ("form[quantity_high]", String::new()),
        ("form[unit]", String::new()),
        ("form[window]", "4h 17m".to_owned()),
        ("form[window_approx]", "on".to_owned()),
        ("form[estimation]", String::new()),
        ("form[customer_visible]", "on".to_owned()),
        ("form[rate_per]", "minute".to_owned()),
        ("form[currency]", String::new()),
        (
            "form[not_measured_reason]",
            "the access journals were rotated away".to_owned(),
        ),
    ]
}

fn share(incident: &str, percent: &str) -> Vec<(&'static str, String)> {
    vec![
        ("incident_id", incident.to_owned()),
        ("form[affected]", "to checkout failed".to_owned()),
        ("form[quantity_kind]", "share".to_owned()),
        ("form[quantity]", percent.to_owned()),
        ("form[unit]", "requests".to_owned()),
        ("form[quantity_approx]", "on".to_owned()),
        ("form[window]", "10 min".to_owned()),
        (
            "form[estimation]",
            "error rate on the checkout dashboard".to_owned(),
        ),
        ("form[customer_visible]", "on".to_owned()),
        ("form[rate_per]", "minute".to_owned()),
    ]
}

async fn submit(app: &TestApp, incident: &str, fields: &[(&'static str, String)]) -> (u16, String) {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, location) = app
        .submit(
            AddImpactFigure::PATH,
            &format!("/incidents/{incident}/impact/new"),
            &fields,
        )
        .await;
    (status, location.unwrap_or_default())
}

#[tokio::test]
async fn a_figure_nobody_measured_is_added_without_javascript_and_reads_as_a_sentence_everywhere() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = incident_of(&page).to_string();
    let (status, location) = submit(&app, &id, &not_measured(&id)).await;
    assert_eq!(status, 302, "{location}");
    assert_eq!(location, format!("/incidents/{id}#impact"));

    let (_, html) = app.page(&page).await;
    let text = text_of(&html);
    assert!(text.contains(NOT_MEASURED), "{text}");
    assert!(
        text.contains("≈500 customer logins failed over ≈1 min"),
        "the example's figure is unchanged: {text}"
    );

    let found: SearchResults = app.json(Search::PATH, &[("q", "journals")]).await;
    assert!(
        found
            .hits
            .iter()
            .any(|h| h.incident_id.to_string() == id && h.href.ends_with("#impact")),
        "the reason is searchable: {found:?}"
    );

    let (status, _, markdown) = app.download(&format!("/incidents/{id}/export.md")).await;
    assert_eq!(status, 200);
    assert!(
        markdown.contains(&format!("- {NOT_MEASURED}")),
        "{markdown}"
    );

    let (status, _, json) = app.download(&format!("/incidents/{id}/export.json")).await;
    assert_eq!(status, 200);
    assert!(json.contains("\"not_measured\""), "{json}");
    let there = spawn().await;
    let imported: i64 = there.json(ImportPostmortem::PATH, &[("json", &json)]).await;
    let (_, html) = there.page(&format!("/incidents/{imported}")).await;
    assert!(
        text_of(&html).contains(NOT_MEASURED),
        "the import keeps the figure"
    );
}

#[tokio::test]
async fn a_share_is_added_without_javascript_and_a_wrong_one_comes_back_with_what_was_typed() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = incident_of(&page).to_string();

    let (status, location) = submit(&app, &id, &share(&id, "130")).await;
    assert_eq!(status, 303, "back to the form: {location}");
    assert!(
        location.starts_with(&format!("/incidents/{id}/impact/new?flash=")),
        "{location}"
    );
    let (status, html) = app.page(&location).await;
    assert_eq!(status, 200);
    assert!(
        text_of(&html).contains("A share is a percent from 0 to 100"),
        "{html}"
    );
    assert!(
        html.contains("class=\"field invalid\""),
        "the number is marked"
    );
    for typed in [
        "value=\"130\"",
        "value=\"to checkout failed\"",
        "value=\"requests\"",
        "value=\"error rate on the checkout dashboard\"",
    ] {
        assert!(html.contains(typed), "{typed} is still in the form");
    }
    assert!(
        html.contains("value=\"share\" selected"),
        "the kind chosen is still chosen"
    );

    let (status, _) = submit(&app, &id, &share(&id, "30")).await;
    assert_eq!(status, 302);
    let (_, html) = app.page(&page).await;
    assert!(
        text_of(&html).contains("≈30% of requests to checkout failed over 10 min"),
        "{}",
        text_of(&html)
    );
}

#[tokio::test]
async fn a_figure_not_measured_without_a_reason_is_refused_next_to_the_reason() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = incident_of(&page).to_string();
    let mut fields = not_measured(&id);
    fields.retain(|(k, _)| *k != "form[not_measured_reason]");
    let (status, location) = submit(&app, &id, &fields).await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&location).await;
    assert!(
        text_of(&html).contains("Say why it was not measured"),
        "{html}"
    );
    assert!(html.contains("S3 GET, LIST, PUT and DELETE requests failed in US-EAST-1"));
    assert!(html.contains("value=\"4h 17m\"") || html.contains("value=\"4 h 17 min\""));
    let (_, html) = app.page(&page).await;
    assert!(
        !text_of(&html).contains("not measured"),
        "nothing was saved"
    );
}

#[tokio::test]
async fn metrics_never_add_money_or_shares_to_counts_and_show_what_was_not_measured() {
    let app = spawn().await;
    let first = incident_of(&app.load_example().await).to_string();
    let second = incident_of(&app.load_example().await).to_string();
    assert_eq!(submit(&app, &first, &not_measured(&first)).await.0, 302);
    assert_eq!(submit(&app, &second, &share(&second, "30")).await.0, 302);
    let money = [
        ("incident_id", second.as_str()),
        ("form[affected]", "of refunds owed"),
        ("form[quantity_kind]", "money"),
        ("form[quantity]", "12000"),
        ("form[currency]", "usd"),
        ("form[customer_visible]", "on"),
    ];
    let (status, location) = app
        .submit(
            AddImpactFigure::PATH,
            &format!("/incidents/{second}/impact/new"),
            &money,
        )
        .await;
    assert_eq!(status, 302, "{location:?}");

    let view: MetricsView = app.json(IncidentMetrics::PATH, &[]).await;
    let line = |measures: Measures| {
        view.impact
            .iter()
            .find(|t| t.measures == measures)
            .unwrap_or_else(|| panic!("a {measures:?} line: {:?}", view.impact))
    };
    let logins = line(Measures::Count);
    assert_eq!(logins.what, "customer logins failed");
    assert_eq!(logins.value, "≈1,000", "the two examples' logins, alone");
    assert_eq!(logins.incidents, 2);
    assert_eq!(line(Measures::Money).value, "$12,000");
    assert_eq!(line(Measures::Share).value, "highest ≈30%");
    let unmeasured = line(Measures::NotMeasured);
    assert_eq!(unmeasured.value, "not measured");
    // The examples' earlier incidents were not measured either (one reason, said once).
    let earlier = app::domain::example::worked_example()
        .unwrap()
        .earlier
        .impact;
    let earlier_reason = match &earlier[0].quantity {
        app::domain::impact::Quantity::NotMeasured { reason } => reason.clone(),
        other => panic!("the earlier incident's figure is not measured: {other:?}"),
    };
    assert_eq!(
        unmeasured.how,
        format!("{earlier_reason}; the access journals were rotated away")
    );
    assert_eq!(
        unmeasured.incidents, 3,
        "the two earlier incidents and the first"
    );
    assert_eq!(view.impact.len(), 4, "{:?}", view.impact);

    let (_, html) = app.page("/metrics").await;
    let text = text_of(&html);
    assert!(text.contains("not measured"), "{text}");
    assert!(text.contains("$12,000"), "{text}");
}

#[tokio::test]
async fn turning_a_count_into_not_measured_is_kept_in_the_history() {
    use app::api::impact::{ImpactFigureForEdit, UpdateImpactFigure};
    use app::api::incidents::GetPostmortem;
    use app::dto::postmortem::PostmortemView;

    let app = spawn().await;
    let id = incident_of(&app.load_example().await);
    let view: PostmortemView = app
        .json(GetPostmortem::PATH, &[("id", &id.to_string())])
        .await;
    let figure = view.impact[0].id.to_string();
    let version = app.version(ImpactFigureForEdit::PATH, &figure).await;
    let (status, body) = app
        .call(
            UpdateImpactFigure::PATH,
            &[
                ("id", figure.as_str()),
                ("version", &version),
                ("form[affected]", "customer logins failed"),
                ("form[quantity_kind]", "not_measured"),
                ("form[window]", "1 min"),
                (
                    "form[not_measured_reason]",
                    "the load-balancer logs had rotated",
                ),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = app.page(&format!("/incidents/{id}/history")).await;
    let text = text_of(&html);
    assert!(
        text.contains("the load-balancer logs had rotated"),
        "the history shows the reason: {text}"
    );
    let (status, body) = app
        .call(
            UpdateImpactFigure::PATH,
            &[
                ("id", figure.as_str()),
                ("version", &version),
                ("form[affected]", "customer logins failed"),
                ("form[quantity_kind]", "exact"),
                ("form[quantity]", "500"),
            ],
        )
        .await;
    assert_eq!(
        status, 409,
        "a save from the older version conflicts: {body}"
    );
}
