//! Comments against the real server: anyone who can read a postmortem comments on its
//! sections, timeline entries and follow-ups; only the author or an admin deletes one; what is
//! commented on must belong to the postmortem; comments render inert; plain forms work.

use crate::common::{incident_of, spawn, text_of};
use leptos::server_fn::ServerFn;

use app::api::comments::{AddComment, DeleteComment};
use app::api::incidents::GetPostmortem;
use app::domain::account::Role;
use app::dto::postmortem::PostmortemView;

async fn postmortem(browser: &crate::common::Browser, incident: i64) -> PostmortemView {
    browser
        .json(GetPostmortem::PATH, &[("id", &incident.to_string())])
        .await
}

async fn comment(
    browser: &crate::common::Browser,
    incident: i64,
    anchor: &str,
    body: &str,
) -> (u16, String) {
    browser
        .call(
            AddComment::PATH,
            &[
                ("incident_id", &incident.to_string()),
                ("anchor", anchor),
                ("form[body]", body),
            ],
        )
        .await
}

#[tokio::test]
async fn everyone_who_reads_a_postmortem_comments_on_its_sections_entries_and_follow_ups() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    app.publish(incident).await;
    let pm = postmortem(&app, incident).await;
    let entry = pm.timeline[0].id;
    let follow_up = pm.follow_ups[0].id;
    let viewer = app.browser_as(Role::Viewer).await;

    for (anchor, body) in [
        ("section:impact".to_owned(), "Where does the 500 come from?"),
        (
            format!("timeline_entry:{entry}"),
            "Was the alert threshold tuned after this?",
        ),
        (
            format!("follow_up:{follow_up}"),
            "Who reviews the job's defaults?",
        ),
    ] {
        let (status, body_out) = comment(&viewer, incident, &anchor, body).await;
        assert_eq!(status, 200, "{anchor}: {body_out}");
    }
    let pm = postmortem(&viewer, incident).await;
    let anchors: Vec<&str> = pm.comments.iter().map(|c| c.anchor.as_str()).collect();
    assert_eq!(
        anchors,
        [
            "section:impact".to_owned(),
            format!("timeline_entry:{entry}"),
            format!("follow_up:{follow_up}")
        ]
    );
    assert!(
        pm.comments
            .iter()
            .all(|c| c.author == "Viewer person" && c.deletable)
    );

    let (status, html) = viewer.page(&format!("/incidents/{incident}")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("Was the alert threshold tuned after this?"),
        "{text}"
    );
    assert!(html.contains(r#"id="comments-section-impact""#));
}

#[tokio::test]
async fn a_viewer_cannot_comment_on_a_draft_nor_learn_that_it_exists() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let viewer = app.browser_as(Role::Viewer).await;
    let (status, _) = comment(&viewer, incident, "section:summary", "Hello").await;
    assert_eq!(status, 404);
    let (status, _) = comment(&viewer, incident + 1000, "section:summary", "Hello").await;
    assert_eq!(
        status, 404,
        "the same answer as for an incident that does not exist"
    );
    let (status, _) = comment(&app.anonymous(), incident, "section:summary", "Hello").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn a_comment_must_be_about_something_of_this_postmortem_and_say_something() {
    let app = spawn().await;
    let first = incident_of(&app.load_example().await);
    let second = incident_of(&app.load_example().await);
    let other_entry = postmortem(&app, second).await.timeline[0].id;

    let (status, body) = comment(&app, first, &format!("timeline_entry:{other_entry}"), "Hi").await;
    assert_eq!(status, 404, "another incident's entry: {body}");
    let (status, body) = comment(&app, first, "section:everything", "Hi").await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = comment(&app, first, "section:lessons", "   ").await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("body"), "the error names the field: {body}");
    assert!(
        postmortem(&app, first).await.comments.is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn only_its_author_or_an_admin_deletes_a_comment() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let author = app.browser_as(Role::Author).await;
    let other = app.browser_as(Role::Reviewer).await;
    let (_, id) = comment(&author, incident, "section:lessons", "Mine.").await;
    let (_, second) = comment(&author, incident, "section:lessons", "Also mine.").await;

    let (status, body) = other.call(DeleteComment::PATH, &[("id", &id)]).await;
    assert_eq!(status, 403, "{body}");
    let view = postmortem(&other, incident).await;
    assert!(
        view.comments.iter().all(|c| !c.deletable),
        "not offered to others"
    );

    let (status, body) = author.call(DeleteComment::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.call(DeleteComment::PATH, &[("id", &second)]).await;
    assert_eq!(status, 200, "admins may: {body}");
    assert!(postmortem(&app, incident).await.comments.is_empty());
    let (status, _) = author.call(DeleteComment::PATH, &[("id", &id)]).await;
    assert_eq!(status, 404, "already gone");
}

#[tokio::test]
async fn comments_render_inert() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let payload = "<script>alert(1)</script><img src=x onerror=\"alert(2)\">\n\nSee [x](javascript:alert(3)).";
    let (status, _) = comment(&app, incident, "section:summary", payload).await;
    assert_eq!(status, 200);
    let (_, html) = app.page(&format!("/incidents/{incident}")).await;
    assert!(!html.contains("<script>alert(1)"), "no live script");
    assert!(!html.contains("onerror="), "no event handler");
    assert!(
        !html.contains(r#"href="javascript:"#),
        "no javascript: link"
    );
}

#[tokio::test]
async fn without_javascript_a_comment_posts_and_an_empty_one_comes_back_to_its_thread() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let page = format!("/incidents/{incident}");
    let id = incident.to_string();
    let (status, location) = app
        .submit(
            AddComment::PATH,
            &page,
            &[
                ("incident_id", &id),
                ("anchor", "section:timeline"),
                ("form[body]", "Plain form."),
            ],
        )
        .await;
    assert!(matches!(status, 302 | 303), "{status}");
    assert_eq!(
        location.as_deref(),
        Some(format!("/incidents/{incident}#comments-section-timeline").as_str())
    );

    let (status, location) = app
        .submit(
            AddComment::PATH,
            &page,
            &[
                ("incident_id", &id),
                ("anchor", "section:lessons"),
                ("form[body]", ""),
            ],
        )
        .await;
    assert!(matches!(status, 302 | 303), "{status}");
    let (_, html) = app.page(&location.expect("back to the page")).await;
    let lessons = html
        .split(r#"id="comments-section-lessons""#)
        .nth(1)
        .expect("the lessons thread");
    let thread = lessons.split(r#"id="comments-"#).next().unwrap_or_default();
    assert!(
        thread.contains("A comment is required."),
        "the error is in its thread: {thread}"
    );
    assert!(
        thread.contains(r#"name="form[body]""#),
        "and the thread's form is open: {thread}"
    );
}

#[tokio::test]
async fn each_thread_links_to_its_form_and_only_the_thread_asked_for_carries_one() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let page = format!("/incidents/{incident}");
    let (_, html) = app.page(&page).await;
    assert!(
        !html.contains(r#"name="form[body]""#),
        "no comment form until one is asked for"
    );
    assert!(
        html.contains(r##"href="?comment=section:impact#comments-section-impact""##),
        "each thread links to its form: {html}"
    );

    let (status, html) = app.page(&format!("{page}?comment=section:impact")).await;
    assert_eq!(status, 200);
    assert_eq!(html.matches(r#"name="form[body]""#).count(), 1, "one form");
    let impact = html
        .split(r#"id="comments-section-impact""#)
        .nth(1)
        .expect("the impact thread");
    let thread = impact.split(r#"id="comments-"#).next().unwrap_or_default();
    assert!(
        thread.contains(r#"name="form[body]""#),
        "in its thread: {thread}"
    );
    assert!(thread.contains(r#"value="section:impact""#));
}
