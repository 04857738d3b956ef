//! What any request may throw at the server: unreadable arguments, Markdown that tries to run, posts from other sites, deleting what is gone.

use super::*;

#[tokio::test]
async fn unreadable_arguments_are_a_400_not_a_500() {
    let app = spawn().await;
    let (status, body) = app
        .call(DeleteIncident::PATH, &[("id", "not-a-number")])
        .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn markdown_in_every_field_renders_inert() {
    let app = spawn().await;
    let xss = "<script>alert('x')</script><img src=x onerror=alert(1)> [click](javascript:alert(2)) <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">y</a>";
    let (_, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields("XSS", xss),
        )
        .await;
    let page = location.expect("created");
    let id = id_from(&page).to_owned();
    let (status, _) = app
        .submit(
            UpdateLessons::PATH,
            &page,
            &[
                ("id", &id),
                ("version", "1"),
                ("form[went_well]", xss),
                ("form[went_wrong]", xss),
                ("form[lucky]", xss),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (status, _) = app
        .submit(
            AddTimelineEntry::PATH,
            &page,
            &[
                ("incident_id", &id),
                ("form[at]", "2020-03-23T10:29"),
                ("form[precision]", "minute"),
                ("form[kind]", "action"),
                ("form[actor]", "on-call"),
                ("form[body]", xss),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (status, _) = app
        .submit(
            AddFollowUp::PATH,
            &page,
            &[
                ("incident_id", &id),
                ("form[title]", "Guard"),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[description]", xss),
                ("state", "proposed"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (_, html) = app.page(&page).await;
    assert!(html.contains("alert"), "the text is still shown, as text");
    let html = html.to_lowercase();
    for bad in [
        "<script>alert",
        "onerror=",
        "onclick=",
        "href=\"javascript:",
        "<img",
    ] {
        if let Some(at) = html.find(bad) {
            panic!(
                "{bad} must not reach the page: …{}…",
                &html[at.saturating_sub(200)..(at + 100).min(html.len())]
            );
        }
    }
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = id_from(&page).to_owned();
    let response = app
        .client
        .post(app.url(DeleteIncident::PATH))
        .header("accept", "text/html")
        .header("origin", "https://evil.example")
        .form(&[("id", id.as_str())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 403);
    let (status, _) = app.page(&page).await;
    assert_eq!(status, 200, "the incident is still there");
}

#[tokio::test]
async fn a_cross_site_post_is_forbidden_and_says_why_to_a_browser_and_a_script() {
    use app::error::AppError;
    use leptos::server_fn::error::FromServerFnError;
    let app = spawn().await;
    let page = app.load_example().await;
    let id = id_from(&page).to_owned();
    let refused = |accept: &'static str| {
        app.client
            .post(app.url(DeleteIncident::PATH))
            .header("accept", accept)
            .header("origin", "https://evil.example")
            .form(&[("id", id.as_str())])
            .send()
    };
    let says = "This form was sent from another website, so Debrief refused it.";

    let response = refused("text/html").await.expect("an answer");
    assert_eq!(response.status().as_u16(), 403);
    let html = response.text().await.expect("a page");
    assert!(html.contains(says), "{html}");

    let response = refused("*/*").await.expect("an answer");
    assert_eq!(response.status().as_u16(), 403);
    let body = response.bytes().await.expect("a body");
    assert_eq!(
        AppError::de(body),
        AppError::Forbidden(says.to_owned()),
        "a script gets the error it can decode, as from any server function"
    );
    let (status, _) = app.page(&page).await;
    assert_eq!(status, 200, "the incident is still there");
}

#[tokio::test]
async fn a_plain_form_over_a_megabyte_is_too_large_and_says_so() {
    let app = spawn().await;
    let summary = "a".repeat(1024 * 1024);
    let response = app
        .client
        .post(app.url(CreateIncident::PATH))
        .header("accept", "text/html")
        .header("referer", app.url("/incidents/new"))
        .form(&incident_fields("Too long", &summary))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 413);
    let html = response.text().await.expect("a page");
    assert!(
        html.contains("The form is larger than Debrief accepts (1 MB); nothing was saved."),
        "{html}"
    );
}

#[tokio::test]
async fn deleting_something_already_gone_says_so_on_the_page() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = id_from(&page).to_owned();
    let (_, html) = app.page(&page).await;
    let follow_up_id = element_id(&html, "follow-up-", "");
    let edit = format!("/incidents/{id}/follow-ups/{follow_up_id}?confirm=follow-up");
    let (status, _) = app
        .submit(
            app::api::follow_ups::DeleteFollowUp::PATH,
            &edit,
            &[("id", &follow_up_id)],
        )
        .await;
    assert_eq!(status, 302);
    let (status, location) = app
        .submit(
            app::api::follow_ups::DeleteFollowUp::PATH,
            &page,
            &[("id", &follow_up_id)],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&location.expect("back")).await;
    assert!(
        text_of(&html).contains(&format!("Follow-up {follow_up_id} was not found")),
        "{}",
        text_of(&html)
    );
}
