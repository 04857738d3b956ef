//! The history: each review step, with who took it and what it changed.

use leptos::server_fn::ServerFn;

use app::api::review::{PublishPostmortem, StartCorrection, SubmitForReview};
use app::domain::account::Role;

use super::support::{approve, example, history, person, review, send_back, take};
use crate::common::{spawn, text_of};

#[tokio::test]
async fn the_history_records_each_review_step_with_who_and_what_changed() {
    let app = spawn().await;
    let id = example(&app).await;
    let reviewer = person(&app, "Rhea Reviewer", Role::Reviewer).await;
    let author = person(&app, "Arno Author", Role::Author).await;

    assert_eq!(take(&author, SubmitForReview::PATH, id).await.0, 200);
    let asked = "Quantify the impact.";
    assert_eq!(send_back(&reviewer, id, asked).await.0, 200);
    assert_eq!(take(&app, SubmitForReview::PATH, id).await.0, 200);
    assert_eq!(
        approve(&reviewer, id, &[], "Clear and blameless.").await.0,
        200
    );
    assert_eq!(take(&author, PublishPostmortem::PATH, id).await.0, 200);
    assert_eq!(take(&author, StartCorrection::PATH, id).await.0, 200);

    let view = history(&app, id).await;
    let steps: Vec<_> = view
        .entries
        .iter()
        .filter(|e| e.action.is_empty())
        .rev()
        .collect();
    let told: Vec<(&str, &str)> = steps
        .iter()
        .map(|e| (e.who.as_str(), e.summary.as_str()))
        .collect();
    assert_eq!(
        told,
        [
            (
                "Arno Author",
                "submitted revision 1 of the postmortem for review"
            ),
            ("Rhea Reviewer", "requested changes to revision 1"),
            (
                "Ada Admin",
                "submitted revision 1 of the postmortem for review"
            ),
            ("Rhea Reviewer", "approved revision 1 of the postmortem"),
            ("Arno Author", "published revision 1 of the postmortem"),
            ("Arno Author", "started a correction: revision 2"),
        ],
        "every step, oldest first here: {:?}",
        view.entries
    );
    let status_change = |i: usize| {
        steps[i]
            .changes
            .iter()
            .find(|c| c.field == "status")
            .map(|c| (c.before.as_str(), c.after.as_str()))
    };
    assert_eq!(status_change(0), Some(("Draft", "In review")));
    assert_eq!(status_change(1), Some(("In review", "Changes requested")));
    assert_eq!(status_change(2), Some(("Changes requested", "In review")));
    assert_eq!(status_change(3), Some(("In review", "Approved")));
    assert_eq!(status_change(4), Some(("Approved", "Published")));
    assert_eq!(status_change(5), Some(("Published", "Draft")));
    let revision = steps[5].changes.iter().find(|c| c.field == "revision");
    assert_eq!(
        revision.map(|c| (c.before.as_str(), c.after.as_str())),
        Some(("1", "2")),
        "{:?}",
        steps[5].changes
    );
    let comments = |i: usize| {
        steps[i]
            .record
            .iter()
            .find(|(field, _)| field == "comments")
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(comments(1), Some(asked), "{:?}", steps[1].record);
    assert_eq!(comments(3), Some("Clear and blameless."));
    assert_eq!(comments(0), None);

    // Only the steps: submitting, deciding and publishing wrote no part of it.
    assert_eq!(
        review(&app, id).await.authors,
        ["Ada Admin"],
        "taking review steps is not writing"
    );
    let (status, html) = app.page(&format!("/incidents/{id}/history")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("Rhea Reviewer approved revision 1 of the postmortem"),
        "{text}"
    );
}
