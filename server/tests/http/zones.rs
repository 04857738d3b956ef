//! Times entered and shown in the reader's time zone.

use super::*;

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
