//! What viewers see: postmortems once they are published, and on a published postmortem,
//! what each role may still do; and what callers without the rights learn of what exists.

use app::api::dashboard::FollowUpDashboard;
use app::api::incidents::{GetPostmortem, ListIncidents};
use app::domain::account::Role;
use app::domain::incident::IncidentStatus;
use app::dto::dashboard::Dashboard;
use app::dto::postmortem::IncidentList;
use leptos::server_fn::ServerFn;

use super::fixture::{Fixture, follow_up_form, impact_form, incident_form, timeline_form};
use super::support::{Args, args, fields, id_from, json, set_status, shortened};
use super::table::{Expect, FORBIDDEN, OK};
use crate::common::{Browser, spawn, text_of};

async fn listed_incidents(browser: &Browser) -> Vec<i64> {
    let list: IncidentList = json(
        browser,
        ListIncidents::PATH,
        &args!["status" => "", "severity" => ""],
        "the incident list",
    )
    .await;
    list.rows.iter().map(|r| r.id).collect()
}

async fn listed_follow_ups_of(browser: &Browser, incident: i64) -> usize {
    let list: Dashboard = json(
        browser,
        FollowUpDashboard::PATH,
        &args!["view" => "all"],
        "the follow-up dashboard",
    )
    .await;
    list.rows
        .iter()
        .filter(|r| r.incident_id == incident)
        .count()
}

#[tokio::test]
async fn a_viewer_is_told_up_front_that_recording_an_incident_needs_the_author_role() {
    let app = spawn().await;
    let viewer = app.browser_as(Role::Viewer).await;
    let (status, html) = viewer.page("/incidents/new").await;
    assert_eq!(status, 200);
    assert!(text_of(&html).contains("Recording incidents needs the author role"));
    assert!(
        !html.contains(r#"name="form[title]""#),
        "no form to fill in for nothing"
    );
    let author = app.browser_as(Role::Author).await;
    let (_, html) = author.page("/incidents/new").await;
    assert!(
        html.contains(r#"name="form[title]""#),
        "authors get the form"
    );
}

#[tokio::test]
async fn viewers_see_a_postmortem_only_once_it_is_published() {
    let app = spawn().await;
    let page = app.load_example().await;
    let incident = id_from(&page);
    let (_, html) = app.page(&page).await;
    let title = "Customer logins failed across all products";
    assert!(text_of(&html).contains(title), "{}", text_of(&html));
    let viewer = app.browser_as(Role::Viewer).await;

    for status in [
        IncidentStatus::Draft,
        IncidentStatus::InReview,
        IncidentStatus::ChangesRequested,
        IncidentStatus::Approved,
    ] {
        set_status(&app, incident, status).await;
        let (code, body) = viewer
            .call(GetPostmortem::PATH, &[("id", &incident.to_string())])
            .await;
        assert_eq!(code, 404, "{status:?} is hidden from viewers: {body}");
        assert!(
            !body.contains(title),
            "a 404 tells nothing of the incident: {body}"
        );
        assert!(!listed_incidents(&viewer).await.contains(&incident));
        assert_eq!(listed_follow_ups_of(&viewer, incident).await, 0);
        assert!(
            listed_incidents(&app).await.contains(&incident),
            "authors and up see every postmortem"
        );
    }
    set_status(&app, incident, IncidentStatus::Draft).await;
    let (status, html) = viewer.page(&page).await;
    assert_eq!(status, 404, "the draft's page is not found");
    assert!(!text_of(&html).contains(title), "{}", text_of(&html));
    let (status, _) = viewer.page("/").await;
    assert_eq!(status, 200);

    set_status(&app, incident, IncidentStatus::Published).await;
    let (status, html) = viewer.page(&page).await;
    assert_eq!(status, 200, "a published postmortem is for everyone");
    assert!(text_of(&html).contains(title));
    let (status, body) = viewer
        .call(GetPostmortem::PATH, &[("id", &incident.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(listed_incidents(&viewer).await.contains(&incident));
    assert!(listed_follow_ups_of(&viewer, incident).await > 0);
}

/// One call on a published postmortem: who makes it and what they get.
struct Check {
    path: &'static str,
    who: Role,
    expect: Expect,
    args: fn(&Fixture) -> Args,
}

/// A published postmortem is read-only for everyone, but its follow-ups stay open to authors.
#[rustfmt::skip]
const ON_A_PUBLISHED_POSTMORTEM: &[Check] = &[
    // Everyone reads it...
    Check { path: "/api/incidents/postmortem",      who: Role::Viewer, expect: OK,
            args: |f| args!["id" => f.incident] },
    // ...nobody changes it...
    Check { path: "/api/incidents/form",            who: Role::Author, expect: FORBIDDEN,
            args: |f| args!["id" => f.incident] },
    Check { path: "/api/incidents/update",          who: Role::Author, expect: FORBIDDEN,
            args: |f| [args!["id" => f.incident], incident_form()].concat() },
    Check { path: "/api/incidents/lessons/update",  who: Role::Admin,  expect: FORBIDDEN,
            args: |f| args!["id" => f.incident, "form[went_well]" => "Rewritten"] },
    Check { path: "/api/incidents/delete",          who: Role::Admin,  expect: FORBIDDEN,
            args: |f| args!["id" => f.incident] },
    Check { path: "/api/timeline/add",              who: Role::Author, expect: FORBIDDEN,
            args: |f| [args!["incident_id" => f.incident], timeline_form()].concat() },
    Check { path: "/api/timeline/delete",           who: Role::Reviewer, expect: FORBIDDEN,
            args: |f| args!["id" => f.doomed_timeline_entry] },
    Check { path: "/api/impact/update",             who: Role::Author, expect: FORBIDDEN,
            args: |f| [args!["id" => f.impact_figure], impact_form()].concat() },
    Check { path: "/api/changes/delete",            who: Role::Author, expect: FORBIDDEN,
            args: |f| args!["id" => f.doomed_change] },
    Check { path: "/api/changes/parameters/delete", who: Role::Author, expect: FORBIDDEN,
            args: |f| args!["id" => f.doomed_parameter] },
    Check { path: "/api/participants/add",          who: Role::Admin,  expect: FORBIDDEN,
            args: |f| args!["incident_id" => f.incident, "form[user_id]" => f.person,
                            "form[part]" => "scribe"] },
    // ...anyone who reads it may discuss it...
    Check { path: "/api/comments/add",              who: Role::Viewer, expect: OK,
            args: |f| args!["incident_id" => f.incident, "anchor" => "section:lessons",
                            "form[body]" => "Great write-up."] },
    // ...but follow-ups live on: authors add, edit and move them...
    Check { path: "/api/follow-ups/new-form",       who: Role::Author, expect: OK,
            args: |f| args!["incident_id" => f.incident] },
    Check { path: "/api/follow-ups/add",            who: Role::Author, expect: OK,
            args: |f| [args!["incident_id" => f.incident, "state" => "proposed"],
                       follow_up_form()].concat() },
    Check { path: "/api/follow-ups/update",         who: Role::Author, expect: OK,
            args: |f| [args!["id" => f.follow_up, "version" => "1"], follow_up_form()].concat() },
    Check { path: "/api/follow-ups/transition",     who: Role::Author, expect: OK,
            args: |f| args!["id" => f.moving_follow_up, "form[to]" => "wont_do",
                            "form[note]" => "Not worth it"] },
    // ...deleting one needs a postmortem that is being written...
    Check { path: "/api/follow-ups/delete",         who: Role::Author, expect: FORBIDDEN,
            args: |f| args!["id" => f.doomed_follow_up] },
    // ...and viewers, who may now read them, still write nothing.
    Check { path: "/api/follow-ups/form",           who: Role::Viewer, expect: FORBIDDEN,
            args: |f| args!["id" => f.follow_up] },
    Check { path: "/api/follow-ups/add",            who: Role::Viewer, expect: FORBIDDEN,
            args: |f| [args!["incident_id" => f.incident, "state" => "proposed"],
                       follow_up_form()].concat() },
    Check { path: "/api/follow-ups/transition",     who: Role::Viewer, expect: FORBIDDEN,
            args: |f| args!["id" => f.follow_up, "form[to]" => "wont_do", "form[note]" => "No"] },
    Check { path: "/api/incidents/lessons/form",    who: Role::Viewer, expect: FORBIDDEN,
            args: |f| args!["id" => f.incident] },
];

#[tokio::test]
async fn a_published_postmortem_is_read_only_but_its_follow_ups_live_on() {
    let app = spawn().await;
    let fixture = Fixture::build(&app).await;
    set_status(&app, fixture.incident, IncidentStatus::Published).await;
    let mut browsers = Vec::new();
    for role in [Role::Viewer, Role::Author, Role::Reviewer, Role::Admin] {
        browsers.push((role, app.browser_as(role).await));
    }
    let mut wrong = Vec::new();
    for check in ON_A_PUBLISHED_POSTMORTEM {
        let browser = browsers
            .iter()
            .find(|(role, _)| *role == check.who)
            .map(|(_, browser)| browser)
            .expect("a browser for every role");
        let args = (check.args)(&fixture);
        let (status, body) = browser.call(check.path, &fields(&args)).await;
        if !check.expect.admits(status) {
            wrong.push(format!(
                "  {} as {}: expected {}, got {status}: {}",
                check.path,
                check.who.as_str(),
                check.expect,
                shortened(&body)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "on a published postmortem:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn an_anonymous_caller_cannot_tell_which_ids_exist() {
    use app::api::changes::UpdateParameter;
    use app::api::follow_ups::TransitionFollowUp;
    use app::api::impact::DeleteImpactFigure;
    use app::api::timeline::DeleteTimelineEntry;
    let app = spawn().await;
    app.load_example().await;
    let anonymous = app.anonymous();
    // Well-formed calls (a malformed one is a 400 before anything is looked up).
    for (path, field) in [
        (DeleteTimelineEntry::PATH, ("x", "")),
        (DeleteImpactFigure::PATH, ("x", "")),
        (UpdateParameter::PATH, ("form[name]", "x")),
        (TransitionFollowUp::PATH, ("form[to]", "done")),
    ] {
        for id in ["1", "999999"] {
            let (status, body) = anonymous.call(path, &[("id", id), field]).await;
            assert_eq!(status, 401, "{path} with id {id}: {body}");
        }
    }
    let (status, _) = anonymous
        .call(FollowUpDashboard::PATH, &[("view", "bogus")])
        .await;
    assert_eq!(status, 401, "the login is checked before the query");
}

#[tokio::test]
async fn a_viewer_does_not_learn_that_drafts_exist() {
    let app = spawn().await;
    app.load_example().await;
    let viewer = app.browser_as(Role::Viewer).await;
    let (status, body) = viewer
        .call(ListIncidents::PATH, &[("status", ""), ("severity", "")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""any":false"#), "{body}");
}

#[tokio::test]
async fn a_viewer_asking_for_an_edit_form_cannot_tell_which_ids_exist() {
    use app::api::changes::ChangeForEdit;
    use app::api::follow_ups::FollowUpForEdit;
    use app::api::impact::ImpactFigureForEdit;
    use app::api::incidents::{IncidentForEdit, LessonsForEdit};
    use app::api::timeline::TimelineEntryForEdit;
    let app = spawn().await;
    let f = Fixture::build(&app).await;
    let viewer = app.browser_as(Role::Viewer).await;
    let author = app.browser_as(Role::Author).await;
    for (path, existing) in [
        (IncidentForEdit::PATH, f.incident),
        (LessonsForEdit::PATH, f.incident),
        (TimelineEntryForEdit::PATH, f.timeline_entry),
        (ImpactFigureForEdit::PATH, f.impact_figure),
        (ChangeForEdit::PATH, f.change),
        (FollowUpForEdit::PATH, f.follow_up),
    ] {
        let draft = viewer.call(path, &[("id", &existing.to_string())]).await;
        let missing = viewer.call(path, &[("id", "999999")]).await;
        assert_eq!(
            draft, missing,
            "{path}: a draft's id and no id answer alike"
        );
        assert_eq!(draft.0, 403, "{path}: {}", draft.1);
        let (status, body) = author.call(path, &[("id", "999999")]).await;
        assert_eq!(
            status, 404,
            "{path}: an author is told there is no such id: {body}"
        );
        let (status, body) = author.call(path, &[("id", &existing.to_string())]).await;
        assert_eq!(status, 200, "{path}: {body}");
    }
}
