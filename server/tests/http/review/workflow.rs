//! The whole path: draft → in review → changes requested → in review → approved → published →
//! corrected as the next revision, and reviewed again.

use leptos::server_fn::ServerFn;

use app::api::follow_ups::TransitionFollowUp;
use app::api::incidents::ListIncidents;
use app::api::review::{PublishPostmortem, StartCorrection, SubmitForReview};
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;
use app::domain::review::{ChecklistItem, ReviewStep};
use app::dto::postmortem::IncidentList;
use app::dto::postmortem::PostmortemView;

use super::support::{
    CHECKLIST, add_timeline_entry, approve, error_of, example, follow_up, json, person, postmortem,
    review, send_back, status_of, take,
};
use crate::common::{Browser, spawn};

#[tokio::test]
async fn a_postmortem_goes_from_draft_through_review_to_published_and_back_as_a_correction() {
    let app = spawn().await;
    let id = example(&app).await;
    let reviewer = person(&app, "Rhea Reviewer", Role::Reviewer).await;
    let viewer = app.browser_as(Role::Viewer).await;

    // A draft: its writer may submit it; nobody may review it yet.
    let view = review(&app, id).await;
    assert_eq!(
        (view.status, view.revision),
        (IncidentStatus::Draft, 1),
        "{view:?}"
    );
    assert_eq!(
        view.authors,
        ["Ada Admin"],
        "who loaded the example wrote it"
    );
    assert!(view.you_wrote_it);
    assert_eq!(view.steps, [ReviewStep::Submit]);
    assert!(view.reviews.is_empty());
    assert_eq!(review(&reviewer, id).await.steps, [ReviewStep::Submit]);

    // Submitted: in review, read-only, and the uninvolved reviewer may decide.
    let (status, body) = take(&app, SubmitForReview::PATH, id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(status_of(&app, id).await, (IncidentStatus::InReview, 1));
    let (status, body) = add_timeline_entry(&app, id, "Written during the review.").await;
    assert_eq!(status, 403, "a postmortem in review is read-only: {body}");
    assert!(
        review(&app, id).await.steps.is_empty(),
        "its author can do nothing while it is in review"
    );
    let seen_by_reviewer = review(&reviewer, id).await;
    assert!(!seen_by_reviewer.you_wrote_it);
    assert_eq!(
        seen_by_reviewer.steps,
        [ReviewStep::Approve, ReviewStep::RequestChanges]
    );

    // Requesting changes needs comments.
    for empty in ["", "   \n  "] {
        let (status, body) = send_back(&reviewer, id, empty).await;
        assert_eq!(status, 422, "comments {empty:?}: {body}");
        let error = error_of(&body);
        assert!(
            error
                .field("comments")
                .is_some_and(|m| m.contains("Say what should change")),
            "the error names the comments: {body}"
        );
    }
    assert_eq!(
        status_of(&app, id).await,
        (IncidentStatus::InReview, 1),
        "a refused request changes nothing"
    );
    let asked = "Quantify the impact: how many logins failed, and for how long?";
    let (status, body) = send_back(&reviewer, id, asked).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        status_of(&app, id).await,
        (IncidentStatus::ChangesRequested, 1)
    );

    // Sent back: editable again, and submitted again.
    let (status, body) = add_timeline_entry(&app, id, "Counted the failed logins: 41,000.").await;
    assert_eq!(status, 200, "a postmortem sent back can be changed: {body}");
    assert_eq!(review(&app, id).await.steps, [ReviewStep::Submit]);
    let (status, body) = take(&app, SubmitForReview::PATH, id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(status_of(&app, id).await, (IncidentStatus::InReview, 1));

    // An approval needs every checklist item ticked; each unticked one is named.
    for item in CHECKLIST {
        let (status, body) = approve(&reviewer, id, &[item], "").await;
        assert_eq!(status, 422, "without {item}: {body}");
        let error = error_of(&body);
        assert!(
            error
                .field(item)
                .is_some_and(|m| m.contains("request changes instead")),
            "the error names {item}: {body}"
        );
        for other in CHECKLIST.iter().filter(|o| **o != item) {
            assert_eq!(error.field(other), None, "only {item} is named: {body}");
        }
    }
    let (status, body) = approve(&reviewer, id, &["blameless", "impact_quantified"], "").await;
    assert_eq!(status, 422, "{body}");
    let error = error_of(&body);
    assert!(error.field("blameless").is_some() && error.field("impact_quantified").is_some());
    assert_eq!(status_of(&app, id).await, (IncidentStatus::InReview, 1));
    assert_eq!(
        review(&app, id).await.reviews.len(),
        1,
        "a refused approval records no decision"
    );
    let (status, body) = approve(&reviewer, id, &[], "Clear, quantified and blameless.").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(status_of(&app, id).await, (IncidentStatus::Approved, 1));
    let (status, body) = add_timeline_entry(&app, id, "After approval.").await;
    assert_eq!(status, 403, "an approved postmortem is read-only: {body}");
    let (status, _) = postmortem(&viewer, id).await;
    assert_eq!(status, 404, "viewers do not read it before it is published");

    // The decisions, newest first, with the checklist, the comments, the revision and who.
    let view = review(&app, id).await;
    assert_eq!(view.steps, [ReviewStep::Publish]);
    assert_eq!(view.reviews.len(), 2, "{:?}", view.reviews);
    let (approval, changes) = (&view.reviews[0], &view.reviews[1]);
    assert_eq!(approval.decision.step, ReviewStep::Approve);
    assert_eq!(approval.decision.checked, ChecklistItem::ALL.to_vec());
    assert_eq!(
        approval.decision.comments,
        "Clear, quantified and blameless."
    );
    assert_eq!(approval.reviewer, "Rhea Reviewer");
    assert_eq!(approval.revision, 1);
    assert!(!approval.at.is_empty());
    assert_eq!(changes.decision.step, ReviewStep::RequestChanges);
    assert!(changes.decision.checked.is_empty());
    assert_eq!(changes.decision.comments, asked);
    assert_eq!(changes.reviewer, "Rhea Reviewer");
    assert_eq!(changes.revision, 1);
    assert_eq!(
        view.authors,
        ["Ada Admin"],
        "reviewing a postmortem is not writing it"
    );

    // Published: everyone reads it; the postmortem is read-only, its follow-ups are not.
    let (status, body) = take(&app, PublishPostmortem::PATH, id).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(status_of(&app, id).await, (IncidentStatus::Published, 1));
    assert_eq!(review(&app, id).await.steps, [ReviewStep::StartCorrection]);
    let (status, body) = postmortem(&viewer, id).await;
    assert_eq!(
        status, 200,
        "a published postmortem is for everyone: {body}"
    );
    for who in [&app.browser, &reviewer] {
        let (status, body) = add_timeline_entry(who, id, "After publishing.").await;
        assert_eq!(status, 403, "a published postmortem is read-only: {body}");
        let error = error_of(&body);
        assert!(
            error.to_string().contains("Start a correction"),
            "the refusal says what to do instead: {error}"
        );
    }
    let author = app.browser_as(Role::Author).await;
    let added = follow_up(&author, id, "Rate-limit the login retries", "platform team").await;
    let (status, body) = author
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &added.to_string()),
                ("form[to]", "wont_do"),
                ("form[note]", "The new session store makes it moot"),
            ],
        )
        .await;
    assert_eq!(
        status, 200,
        "follow-ups stay open to change after publishing: {body}"
    );
    assert_eq!(
        status_of(&app, id).await,
        (IncidentStatus::Published, 1),
        "changing a follow-up does not reopen the postmortem"
    );

    // A correction: the next revision, a draft, editable, still readable by viewers.
    let (status, body) = take(&app, StartCorrection::PATH, id).await;
    assert_eq!(status, 200, "{body}");
    let view = review(&app, id).await;
    assert_eq!((view.status, view.revision), (IncidentStatus::Draft, 2));
    assert_eq!(view.steps, [ReviewStep::Submit]);
    assert_eq!(view.reviews.len(), 2, "the decisions on revision 1 stay");
    let (status, body) = add_timeline_entry(&app, id, "Corrected: 42,000 failed logins.").await;
    assert_eq!(status, 200, "a correction can be written: {body}");
    let (status, body) = postmortem(&viewer, id).await;
    assert_eq!(
        status, 200,
        "viewers keep reading a published postmortem while it is corrected: {body}"
    );
    let read: PostmortemView = serde_json::from_str(&body).expect("a postmortem");
    assert_eq!(
        (read.revision, read.correcting),
        (1, Some(2)),
        "viewers read revision 1 as published while revision 2 is written"
    );
    assert!(!read.can_edit && !read.can_edit_follow_ups);
    let list: IncidentList = json(
        &viewer,
        ListIncidents::PATH,
        &[("status", ""), ("severity", "")],
    )
    .await;
    assert!(list.rows.iter().any(|r| r.id == id), "and find it listed");

    // Revision 2 is reviewed again, and its decision says so.
    to_approved(&app, &reviewer, id).await;
    let view = review(&app, id).await;
    assert_eq!((view.status, view.revision), (IncidentStatus::Approved, 2));
    assert_eq!(view.reviews.len(), 3);
    assert_eq!(view.reviews[0].revision, 2);
    assert_eq!(view.reviews[0].decision.step, ReviewStep::Approve);
    assert_eq!(
        view.authors,
        ["Ada Admin", "Author person"],
        "whoever changed a follow-up wrote part of it too"
    );
}

/// Takes `id` from draft to approved: `author` submits, `reviewer` approves.
async fn to_approved(author: &Browser, reviewer: &Browser, id: i64) {
    let (status, body) = take(author, SubmitForReview::PATH, id).await;
    assert_eq!(status, 200, "submitted: {body}");
    let (status, body) = approve(reviewer, id, &[], "").await;
    assert_eq!(status, 200, "approved: {body}");
}
