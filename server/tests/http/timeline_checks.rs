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

#[tokio::test]
async fn an_approximate_time_asks_where_it_comes_from_until_the_entry_says() {
    let app = spawn().await;
    let location = app.load_example().await;
    let incident = incident_of(&location);
    let page = format!("/incidents/{incident}");
    let fields = |source: &'static str| {
        vec![
            ("incident_id", incident.to_string()),
            ("form[at]", "2020-03-23T10:40".to_owned()),
            ("form[precision]", "approximate".to_owned()),
            ("form[kind]", "action".to_owned()),
            ("form[actor]", "application experts".to_owned()),
            ("form[body]", "Check the dashboards once more.".to_owned()),
            ("form[time_source]", source.to_owned()),
            ("zone", "UTC".to_owned()),
        ]
    };
    let unsourced = fields("");
    let unsourced: Vec<(&str, &str)> = unsourced.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = app
        .submit(
            AddTimelineEntry::PATH,
            &format!("{page}/timeline/new"),
            &unsourced,
        )
        .await;
    assert_eq!(status, 302, "a plain form adds the entry");
    let (_, postmortem) = app.page(&page).await;
    let entry = element_id(&postmortem, "entry-", "Check the dashboards once more.");

    let (_, html) = app.page(&format!("{page}/review")).await;
    let text = text_of(&html);
    let sentence = "The action by application experts at ≈ 23 Mar 2020 10:40 is approximate, and \
                    nothing says where the time comes from (a log, a message, someone's memory).";
    assert!(text.contains(sentence), "{text}");
    assert!(html.contains(&format!("href=\"/incidents/{incident}#entry-{entry}\"")));

    let sourced = fields("the dashboard's own history");
    let sourced: Vec<(&str, &str)> = sourced.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = app
        .submit(
            AddTimelineEntry::PATH,
            &format!("{page}/timeline/new"),
            &sourced,
        )
        .await;
    assert_eq!(status, 302);
    let (_, postmortem) = app.page(&page).await;
    assert!(
        text_of(&postmortem).contains("from the dashboard's own history"),
        "the source is shown beside the time"
    );
    let sourced_entry = element_id(&postmortem, "entry-", "the dashboard's own history");
    assert_ne!(sourced_entry, entry);
    let (_, html) = app.page(&format!("{page}/review")).await;
    assert!(
        text_of(&html).contains(sentence),
        "the unsourced entry is still questioned"
    );
    assert!(
        !html.contains(&format!(
            "href=\"/incidents/{incident}#entry-{sourced_entry}\""
        )),
        "the sourced entry is not questioned: {html}"
    );
}
