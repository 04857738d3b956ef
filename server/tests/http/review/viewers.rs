//! What viewers see of the review: nothing of a postmortem that was never published, and no
//! review of one that was.

use leptos::server_fn::ServerFn;

use app::api::review::{PublishPostmortem, ReviewFor, StartCorrection, SubmitForReview};
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;

use super::support::{approve, example, person, send_back, status_of, take};
use crate::common::spawn;

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
