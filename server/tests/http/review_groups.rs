//! One review for several incidents, through the plain forms: a reviewer starts a group from an
//! incident ("Review together with…"), adds a third, sees the members' timelines merged in the
//! order things happened, each entry labelled with its incident, and removes one again.

use crate::common::{TestApp, incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::incidents::CreateIncident;
use app::api::review_groups::{AddToReviewGroup, CreateReviewGroup, RemoveFromReviewGroup};
use app::api::timeline::AddTimelineEntry;

async fn add_entry(app: &TestApp, incident: &str, at: &str, body: &str) {
    let (status, text) = app
        .call(
            AddTimelineEntry::PATH,
            &[
                ("incident_id", incident),
                ("form[at]", at),
                ("form[precision]", "minute"),
                ("form[kind]", "observation"),
                ("form[actor]", "on-call engineer"),
                ("form[body]", body),
                ("zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{text}");
}

async fn new_incident(app: &TestApp, title: &str) -> String {
    let fields = super::incident_fields(title, "");
    let (status, location) = app
        .submit(CreateIncident::PATH, "/incidents/new", &fields)
        .await;
    assert_eq!(status, 302, "{location:?}");
    incident_of(&location.expect("the new incident")).to_string()
}

fn position(html: &str, text: &str) -> usize {
    html.find(text)
        .unwrap_or_else(|| panic!("“{text}” is on the page"))
}

#[tokio::test]
async fn a_review_group_merges_its_incidents_timelines_in_order_and_incidents_join_and_leave_it() {
    let app = spawn().await;
    let example_id = incident_of(&app.load_example().await);
    // The worked example loads in a group of its own with its earlier incident: this test
    // starts a group itself.
    crate::common::ungroup(&app, example_id).await;
    let example = example_id.to_string();
    let status_page = new_incident(&app, "Status page could not be updated").await;
    add_entry(
        &app,
        &status_page,
        "2020-03-23T10:00",
        "Marker-between: the status page stalls",
    )
    .await;
    add_entry(
        &app,
        &status_page,
        "2020-03-23T11:00",
        "Marker-late: the status page is back",
    )
    .await;
    let third = new_incident(&app, "Metrics collection broke").await;

    let (_, html) = app.page(&format!("/incidents/{example}")).await;
    assert!(
        html.contains(&format!("/review-groups/new?incident={example}")),
        "the postmortem offers to review it together with others"
    );
    let (status, html) = app
        .page(&format!("/review-groups/new?incident={example}"))
        .await;
    assert_eq!(status, 200);
    assert!(text_of(&html).contains("Status page could not be updated"));

    let from = format!("/review-groups/new?incident={example}");
    let (status, location) = app
        .submit(
            CreateReviewGroup::PATH,
            &from,
            &[
                ("incident_id", &example),
                ("form[name]", "JMX rollout, March 2020"),
                ("form[together_with]", &status_page),
            ],
        )
        .await;
    assert_eq!(status, 302, "{location:?}");
    let group_page = location.expect("the group's page");
    assert!(group_page.starts_with("/review-groups/"), "{group_page}");
    let group = group_page.trim_start_matches("/review-groups/").to_owned();

    let (status, html) = app.page(&group_page).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("JMX rollout, March 2020"), "{text}");
    assert!(text.contains("Created by"), "who created it: {text}");
    let order = [
        "Reviews and approves the plan",
        "Marker-between: the status page stalls",
        "Starts Jenkins",
        "Marker-late: the status page is back",
    ]
    .map(|t| position(&html, t));
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "the entries are merged in time order: {order:?}"
    );
    assert!(
        text.contains(&format!("#{status_page} Status page could not be updated")),
        "each entry is labelled with its incident"
    );
    assert!(html.contains("Follow-ups, by incident"));
    assert!(text.contains("Contributing factors, by incident"), "{text}");
    assert!(
        text.contains("Trigger (Risky default): The concurrency parameter was left unset"),
        "the members' factors are listed with their role and category: {text}"
    );

    // Joining a second group is refused, keeping the form's choice.
    let (status, location) = app
        .submit(
            CreateReviewGroup::PATH,
            &format!("/review-groups/new?incident={third}"),
            &[
                ("incident_id", &third),
                ("form[name]", "Another group"),
                ("form[together_with]", &status_page),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&location.expect("back to the form")).await;
    assert!(
        text_of(&html).contains("is already reviewed in the group “JMX rollout, March 2020”"),
        "{}",
        text_of(&html)
    );
    assert!(
        html.contains("value=\"Another group\""),
        "the typed name is kept"
    );

    let (status, _) = app
        .submit(
            AddToReviewGroup::PATH,
            &group_page,
            &[("id", &group), ("form[incident_id]", &third)],
        )
        .await;
    assert_eq!(status, 302);
    let member = format!("href=\"/incidents/{third}\"");
    let (_, html) = app.page(&group_page).await;
    assert!(html.contains(&member), "the third incident is a member");
    let (_, html) = app.page(&format!("/incidents/{third}")).await;
    assert!(
        html.contains(&format!("href=\"/review-groups/{group}\"")),
        "a member's postmortem links to its group"
    );

    let (status, _) = app
        .submit(
            RemoveFromReviewGroup::PATH,
            &group_page,
            &[("id", &group), ("incident_id", &third)],
        )
        .await;
    assert_eq!(status, 302);
    let (_, html) = app.page(&group_page).await;
    assert!(
        !html.contains(&member),
        "the third incident is no longer a member"
    );
    let (_, html) = app.page(&format!("/incidents/{third}")).await;
    assert!(!html.contains(&format!("href=\"/review-groups/{group}\"")));
    let (_, html) = app.page("/review-groups").await;
    assert!(text_of(&html).contains("JMX rollout, March 2020"));
}

#[tokio::test]
async fn the_worked_example_loads_its_two_incidents_in_one_review_group() {
    let app = spawn().await;
    let example = incident_of(&app.load_example().await);
    let earlier = example - 1;
    let (_, html) = app.page(&format!("/incidents/{example}")).await;
    let at = html
        .find("href=\"/review-groups/")
        .expect("the postmortem links to its group");
    let group_page: String = html[at + 6..].chars().take_while(|c| *c != '"').collect();
    let (status, html) = app.page(&group_page).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains(app::domain::example::REVIEW_GROUP),
        "named for what it reviews: {text}"
    );
    for member in [example, earlier] {
        assert!(
            html.contains(&format!("href=\"/incidents/{member}\"")),
            "incident {member} is a member"
        );
    }
    assert!(
        text.contains("Metrics from the Java applications stop arriving")
            && text.contains("Starts Jenkins"),
        "the shared timeline merges both incidents' entries: {text}"
    );
}
