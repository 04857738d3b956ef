//! Who may decide: only a reviewer (or admin) who wrote no part of the postmortem may approve
//! it or send it back; and when reviewers decide at once, exactly one decision counts.

use leptos::server_fn::ServerFn;

use app::api::review::SubmitForReview;
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;
use app::domain::review::ReviewStep;

use super::support::{
    add_timeline_entry, approve, error_of, example, follow_up, history, person, review, send_back,
    take,
};
use crate::common::spawn;

#[tokio::test]
async fn only_a_reviewer_who_wrote_no_part_of_it_may_approve_or_send_it_back() {
    let app = spawn().await;
    let id = example(&app).await;
    let involved = person(&app, "Ian Involved", Role::Reviewer).await;
    let late = person(&app, "Lena Late", Role::Reviewer).await;
    let uninvolved = person(&app, "Una Uninvolved", Role::Reviewer).await;
    let other_admin = person(&app, "Otto Otheradmin", Role::Admin).await;
    let author = person(&app, "Arno Author", Role::Author).await;

    // The involved reviewer wrote a timeline entry while it was a draft.
    let (status, body) = add_timeline_entry(&involved, id, "Rolled back the session store.").await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = take(&involved, SubmitForReview::PATH, id).await;
    assert_eq!(status, 200, "any author may submit it: {body}");
    // Another reviewer adds a follow-up while it is in review (follow-ups stay open), and so
    // writes part of it too.
    follow_up(&late, id, "Alert on the login error rate", "platform team").await;

    let view = review(&uninvolved, id).await;
    assert_eq!(
        view.authors,
        ["Ada Admin", "Ian Involved", "Lena Late"],
        "the authors in the order they started"
    );
    for (who, name) in [
        (&involved, "the reviewer who wrote an entry"),
        (&late, "the reviewer who added a follow-up"),
        (&app.browser, "the admin who loaded the example"),
    ] {
        let view = review(who, id).await;
        assert!(view.you_wrote_it, "{name}");
        assert!(view.steps.is_empty(), "{name} may not review: {view:?}");
        let (status, body) = approve(who, id, &[], "").await;
        assert_eq!(status, 403, "{name} approving: {body}");
        assert!(
            error_of(&body).to_string().contains("someone uninvolved"),
            "{body}"
        );
        let (status, body) = send_back(who, id, "Looks wrong to me.").await;
        assert_eq!(status, 403, "{name} requesting changes: {body}");
    }
    let (status, body) = approve(&author, id, &[], "").await;
    assert_eq!(status, 403, "an author is no reviewer: {body}");
    let (status, body) = send_back(&author, id, "Please fix.").await;
    assert_eq!(status, 403, "an author is no reviewer: {body}");
    let view = review(&app, id).await;
    assert_eq!(view.status, IncidentStatus::InReview, "nothing changed");
    assert!(view.reviews.is_empty());

    // An uninvolved admin may review too; an uninvolved reviewer approves.
    assert_eq!(
        review(&other_admin, id).await.steps,
        [ReviewStep::Approve, ReviewStep::RequestChanges]
    );
    let (status, body) = approve(&uninvolved, id, &[], "").await;
    assert_eq!(status, 200, "{body}");
    let view = review(&app, id).await;
    assert_eq!(view.status, IncidentStatus::Approved);
    assert_eq!(view.reviews[0].reviewer, "Una Uninvolved");
}

#[tokio::test]
async fn an_uninvolved_admin_may_send_a_postmortem_back() {
    let app = spawn().await;
    let author = person(&app, "Arno Author", Role::Author).await;
    let id = example(&author).await;
    let (status, body) = take(&author, SubmitForReview::PATH, id).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = send_back(&app, id, "Name the trigger.").await;
    assert_eq!(status, 200, "Ada Admin wrote none of it: {body}");
    let view = review(&author, id).await;
    assert_eq!(view.status, IncidentStatus::ChangesRequested);
    assert_eq!(view.reviews[0].reviewer, "Ada Admin");
    assert_eq!(view.authors, ["Arno Author"]);
}

#[tokio::test]
async fn when_reviewers_decide_at_once_exactly_one_decision_counts() {
    let app = spawn().await;
    let id = example(&app).await;
    let (status, body) = take(&app, SubmitForReview::PATH, id).await;
    assert_eq!(status, 200, "{body}");
    let mut reviewers = Vec::new();
    for name in ["Rae One", "Rae Two", "Rae Three", "Rae Four"] {
        reviewers.push(person(&app, name, Role::Reviewer).await);
    }
    let mut decisions = tokio::task::JoinSet::new();
    for (i, reviewer) in reviewers.into_iter().enumerate() {
        decisions.spawn(async move {
            let answer = if i % 2 == 0 {
                approve(&reviewer, id, &[], &format!("Approved by {i}.")).await
            } else {
                send_back(&reviewer, id, &format!("Sent back by {i}.")).await
            };
            (i, answer)
        });
    }
    let results = decisions.join_all().await;
    let winners: Vec<usize> = results
        .iter()
        .filter(|(_, (status, _))| *status == 200)
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(winners.len(), 1, "exactly one decision wins: {results:?}");
    for (i, (status, body)) in &results {
        if !winners.contains(i) {
            assert_eq!(
                *status, 400,
                "reviewer {i} finds it already decided: {body}"
            );
        }
    }
    let view = review(&app, id).await;
    assert_eq!(view.reviews.len(), 1, "{:?}", view.reviews);
    let winner = winners[0];
    let (expected_status, expected_comments) = if winner.is_multiple_of(2) {
        (IncidentStatus::Approved, format!("Approved by {winner}."))
    } else {
        (
            IncidentStatus::ChangesRequested,
            format!("Sent back by {winner}."),
        )
    };
    assert_eq!(view.status, expected_status);
    assert_eq!(view.reviews[0].decision.comments, expected_comments);
    let review_steps = history(&app, id)
        .await
        .entries
        .iter()
        .filter(|e| e.action.is_empty())
        .count();
    assert_eq!(review_steps, 2, "the submission and the one decision");
}
