//! Change insights against the real server: the changes view answers "which change keeps
//! hurting us", and a postmortem shows the earlier incidents its job was involved in, each only
//! to those who may read them.

use crate::common::{incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::incidents::GetPostmortem;
use app::api::insights::ChangeOverview;
use app::domain::account::Role;
use app::domain::change::ChangeRelation;
use app::dto::insights::ChangesOverview;
use app::dto::postmortem::PostmortemView;

#[tokio::test]
async fn the_job_that_set_off_two_incidents_heads_the_changes_view() {
    let app = spawn().await;
    let (status, html) = app.page("/changes").await;
    assert_eq!(status, 200);
    assert!(
        text_of(&html).contains("No changes recorded yet"),
        "an empty state says what to do"
    );

    let first = incident_of(&app.load_example().await);
    let second = incident_of(&app.load_example().await);
    let overview: ChangesOverview = app.json(ChangeOverview::PATH, &[]).await;
    let top = &overview.rows[0];
    assert_eq!(top.insight.name(), "Jenkins · generic run-command job");
    assert_eq!(
        top.insight
            .triggered
            .iter()
            .map(|i| i.id)
            .collect::<Vec<_>>(),
        [first, second]
    );
    // Each worked example also has its earlier attempt, to which the same job contributed.
    assert!(
        top.sentence.starts_with(
            "Jenkins · generic run-command job: confirmed trigger in 2 incidents, \
             contributing factor in 2 incidents; the `concurrency` default is the named \
             parameter;"
        ),
        "{}",
        top.sentence
    );
    assert_eq!(top.follow_ups_href, "/follow-ups?view=all&system=Jenkins");

    // Two clicks: Changes, then the follow-ups of the job's system.
    let (_, html) = app.page("/changes").await;
    let text = text_of(&html);
    assert!(text.contains("confirmed trigger in 2 incidents"), "{text}");
    assert!(
        html.contains(r#"href="/follow-ups?view=all&amp;system=Jenkins""#),
        "{html}"
    );
}

#[tokio::test]
async fn a_postmortem_shows_the_earlier_incidents_its_job_was_involved_in() {
    let app = spawn().await;
    let first = incident_of(&app.load_example().await);
    let second = incident_of(&app.load_example().await);
    let pm: PostmortemView = app
        .json(GetPostmortem::PATH, &[("id", &second.to_string())])
        .await;
    let jenkins = pm
        .changes
        .iter()
        .find(|c| c.system == "Jenkins")
        .expect("the example's Jenkins change");
    // Each worked example is two incidents, its earlier attempt (to which the same job
    // contributed) first: before the second come the first's earlier attempt, the first, and
    // the second's own earlier attempt.
    let earlier_of = |view: &PostmortemView| view.related[0].other_id;
    let first_earlier = earlier_of(
        &app.json(GetPostmortem::PATH, &[("id", &first.to_string())])
            .await,
    );
    let second_earlier = earlier_of(&pm);
    assert_eq!(
        jenkins
            .earlier
            .iter()
            .map(|e| (e.incident.id, e.relation))
            .collect::<Vec<_>>(),
        [
            (first_earlier, ChangeRelation::Contributing),
            (first, ChangeRelation::ConfirmedTrigger),
            (second_earlier, ChangeRelation::Contributing),
        ],
        "{:?}",
        jenkins.earlier
    );
    let first_pm: PostmortemView = app
        .json(GetPostmortem::PATH, &[("id", &first.to_string())])
        .await;
    assert_eq!(
        first_pm
            .changes
            .iter()
            .flat_map(|c| c.earlier.iter().map(|e| e.incident.id))
            .collect::<Vec<_>>(),
        [first_earlier],
        "only its own earlier attempt came before the first"
    );
    let (_, html) = app.page(&format!("/incidents/{second}")).await;
    let text = text_of(&html);
    assert!(
        text.contains("Jenkins · generic run-command job was involved before:"),
        "{text}"
    );
    assert!(html.contains(&format!(r#"href="/incidents/{first}""#)));

    // A viewer reads the second once published, but not the first, a draft.
    app.publish(second).await;
    let viewer = app.browser_as(Role::Viewer).await;
    let pm: PostmortemView = viewer
        .json(GetPostmortem::PATH, &[("id", &second.to_string())])
        .await;
    assert!(
        pm.changes.iter().all(|c| c.earlier.is_empty()),
        "a draft is not shown to a viewer, even as an earlier incident"
    );
    let overview: ChangesOverview = viewer.json(ChangeOverview::PATH, &[]).await;
    assert_eq!(
        overview.rows[0].insight.triggered.len(),
        1,
        "only the published one"
    );
}

#[tokio::test]
async fn the_changes_view_comes_in_pages_and_refuses_a_page_that_is_no_number() {
    let app = spawn().await;
    app.load_example().await;
    let (status, html) = app.page("/changes?page=2").await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("this page is past the last one"), "{text}");
    assert!(html.contains(r#"href="/changes""#), "a way back: {html}");
    assert!(!text.contains("No changes recorded yet"), "{text}");

    // The second page's jobs are numbered on from the first's.
    let second: ChangesOverview = app.json(ChangeOverview::PATH, &[("page", "2")]).await;
    assert_eq!(second.first_rank, 21);

    for bad in ["0", "two", "-1", "99999999999"] {
        let (status, html) = app.page(&format!("/changes?page={bad}")).await;
        assert!(
            text_of(&html).contains("Unknown page"),
            "page={bad}: {status} {html}"
        );
    }
}
