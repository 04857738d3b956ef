//! The review of a postmortem, over HTTP against the real server: draft → in review → changes
//! requested or approved → published → corrected as the next revision; who may take each step
//! (a reviewer who wrote no part of it, for approving and requesting changes); steps out of
//! order; what viewers see; "my work"; the decisions on the review page; and the history.

mod common;

use common::{Browser, PASSWORD, TestApp, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::follow_ups::{AddFollowUp, TransitionFollowUp};
use app::api::history::{HistoryView, IncidentHistory};
use app::api::incidents::{
    CreateIncident, GetPostmortem, IncidentList, ListIncidents, LoadWorkedExample,
};
use app::api::my_work::{MyWork, MyWorkView};
use app::api::review::{
    ApprovePostmortem, PublishPostmortem, RequestChanges, ReviewFor, ReviewView, StartCorrection,
    SubmitForReview,
};
use app::api::timeline::AddTimelineEntry;
use app::api::views::PostmortemView;
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;
use app::domain::review::{ChecklistItem, ReviewStep};
use app::error::AppError;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The checklist fields of the approval form, in its order.
const CHECKLIST: [&str; 5] = [
    "timeline_complete",
    "impact_quantified",
    "trigger_identified",
    "follow_ups_address_trigger",
    "blameless",
];

fn pairs<'a>(fields: &'a [(String, String)]) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Calls a server function that must succeed and reads its JSON answer.
async fn json<T: serde::de::DeserializeOwned>(
    browser: &Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> T {
    let (status, body) = browser.call(path, fields).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path} answers {body}: {e}"))
}

/// The error a refused call answers with.
fn error_of(body: &str) -> AppError {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an AppError ({e}): {body}"))
}

/// A new account with this name and role, and a browser logged in as it.
async fn person(app: &TestApp, name: &str, role: Role) -> Browser {
    let email = format!(
        "{}@example.com",
        name.to_lowercase()
            .replace(|c: char| !c.is_alphanumeric(), ".")
    );
    app.add_user(&email, name, role).await;
    let browser = Browser::new(&app.base);
    let (status, _) = browser.log_in(&email, PASSWORD).await;
    assert_eq!(status, 302, "{name} logs in");
    browser
}

/// Loads a worked example as `browser`, who thereby writes it; returns its id.
async fn example(browser: &Browser) -> i64 {
    json(browser, LoadWorkedExample::PATH, &[]).await
}

async fn review(browser: &Browser, id: i64) -> ReviewView {
    json(browser, ReviewFor::PATH, &[("id", &id.to_string())]).await
}

async fn status_of(app: &TestApp, id: i64) -> (IncidentStatus, i32) {
    let view = review(app, id).await;
    (view.status, view.revision)
}

async fn history(browser: &Browser, id: i64) -> HistoryView {
    json(browser, IncidentHistory::PATH, &[("id", &id.to_string())]).await
}

async fn postmortem(browser: &Browser, id: i64) -> (u16, String) {
    browser
        .call(GetPostmortem::PATH, &[("id", &id.to_string())])
        .await
}

/// A step that needs nothing but the incident: submit, publish, start a correction.
async fn take(browser: &Browser, path: &str, id: i64) -> (u16, String) {
    browser.call(path, &[("id", &id.to_string())]).await
}

/// The approval form with every checklist item ticked but `unticked`.
fn approval(id: i64, unticked: &[&str], comments: &str) -> Vec<(String, String)> {
    let mut fields = vec![("id".to_owned(), id.to_string())];
    for item in CHECKLIST {
        if !unticked.contains(&item) {
            fields.push((format!("form[{item}]"), "on".to_owned()));
        }
    }
    fields.push(("form[comments]".to_owned(), comments.to_owned()));
    fields
}

async fn approve(browser: &Browser, id: i64, unticked: &[&str], comments: &str) -> (u16, String) {
    browser
        .call(
            ApprovePostmortem::PATH,
            &pairs(&approval(id, unticked, comments)),
        )
        .await
}

async fn send_back(browser: &Browser, id: i64, comments: &str) -> (u16, String) {
    browser
        .call(
            RequestChanges::PATH,
            &[("id", &id.to_string()), ("form[comments]", comments)],
        )
        .await
}

fn timeline_fields(incident: i64, body: &str) -> Vec<(String, String)> {
    [
        ("incident_id", incident.to_string().as_str()),
        ("form[at]", "2020-03-23T10:29"),
        ("form[precision]", "minute"),
        ("form[kind]", "action"),
        ("form[actor]", "on-call engineer"),
        ("form[body]", body),
        ("zone", "UTC"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

async fn add_timeline_entry(browser: &Browser, incident: i64, body: &str) -> (u16, String) {
    browser
        .call(
            AddTimelineEntry::PATH,
            &pairs(&timeline_fields(incident, body)),
        )
        .await
}

/// Adds a proposed follow-up owned by `owner`; returns the answer.
async fn add_follow_up(
    browser: &Browser,
    incident: i64,
    title: &str,
    owner: &str,
) -> (u16, String) {
    browser
        .call(
            AddFollowUp::PATH,
            &[
                ("incident_id", &incident.to_string()),
                ("state", "proposed"),
                ("form[title]", title),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[owner]", owner),
                ("form[due]", "2030-01-31"),
            ],
        )
        .await
}

async fn follow_up(browser: &Browser, incident: i64, title: &str, owner: &str) -> i64 {
    let (status, body) = add_follow_up(browser, incident, title, owner).await;
    assert_eq!(status, 200, "the follow-up {title:?} is added: {body}");
    serde_json::from_str(&body).expect("its id")
}

/// Takes `id` from draft to approved: `author` submits, `reviewer` approves.
async fn to_approved(author: &Browser, reviewer: &Browser, id: i64) {
    let (status, body) = take(author, SubmitForReview::PATH, id).await;
    assert_eq!(status, 200, "submitted: {body}");
    let (status, body) = approve(reviewer, id, &[], "").await;
    assert_eq!(status, 200, "approved: {body}");
}

async fn my_work(browser: &Browser) -> MyWorkView {
    json(browser, MyWork::PATH, &[]).await
}

fn ids(items: &[app::api::my_work::WorkItem]) -> Vec<i64> {
    items.iter().map(|i| i.incident_id).collect()
}

// ---------------------------------------------------------------------------------------------
// The whole path
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Who may review
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Steps out of order
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn steps_that_do_not_apply_to_the_status_are_refused_and_change_nothing() {
    let app = spawn().await;
    let id = example(&app).await;
    let reviewer = person(&app, "Rhea Reviewer", Role::Reviewer).await;
    let entries = history(&app, id).await.entries.len();

    /// Every step that does not apply in the incident's current status: (what, answer).
    async fn refused_steps(app: &TestApp, reviewer: &Browser, id: i64) -> Vec<(String, u16)> {
        let mut answers = Vec::new();
        let (status, _) = status_of(app, id).await;
        for step in ReviewStep::ALL {
            if step.apply(status).is_ok() {
                continue;
            }
            let (code, body) = match step {
                ReviewStep::Submit => take(app, SubmitForReview::PATH, id).await,
                ReviewStep::Approve => approve(reviewer, id, &[], "").await,
                ReviewStep::RequestChanges => send_back(reviewer, id, "Please fix.").await,
                ReviewStep::Publish => take(app, PublishPostmortem::PATH, id).await,
                ReviewStep::StartCorrection => take(app, StartCorrection::PATH, id).await,
            };
            if code == 400 {
                let error = error_of(&body);
                assert!(
                    matches!(error, AppError::BadRequest(ref m) if m.contains("cannot be")),
                    "{step:?} on {status:?}: {body}"
                );
            }
            answers.push((format!("{step:?} on {status:?}"), code));
        }
        answers
    }

    let mut wrong = Vec::new();
    let mut check = |answers: Vec<(String, u16)>| {
        wrong.extend(
            answers
                .into_iter()
                .filter(|(_, code)| *code != 400)
                .map(|(what, code)| format!("{what}: {code}")),
        );
    };
    let mut steps_taken = 0;
    let expected = [
        (IncidentStatus::Draft, 1),
        (IncidentStatus::InReview, 1),
        (IncidentStatus::ChangesRequested, 1),
        (IncidentStatus::InReview, 1),
        (IncidentStatus::Approved, 1),
        (IncidentStatus::Published, 1),
        (IncidentStatus::Draft, 2),
    ];
    for (n, now) in expected.iter().enumerate() {
        assert_eq!(status_of(&app, id).await, *now);
        check(refused_steps(&app, &reviewer, id).await);
        assert_eq!(
            status_of(&app, id).await,
            *now,
            "refused steps change nothing"
        );
        let (code, body) = match n {
            0 | 2 => take(&app, SubmitForReview::PATH, id).await,
            1 => send_back(&reviewer, id, "Name the trigger.").await,
            3 => approve(&reviewer, id, &[], "").await,
            4 => take(&app, PublishPostmortem::PATH, id).await,
            5 => take(&app, StartCorrection::PATH, id).await,
            _ => break,
        };
        assert_eq!(code, 200, "the step from {now:?}: {body}");
        steps_taken += 1;
    }
    assert!(wrong.is_empty(), "steps out of order answered: {wrong:?}");

    let (status, body) = take(&app, PublishPostmortem::PATH, id).await;
    assert_eq!(status, 400);
    assert!(
        error_of(&body)
            .to_string()
            .contains("A postmortem that is draft cannot be published; submit it for review first"),
        "{body}"
    );
    assert_eq!(
        history(&app, id).await.entries.len(),
        entries + steps_taken,
        "only the steps taken are recorded"
    );
    assert_eq!(
        review(&app, id).await.reviews.len(),
        2,
        "only the decisions taken are recorded"
    );
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
    let (expected_status, expected_comments) = if winner % 2 == 0 {
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

// ---------------------------------------------------------------------------------------------
// Viewers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_viewer_cannot_see_the_review_of_a_postmortem_that_was_never_published() {
    let app = spawn().await;
    let id = example(&app).await;
    let title = "Customer logins failed across all products";
    let reviewer = person(&app, "Rhea Reviewer", Role::Reviewer).await;
    let viewer = app.browser_as(Role::Viewer).await;
    let id_text = id.to_string();

    let (status, body) = app
        .anonymous()
        .call(ReviewFor::PATH, &[("id", &id_text)])
        .await;
    assert_eq!(status, 401, "{body}");

    let mut seen = Vec::new();
    for step in 0..4 {
        let (status, body) = viewer.call(ReviewFor::PATH, &[("id", &id_text)]).await;
        let (now, _) = status_of(&app, id).await;
        assert_eq!(status, 404, "the review of a postmortem {now:?}: {body}");
        assert!(!body.contains(title), "a 404 tells nothing: {body}");
        for path in [
            SubmitForReview::PATH,
            PublishPostmortem::PATH,
            StartCorrection::PATH,
        ] {
            let (status, body) = take(&viewer, path, id).await;
            assert_eq!(status, 404, "{path} on a postmortem {now:?}: {body}");
        }
        let (status, body) = approve(&viewer, id, &[], "").await;
        assert_eq!(status, 404, "approving a postmortem {now:?}: {body}");
        seen.push(now);
        match step {
            0 => assert_eq!(take(&app, SubmitForReview::PATH, id).await.0, 200),
            1 => assert_eq!(send_back(&reviewer, id, "Name the trigger.").await.0, 200),
            2 => {
                assert_eq!(take(&app, SubmitForReview::PATH, id).await.0, 200);
                assert_eq!(approve(&reviewer, id, &[], "").await.0, 200);
            }
            _ => {}
        }
    }
    assert_eq!(
        seen,
        [
            IncidentStatus::Draft,
            IncidentStatus::InReview,
            IncidentStatus::ChangesRequested,
            IncidentStatus::Approved
        ]
    );
    assert_eq!(
        status_of(&app, id).await,
        (IncidentStatus::Approved, 1),
        "viewers changed nothing"
    );

    // Once published, the viewer may know it exists, but reviews are for authors and up.
    assert_eq!(take(&app, PublishPostmortem::PATH, id).await.0, 200);
    let (status, body) = viewer.call(ReviewFor::PATH, &[("id", &id_text)]).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = take(&viewer, StartCorrection::PATH, id).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(status_of(&app, id).await, (IncidentStatus::Published, 1));
}

// ---------------------------------------------------------------------------------------------
// My work
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn my_work_lists_what_waits_for_each_person() {
    let app = spawn().await;
    let wanda = person(&app, "Wanda Writer", Role::Author).await;
    let iris = person(&app, "Iris Involved", Role::Reviewer).await;
    let rex = person(&app, "Rex Reviewer", Role::Reviewer).await;
    let vic = person(&app, "Vic Viewer", Role::Viewer).await;

    // Wanda writes a draft of her own and the example, which Iris adds to; Wanda submits the
    // example. Ada Admin loads an example of her own and leaves it a draft.
    let draft: i64 = json(
        &wanda,
        CreateIncident::PATH,
        &[
            ("form[title]", "Checkout errors"),
            ("form[summary]", "Payments failed."),
            ("form[severity]", "sev2"),
            ("form[services]", "Checkout"),
            ("form[impact_started_at]", "2020-03-23T10:27"),
            ("form[impact_started_precision]", "approximate"),
            ("zone", "UTC"),
        ],
    )
    .await;
    let submitted = example(&wanda).await;
    assert_eq!(
        add_timeline_entry(&iris, submitted, "Paged the database team.")
            .await
            .0,
        200
    );
    let admins = example(&app).await;
    assert_eq!(take(&wanda, SubmitForReview::PATH, submitted).await.0, 200);

    // Follow-ups: Wanda owns two open ones (one on a draft), and one she decided against; Vic
    // owns one on the draft and, later, one on a published postmortem.
    let hers = follow_up(&app, admins, "Alert on failed logins", "wanda writer").await;
    let on_draft = follow_up(&wanda, draft, "Retry declined payments", "  Wanda Writer ").await;
    let dropped = follow_up(&app, admins, "Rewrite the login service", "Wanda Writer").await;
    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &dropped.to_string()),
                ("form[to]", "wont_do"),
                ("form[note]", "Too big for what it buys"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    follow_up(&app, admins, "Page the database team", "Rex Reviewer").await;
    follow_up(&wanda, draft, "Document the payment retries", "Vic Viewer").await;

    let mine = my_work(&wanda).await;
    assert_eq!(
        {
            let mut writing = ids(&mine.writing);
            writing.sort_unstable();
            writing
        },
        [draft, submitted],
        "Wanda's postmortems that are not published, not Ada's: {mine:?}"
    );
    let todo = |id: i64| {
        mine.writing
            .iter()
            .find(|i| i.incident_id == id)
            .map(|i| (i.status, i.todo.clone()))
            .expect("listed")
    };
    assert_eq!(todo(draft).0, IncidentStatus::Draft);
    assert!(todo(draft).1.contains("submit it for review"), "{mine:?}");
    assert_eq!(todo(submitted).0, IncidentStatus::InReview);
    assert!(
        todo(submitted).1.contains("Waiting for a reviewer"),
        "{mine:?}"
    );
    assert!(mine.reviewing.is_empty() && !mine.reviewer, "{mine:?}");
    let mut owned: Vec<i64> = mine.follow_ups.iter().map(|f| f.id).collect();
    owned.sort_unstable();
    assert_eq!(
        owned,
        [hers, on_draft],
        "her open follow-ups, whatever the case of her name: {:?}",
        mine.follow_ups
    );

    // Iris wrote part of the submitted one: it is hers to wait on, not hers to review.
    let iris_work = my_work(&iris).await;
    assert!(iris_work.reviewer);
    assert_eq!(ids(&iris_work.writing), [submitted], "{iris_work:?}");
    assert!(
        iris_work.reviewing.is_empty(),
        "an involved reviewer is not asked to review it: {iris_work:?}"
    );
    assert!(iris_work.follow_ups.is_empty());

    // Rex wrote none of it: he is asked to review it, and has a follow-up of his own.
    let rex_work = my_work(&rex).await;
    assert!(rex_work.reviewer);
    assert!(rex_work.writing.is_empty(), "{rex_work:?}");
    assert_eq!(ids(&rex_work.reviewing), [submitted], "{rex_work:?}");
    assert!(rex_work.reviewing[0].todo.contains("Review it"));
    assert_eq!(rex_work.follow_ups.len(), 1);
    assert_eq!(rex_work.follow_ups[0].title, "Page the database team");

    // Ada wrote her example (a draft) and nothing of Wanda's; she may review Wanda's.
    let ada_work = my_work(&app).await;
    assert_eq!(ids(&ada_work.writing), [admins], "{ada_work:?}");
    assert_eq!(ids(&ada_work.reviewing), [submitted], "{ada_work:?}");

    // Vic, a viewer, writes and reviews nothing, and sees no follow-up on a draft.
    let vic_work = my_work(&vic).await;
    assert!(
        vic_work.writing.is_empty() && vic_work.reviewing.is_empty() && !vic_work.reviewer,
        "{vic_work:?}"
    );
    assert!(
        vic_work.follow_ups.is_empty(),
        "a follow-up on a draft stays hidden from a viewer: {vic_work:?}"
    );

    // Rex approves: Wanda is asked to publish it; nobody is asked to review it any more.
    assert_eq!(approve(&rex, submitted, &[], "").await.0, 200);
    let mine = my_work(&wanda).await;
    let item = mine
        .writing
        .iter()
        .find(|i| i.incident_id == submitted)
        .expect("still Wanda's");
    assert_eq!(item.status, IncidentStatus::Approved);
    assert!(item.todo.contains("publish it"), "{item:?}");
    assert!(my_work(&rex).await.reviewing.is_empty());
    assert!(my_work(&app).await.reviewing.is_empty());

    // Published, it leaves Wanda's list; Vic now sees a follow-up of his on it.
    assert_eq!(
        take(&wanda, PublishPostmortem::PATH, submitted).await.0,
        200
    );
    follow_up(
        &wanda,
        submitted,
        "Load-test the session store",
        "vic viewer",
    )
    .await;
    assert_eq!(ids(&my_work(&wanda).await.writing), [draft]);
    let vic_work = my_work(&vic).await;
    assert_eq!(
        vic_work
            .follow_ups
            .iter()
            .map(|f| f.title.as_str())
            .collect::<Vec<_>>(),
        ["Load-test the session store"]
    );

    // Sent back, a postmortem asks its writers to address the comments.
    assert_eq!(take(&app, SubmitForReview::PATH, admins).await.0, 200);
    assert_eq!(send_back(&rex, admins, "Quantify the impact.").await.0, 200);
    let ada_work = my_work(&app).await;
    assert_eq!(ada_work.writing.len(), 1);
    assert_eq!(ada_work.writing[0].status, IncidentStatus::ChangesRequested);
    assert!(
        ada_work.writing[0].todo.contains("reviewer's comments"),
        "{ada_work:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The history
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Without JavaScript
// ---------------------------------------------------------------------------------------------

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
