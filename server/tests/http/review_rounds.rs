//! A resubmitted postmortem goes back to the reviewer of its latest decision, and its
//! publication reaches that reviewer: with several rounds by different reviewers, not the first.

use app::api::review::{ApprovePostmortem, PublishPostmortem, RequestChanges, SubmitForReview};
use app::domain::account::Role;
use leptos::server_fn::ServerFn;

use crate::common::{approval_fields, incident_of, spawn};
use crate::notifications::{person, told};

#[tokio::test]
async fn each_round_goes_back_to_the_reviewer_of_the_latest_decision() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let id = incident.to_string();
    let (_, rex) = person(&app, "rex@example.com", "Rex Reviewer", Role::Reviewer).await;
    let (_, rita) = person(&app, "rita@example.com", "Rita Reviewer", Role::Reviewer).await;
    let submit = [("id", id.as_str())];
    let changes = [("id", id.as_str()), ("form[comments]", "Count the logins.")];

    assert_eq!(app.call(SubmitForReview::PATH, &submit).await.0, 200);
    assert_eq!(rex.call(RequestChanges::PATH, &changes).await.0, 200);
    assert_eq!(app.call(SubmitForReview::PATH, &submit).await.0, 200);
    // Rita takes the second round and asks for more.
    assert_eq!(rita.call(RequestChanges::PATH, &changes).await.0, 200);
    assert_eq!(app.call(SubmitForReview::PATH, &submit).await.0, 200);
    assert_eq!(
        told(&app, "review_requested").await,
        [
            "rex@example.com",
            "rita@example.com",
            "rex@example.com",
            "rita@example.com"
        ],
        "the first round to every reviewer, then to Rex, then to Rita"
    );

    assert_eq!(
        rita.call(ApprovePostmortem::PATH, &approval_fields(&id))
            .await
            .0,
        200
    );
    assert_eq!(
        app.call(PublishPostmortem::PATH, &[("id", &id)]).await.0,
        200
    );
    assert_eq!(told(&app, "published").await, ["rita@example.com"]);
}
