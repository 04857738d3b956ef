//! The blameless-language check on a postmortem submitted for review: blaming phrases anywhere
//! in it are listed, with where they are, why they blame and what to try; nothing is blocked.

use crate::common::{spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::review::{ReviewFor, SubmitForReview};
use app::api::timeline::AddTimelineEntry;
use app::dto::review::ReviewView;

#[tokio::test]
async fn blaming_phrases_are_listed_for_review_but_block_nothing() {
    let app = spawn().await;
    let location = app.load_example().await;
    let incident: i64 = location.trim_start_matches("/incidents/").parse().unwrap();
    let id = incident.to_string();
    let review: ReviewView = app.json(ReviewFor::PATH, &[("id", &id)]).await;
    assert!(
        review.language.is_empty(),
        "the worked example is blameless: {:?}",
        review.language
    );

    let (status, body) = app
        .call(
            AddTimelineEntry::PATH,
            &[
                ("incident_id", &id),
                ("form[at]", "2020-03-23T10:30"),
                ("form[precision]", "minute"),
                ("form[kind]", "action"),
                ("form[actor]", "on-call engineer"),
                (
                    "form[body]",
                    "Sam forgot to set the concurrency; human error.",
                ),
                ("zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let review: ReviewView = app.json(ReviewFor::PATH, &[("id", &id)]).await;
    let found: Vec<(&str, &str)> = review
        .language
        .iter()
        .map(|n| (n.place.as_str(), n.finding.phrase.as_str()))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(place, _)| place.starts_with("Timeline entry"))
    );
    assert_eq!(
        found.iter().map(|(_, p)| *p).collect::<Vec<_>>(),
        ["Sam forgot", "human error"]
    );

    let (_, html) = app.page(&format!("/incidents/{incident}/review")).await;
    let text = text_of(&html);
    assert!(text.contains("Wording to reconsider"), "{text}");
    assert!(
        text.contains("ends the inquiry where it should start"),
        "{text}"
    );

    let (status, body) = app.call(SubmitForReview::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200, "advisory, never blocking: {body}");
}
