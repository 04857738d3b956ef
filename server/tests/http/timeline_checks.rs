//! The timeline checks on the review page: a postmortem whose timeline a careful reviewer would
//! question lists each question, linked to the place on the postmortem page to answer it; the
//! worked example lists none. Advisory: submitting still works.

use crate::common::{incident_of, spawn, text_of};
use crate::{element_id, id_from, incident_fields};
use leptos::server_fn::ServerFn;

use app::api::incidents::CreateIncident;
use app::api::review::SubmitForReview;
use app::api::timeline::AddTimelineEntry;

const HEADING: &str = "Before review: what a careful reviewer would ask";

#[tokio::test]
async fn a_timeline_a_reviewer_would_question_lists_each_question_with_a_link_to_fix_it() {
    let app = spawn().await;
    // Impact started and detected are recorded; mitigated and resolved are not.
    let (status, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields("Checkout errors", "Checkout failed."),
        )
        .await;
    assert_eq!(status, 302);
    let page = location.expect("created");
    let id = id_from(&page).to_owned();
    let (status, body) = app
        .call(
            AddTimelineEntry::PATH,
            &[
                ("incident_id", &id),
                ("form[at]", "2199-03-23T10:30"),
                ("form[precision]", "minute"),
                ("form[kind]", "action"),
                ("form[actor]", "on-call engineer"),
                ("form[body]", "Rolled back the checkout deploy."),
                ("zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, postmortem) = app.page(&page).await;
    let entry = element_id(&postmortem, "entry-", "Rolled back the checkout deploy.");
    assert!(
        postmortem.contains("id=\"milestones\""),
        "the milestones can be linked to"
    );

    let (status, html) = app.page(&format!("{page}/review")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains(HEADING), "{text}");
    for sentence in [
        "The milestone “Mitigated” is not recorded; without it there is no time to mitigate.",
        "The milestone “Resolved (impact ended)” is not recorded; without it there is no impact duration.",
        "The action by on-call engineer at 23 Mar 2199 10:30 is in the future; check its date.",
        "The timeline has no entry marked as detection, but the detection milestone is set at \
         23 Mar 2020 10:28: mark the entry where the problem was noticed, or add one.",
    ] {
        assert!(text.contains(sentence), "{sentence} not in {text}");
    }
    for href in [
        format!("href=\"/incidents/{id}#milestones\""),
        format!("href=\"/incidents/{id}#entry-{entry}\""),
        format!("href=\"/incidents/{id}#timeline\""),
    ] {
        assert!(html.contains(&href), "{href} not in {html}");
    }

    let (status, body) = app.call(SubmitForReview::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200, "advisory, never blocking: {body}");
}

#[tokio::test]
async fn the_worked_example_raises_no_question_before_review() {
    let app = spawn().await;
    let location = app.load_example().await;
    let incident = incident_of(&location);
    let (status, html) = app.page(&format!("/incidents/{incident}/review")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("Submit for review"), "{text}");
    assert!(!text.contains(HEADING), "{text}");
}
