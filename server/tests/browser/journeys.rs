//! Browser tests: the worked example's journey in headless Chromium, once hydrated (JavaScript
//! on) and once as plain HTML forms (JavaScript off). Any browser console error fails the test.
//!
//! Needs Debian's `chromium` and `chromedriver` (scripts/install.sh --browser installs them) and
//! the site built by `cargo leptos build` (scripts/test.sh does both).

use std::time::Duration;

use crate::common::chromium::{Driver, Journey, browser, console_errors};
use fantoccini::Locator;

async fn worked_example_journey(javascript: bool) {
    let app = crate::common::spawn().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let client = browser(&driver, javascript, profile.path()).await;
    let j = Journey { client, javascript };
    let result = tokio::time::timeout(Duration::from_secs(180), async {
        // Opening Debrief asks for a login, then returns to the page asked for.
        j.open(&app.url("/")).await;
        j.wait_text("Log in to Debrief").await;
        j.type_into("email", crate::common::ADMIN_EMAIL).await;
        j.type_into("password", crate::common::PASSWORD).await;
        j.submit("Log in").await;
        j.wait_text("No incidents yet").await;
        j.wait_text("Ada Admin").await;
        j.click_link("Record an incident").await;

        // The incident and its first milestones.
        j.type_into("title", "Customer logins failed for about a minute")
            .await;
        j.choose("severity", "sev2").await;
        j.type_into("services", "Login, Jenkins").await;
        j.type_into(
            "summary",
            "A restart job restarted **every** Java server at once.",
        )
        .await;
        j.type_time("impact_started_at", "03232020", "1027", "AM")
            .await;
        j.choose("impact_started_precision", "approximate").await;
        j.type_time("detected_at", "03232020", "1028", "AM").await;
        assert_eq!(
            j.field_value("impact_started_at").await,
            "2020-03-23T10:27",
            "the time input took the typed time"
        );
        j.submit("Create incident").await;
        j.wait_text("Time to detect").await;
        j.wait_text("≈1 min").await;

        // A timeline entry; first without an actor, which comes back with the message and the text kept.
        j.click_link("Add entry").await;
        j.type_time("at", "03232020", "1028", "AM").await;
        j.choose("marker", "detection").await;
        j.type_into("body", "Sees the job connect to every server at once.")
            .await;
        j.submit("Add entry").await;
        j.wait_text("Say who acted, by role rather than name").await;
        assert_eq!(
            j.field_value("body").await,
            "Sees the job connect to every server at once.",
            "nothing typed is lost"
        );
        j.type_into("actor", "engineer running the change").await;
        j.submit("Add entry").await;
        j.wait_text("Sees the job connect to every server at once.")
            .await;
        j.wait_text("T+0:01").await;

        // The impact figure.
        j.click_link("Add impact figure").await;
        j.type_into("affected", "customer logins failed").await;
        j.choose("quantity_kind", "approximate").await;
        j.type_into("quantity", "500").await;
        j.type_into("window", "1 min").await;
        j.tick("window_approx").await;
        j.type_into(
            "estimation",
            "count of failed login requests in load-balancer logs",
        )
        .await;
        j.submit("Add figure").await;
        j.wait_text("≈500 customer logins failed over ≈1 min").await;

        // The change, and the parameter that took its default.
        j.click_link("Link a change").await;
        j.type_into("summary", "Restart of all Java applications")
            .await;
        j.choose("kind", "job_run").await;
        j.type_into("system", "Jenkins").await;
        j.type_into("identifier", "generic run-command job").await;
        j.choose("relation", "confirmed_trigger").await;
        j.submit("Save and add parameters").await;
        j.wait_text("Parameters it ran with").await;
        j.type_into("name", "concurrency").await;
        j.tick("is_default").await;
        j.submit("Add parameter").await;
        j.wait_text("Default value").await;
        // Correct it in place: the default it took was "all at once".
        j.click_link("Edit").await;
        j.wait_text("Edit parameter concurrency").await;
        j.type_into("value", "0 (all at once)").await;
        j.submit("Save parameter").await;
        j.wait_text("0 (all at once)").await;
        j.click_link("Back to the postmortem").await;
        j.wait_text("Took a default: concurrency").await;

        // A follow-up that targets that parameter.
        j.click_link("Add follow-up").await;
        j.type_into("title", "Give the generic job a safe default concurrency")
            .await;
        j.choose_by_label(
            "change_id",
            "Jenkins · generic run-command job (the change as a whole)",
        )
        .await;
        j.choose_by_label(
            "parameter_id",
            "Jenkins · generic run-command job — parameter concurrency, took the default",
        )
        .await;
        j.submit("Add follow-up").await;
        j.wait_text("Give the generic job a safe default concurrency")
            .await;
        j.wait_text("Jenkins · generic run-command job — parameter concurrency")
            .await;

        // Everything is on the postmortem page after a fresh load, too.
        let here = j.client.current_url().await.expect("a url");
        j.open(here.as_str()).await;
        for expected in [
            "≈500 customer logins failed over ≈1 min",
            "Confirmed trigger",
            "Took a default: concurrency",
            "Sees the job connect",
            "Give the generic job a safe default concurrency",
        ] {
            j.wait_text(expected).await;
        }
        if !javascript {
            let hydrated = j
                .client
                .find(Locator::Css("body"))
                .await
                .expect("a body")
                .attr("data-hydrated")
                .await
                .expect("readable");
            assert_eq!(
                hydrated, None,
                "JavaScript really was off: the page never hydrated"
            );
        }
        console_errors(&j.client).await
    })
    .await;
    let _ = j.client.close().await;
    let errors = result.expect("the journey finished within three minutes");
    assert!(
        errors.is_empty(),
        "the browser console reported errors: {errors:#?}"
    );
}

#[tokio::test]
async fn the_worked_example_journey_works_after_hydration() {
    worked_example_journey(true).await;
}

#[tokio::test]
async fn the_worked_example_journey_works_without_javascript() {
    worked_example_journey(false).await;
}

/// With JavaScript, a comment taken back leaves the page at once: deleting it marks the
/// comments changed, so the postmortem loads again (a redirect to the same page alone would not).
#[tokio::test]
async fn a_deleted_comment_leaves_the_hydrated_page() {
    let app = crate::common::spawn().await;
    let postmortem = app.browser.load_example().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let client = browser(&driver, true, profile.path()).await;
    let j = Journey {
        client,
        javascript: true,
    };
    let comment = "A remark to take back";
    let result = tokio::time::timeout(Duration::from_secs(120), async {
        j.open(&app.browser.url("/login")).await;
        j.type_into("email", crate::common::ADMIN_EMAIL).await;
        j.type_into("password", crate::common::PASSWORD).await;
        j.submit("Log in").await;
        j.wait_text("Ada Admin").await;
        j.open(&app.browser.url(&postmortem)).await;
        j.wait_for("a.comment-open")
            .await
            .click()
            .await
            .expect("the thread's form opens");
        j.type_into("body", comment).await;
        j.submit("Add comment").await;
        j.wait_text(comment).await;

        j.click_link("Delete comment…").await;
        j.submit("Delete comment").await;
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        loop {
            let shown = j
                .client
                .find(Locator::Css("body"))
                .await
                .expect("a body")
                .text()
                .await
                .unwrap_or_default();
            if !shown.contains(comment) {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the deleted comment is still shown"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        console_errors(&j.client).await
    })
    .await;
    let _ = j.client.close().await;
    let errors = result.expect("deleting a comment finished within two minutes");
    assert!(
        errors.is_empty(),
        "the browser console reported errors: {errors:#?}"
    );
}

/// The zone picker's suggestions are not part of every page: with JavaScript, the names come
/// when the field is first focused.
#[tokio::test]
async fn the_zone_picker_suggests_zone_names_once_focused() {
    let app = crate::common::spawn().await;
    let postmortem = app.browser.load_example().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let client = browser(&driver, true, profile.path()).await;
    let j = Journey {
        client,
        javascript: true,
    };
    let result = tokio::time::timeout(Duration::from_secs(120), async {
        j.open(&app.browser.url(&postmortem)).await;
        let suggested = "#zone-names option[value=\"Europe/London\"]";
        assert!(
            j.client.find(Locator::Css(suggested)).await.is_err(),
            "the page came with every zone name"
        );
        j.wait_for("#zone")
            .await
            .click()
            .await
            .expect("the zone field takes focus");
        j.wait_for(suggested).await;
        console_errors(&j.client).await
    })
    .await;
    let _ = j.client.close().await;
    let errors = result.expect("the zone picker answered within two minutes");
    assert!(
        errors.is_empty(),
        "the browser console reported errors: {errors:#?}"
    );
}
