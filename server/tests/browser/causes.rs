//! Browser tests of causes and connections: in one journey, JavaScript on and off, an author
//! names a contributing factor, points a follow-up at it, links the earlier attempt at the same
//! change, records an impact nobody measured, and submits for review with the timeline's own
//! questions in view. Any browser console error fails the test.

use std::time::Duration;

use crate::common::chromium::{Driver, Journey, browser, console_errors};
use leptos::server_fn::ServerFn;

use app::api::incidents::CreateIncident;

const FACTOR: &str = "The generic job by default restarts every server at once";
const FOLLOW_UP: &str = "Default the generic job to one server at a time";

async fn causes_journey(javascript: bool) {
    let app = crate::common::spawn().await;
    // The earlier attempt, recorded before the journey starts.
    let (status, body) = app
        .browser
        .call(
            CreateIncident::PATH,
            &[
                ("form[title]", "First JMX rollout broke metrics collection"),
                ("form[severity]", "sev4"),
                (
                    "form[summary]",
                    "Metrics stopped; customers were not affected.",
                ),
                ("zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let earlier: i64 = serde_json::from_str(&body).expect("the new incident's id");

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let client = browser(&driver, javascript, profile.path()).await;
    let j = Journey { client, javascript };
    let result = tokio::time::timeout(Duration::from_secs(240), async {
        j.open(&app.url("/")).await;
        j.wait_text("Log in to Debrief").await;
        j.type_into("email", crate::common::ADMIN_EMAIL).await;
        j.type_into("password", crate::common::PASSWORD).await;
        j.submit("Log in").await;
        j.wait_text("Ada Admin").await;
        j.click_link("New incident").await;
        j.type_into("title", "Customer logins failed for about a minute")
            .await;
        j.choose("severity", "sev2").await;
        j.type_time("impact_started_at", "03232020", "1027", "AM")
            .await;
        j.type_time("detected_at", "03232020", "1028", "AM").await;
        j.submit("Create incident").await;
        j.wait_text("Time to detect").await;
        let postmortem = j.client.current_url().await.expect("a url").to_string();

        // A contributing factor: first without its category, which comes back with the
        // message and the statement kept.
        j.click_link("Add factor").await;
        j.type_into("statement", FACTOR).await;
        j.choose("role", "trigger").await;
        j.submit("Add factor").await;
        j.wait_text("Choose a category").await;
        assert_eq!(
            j.field_value("statement").await,
            FACTOR,
            "nothing typed is lost"
        );
        j.choose_by_label("category_id", "Risky default").await;
        j.submit("Add factor").await;
        j.wait_text(FACTOR).await;

        // A follow-up that addresses it.
        j.click_link("Add follow-up").await;
        j.type_into("title", FOLLOW_UP).await;
        j.choose_by_label("factor_id", &format!("Trigger (Risky default): {FACTOR}"))
            .await;
        j.submit("Add follow-up").await;
        j.wait_text(FOLLOW_UP).await;
        j.wait_text("Addresses the factor").await;

        // The earlier attempt at the same change.
        j.open(&postmortem).await;
        j.click_link("Link an incident").await;
        j.choose("kind", "earlier_attempt").await;
        j.type_into("related", &earlier.to_string()).await;
        j.type_into("note", "The first attempt broke metrics collection.")
            .await;
        j.submit("Link incident").await;
        j.wait_text("First JMX rollout broke metrics collection")
            .await;
        j.wait_text("Earlier attempt at the same change").await;

        // An impact nobody counted.
        j.open(&postmortem).await;
        j.click_link("Add impact figure").await;
        j.type_into("affected", "customer logins failed").await;
        j.choose("quantity_kind", "not_measured").await;
        j.type_into("window", "1 min").await;
        j.tick("window_approx").await;
        j.type_into("not_measured_reason", "no request logs for the window")
            .await;
        j.submit("Add figure").await;
        j.wait_text("not measured: no request logs for the window")
            .await;

        // The earlier incident shows the link from its side.
        j.open(&app.url(&format!("/incidents/{earlier}"))).await;
        j.wait_text("Later attempt at the same change").await;

        // Review: the timeline's questions are listed, and submitting still works.
        j.open(&format!("{postmortem}/review")).await;
        j.wait_text("Before review: what a careful reviewer would ask")
            .await;
        j.wait_text("The milestone “Mitigated” is not recorded")
            .await;
        j.submit("Submit for review").await;
        j.wait_text("In review").await;
        console_errors(&j.client).await
    })
    .await;
    let _ = j.client.close().await;
    let errors = result.expect("the journey finished within four minutes");
    assert!(
        errors.is_empty(),
        "the browser console reported errors: {errors:#?}"
    );
}

#[tokio::test]
async fn factors_relations_and_unmeasured_impact_work_after_hydration() {
    causes_journey(true).await;
}

#[tokio::test]
async fn factors_relations_and_unmeasured_impact_work_without_javascript() {
    causes_journey(false).await;
}
