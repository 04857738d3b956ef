//! "My work": what waits for each person to write, to review, and to follow up.

use leptos::server_fn::ServerFn;

use app::api::follow_ups::TransitionFollowUp;
use app::api::incidents::CreateIncident;
use app::api::my_work::MyWork;
use app::api::review::{PublishPostmortem, SubmitForReview};
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;
use app::dto::my_work::MyWorkView;

use super::support::{
    add_timeline_entry, approve, example, follow_up, json, person, send_back, take,
};
use crate::common::{Browser, spawn};

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

    // Loading the example, Wanda also wrote its earlier attempt, a draft of its own.
    let example_view: app::dto::postmortem::PostmortemView = json(
        &wanda,
        app::api::incidents::GetPostmortem::PATH,
        &[("id", &submitted.to_string())],
    )
    .await;
    let earlier = example_view.related[0].other_id;
    let mine = my_work(&wanda).await;
    assert_eq!(
        {
            let mut writing = ids(&mine.writing);
            writing.sort_unstable();
            writing
        },
        [draft, earlier, submitted],
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
    let mut ada_writing = ids(&ada_work.writing);
    ada_writing.sort_unstable();
    // With her example's earlier attempt, which loading it wrote too.
    let admins_view: app::dto::postmortem::PostmortemView = json(
        &app,
        app::api::incidents::GetPostmortem::PATH,
        &[("id", &admins.to_string())],
    )
    .await;
    assert_eq!(
        ada_writing,
        [admins_view.related[0].other_id, admins],
        "{ada_work:?}"
    );
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
    let mut left = ids(&my_work(&wanda).await.writing);
    left.sort_unstable();
    assert_eq!(
        left,
        [draft, earlier],
        "her example's earlier attempt is still a draft"
    );
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
    // Beside her example's earlier attempt, still a draft.
    assert_eq!(ada_work.writing.len(), 2);
    let sent_back = ada_work
        .writing
        .iter()
        .find(|i| i.incident_id == admins)
        .expect("her example");
    assert_eq!(sent_back.status, IncidentStatus::ChangesRequested);
    assert!(
        sent_back.todo.contains("reviewer's comments"),
        "{ada_work:?}"
    );
}

async fn my_work(browser: &Browser) -> MyWorkView {
    json(browser, MyWork::PATH, &[]).await
}

fn ids(items: &[app::dto::my_work::WorkItem]) -> Vec<i64> {
    items.iter().map(|i| i.incident_id).collect()
}
