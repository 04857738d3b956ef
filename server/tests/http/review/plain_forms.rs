//! Without JavaScript: the review forms posted as plain HTML forms, and a refused approval
//! coming back with what to correct.

use leptos::server_fn::ServerFn;

use app::api::review::{ApprovePostmortem, SubmitForReview};
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;

use super::support::{approval, example, pairs, person, status_of};
use crate::common::{spawn, text_of};

#[tokio::test]
async fn without_javascript_a_failed_approval_comes_back_with_the_unticked_item_marked() {
    let app = spawn().await;
    let id = example(&app).await;
    let reviewer = person(&app, "Rhea Reviewer", Role::Reviewer).await;
    let page = format!("/incidents/{id}/review");

    let (status, location) = app
        .submit(SubmitForReview::PATH, &page, &[("id", &id.to_string())])
        .await;
    assert!(matches!(status, 302 | 303), "submitted, got {status}");
    assert_eq!(
        location.as_deref(),
        Some(page.as_str()),
        "back to the review"
    );

    let comments = "Everything but the wording.";
    let fields = approval(id, &["blameless"], comments);
    let (status, location) = reviewer
        .submit(ApprovePostmortem::PATH, &page, &pairs(&fields))
        .await;
    assert!(
        matches!(status, 302 | 303),
        "sent back to the form, got {status}"
    );
    let location = location.expect("a location");
    assert!(
        location.starts_with(&format!("{page}?flash=")),
        "{location}"
    );

    let (status, html) = reviewer.page(&location).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        html.contains("notice notice-error"),
        "the form shows a message: {text}"
    );
    assert!(
        text.contains("Please correct the fields marked below."),
        "{text}"
    );
    assert!(
        text.contains("Tick this once you have checked it"),
        "the unticked item says what to do: {text}"
    );
    let blameless = field_html(&html, "form[blameless]");
    assert!(
        blameless.contains("invalid"),
        "the unticked item is marked: {blameless}"
    );
    assert!(!blameless.contains("checked"), "{blameless}");
    let ticked = field_html(&html, "form[timeline_complete]");
    assert!(
        !ticked.contains("invalid") && ticked.contains("checked"),
        "a ticked item stays ticked: {ticked}"
    );
    assert!(html.contains(comments), "the comments typed are back");
    assert_eq!(status_of(&app, id).await, (IncidentStatus::InReview, 1));
}

/// The HTML of the form field that holds the input named `name`: from the `<div` that opens
/// it to the end of the input.
fn field_html<'a>(html: &'a str, name: &str) -> &'a str {
    let input = html
        .find(&format!(r#"name="{name}""#))
        .unwrap_or_else(|| panic!("no input {name} in {html}"));
    let start = html[..input]
        .rfind("<div")
        .expect("a field around the input");
    let end = input + html[input..].find('>').expect("the input ends");
    &html[start..=end]
}
