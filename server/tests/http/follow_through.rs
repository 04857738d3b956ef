//! Follow-through for managers against the real server: the dashboard's views and linkable
//! filters, due-date policies applied when committing, verification (evidence and who) and
//! won't do (a reason) shown on the postmortem, teams, and the backlog as CSV.

use crate::common::{Browser, incident_of, spawn, text_of};
use chrono::{Days, NaiveDate, Utc};
use leptos::server_fn::ServerFn;

use app::api::dashboard::FollowUpDashboard;
use app::api::follow_ups::{AddFollowUp, TransitionFollowUp};
use app::api::incidents::GetPostmortem;
use app::api::policies::SaveDuePolicies;
use app::api::users::UpdateUser;
use app::domain::account::Role;
use app::domain::follow_up::{Bucket, FollowUpState};
use app::dto::dashboard::Dashboard;
use app::dto::postmortem::{FollowUpRow, PostmortemView};

async fn dashboard(browser: &Browser, query: &[(&str, &str)]) -> Dashboard {
    browser.json(FollowUpDashboard::PATH, query).await
}

fn titles(rows: &[FollowUpRow]) -> Vec<&str> {
    rows.iter().map(|r| r.title.as_str()).collect()
}

fn count(dashboard: &Dashboard, bucket: Bucket) -> usize {
    dashboard
        .tabs
        .iter()
        .find(|t| t.bucket == bucket)
        .expect("a tab per view")
        .count
}

async fn postmortem(browser: &Browser, incident: i64) -> PostmortemView {
    browser
        .json(GetPostmortem::PATH, &[("id", &incident.to_string())])
        .await
}

/// Adds a follow-up (P1 unless said) and returns its id.
async fn add(
    browser: &Browser,
    incident: i64,
    state: &str,
    title: &str,
    owner_id: &str,
    priority: &str,
    due: &str,
) -> Result<i64, String> {
    let incident = incident.to_string();
    let (status, body) = browser
        .call(
            AddFollowUp::PATH,
            &[
                ("incident_id", &incident),
                ("state", state),
                ("form[title]", title),
                ("form[action_type]", "prevent"),
                ("form[priority]", priority),
                ("form[owner_id]", owner_id),
                ("form[due]", due),
            ],
        )
        .await;
    if status == 200 {
        Ok(body.trim().parse().expect("an id"))
    } else {
        Err(format!("{status}: {body}"))
    }
}

async fn move_to(browser: &Browser, id: i64, to: &str, note: &str) -> (u16, String) {
    browser
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &id.to_string()),
                ("form[to]", to),
                ("form[note]", note),
            ],
        )
        .await
}

/// The days a due date may be from today plus `weeks`: today is the server's, and the test's
/// clock may have passed midnight in between.
fn weeks_from_today(weeks: u64) -> [NaiveDate; 2] {
    let today = Utc::now().date_naive();
    let due = today + Days::new(weeks * 7);
    [due - Days::new(1), due]
}

#[tokio::test]
async fn the_dashboard_answers_what_is_overdue_and_which_change_it_targets() {
    let app = spawn().await;
    app.load_example().await;

    // The worked example: two committed follow-ups long past due, two proposed.
    let open = dashboard(&app, &[]).await;
    assert_eq!(open.filter.bucket, Bucket::Open);
    assert_eq!(open.rows.len(), 4);
    assert_eq!(count(&open, Bucket::Overdue), 2);
    assert_eq!(count(&open, Bucket::DueSoon), 0);
    assert_eq!(count(&open, Bucket::All), 4);
    let overdue = dashboard(&app, &[("view", "overdue")]).await;
    assert_eq!(overdue.rows.len(), 2);
    assert!(
        overdue
            .rows
            .iter()
            .all(|r| r.overdue && r.state == FollowUpState::Committed)
    );

    // Which system: the Jenkins job is targeted by three open follow-ups, one of them overdue.
    let jenkins = open
        .by_system
        .iter()
        .find(|g| g.counts.name == "Jenkins")
        .expect("Jenkins is a system with open follow-ups");
    assert_eq!((jenkins.counts.open, jenkins.counts.overdue), (3, 1));
    assert_eq!(
        jenkins.overdue_href,
        "/follow-ups?view=overdue&system=Jenkins"
    );

    // That link, as a page: only the overdue follow-up that targets the Jenkins job.
    let (status, html) = app.page(&jenkins.overdue_href).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("Give plans that use the generic run-command job extra scrutiny"),
        "{text}"
    );
    assert!(
        !text.contains("Teach the dedicated application-restart job"),
        "not Jenkins"
    );
    assert!(
        !text.contains("Make the generic job's default concurrency safe"),
        "not overdue"
    );

    // Filters combine, and the counts per view follow them.
    let owner = dashboard(
        &app,
        &[
            ("view", "all"),
            ("owner", "platform TEAM"),
            ("priority", "p3"),
        ],
    )
    .await;
    assert_eq!(
        titles(&owner.rows),
        ["Teach the dedicated application-restart job to everyone who plans changes"]
    );
    assert_eq!(count(&owner, Bucket::Overdue), 1);
}

#[tokio::test]
async fn a_mistyped_dashboard_link_says_what_it_ignored() {
    let app = spawn().await;
    app.load_example().await;
    let (status, html) = app
        .page("/follow-ups?view=late&priority=urgent&owner=Platform+team")
        .await;
    assert_eq!(status, 200, "a bad parameter is not an error page");
    let text = text_of(&html);
    assert!(
        text.contains("“late” is not a view of the dashboard; showing open follow-ups."),
        "{text}"
    );
    assert!(
        text.contains("“urgent” is not a priority; showing every priority."),
        "{text}"
    );
    let shown = dashboard(&app, &[("view", "late"), ("owner", "Platform team")]).await;
    assert_eq!(shown.filter.bucket, Bucket::Open);
    assert_eq!(shown.rows.len(), 2, "the owner filter still applies");
    assert_eq!(shown.ignored.len(), 1);
}

#[tokio::test]
async fn committing_without_a_due_date_takes_the_policy_for_its_priority() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let grace = app
        .add_user("grace@example.com", "Grace Hopper", Role::Author)
        .await;
    let grace = grace.to_string();

    // Added as committed, P1: the default policy gives it four weeks.
    let p1 = add(
        &app,
        incident,
        "committed",
        "Cap the job's concurrency",
        &grace,
        "p1",
        "",
    )
    .await
    .expect("committed without a due date");
    // Proposed first, then committed, P2: eight weeks from the day it is committed.
    let p2 = add(
        &app,
        incident,
        "proposed",
        "Dry-run first",
        &grace,
        "p2",
        "",
    )
    .await
    .expect("proposed");
    let (status, body) = move_to(&app, p2, "committed", "").await;
    assert_eq!(status, 200, "{body}");
    // P4 has no policy: committing still needs a due date.
    let p4 = add(
        &app,
        incident,
        "proposed",
        "Rename the job",
        &grace,
        "p4",
        "",
    )
    .await
    .expect("proposed");
    let (status, body) = move_to(&app, p4, "committed", "").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("owner and a due date"), "{body}");
    let refused = add(
        &app,
        incident,
        "committed",
        "Rename the job again",
        &grace,
        "p4",
        "",
    )
    .await;
    assert!(refused.unwrap_err().contains("needs a due date"));

    let pm = postmortem(&app, incident).await;
    let due = |id: i64| {
        let row = pm.follow_ups.iter().find(|f| f.id == id).expect("listed");
        NaiveDate::parse_from_str(row.due.as_deref().expect("a due date"), "%-d %b %Y")
            .expect("a date")
    };
    assert!(weeks_from_today(4).contains(&due(p1)), "P1: {}", due(p1));
    assert!(weeks_from_today(8).contains(&due(p2)), "P2: {}", due(p2));

    // An admin changes the policy: P4 within 2 weeks, P1 within 1.
    let (status, body) = app
        .call(
            SaveDuePolicies::PATH,
            &[
                ("form[p1]", "1"),
                ("form[p2]", ""),
                ("form[p3]", ""),
                ("form[p4]", "2"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = move_to(&app, p4, "committed", "").await;
    assert_eq!(status, 200, "{body}");
    let pm = postmortem(&app, incident).await;
    let row = pm.follow_ups.iter().find(|f| f.id == p4).expect("listed");
    let p4_due = NaiveDate::parse_from_str(row.due.as_deref().expect("due"), "%-d %b %Y").unwrap();
    assert!(weeks_from_today(2).contains(&p4_due), "P4: {p4_due}");
    let hint = app
        .page(&format!("/incidents/{incident}/follow-ups/new"))
        .await
        .1;
    assert!(
        text_of(&hint).contains("P1 — highest: 1 week · P4 — low: 2 weeks"),
        "the form says what leaving the due date empty does"
    );
}

#[tokio::test]
async fn a_bad_policy_is_refused_by_field_and_nothing_changes() {
    let app = spawn().await;
    let (status, body) = app
        .call(
            SaveDuePolicies::PATH,
            &[
                ("form[p1]", "0"),
                ("form[p2]", "six"),
                ("form[p3]", "3"),
                ("form[p4]", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("p1") && body.contains("p2"), "{body}");
    let (_, html) = app.page("/admin/policies").await;
    assert!(
        html.contains(r#"value="4""#) && html.contains(r#"value="8""#),
        "unchanged: 4 and 8 weeks"
    );
    let author = app.browser_as(Role::Author).await;
    let (status, _) = author.page("/admin/policies").await;
    assert_eq!(status, 403, "only admins set policies");
}

#[tokio::test]
async fn verifying_needs_evidence_and_records_who_and_wont_do_needs_a_reason() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let pm = postmortem(&app, incident).await;
    let committed: Vec<i64> = pm
        .follow_ups
        .iter()
        .filter(|f| f.state == FollowUpState::Committed)
        .map(|f| f.id)
        .collect();
    let (done, dropped) = (committed[0], committed[1]);

    assert_eq!(move_to(&app, done, "done", "").await.0, 200);
    let awaiting = dashboard(&app, &[("view", "awaiting_verification")]).await;
    assert_eq!(
        awaiting.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        [done]
    );

    let (status, body) = move_to(&app, done, "verified", "  ").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("evidence"), "{body}");
    let link = "https://ci.example.com/drills/42";
    let (status, body) = move_to(&app, done, "verified", link).await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = move_to(&app, dropped, "wont_do", "").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Say why"), "{body}");
    let reason = "The dedicated job is being retired with the generic one.";
    assert_eq!(move_to(&app, dropped, "wont_do", reason).await.0, 200);

    let pm = postmortem(&app, incident).await;
    let verified = pm.follow_ups.iter().find(|f| f.id == done).expect("listed");
    assert_eq!(verified.state, FollowUpState::Verified);
    assert_eq!(verified.evidence.as_deref(), Some(link));
    let by = verified.verified.as_deref().expect("who verified it");
    assert!(
        by.starts_with(&format!("{}, ", crate::common::ADMIN_NAME)),
        "{by}"
    );

    let (_, html) = app.page(&format!("/incidents/{incident}")).await;
    assert!(
        html.contains(&format!(r#"href="{link}""#)),
        "the evidence link is a link"
    );
    let text = text_of(&html);
    assert!(
        text.contains(&format!("Verified by {}", crate::common::ADMIN_NAME)),
        "{text}"
    );
    assert!(
        text.contains(&format!("Won't do because: {reason}")),
        "{text}"
    );

    let closed = dashboard(&app, &[("view", "closed")]).await;
    assert_eq!(closed.rows.len(), 2);
    let backlog = closed.backlog.last().expect("this week");
    assert_eq!(backlog.closed, 2, "both closed this week");
}

#[tokio::test]
async fn an_admin_sets_a_persons_team_and_the_dashboard_groups_by_it() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let lin = app
        .add_user("lin@example.com", "Lin Identity", Role::Author)
        .await;
    let (status, body) = app
        .call(
            UpdateUser::PATH,
            &[
                ("id", &lin.to_string()),
                ("role", "author"),
                ("active", "on"),
                ("team", " Identity "),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    add(
        &app,
        incident,
        "committed",
        "Alert on login failures",
        &lin.to_string(),
        "p2",
        "2099-01-01",
    )
    .await
    .expect("added");

    let by_team = dashboard(&app, &[("team", "identity")]).await;
    assert_eq!(titles(&by_team.rows), ["Alert on login failures"]);
    assert_eq!(by_team.teams, ["Identity"]);
    let group = &by_team.by_team[0];
    assert_eq!(
        (group.counts.name.as_str(), group.counts.open),
        ("Identity", 1)
    );
    assert_eq!(group.href, "/follow-ups?view=open&team=Identity");

    let (_, html) = app.page("/admin/users").await;
    assert!(
        html.contains(r#"value="Identity""#),
        "the team shows on the people page"
    );
}

#[tokio::test]
async fn the_backlog_downloads_as_csv_for_the_same_filters() {
    let app = spawn().await;
    app.load_example().await;
    let (status, kind, csv) = app
        .download("/follow-ups/backlog.csv?view=open&owner=Platform+team")
        .await;
    assert_eq!(status, 200, "{csv}");
    assert!(kind.starts_with("text/csv"), "{kind}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "week_starting,opened,closed,open_at_end,overdue_at_end"
    );
    assert_eq!(lines.len(), 13, "a header and twelve weeks");
    // This week: the example's two Platform team follow-ups were recorded now, both overdue.
    let this_week: Vec<&str> = lines[12].split(',').collect();
    assert_eq!(&this_week[1..], ["2", "0", "2", "2"], "{csv}");

    let (status, _, _) = app.anonymous().download("/follow-ups/backlog.csv").await;
    assert!(
        [302, 303, 401].contains(&status),
        "not for strangers: {status}"
    );
}
