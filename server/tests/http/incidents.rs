//! Incidents: creating, validating, finding and deleting them, and the worked example.

use super::*;

#[tokio::test]
async fn a_new_installation_offers_to_create_an_incident_or_load_the_example() {
    let app = spawn().await;
    let (status, html) = app.page("/").await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("No incidents yet"), "{text}");
    assert!(text.contains("Load the worked example"), "{text}");
    assert!(html.contains("href=\"/incidents/new\""));
}

#[tokio::test]
async fn the_worked_example_reads_as_a_complete_postmortem() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (status, html) = app.page(&page).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    for expected in [
        "≈500 customer logins failed over ≈1 min",
        "Confirmed trigger",
        "concurrency",
        "Default value",
        "Took a default",
        "Time to detect",
        "What went well",
        "I have caused an outage",
        "T+0:0",
    ] {
        assert!(
            text.contains(expected),
            "the postmortem should show {expected:?}:\n{text}"
        );
    }
    let (_, list) = app.page("/").await;
    assert!(
        text_of(&list).contains("≈500 customer logins failed over ≈1 min"),
        "the list shows the impact headline"
    );
    let (_, follow_ups) = app.page("/follow-ups").await;
    assert!(
        text_of(&follow_ups).contains("parameter concurrency"),
        "follow-ups name the parameter they target"
    );
}

#[tokio::test]
async fn creating_an_incident_opens_its_postmortem() {
    let app = spawn().await;
    let (status, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields("Checkout errors", "Payments *failed*."),
        )
        .await;
    assert_eq!(status, 302);
    let location = location.expect("redirect to the new incident");
    assert!(location.starts_with("/incidents/"), "{location}");
    let (status, html) = app.page(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Checkout errors"));
    assert!(
        html.contains("<em>failed</em>"),
        "the summary is rendered Markdown"
    );
    assert!(
        text_of(&html).contains("≈1 min"),
        "time to detect from an approximate start is approximate"
    );
}

#[tokio::test]
async fn a_missing_title_is_a_422_naming_the_field_for_programs() {
    let app = spawn().await;
    let (status, body) = app
        .call(CreateIncident::PATH, &incident_fields("", "x"))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("\"title\""), "{body}");
}

#[tokio::test]
async fn a_plain_form_with_errors_comes_back_with_what_was_typed() {
    let app = spawn().await;
    let summary = "Logins failed; we restarted everything at once.";
    let (status, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields("", summary),
        )
        .await;
    assert_eq!(status, 303);
    let location = location.expect("back to the form");
    assert!(location.starts_with("/incidents/new?flash="), "{location}");
    let (status, html) = app.page(&location).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(summary),
        "the typed summary is still in the form"
    );
    assert!(
        html.contains("2020-03-23T10:27"),
        "the typed time is still in the form"
    );
    assert!(
        text_of(&html).to_lowercase().contains("title"),
        "the error names the title"
    );
    assert!(
        html.contains("class=\"field invalid\""),
        "the field is marked invalid"
    );
}

#[tokio::test]
async fn milestones_out_of_order_are_rejected_naming_both_times() {
    let app = spawn().await;
    let mut fields = incident_fields("Out of order", "");
    fields.retain(|(k, _)| *k != "form[detected_at]");
    fields.push(("form[detected_at]", "2020-03-23T10:20"));
    let (status, body) = app.call(CreateIncident::PATH, &fields).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("10:20") && body.contains("10:27"), "{body}");
}

#[tokio::test]
async fn an_unknown_incident_is_a_404_page() {
    let app = spawn().await;
    let (status, html) = app.page("/incidents/9999").await;
    assert_eq!(status, 404);
    assert!(text_of(&html).contains("not found"), "{html}");
    let (status, _) = app.call(DeleteIncident::PATH, &[("id", "9999")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn deleting_an_incident_removes_it_from_the_list() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = id_from(&page).to_owned();
    let (status, location) = app
        .submit(
            DeleteIncident::PATH,
            &format!("{page}?confirm=incident"),
            &[("id", &id)],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(location.as_deref(), Some("/"));
    let (status, _) = app.page(&page).await;
    assert_eq!(status, 404);
}
