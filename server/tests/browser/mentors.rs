//! The manager's and the mentor's journeys in headless Chromium, JavaScript on, on the published
//! worked example: the manager answers "what is overdue, and which change keeps hurting us?" in
//! two clicks each and narrows the dashboard by owner; the mentor tags a lesson, builds a reading
//! list with notes, and shares the postmortem with another team through a link a stranger opens
//! without an account. Any browser console error fails the test.

use std::time::Duration;

use crate::common::chromium::{Driver, Journey, browser, console_errors};
use fantoccini::Locator;

async fn person(driver: &Driver, dir: &tempfile::TempDir, name: &str) -> Journey {
    let profile = dir.path().join(name);
    std::fs::create_dir_all(&profile).expect("a profile directory");
    Journey {
        client: browser(driver, true, &profile).await,
        javascript: true,
    }
}

async fn click(j: &Journey, css: &str) {
    j.wait_for(css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css} is not clickable: {e}"));
    j.settle().await;
}

async fn type_in(j: &Journey, css: &str, text: &str) {
    let input = j.wait_for(css).await;
    input.clear().await.expect("clearable");
    input.send_keys(text).await.expect("typeable");
}

/// Waits until the browser has gone to `path` (a redirect has landed).
async fn wait_for_path(j: &Journey, path: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let url = j.client.current_url().await.expect("a URL");
        if url.path() == path {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the browser never went to {path}; it is at {url}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_manager_works_the_dashboard_and_a_mentor_shares_the_lessons() {
    let app = crate::common::spawn().await;
    let incident = crate::common::incident_of(&app.load_example().await);
    app.publish(incident).await;
    let driver = Driver::start().await;
    let profiles = tempfile::tempdir().expect("profiles");
    let manager = person(&driver, &profiles, "manager").await;
    let stranger = person(&driver, &profiles, "stranger").await;

    let result = tokio::time::timeout(Duration::from_secs(240), async {
        let j = &manager;
        j.open(&app.url("/login")).await;
        j.type_into("email", crate::common::ADMIN_EMAIL).await;
        j.type_into("password", crate::common::PASSWORD).await;
        j.submit("Log in").await;
        j.wait_text("Log out").await;

        // What is overdue? Follow-ups, then the Overdue view.
        j.open(&app.url("/")).await;
        click(j, "header nav a[href='/follow-ups']").await;
        click(j, "nav.tabs a[href='/follow-ups?view=overdue']").await;
        j.wait_text("Give plans that use the generic run-command job extra scrutiny")
            .await;
        j.wait_text("Teach the dedicated application-restart job")
            .await;

        // Which change keeps hurting us? Changes, then its follow-ups.
        click(j, "header nav a[href='/changes']").await;
        j.wait_text("Jenkins · generic run-command job: confirmed trigger in 1 incident")
            .await;
        click(j, "a[href='/follow-ups?view=all&system=Jenkins']").await;
        j.wait_text("Make the generic job's default concurrency safe")
            .await;

        // Narrowed by owner, the address says so and can be shared.
        j.open(&app.url("/follow-ups?view=overdue")).await;
        j.wait_for("select[name=owner]")
            .await
            .select_by_value("Platform team")
            .await
            .expect("the owner is a choice");
        j.submit("Filter").await;
        j.wait_text("Backlog over time").await;
        let url = j.client.current_url().await.expect("a URL");
        assert!(url.as_str().contains("owner=Platform+team"), "{url}");

        // The mentor makes a reading list.
        j.open(&app.url("/library/lists")).await;
        j.type_into("title", "Before your first production change")
            .await;
        type_in(
            j,
            "textarea[name='form[note]']",
            "Read these before you run a job on every server.",
        )
        .await;
        j.submit("Make the list").await;
        j.wait_text("Read these before you run a job on every server.")
            .await;

        // Tags a lesson and puts it on the list, with a note.
        j.open(&app.url("/library?kind=went_wrong")).await;
        type_in(j, "li.lesson input[name=tag]", "default values").await;
        j.submit("Tag").await;
        j.wait_text("default-values").await;
        type_in(
            j,
            "li.lesson input[name=note]",
            "Why a default can take a whole product down",
        )
        .await;
        j.submit("Add to list").await;
        // The add answers by sending the browser to the lists: opening them before it has can
        // cancel the request still in flight, and the lesson is never added.
        wait_for_path(j, "/library/lists").await;
        j.open(&app.url("/library/lists")).await;
        j.wait_text("Why a default can take a whole product down")
            .await;
        j.wait_text("What went wrong").await;

        // Shares the postmortem: a preview, then a link.
        j.open(&app.url(&format!("/incidents/{incident}/share")))
            .await;
        j.wait_text("Preview").await;
        j.submit("Create a share link").await;
        j.wait_text("Copy it now").await;
        let link = j
            .wait_for("a.share-url")
            .await
            .attr("href")
            .await
            .expect("an href")
            .expect("the link");

        // Another team opens it without an account.
        stranger.open(&link).await;
        stranger
            .wait_text("Customer logins failed across all products")
            .await;
        stranger
            .wait_text("A blameless postmortem shared from Debrief")
            .await;
        let body = stranger
            .client
            .find(Locator::Css("body"))
            .await
            .expect("a body")
            .text()
            .await
            .expect("text");
        assert!(!body.contains("Log out"), "no one is logged in");
        assert!(!body.contains("Platform team"), "owners are left out");

        let mut errors = console_errors(&manager.client).await;
        errors.extend(console_errors(&stranger.client).await);
        errors
    })
    .await;
    for j in [manager, stranger] {
        let _ = j.client.close().await;
    }
    let errors = result.expect("the journeys finished within four minutes");
    assert!(
        errors.is_empty(),
        "the browser console reported errors: {errors:#?}"
    );
}
