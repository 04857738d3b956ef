//! Black-box HTTP tests: the real server on port 0 with a temporary database, called as a
//! browser without JavaScript and as a program would.

mod common;

use app::api::changes::{AddParameter, UpdateParameter};
use app::api::follow_ups::{AddFollowUp, TransitionFollowUp};
use app::api::incidents::{CreateIncident, DeleteIncident, UpdateLessons};
use app::api::timeline::AddTimelineEntry;
use common::{spawn, text_of};
use leptos::server_fn::ServerFn;

fn incident_fields<'a>(title: &'a str, summary: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("form[title]", title),
        ("form[summary]", summary),
        ("form[severity]", "sev2"),
        ("form[services]", "Login"),
        ("form[impact_started_at]", "2020-03-23T10:27"),
        ("form[impact_started_precision]", "approximate"),
        ("form[detected_at]", "2020-03-23T10:28"),
        ("form[detected_precision]", "minute"),
    ]
}

/// The number in the first `id="<prefix>N"` of the page whose element contains `containing`.
fn element_id(html: &str, prefix: &str, containing: &str) -> String {
    html.split(&format!("id=\"{prefix}"))
        .skip(1)
        .find(|chunk| chunk.contains(containing))
        .and_then(|chunk| chunk.split('"').next())
        .unwrap_or_else(|| panic!("no element with id {prefix}… containing {containing:?}"))
        .to_owned()
}

fn id_from(location: &str) -> &str {
    location
        .trim_start_matches("/incidents/")
        .split(['/', '#', '?'])
        .next()
        .expect("an id")
}

#[tokio::test]
async fn a_new_installation_offers_to_create_an_incident_or_load_the_example() {
    let app = spawn().await;
    let (status, html) = app.page("/").await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(text.contains("No incidents yet"), "{text}");
    assert!(text.contains("Load the worked example"), "{text}");
    assert!(html.contains("href=\"/incidents/new\""));
}

#[tokio::test]
async fn the_worked_example_reads_as_a_complete_postmortem() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (status, html) = app.page(&page).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    for expected in [
        "≈500 customer logins failed over ≈1 min",
        "Confirmed trigger",
        "concurrency",
        "Default value",
        "Took a default",
        "Time to detect",
        "What went well",
        "I have caused an outage",
        "T+0:0",
    ] {
        assert!(
            text.contains(expected),
            "the postmortem should show {expected:?}:\n{text}"
        );
    }
    let (_, list) = app.page("/").await;
    assert!(
        text_of(&list).contains("≈500 customer logins failed over ≈1 min"),
        "the list shows the impact headline"
    );
    let (_, follow_ups) = app.page("/follow-ups").await;
    assert!(
        text_of(&follow_ups).contains("parameter concurrency"),
        "follow-ups name the parameter they target"
    );
}

#[tokio::test]
async fn creating_an_incident_opens_its_postmortem() {
    let app = spawn().await;
    let (status, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields("Checkout errors", "Payments *failed*."),
        )
        .await;
    assert_eq!(status, 302);
    let location = location.expect("redirect to the new incident");
    assert!(location.starts_with("/incidents/"), "{location}");
    let (status, html) = app.page(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Checkout errors"));
    assert!(
        html.contains("<em>failed</em>"),
        "the summary is rendered Markdown"
    );
    assert!(
        text_of(&html).contains("≈1 min"),
        "time to detect from an approximate start is approximate"
    );
}

#[tokio::test]
async fn a_missing_title_is_a_422_naming_the_field_for_programs() {
    let app = spawn().await;
    let (status, body) = app
        .call(CreateIncident::PATH, &incident_fields("", "x"))
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("\"title\""), "{body}");
}

#[tokio::test]
async fn a_plain_form_with_errors_comes_back_with_what_was_typed() {
    let app = spawn().await;
    let summary = "Logins failed; we restarted everything at once.";
    let (status, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields("", summary),
        )
        .await;
    assert_eq!(status, 303);
    let location = location.expect("back to the form");
    assert!(location.starts_with("/incidents/new?flash="), "{location}");
    let (status, html) = app.page(&location).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(summary),
        "the typed summary is still in the form"
    );
    assert!(
        html.contains("2020-03-23T10:27"),
        "the typed time is still in the form"
    );
    assert!(
        text_of(&html).to_lowercase().contains("title"),
        "the error names the title"
    );
    assert!(
        html.contains("class=\"field invalid\""),
        "the field is marked invalid"
    );
}

#[tokio::test]
async fn milestones_out_of_order_are_rejected_naming_both_times() {
    let app = spawn().await;
    let mut fields = incident_fields("Out of order", "");
    fields.retain(|(k, _)| *k != "form[detected_at]");
    fields.push(("form[detected_at]", "2020-03-23T10:20"));
    let (status, body) = app.call(CreateIncident::PATH, &fields).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("10:20") && body.contains("10:27"), "{body}");
}

#[tokio::test]
async fn unreadable_arguments_are_a_400_not_a_500() {
    let app = spawn().await;
    let (status, body) = app
        .call(DeleteIncident::PATH, &[("id", "not-a-number")])
        .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn an_unknown_incident_is_a_404_page() {
    let app = spawn().await;
    let (status, html) = app.page("/incidents/9999").await;
    assert_eq!(status, 404);
    assert!(text_of(&html).contains("not found"), "{html}");
    let (status, _) = app.call(DeleteIncident::PATH, &[("id", "9999")]).await;
    assert_eq!(status, 404);
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
async fn a_follow_up_moves_only_along_allowed_transitions() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = id_from(&page).to_owned();
    let (status, _) = app
        .submit(
            AddFollowUp::PATH,
            &page,
            &[
                ("incident_id", &id),
                ("form[title]", "Confirm before touching every server"),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p1"),
                ("state", "proposed"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (status, body) = app
        .call(
            AddFollowUp::PATH,
            &[
                ("incident_id", &id),
                ("form[title]", "Committed with nobody owning it"),
                ("form[action_type]", "prevent"),
                // P4 has no due-date policy to fill the date in.
                ("form[priority]", "p4"),
                ("state", "committed"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("needs an owner") && body.contains("needs a due date"),
        "both missing fields are named: {body}"
    );
    let (_, html) = app.page(&page).await;
    let marker = "Confirm before touching every server";
    assert!(html.contains(marker));
    let follow_up_id = element_id(&html, "follow-up-", marker);

    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &follow_up_id),
                ("form[to]", "verified"),
                ("form[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "proposed cannot jump to verified: {body}");
    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &follow_up_id),
                ("form[to]", "wont_do"),
                ("form[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "won't do needs a reason: {body}");
    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &follow_up_id),
                ("form[to]", "committed"),
                ("form[note]", ""),
            ],
        )
        .await;
    assert_eq!(
        status, 422,
        "committing needs an owner and a due date: {body}"
    );
    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &follow_up_id),
                ("form[to]", "wont_do"),
                ("form[note]", "Covered by the default concurrency fix"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = app.page(&page).await;
    assert!(text_of(&html).contains("Covered by the default concurrency fix"));
}

#[tokio::test]
async fn a_parameter_name_is_required_and_unique_per_change() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, html) = app.page(&page).await;
    let change_id = element_id(&html, "change-", "");
    let (status, body) = app
        .call(
            AddParameter::PATH,
            &[
                ("change_id", &change_id),
                ("form[name]", ""),
                ("form[value]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app
        .call(
            AddParameter::PATH,
            &[
                ("change_id", &change_id),
                ("form[name]", "Concurrency"),
                ("form[value]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 422, "a second concurrency is refused: {body}");
}

#[tokio::test]
async fn a_parameter_is_edited_in_place_without_javascript() {
    let app = spawn().await;
    let incident = app.load_example().await;
    let (_, html) = app.page(&incident).await;
    let change_id = element_id(&html, "change-", "");
    let change_page = format!("/incidents/{}/changes/{change_id}", id_from(&incident));
    let (_, html) = app.page(&change_page).await;
    let parameter_id = element_id(&html, "parameter-", "concurrency");
    let editing = format!("{change_page}?edit=parameter-{parameter_id}");
    let (status, html) = app.page(&editing).await;
    assert_eq!(status, 200);
    assert!(
        text_of(&html).contains("Edit parameter concurrency") && html.contains("Save parameter"),
        "the row opens as a form"
    );

    // Renaming it to a name the change already has is refused, and what was typed comes back.
    let (status, location) = app
        .submit(
            UpdateParameter::PATH,
            &editing,
            &[
                ("id", &parameter_id),
                ("form[name]", "Environment"),
                ("form[value]", "4"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let back = location.expect("sent back to the form");
    assert!(
        back.contains("edit=parameter-") && back.contains("flash="),
        "{back}"
    );
    let (_, html) = app.page(&back).await;
    assert!(
        text_of(&html).contains("already has a parameter named \"Environment\""),
        "the clash is explained"
    );
    assert!(
        html.contains("value=\"Environment\""),
        "the typed name is kept"
    );

    let (status, location) = app
        .submit(
            UpdateParameter::PATH,
            &back,
            &[
                ("id", &parameter_id),
                ("form[name]", "concurrency"),
                ("form[value]", "0 (all at once)"),
                ("form[is_default]", "on"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let location = location.expect("redirected");
    assert!(!location.contains("edit="), "the row closes: {location}");
    let (_, html) = app.page(&change_page).await;
    assert!(text_of(&html).contains("0 (all at once)"));
    let (_, html) = app.page(&incident).await;
    assert!(
        text_of(&html).contains("0 (all at once)"),
        "the postmortem shows the default it took"
    );

    let (status, _) = app
        .call(
            UpdateParameter::PATH,
            &[("id", "999999"), ("form[name]", "x"), ("form[value]", "1")],
        )
        .await;
    assert_eq!(status, 404, "an unknown parameter is named, not a 500");
}

#[tokio::test]
async fn deleting_an_incident_removes_it_from_the_list() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = id_from(&page).to_owned();
    let (status, location) = app
        .submit(
            DeleteIncident::PATH,
            &format!("{page}?confirm=incident"),
            &[("id", &id)],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(location.as_deref(), Some("/"));
    let (status, _) = app.page(&page).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn times_are_entered_and_shown_in_the_zone_the_reader_chose() {
    use app::api::settings::SetTimeZone;
    let app = spawn().await;
    let (status, _) = app
        .submit(SetTimeZone::PATH, "/", &[("zone", "America/New_York")])
        .await;
    assert_eq!(status, 302, "choosing a zone returns to the page");
    // 06:27 in New York on 23 March 2020 (daylight time, UTC−4) is 10:27 UTC.
    let mut fields = incident_fields("Zoned", "");
    fields.retain(|(k, _)| !k.contains("impact_started") && !k.contains("detected"));
    fields.push(("form[impact_started_at]", "2020-03-23T06:27"));
    fields.push(("form[impact_started_precision]", "minute"));
    let (_, location) = app
        .submit(CreateIncident::PATH, "/incidents/new", &fields)
        .await;
    let page = location.expect("created");
    let (_, html) = app.page(&page).await;
    let text = text_of(&html);
    assert!(
        text.contains("23 Mar 2020 06:27") && text.contains("America/New_York"),
        "{text}"
    );
    app.submit(SetTimeZone::PATH, "/", &[("zone", "UTC")]).await;
    let (_, html) = app.page(&page).await;
    assert!(
        text_of(&html).contains("23 Mar 2020 10:27"),
        "the same moment, shown in UTC"
    );
}

#[tokio::test]
async fn a_form_reads_its_times_in_the_zone_it_was_shown_in() {
    use app::api::settings::SetTimeZone;
    let app = spawn().await;
    app.submit(SetTimeZone::PATH, "/", &[("zone", "America/New_York")])
        .await;
    let (_, form) = app.page("/incidents/new").await;
    assert!(
        form.contains(r#"name="zone" value="America/New_York""#),
        "the form says which zone its times are in"
    );
    // Meanwhile, in another tab, the reader switches to UTC; the form still says New York.
    app.submit(SetTimeZone::PATH, "/", &[("zone", "UTC")]).await;
    let mut fields = incident_fields("Typed in New York", "");
    fields.retain(|(k, _)| !k.contains("impact_started") && !k.contains("detected"));
    fields.push(("form[impact_started_at]", "2020-03-23T06:27"));
    fields.push(("form[impact_started_precision]", "minute"));
    fields.push(("zone", "America/New_York"));
    let (_, location) = app
        .submit(CreateIncident::PATH, "/incidents/new", &fields)
        .await;
    let (_, html) = app.page(&location.expect("created")).await;
    assert!(
        text_of(&html).contains("23 Mar 2020 10:27"),
        "06:27 in New York, shown in UTC"
    );

    fields.retain(|(k, _)| *k != "zone");
    fields.push(("zone", "Mars/Olympus_Mons"));
    let (status, body) = app.call(CreateIncident::PATH, &fields).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("Unknown time zone"), "{body}");
}

#[tokio::test]
async fn an_unknown_time_zone_comes_back_with_a_message() {
    use app::api::settings::SetTimeZone;
    let app = spawn().await;
    let (status, location) = app
        .submit(
            SetTimeZone::PATH,
            "/follow-ups",
            &[("zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(status, 303);
    let location = location.expect("back to the page");
    assert!(location.starts_with("/follow-ups?flash="), "{location}");
    let (_, html) = app.page(&location).await;
    assert!(html.contains("Mars/Olympus"), "what was typed is kept");
    assert!(
        text_of(&html).contains("not a time zone name Debrief knows"),
        "{html}"
    );
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
async fn a_refused_move_without_javascript_comes_back_with_the_reason_and_the_note() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, html) = app.page(&page).await;
    let follow_up_id = element_id(&html, "follow-up-", "");
    let (status, location) = app
        .submit(
            TransitionFollowUp::PATH,
            &page,
            &[
                ("id", &follow_up_id),
                ("form[to]", "verified"),
                ("form[note]", "a note I typed"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&location.expect("back to the postmortem")).await;
    assert!(
        html.contains("value=\"a note I typed\""),
        "the note is kept"
    );
    assert!(
        text_of(&html).contains("cannot move to Verified"),
        "the reason is shown"
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
