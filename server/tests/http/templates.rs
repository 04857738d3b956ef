//! Postmortem templates: an admin defines sections (hidden, required, prompted) and fields of
//! the team's own; an incident follows one; submitting for review needs what it requires; the
//! list filters by a field's value; changing the template loses nothing; and the default
//! template leaves the page as it was.

use app::api::export::ImportPostmortem;
use app::api::history::IncidentHistory;
use app::api::incidents::CreateIncident;
use app::api::review::SubmitForReview;
use app::api::search::Search;
use app::api::share::CreateShareLink;
use app::api::templates::{
    FieldsForEdit, SaveTemplate, SetIncidentTemplate, TemplateChoices, UpdateFieldValues,
};
use app::domain::account::Role;
use app::domain::export::PostmortemExport;
use app::domain::search::DocumentKind;
use app::dto::search::SearchResults;
use app::dto::template::TemplateChoice;
use leptos::server_fn::ServerFn;

use super::{id_from, incident_fields};
use crate::common::{Browser, TestApp, spawn, text_of};

/// Saves a template through its plain form; returns its id.
pub(super) async fn save_template(app: &TestApp, fields: &[(&str, &str)]) -> i64 {
    let (status, location) = app
        .submit(SaveTemplate::PATH, "/admin/templates/new", fields)
        .await;
    assert_eq!(status, 302, "the template is saved: {location:?}");
    assert_eq!(location.as_deref(), Some("/admin/templates?saved=1"));
    let name = fields
        .iter()
        .find(|(k, _)| *k == "form[name]")
        .map(|(_, v)| *v)
        .expect("a name");
    let choices: Vec<TemplateChoice> = app.json(TemplateChoices::PATH, &[]).await;
    choices
        .into_iter()
        .find(|c| c.name == name)
        .expect("the template is listed")
        .id
}

/// The standard sections, all shown in their usual order, except `hidden`.
pub(super) fn sections(hidden: &[&str]) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (i, key) in [
        "summary",
        "impact",
        "changes",
        "timeline",
        "lessons",
        "follow_ups",
        "custom_fields",
    ]
    .into_iter()
    .enumerate()
    {
        if !hidden.contains(&key) {
            fields.push((format!("form[{key}_shown]"), "on".to_owned()));
        }
        fields.push((format!("form[{key}_order]"), (i + 1).to_string()));
    }
    fields
}

/// The "Regional" template: lessons hidden, a timeline prompt, a required choice field Region.
pub(super) async fn regional(app: &TestApp) -> i64 {
    let sections = sections(&["lessons"]);
    let mut fields: Vec<(&str, &str)> = sections
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.extend([
        ("id", ""),
        ("form[name]", "Regional"),
        ("form[timeline_prompt]", "Name roles, not people."),
        ("form[field0_label]", "Region"),
        ("form[field0_kind]", "choice"),
        ("form[field0_options]", "eu-west\nus-east"),
        ("form[field0_required]", "on"),
        ("form[field0_prompt]", "Where customers were affected."),
        ("form[field1_label]", "Cost estimate"),
        ("form[field1_kind]", "number"),
        ("form[field2_label]", "Notes"),
        ("form[field2_kind]", "text"),
    ]);
    save_template(app, &fields).await
}

pub(super) async fn create_incident(browser: &Browser, title: &str, template: &str) -> i64 {
    let mut fields = incident_fields(title, "Logins failed.");
    fields.push(("template", template));
    let (status, location) = browser
        .submit(CreateIncident::PATH, "/incidents/new", &fields)
        .await;
    assert_eq!(status, 302, "created: {location:?}");
    id_from(&location.expect("a location"))
        .parse()
        .expect("an id")
}

async fn fill(app: &TestApp, id: i64, values: &[(&str, &str)]) -> (u16, String) {
    let id = id.to_string();
    let version = app.version(FieldsForEdit::PATH, &id).await;
    let mut fields = vec![("id", id.as_str()), ("version", version.as_str())];
    fields.extend_from_slice(values);
    app.call(UpdateFieldValues::PATH, &fields).await
}

#[tokio::test]
async fn a_template_hides_sections_prompts_its_authors_and_requires_its_fields_before_review() {
    let app = spawn().await;
    let template = regional(&app).await;
    let id = create_incident(&app, "Logins failed in one region", &template.to_string()).await;

    let (status, html) = app.page(&format!("/incidents/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("id=\"lessons\""),
        "the hidden section is not shown"
    );
    assert!(html.contains("id=\"timeline\""));
    let text = text_of(&html);
    assert!(
        text.contains("Name roles, not people."),
        "the prompt is shown"
    );
    assert!(text.contains("Region"), "the custom field is shown");
    assert!(html.contains(&format!("/incidents/{id}/fields")));

    // Refused, naming what is missing; the review page links to it.
    let (status, body) = app
        .call(SubmitForReview::PATH, &[("id", &id.to_string())])
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Before submitting for review, fill in: Region."),
        "{body}"
    );
    let (_, review) = app.page(&format!("/incidents/{id}/review")).await;
    assert!(review.contains(&format!("href=\"/incidents/{id}/fields#f-region\"")));

    // Each value is checked by its kind, under its field.
    let (status, body) = fill(
        &app,
        id,
        &[("form[region]", "mars"), ("form[cost_estimate]", "lots")],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("Choose one of"), "{body}");
    assert!(body.contains("takes a number"), "{body}");

    let (status, body) = fill(
        &app,
        id,
        &[("form[region]", "eu-west"), ("form[cost_estimate]", "1200")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = app.page(&format!("/incidents/{id}")).await;
    assert!(text_of(&html).contains("eu-west"));
    let history: serde_json::Value = app
        .json(IncidentHistory::PATH, &[("id", &id.to_string())])
        .await;
    assert!(
        history.to_string().contains("Custom fields"),
        "the values are recorded in the history: {history}"
    );

    let (status, body) = app
        .call(SubmitForReview::PATH, &[("id", &id.to_string())])
        .await;
    assert_eq!(status, 200, "submitted once the field is filled: {body}");
}

#[tokio::test]
async fn the_list_filters_by_a_custom_field_value() {
    let app = spawn().await;
    let template = regional(&app).await.to_string();
    let eu = create_incident(&app, "Checkout slow in Europe", &template).await;
    let us = create_incident(&app, "Search down in America", &template).await;
    assert_eq!(fill(&app, eu, &[("form[region]", "eu-west")]).await.0, 200);
    assert_eq!(fill(&app, us, &[("form[region]", "us-east")]).await.0, 200);

    let (status, html) = app.page("/?field=region&value=eu-west").await;
    assert_eq!(status, 200);
    assert!(html.contains("Checkout slow in Europe"));
    assert!(!html.contains("Search down in America"));
    assert!(
        html.contains("name=\"field\""),
        "the filter offers the field"
    );
    let (_, html) = app.page("/").await;
    assert!(html.contains("Checkout slow in Europe") && html.contains("Search down in America"));
}

#[tokio::test]
async fn changing_the_template_keeps_values_of_fields_it_lacks_as_from_an_earlier_template() {
    let app = spawn().await;
    let template = regional(&app).await.to_string();
    let id = create_incident(&app, "Logins failed", &template).await;
    assert_eq!(fill(&app, id, &[("form[region]", "eu-west")]).await.0, 200);
    let sections = sections(&[]);
    let mut fields: Vec<(&str, &str)> = sections
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("form[name]", "Plain"));
    let plain = save_template(&app, &fields).await.to_string();

    let (status, location) = app
        .submit(
            SetIncidentTemplate::PATH,
            &format!("/incidents/{id}/fields"),
            &[("id", &id.to_string()), ("template", &plain)],
        )
        .await;
    assert_eq!(status, 302, "{location:?}");
    let (_, html) = app.page(&format!("/incidents/{id}")).await;
    let text = text_of(&html);
    assert!(text.contains("From an earlier template"), "{text}");
    assert!(text.contains("Region") && text.contains("eu-west"));
    assert!(
        html.contains("id=\"lessons\""),
        "the new template shows lessons"
    );
    let (_, fields_page) = app.page(&format!("/incidents/{id}/fields")).await;
    assert!(text_of(&fields_page).contains("From an earlier template"));
    let history: serde_json::Value = app
        .json(IncidentHistory::PATH, &[("id", &id.to_string())])
        .await;
    assert!(
        history.to_string().contains("Template “Plain”"),
        "{history}"
    );

    // Back to the first template: the value is its field's again, and saving other fields
    // keeps it.
    app.call(
        SetIncidentTemplate::PATH,
        &[("id", &id.to_string()), ("template", &template)],
    )
    .await;
    let (_, html) = app.page(&format!("/incidents/{id}")).await;
    assert!(!text_of(&html).contains("From an earlier template"));
    assert!(text_of(&html).contains("eu-west"));
}

#[tokio::test]
async fn the_default_template_leaves_the_postmortem_page_as_it_was() {
    let app = spawn().await;
    let id = create_incident(&app, "Logins failed", "").await;
    let (_, html) = app.page(&format!("/incidents/{id}")).await;
    let at = |id: &str| {
        html.find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("the page has the section {id}"))
    };
    assert!(at("impact") < at("changes"));
    assert!(at("changes") < at("timeline"));
    assert!(at("timeline") < at("lessons"));
    assert!(at("lessons") < at("follow-ups"));
    assert!(!html.contains("id=\"custom-fields\""), "no Details section");
    assert!(!html.contains("class=\"prompt"), "no prompts");
    let (status, body) = app
        .call(SubmitForReview::PATH, &[("id", &id.to_string())])
        .await;
    assert_eq!(status, 200, "nothing is required: {body}");
}

#[tokio::test]
async fn a_template_form_with_mistakes_comes_back_with_each_message_beside_its_field_and_what_was_typed()
 {
    let app = spawn().await;
    let sections = sections(&["impact"]);
    let mut fields: Vec<(&str, &str)> = sections
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.extend([
        ("id", ""),
        ("form[name]", "Broken"),
        ("form[impact_required]", "on"),
        ("form[field0_label]", "Customer tier"),
        ("form[field0_kind]", "choice"),
    ]);
    let (status, location) = app
        .submit(SaveTemplate::PATH, "/admin/templates/new", &fields)
        .await;
    assert_eq!(status, 303);
    let back = location.expect("sent back to the form");
    assert!(back.contains("flash="), "{back}");
    let (_, html) = app.page(&back).await;
    let text = text_of(&html);
    assert!(
        text.contains("A hidden section cannot be required"),
        "{text}"
    );
    assert!(text.contains("A choice field needs its choices, one per line."));
    assert!(
        html.contains("value=\"Customer tier\""),
        "the typed label is kept"
    );
    assert!(html.contains("value=\"Broken\""), "the typed name is kept");
    let choices: Vec<TemplateChoice> = app.json(TemplateChoices::PATH, &[]).await;
    assert_eq!(choices.len(), 1, "nothing was saved: {choices:?}");
}

#[tokio::test]
async fn only_admins_define_templates() {
    let app = spawn().await;
    let author = app.browser_as(Role::Author).await;
    let (status, _) = author
        .call(SaveTemplate::PATH, &[("form[name]", "Mine")])
        .await;
    assert_eq!(status, 403);
    let (_, html) = author.page("/admin/templates/new").await;
    assert!(!html.contains("id=\"template-form\""));
}

#[tokio::test]
async fn custom_field_values_are_searched_exported_imported_and_shared_redacted() {
    let app = spawn().await;
    let template = regional(&app).await.to_string();
    let id = create_incident(&app, "Logins failed", &template).await;
    let filled = fill(
        &app,
        id,
        &[
            ("form[region]", "eu-west"),
            (
                "form[notes]",
                "Grace Hopper confirmed the quokkaword restart.",
            ),
        ],
    )
    .await;
    assert_eq!(filled.0, 200, "{}", filled.1);

    let found: SearchResults = app.json(Search::PATH, &[("q", "quokkaword")]).await;
    assert_eq!(found.hits.len(), 1, "{found:?}");
    assert_eq!(found.hits[0].kind, DocumentKind::Fields);
    assert_eq!(found.hits[0].incident_id, id);

    let (status, _, md) = app.download(&format!("/incidents/{id}/export.md")).await;
    assert_eq!(status, 200);
    assert!(md.contains("## Details"), "{md}");
    assert!(md.contains("Template: Regional"), "{md}");
    assert!(md.contains("- **Region:** eu-west"), "{md}");
    let (_, _, json) = app.download(&format!("/incidents/{id}/export.json")).await;
    let exported: PostmortemExport = serde_json::from_str(&json).unwrap();
    assert_eq!(
        exported.template.as_ref().map(|t| t.name.as_str()),
        Some("Regional")
    );
    assert!(
        exported
            .fields
            .iter()
            .any(|f| f.key == "region" && f.value == "eu-west")
    );

    let imported: i64 = app.json(ImportPostmortem::PATH, &[("json", &json)]).await;
    let (_, html) = app.page(&format!("/incidents/{imported}")).await;
    let text = text_of(&html);
    assert!(text.contains("eu-west"), "the import keeps the values");
    assert!(
        !text.contains("From an earlier template"),
        "and finds its template by name"
    );

    app.publish(id).await;
    let token: String = app
        .json(CreateShareLink::PATH, &[("id", &id.to_string())])
        .await;
    let (status, html) = app.anonymous().page(&format!("/shared/{token}")).await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("Details") && text.contains("eu-west"),
        "{text}"
    );
    assert!(
        !text.contains("Grace Hopper"),
        "names in free text are redacted: {text}"
    );
    assert!(text.contains("quokkaword restart"));
}

#[tokio::test]
async fn an_export_from_before_templates_still_imports() {
    let app = spawn().await;
    let id = create_incident(&app, "Logins failed", "").await;
    let (_, _, json) = app.download(&format!("/incidents/{id}/export.json")).await;
    let mut older: serde_json::Value = serde_json::from_str(&json).unwrap();
    let object = older.as_object_mut().unwrap();
    object.remove("template");
    object.remove("fields");
    let (status, body) = app
        .call(ImportPostmortem::PATH, &[("json", &older.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn an_import_elsewhere_makes_the_template_it_followed() {
    let app = spawn().await;
    let template = regional(&app).await.to_string();
    let id = create_incident(&app, "Logins failed", &template).await;
    assert_eq!(fill(&app, id, &[("form[region]", "us-east")]).await.0, 200);
    let (_, _, json) = app.download(&format!("/incidents/{id}/export.json")).await;
    let exported: PostmortemExport = serde_json::from_str(&json).unwrap();

    let there = spawn().await;
    let imported: i64 = there.json(ImportPostmortem::PATH, &[("json", &json)]).await;
    let (_, _, again) = there
        .download(&format!("/incidents/{imported}/export.json"))
        .await;
    let again: PostmortemExport = serde_json::from_str(&again).unwrap();
    assert_eq!(
        again.template, exported.template,
        "the template is made again"
    );
    assert_eq!(again.fields, exported.fields);
    let (_, html) = there.page(&format!("/incidents/{imported}")).await;
    assert!(
        !html.contains("id=\"lessons\""),
        "the made template hides lessons too"
    );
}
