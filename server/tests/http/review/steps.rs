//! Steps out of order: every step that does not apply to the postmortem's status is refused
//! and changes nothing.

use leptos::server_fn::ServerFn;

use app::api::review::{PublishPostmortem, StartCorrection, SubmitForReview};
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;
use app::domain::review::ReviewStep;
use app::error::AppError;

use super::support::{
    approve, error_of, example, history, person, review, send_back, status_of, take,
};
use crate::common::{Browser, TestApp, spawn};

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
