//! The team journey in headless Chromium, JavaScript on: an admin adds two authors and a
//! reviewer; the authors write the worked example together (one lists the other among the
//! people involved; a conflicting save is caught and resolved), one submits it; the reviewer,
//! who wrote none of it, comments on it and approves it with the checklist; an author publishes
//! it, and it is read-only, with every step in its history.
//! Any browser console error fails the test.

use std::time::Duration;

use crate::common::chromium::{Driver, Journey, browser, console_errors};
use fantoccini::Locator;

const PEOPLE: [(&str, &str, &str); 3] = [
    ("Alice Author", "alice@example.com", "author"),
    ("Bob Author", "bob@example.com", "author"),
    ("Rita Reviewer", "rita@example.com", "reviewer"),
];

async fn person(driver: &Driver, dir: &tempfile::TempDir, name: &str) -> Journey {
    let profile = dir.path().join(name);
    std::fs::create_dir_all(&profile).expect("a profile directory");
    Journey {
        client: browser(driver, true, &profile).await,
        javascript: true,
    }
}

async fn log_in(j: &Journey, app: &crate::common::TestApp, email: &str) {
    j.open(&app.url("/login")).await;
    j.type_into("email", email).await;
    j.type_into("password", crate::common::PASSWORD).await;
    j.submit("Log in").await;
    j.wait_text("Log out").await;
}

async fn click(j: &Journey, css: &str) {
    j.wait_for(css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css} is not clickable: {e}"));
}

/// Whether an element matching `css` is shown (present and not hidden by the stylesheet).
async fn shown(j: &Journey, css: &str) -> bool {
    match j.client.find(Locator::Css(css)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

#[tokio::test]
async fn a_team_of_four_writes_reviews_and_publishes_the_worked_example() {
    let app = crate::common::spawn().await;
    let driver = Driver::start().await;
    let profiles = tempfile::tempdir().expect("profiles");
    let admin = person(&driver, &profiles, "admin").await;
    let alice = person(&driver, &profiles, "alice").await;
    let bob = person(&driver, &profiles, "bob").await;
    let rita = person(&driver, &profiles, "rita").await;

    let result = tokio::time::timeout(Duration::from_secs(240), async {
        // The admin adds the team.
        log_in(&admin, &app, crate::common::ADMIN_EMAIL).await;
        admin.open(&app.url("/admin/users")).await;
        for (name, email, role) in PEOPLE {
            admin.type_into("display_name", name).await;
            admin.type_into("email", email).await;
            admin.type_into("password", crate::common::PASSWORD).await;
            admin.choose("role", role).await;
            admin.submit("Add person").await;
            admin.wait_text(email).await;
        }

        // Alice loads the worked example.
        log_in(&alice, &app, "alice@example.com").await;
        alice.open(&app.url("/")).await;
        alice.submit("Load the worked example").await;
        alice.wait_text("Review and publishing").await;
        let url = alice.client.current_url().await.expect("a url");
        let incident = url.path().trim_start_matches("/incidents/").to_owned();
        let lessons = app.url(&format!("/incidents/{incident}/lessons"));

        // Alice lists Bob among the people involved, picked from the accounts.
        log_in(&bob, &app, "bob@example.com").await;
        click(&alice, "details.participant-add > summary").await;
        alice.choose_by_label("user_id", "Bob Author").await;
        alice.type_into("part", "on-call engineer").await;
        alice.submit("Add to the incident").await;
        alice.wait_text("on-call engineer").await;

        // Alice and Bob edit the lessons at the same time; Bob saves first.
        alice.open(&lessons).await;
        bob.open(&lessons).await;
        // As Bob types, wording that blames is pointed out (and nothing stops him).
        bob.type_into("went_wrong", "Someone should have set the concurrency.")
            .await;
        bob.wait_text("Hindsight").await;
        bob.type_into("lucky", "The rollout happened at a quiet hour.")
            .await;
        bob.submit("Save lessons").await;
        bob.wait_text("Review and publishing").await;
        alice
            .type_into("lucky", "Only about a minute of failed logins.")
            .await;
        alice.submit("Save lessons").await;
        alice.wait_text("Bob Author saved these lessons").await;
        alice
            .wait_text("Their version: The rollout happened at a quiet hour.")
            .await;
        assert_eq!(
            alice.field_value("lucky").await,
            "Only about a minute of failed logins.",
            "what Alice typed is kept"
        );
        alice.submit("Save lessons").await;
        alice
            .wait_text("Only about a minute of failed logins.")
            .await;

        // Alice submits it for review; it can no longer be edited.
        alice
            .open(&app.url(&format!("/incidents/{incident}/review")))
            .await;
        alice
            .wait_text("Written by: Alice Author, Bob Author")
            .await;
        alice.submit("Submit for review").await;
        alice
            .wait_text("Waiting for a reviewer who wrote no part of it")
            .await;

        // Rita finds it in her work, asks a question on the impact, and approves it with the
        // checklist.
        log_in(&rita, &app, "rita@example.com").await;
        rita.open(&app.url(&format!("/incidents/{incident}"))).await;
        let thread = "#comments-section-impact";
        click(&rita, &format!("{thread} a.comment-open")).await;
        rita.wait_for(&format!("{thread} textarea"))
            .await
            .send_keys("Is the 500 from the load-balancer logs?")
            .await
            .expect("typeable");
        click(&rita, &format!("{thread} button[type=submit]")).await;
        alice
            .open(&app.url(&format!("/incidents/{incident}")))
            .await;
        alice
            .wait_text("Is the 500 from the load-balancer logs?")
            .await;
        rita.open(&app.url("/my-work")).await;
        rita.wait_text("To review").await;
        rita.click_link("Open the review").await;
        for item in [
            "timeline_complete",
            "impact_quantified",
            "trigger_identified",
            "follow_ups_address_trigger",
        ] {
            rita.tick(item).await;
        }
        rita.submit("Approve").await;
        rita.wait_text("If it does not hold, request changes instead")
            .await;
        rita.tick("blameless").await;
        rita.type_into("comments", "Clear, quantified and blameless.")
            .await;
        rita.submit("Approve").await;
        rita.wait_text("Rita Reviewer approved revision 1").await;

        // Bob publishes it; it is read-only for everyone now.
        bob.open(&app.url(&format!("/incidents/{incident}/review")))
            .await;
        bob.submit("Publish").await;
        bob.wait_text("Published and read-only").await;
        bob.open(&app.url(&format!("/incidents/{incident}"))).await;
        bob.wait_text("Published and read-only").await;
        assert!(
            !shown(&bob, "a[href$='/timeline/new']").await,
            "a published postmortem offers no editing"
        );
        assert!(
            shown(&bob, "a[href$='/follow-ups/new']").await,
            "follow-ups stay open to authors"
        );

        // The history tells the whole story.
        admin
            .open(&app.url(&format!("/incidents/{incident}/history")))
            .await;
        admin.wait_text("Bob Author published revision 1").await;
        admin.wait_text("Rita Reviewer approved revision 1").await;
        admin.wait_text("Alice Author submitted revision 1").await;
        admin.wait_text("Alice Author edited Lessons").await;
        admin.wait_text("Bob Author edited Lessons").await;

        let mut errors = Vec::new();
        for j in [&admin, &alice, &bob, &rita] {
            errors.extend(console_errors(&j.client).await);
        }
        errors
    })
    .await;
    for j in [admin, alice, bob, rita] {
        let _ = j.client.close().await;
    }
    let errors = result.expect("the team journey finished within four minutes");
    assert!(
        errors.is_empty(),
        "the browser console reported errors: {errors:#?}"
    );
}
