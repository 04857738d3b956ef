//! Related incidents: linked through the plain form (and refused, keeping what was typed, for
//! itself or a pair already linked), shown on both postmortems worded from each side, edited,
//! removed with confirmation, recorded in both histories, searchable by the note, exported and
//! relinked on import; hidden from readers who may not read the other incident and from the
//! shared page; the worked example's link to its earlier metrics incident; and the change
//! section's "link them?" for earlier incidents of the same job.

use app::api::export::ImportPostmortem;
use app::api::incidents::{CreateIncident, GetPostmortem};
use app::api::relations::{AddRelation, DeleteRelation, RelationForEdit, UpdateRelation};
use app::api::share::CreateShareLink;
use app::domain::account::Role;
use app::domain::export::PostmortemExport;
use app::domain::incident::Severity;
use app::domain::relation::RelationKind;
use app::dto::postmortem::PostmortemView;
use leptos::server_fn::ServerFn;

use super::{id_from, incident_fields};
use crate::common::{TestApp, incident_of, spawn, text_of};

const EARLIER_TITLE: &str = "Metrics collection broke in the first JMX rollout";

async fn create(app: &TestApp, title: &str) -> i64 {
    let (status, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields(title, "What happened."),
        )
        .await;
    assert_eq!(status, 302, "{title} is created");
    id_from(&location.expect("a location"))
        .parse()
        .expect("an id")
}

async fn postmortem(app: &TestApp, id: i64) -> PostmortemView {
    app.json(GetPostmortem::PATH, &[("id", &id.to_string())])
        .await
}

/// The worked example's incidents: (earlier attempt, login outage).
async fn example(app: &TestApp) -> (i64, i64) {
    let outage = incident_of(&app.load_example().await);
    let view = postmortem(app, outage).await;
    assert_eq!(view.related.len(), 1, "{:?}", view.related);
    (view.related[0].other_id, outage)
}

#[tokio::test]
async fn the_worked_example_links_to_its_earlier_metrics_incident() {
    let app = spawn().await;
    let (earlier, outage) = example(&app).await;
    assert!(
        earlier < outage,
        "the earlier incident has the lower number"
    );

    let (status, html) = app.page(&format!("/incidents/{outage}")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains(&format!(
            "Earlier attempt at the same change: #{earlier} {EARLIER_TITLE}"
        )),
        "{text}"
    );
    assert!(text.contains("It broke metrics collection; customers were not affected."));
    // Already linked: the change section lists it among the job's earlier incidents but does
    // not ask to link it.
    assert!(text.contains("Jenkins · generic run-command job was involved before:"));
    assert!(
        !text.contains("link them?") && !text.contains("link it?"),
        "{text}"
    );

    let (_, html) = app.page(&format!("/incidents/{earlier}")).await;
    assert!(
        text_of(&html).contains(&format!(
            "Later attempt at the same change: #{outage} Customer logins failed across all \
             products"
        )),
        "worded from the earlier incident's side"
    );
    let first = postmortem(&app, earlier).await;
    assert_eq!(first.header.severity, Severity::Sev4);
    assert!(
        first.impact.iter().all(|f| !f.customer_visible),
        "no customer impact"
    );
    assert_eq!(first.changes.len(), 1);
    assert_eq!(
        (
            first.changes[0].system.as_str(),
            first.changes[0].identifier.as_str()
        ),
        ("Jenkins", "generic run-command job"),
        "the same job as the login outage's change"
    );
    assert!(!first.timeline.is_empty());
    let (_, html) = app.page(&format!("/incidents/{earlier}/history")).await;
    assert!(text_of(&html).contains("added"), "created in its history");
    let (_, html) = app.page("/search?q=broke+metrics+collection").await;
    assert!(
        html.contains(&format!("/incidents/{earlier}")),
        "the earlier incident is searchable"
    );
}

#[tokio::test]
async fn an_incident_is_linked_through_the_plain_form_and_both_pages_show_it() {
    let app = spawn().await;
    let cause = create(&app, "Database failover stalled writes").await;
    let effect = create(&app, "Checkout timed out").await;
    let form_page = format!("/incidents/{effect}/related/new");
    let (status, html) = app.page(&form_page).await;
    assert_eq!(status, 200);
    assert!(text_of(&html).contains("Link a related incident"));
    assert!(
        html.contains(&format!("#{cause} Database failover stalled writes")),
        "recent incidents are suggested"
    );

    let (status, location) = app
        .submit(
            AddRelation::PATH,
            &form_page,
            &[
                ("incident_id", &effect.to_string()),
                ("form[kind]", "caused_by"),
                ("form[related]", &format!("#{cause}")),
                (
                    "form[note]",
                    "the stalled writes held checkout's connections",
                ),
            ],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(
        location.as_deref(),
        Some(format!("/incidents/{effect}#related").as_str())
    );

    let (_, html) = app.page(&format!("/incidents/{effect}")).await;
    let text = text_of(&html);
    assert!(
        text.contains(&format!(
            "Caused by: #{cause} Database failover stalled writes — the stalled writes held"
        )),
        "{text}"
    );
    let (_, html) = app.page(&format!("/incidents/{cause}")).await;
    let text = text_of(&html);
    assert!(
        text.contains(&format!("Caused: #{effect} Checkout timed out")),
        "{text}"
    );
    assert!(
        text.contains("added on that incident: edit it there"),
        "{text}"
    );

    for id in [cause, effect] {
        let (_, html) = app.page(&format!("/incidents/{id}/history")).await;
        assert!(
            text_of(&html).contains("Related incident"),
            "the link is in #{id}'s history"
        );
    }
    let (_, html) = app.page(&format!("/incidents/{cause}/history")).await;
    assert!(text_of(&html).contains(&format!("Caused: #{effect}")));

    let (_, html) = app.page("/search?q=connections").await;
    assert!(
        html.contains(&format!("/incidents/{effect}")),
        "the note is searchable"
    );
}

#[tokio::test]
async fn a_link_to_itself_to_a_linked_incident_or_to_none_is_refused_next_to_the_field() {
    let app = spawn().await;
    let a = create(&app, "Queue backed up").await;
    let b = create(&app, "Emails were late").await;
    let from = format!("/incidents/{b}/related/new");
    let link = |related: String, note: &'static str| {
        let app = &app;
        let from = from.clone();
        async move {
            app.submit(
                AddRelation::PATH,
                &from,
                &[
                    ("incident_id", &b.to_string()),
                    ("form[kind]", "recurrence_of"),
                    ("form[related]", &related),
                    ("form[note]", note),
                ],
            )
            .await
        }
    };

    let (status, location) = link(b.to_string(), "typed note one").await;
    assert_eq!(status, 303, "sent back to the form");
    let back = location.expect("a location");
    assert!(back.contains("flash="), "{back}");
    let (_, html) = app.page(&back).await;
    assert!(
        text_of(&html).contains(&format!("That is this incident (#{b})")),
        "{}",
        text_of(&html)
    );
    assert!(html.contains("typed note one"), "the note typed is kept");
    assert!(
        html.contains(&format!("value=\"{b}\"")),
        "the number typed is kept"
    );

    let (status, location) = link("99999".into(), "typed note two").await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&location.expect("back")).await;
    assert!(text_of(&html).contains("There is no incident #99999"));
    assert!(html.contains("typed note two"));

    // Linked one way round, the pair is refused the other way round too.
    let (status, _) = app
        .submit(
            AddRelation::PATH,
            &format!("/incidents/{a}/related/new"),
            &[
                ("incident_id", &a.to_string()),
                ("form[kind]", "caused"),
                ("form[related]", &b.to_string()),
                ("form[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (status, location) = link(a.to_string(), "typed note three").await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&location.expect("back")).await;
    assert!(
        text_of(&html).contains(&format!(
            "This incident is already linked to #{a} (“Caused by”)"
        )),
        "{}",
        text_of(&html)
    );
    assert!(html.contains("typed note three"));
    assert_eq!(postmortem(&app, b).await.related.len(), 1);
}

#[tokio::test]
async fn a_link_is_edited_and_removed_with_confirmation_from_both_pages() {
    let app = spawn().await;
    let a = create(&app, "Certificates expired").await;
    let b = create(&app, "Mobile app could not sign in").await;
    let id: i64 = app
        .json(
            AddRelation::PATH,
            &[
                ("incident_id", &b.to_string()),
                ("form[kind]", "same_trigger"),
                ("form[related]", &a.to_string()),
                ("form[note]", "first note"),
            ],
        )
        .await;
    let edit_page = format!("/incidents/{b}/related/{id}");
    let (status, html) = app.page(&edit_page).await;
    assert_eq!(status, 200);
    assert!(html.contains("first note"));
    let version = app.version(RelationForEdit::PATH, &id.to_string()).await;
    let (status, _) = app
        .submit(
            UpdateRelation::PATH,
            &edit_page,
            &[
                ("id", &id.to_string()),
                ("version", &version),
                ("form[kind]", "duplicate_of"),
                ("form[related]", &a.to_string()),
                ("form[note]", "the same expiry, reported twice"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (_, html) = app.page(&format!("/incidents/{a}")).await;
    assert!(
        text_of(&html).contains(&format!(
            "Duplicated by: #{b} Mobile app could not sign in — the same expiry, reported twice"
        )),
        "{}",
        text_of(&html)
    );
    // A save from the form as it was before is a conflict, not a silent overwrite.
    let (status, _) = app
        .call(
            UpdateRelation::PATH,
            &[
                ("id", &id.to_string()),
                ("version", &version),
                ("form[kind]", "caused_by"),
                ("form[note]", "stale"),
            ],
        )
        .await;
    assert_eq!(status, 409);

    let (_, html) = app.page(&edit_page).await;
    assert!(!html.contains("Remove link"), "not without confirming");
    let confirming = format!("{edit_page}?confirm=relation");
    let (_, html) = app.page(&confirming).await;
    assert!(
        html.contains("Remove link") && html.contains(DeleteRelation::PATH),
        "the removal is confirmed first"
    );
    assert!(text_of(&html).contains("removed from both postmortems"));
    let (status, location) = app
        .submit(
            DeleteRelation::PATH,
            &confirming,
            &[("id", &id.to_string())],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(
        location.as_deref(),
        Some(format!("/incidents/{b}#related").as_str())
    );
    for incident in [a, b] {
        assert!(postmortem(&app, incident).await.related.is_empty());
        let (_, html) = app.page(&format!("/incidents/{incident}/history")).await;
        assert!(
            text_of(&html).contains("deleted"),
            "the removal is in #{incident}'s history"
        );
    }
}

#[tokio::test]
async fn a_reader_who_may_not_read_the_other_incident_does_not_see_it_nor_does_the_shared_page() {
    let app = spawn().await;
    let (earlier, outage) = example(&app).await;
    app.publish(outage).await;

    // The earlier incident is still a draft: a viewer reads the outage without the link.
    let viewer = app.browser_as(Role::Viewer).await;
    let (status, html) = viewer.page(&format!("/incidents/{outage}")).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains(EARLIER_TITLE),
        "the draft's title is not shown"
    );
    assert!(!html.contains(&format!("/incidents/{earlier}\"")));
    let view: PostmortemView = viewer
        .json(GetPostmortem::PATH, &[("id", &outage.to_string())])
        .await;
    assert!(view.related.is_empty());
    let (_, _, json) = viewer
        .download(&format!("/incidents/{outage}/export.json"))
        .await;
    assert!(!json.contains(EARLIER_TITLE), "nor exported to them");

    // An author sees it.
    let (_, html) = app.page(&format!("/incidents/{outage}")).await;
    assert!(html.contains(EARLIER_TITLE));

    // The shared page says how, never which.
    let token: String = app
        .json(CreateShareLink::PATH, &[("id", &outage.to_string())])
        .await;
    let (status, html) = app.anonymous().page(&format!("/shared/{token}")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("Earlier attempt at the same change: an earlier incident"),
        "{text}"
    );
    assert!(!html.contains(EARLIER_TITLE));
    assert!(!html.contains(&format!("/incidents/{earlier}")));
    assert!(!text.contains(&format!("#{earlier}")));
}

#[tokio::test]
async fn earlier_incidents_of_the_same_job_are_offered_as_links_while_writing() {
    let app = spawn().await;
    let (first_earlier, first_outage) = example(&app).await;
    let (_, outage) = example(&app).await;
    let page = format!("/incidents/{outage}");
    let (_, html) = app.page(&page).await;
    let text = text_of(&html);
    assert!(
        text.contains(
            "This job has been involved in 2 earlier incidents not linked to this one — link them?"
        ),
        "{text}"
    );
    assert!(
        html.contains(&format!(
            "/incidents/{outage}/related/new?related={first_outage}&amp;kind=recurrence_of"
        )),
        "a link to the form, filled in"
    );

    // One click links it as a recurrence.
    let (status, location) = app
        .submit(
            AddRelation::PATH,
            &page,
            &[
                ("incident_id", &outage.to_string()),
                ("form[kind]", RelationKind::RecurrenceOf.as_str()),
                ("form[related]", &first_outage.to_string()),
                ("form[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(
        location.as_deref(),
        Some(format!("{page}#related").as_str())
    );
    let (_, html) = app.page(&page).await;
    let text = text_of(&html);
    assert!(
        text.contains(&format!(
            "Recurrence of: #{first_outage} Customer logins failed across all products"
        )),
        "{text}"
    );
    assert!(
        text.contains(
            "This job has been involved in 1 earlier incident not linked to this one — link it?"
        ),
        "{text}"
    );

    // The form opened from the signal is filled in.
    let (status, html) = app
        .page(&format!(
            "/incidents/{outage}/related/new?related={first_earlier}&kind=same_trigger"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("value=\"{first_earlier}\"")),
        "{html}"
    );
    assert!(html.contains("<option value=\"same_trigger\" selected"));
}

#[tokio::test]
async fn related_incidents_are_exported_and_relinked_on_import_by_exact_title() {
    let app = spawn().await;
    let (earlier, outage) = example(&app).await;
    let (status, _, md) = app
        .download(&format!("/incidents/{outage}/export.md"))
        .await;
    assert_eq!(status, 200);
    assert!(
        md.contains(&format!(
            "## Related incidents\n\n- Earlier attempt at the same change: #{earlier} {EARLIER_TITLE} — "
        )),
        "{md}"
    );
    let (_, _, json) = app
        .download(&format!("/incidents/{outage}/export.json"))
        .await;
    let exported: PostmortemExport = serde_json::from_str(&json).expect("reads back");
    assert_eq!(exported.related.len(), 1);
    assert_eq!(exported.related[0].number, earlier);
    assert_eq!(exported.related[0].title, EARLIER_TITLE);

    let imported: i64 = app.json(ImportPostmortem::PATH, &[("json", &json)]).await;
    let view = postmortem(&app, imported).await;
    assert_eq!(
        view.related.len(),
        1,
        "relinked to the one incident of that title"
    );
    assert_eq!(view.related[0].other_id, earlier);
    assert_eq!(view.related[0].kind, RelationKind::EarlierAttempt);
    assert_eq!(postmortem(&app, earlier).await.related.len(), 2);

    // No incident of that title here: not linked, and the import still succeeds.
    let renamed = json.replace(EARLIER_TITLE, "An incident this Debrief never had");
    let imported: i64 = app
        .json(ImportPostmortem::PATH, &[("json", &renamed)])
        .await;
    assert!(postmortem(&app, imported).await.related.is_empty());
}
