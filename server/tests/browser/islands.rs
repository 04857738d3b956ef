//! The parts of a page the browser runs (`app/src/ui/islands.rs`): a Markdown field's wording
//! hints and preview. The zone picker has its test among the journeys.

use std::time::Duration;

use crate::common::chromium::{Driver, Journey, browser, console_errors};
use fantoccini::Locator;

/// Typing a blaming phrase brings the hints, taking it out removes them; the preview shows the
/// Markdown as the server renders it.
#[tokio::test]
async fn a_markdown_field_hints_at_blaming_words_and_previews_as_people_type() {
    let app = crate::common::spawn().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let client = browser(&driver, true, profile.path()).await;
    let j = Journey {
        client,
        javascript: true,
    };
    let result = tokio::time::timeout(Duration::from_secs(120), async {
        j.open(&app.url("/login")).await;
        j.type_into("email", crate::common::ADMIN_EMAIL).await;
        j.type_into("password", crate::common::PASSWORD).await;
        j.submit("Log in").await;
        j.wait_text("Ada Admin").await;
        j.open(&app.url("/incidents/new")).await;
        assert!(
            j.client
                .find(Locator::Css(".language-hints"))
                .await
                .is_err(),
            "no hints for an empty field"
        );

        j.type_into("summary", "The operator forgot to pause the **job**.")
            .await;
        j.wait_text("Blameless wording (advisory)").await;
        j.wait_for(".language-hints mark").await;

        j.client
            .find(Locator::XPath("//button[normalize-space(.)='Preview']"))
            .await
            .expect("a preview button once the page is interactive")
            .click()
            .await
            .expect("the button is clickable");
        let bold = j.wait_for(".preview strong").await;
        assert_eq!(bold.text().await.expect("text"), "job");

        j.type_into("summary", "The restart job paused nothing.")
            .await;
        let deadline = std::time::Instant::now() + Duration::from_secs(15);
        while j.client.find(Locator::Css(".language-hints")).await.is_ok() {
            assert!(
                std::time::Instant::now() < deadline,
                "the hints stayed after the phrase was taken out"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        console_errors(&j.client).await
    })
    .await;
    let _ = j.client.close().await;
    let errors = result.expect("the field answered within two minutes");
    assert!(
        errors.is_empty(),
        "the browser console reported errors: {errors:#?}"
    );
}
