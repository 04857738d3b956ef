//! Looking after templates: deleting one (after a confirmation; refused while incidents follow
//! it, and for the default one), retiring one (not offered for new incidents, still working on
//! those that follow it), its history (who, when, what changed), and ordering sections and
//! fields with "move up" / "move down" buttons of the plain form.

use app::api::template_admin::{DeleteTemplate, RetireTemplate, TemplateHistory};
use app::api::templates::{FieldsForEdit, SaveTemplate, TemplateChoices, TemplateForEdit};
use app::domain::account::Role;
use app::dto::editing::Editing;
use app::dto::template::{FieldsEditing, TemplateChoice, TemplateEditing, TemplateHistoryView};
use leptos::server_fn::ServerFn;

use super::templates::{create_incident, regional, save_template, sections};
use crate::common::{TestApp, spawn, text_of};

/// The template form's fields as stored for template `id`, as a browser would post them back.
async fn stored_form(app: &TestApp, id: i64) -> Vec<(String, String)> {
    let editing: TemplateEditing = app
        .json(TemplateForEdit::PATH, &[("id", &id.to_string())])
        .await;
    let mut fields: Vec<(String, String)> = editing
        .form
        .into_iter()
        .map(|(k, v)| (format!("form[{k}]"), v))
        .collect();
    fields.push(("id".to_owned(), id.to_string()));
    fields
}

async fn choices(app: &TestApp) -> Vec<TemplateChoice> {
    app.json(TemplateChoices::PATH, &[]).await
}

#[tokio::test]
async fn a_template_that_incidents_follow_is_not_deleted_and_retiring_is_offered_instead() {
    let app = spawn().await;
    let template = regional(&app).await;
    let author = app.browser_as(Role::Author).await;
    create_incident(&author, "Follows Regional", &template.to_string()).await;

    let (_, html) = app.page(&format!("/admin/templates/{template}")).await;
    let text = text_of(&html);
    assert!(
        text.contains("1 incident follows this template: it cannot be deleted. Retire it instead."),
        "{text}"
    );
    let (status, body) = app
        .call(DeleteTemplate::PATH, &[("id", &template.to_string())])
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("1 incident follows it") && body.contains("Retire it instead"),
        "{body}"
    );
    assert!(
        choices(&app).await.iter().any(|c| c.id == template),
        "still there"
    );

    // The default template is never deleted.
    let default = choices(&app)
        .await
        .into_iter()
        .find(|c| c.is_default)
        .unwrap();
    let (status, body) = app
        .call(DeleteTemplate::PATH, &[("id", &default.id.to_string())])
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("default template cannot be deleted"),
        "{body}"
    );
}

#[tokio::test]
async fn a_template_no_incident_follows_is_deleted_after_a_confirmation_and_its_history_stays() {
    let app = spawn().await;
    let template = regional(&app).await;
    let page = format!("/admin/templates/{template}");
    let (_, html) = app.page(&page).await;
    assert!(
        html.contains("confirm=template") && !html.contains("id=\"delete-template\""),
        "deleting asks first: {html}"
    );
    let (_, html) = app.page(&format!("{page}?confirm=template")).await;
    assert!(html.contains("id=\"delete-template\""), "{html}");
    assert!(text_of(&html).contains("Are you sure?"));

    let (status, location) = app
        .submit(
            DeleteTemplate::PATH,
            &format!("{page}?confirm=template"),
            &[("id", &template.to_string())],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(location.as_deref(), Some("/admin/templates?deleted=1"));
    assert!(!choices(&app).await.iter().any(|c| c.id == template));
    let history: TemplateHistoryView = app
        .json(TemplateHistory::PATH, &[("id", &template.to_string())])
        .await;
    assert!(!history.exists);
    assert_eq!(
        history
            .revisions
            .iter()
            .map(|r| r.action.as_str())
            .collect::<Vec<_>>(),
        ["Deleted", "Created"]
    );
}

#[tokio::test]
async fn a_retired_template_is_not_offered_for_new_incidents_and_keeps_working_on_those_that_follow_it()
 {
    let app = spawn().await;
    let template = regional(&app).await;
    let id = template.to_string();
    let author = app.browser_as(Role::Author).await;
    let following = create_incident(&author, "Follows Regional", &id).await;

    let (status, location) = app
        .submit(
            RetireTemplate::PATH,
            &format!("/admin/templates/{template}"),
            &[("id", id.as_str()), ("retired", "on")],
        )
        .await;
    assert_eq!(status, 302, "{location:?}");
    let (_, html) = app.page("/admin/templates").await;
    assert!(text_of(&html).contains("retired"), "the list says so");
    let (_, html) = author.page("/incidents/new").await;
    assert!(
        !html.contains(&format!("<option value=\"{template}\"")),
        "not offered for a new incident: {html}"
    );
    let mut fields = super::incident_fields("Picks a retired one", "Logins failed.");
    fields.push(("template", id.as_str()));
    let (status, body) = author
        .call(app::api::incidents::CreateIncident::PATH, &fields)
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("is retired"), "{body}");

    // The incident that follows it keeps it, its fields and its choice of it.
    let editing: Editing<FieldsEditing> = author
        .json(FieldsForEdit::PATH, &[("id", &following.to_string())])
        .await;
    assert_eq!(editing.form.template_id, template);
    assert!(editing.form.fields.iter().any(|f| f.label == "Region"));
    assert!(editing.form.templates.iter().any(|c| c.id == template));
    let (status, body) = author
        .call(
            app::api::templates::SetIncidentTemplate::PATH,
            &[("id", &following.to_string()), ("template", id.as_str())],
        )
        .await;
    assert_eq!(
        status, 200,
        "choosing the template it follows again: {body}"
    );
    let (_, html) = author.page(&format!("/incidents/{following}")).await;
    assert!(text_of(&html).contains("Region"), "its field still shows");

    // Offered again.
    let (status, _) = app
        .submit(
            RetireTemplate::PATH,
            &format!("/admin/templates/{template}"),
            &[("id", id.as_str()), ("retired", "")],
        )
        .await;
    assert_eq!(status, 302);
    let (_, html) = author.page("/incidents/new").await;
    assert!(
        html.contains(&format!("<option value=\"{template}\"")),
        "{html}"
    );
    let history: TemplateHistoryView = app.json(TemplateHistory::PATH, &[("id", &id)]).await;
    assert_eq!(
        history
            .revisions
            .iter()
            .map(|r| r.action.as_str())
            .collect::<Vec<_>>(),
        ["Offered again", "Retired", "Created"]
    );
}

#[tokio::test]
async fn a_templates_history_tells_who_changed_it_when_and_what_changed() {
    let app = spawn().await;
    let template = regional(&app).await;
    let mut fields = stored_form(&app, template).await;
    for (k, v) in &mut fields {
        match k.as_str() {
            "form[name]" => *v = "Regional teams".to_owned(),
            "form[impact_prompt]" => *v = "How many customers, and where?".to_owned(),
            _ => {}
        }
    }
    fields.retain(|(k, _)| !k.starts_with("form[field2_"));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _) = app
        .submit(
            SaveTemplate::PATH,
            &format!("/admin/templates/{template}"),
            &fields,
        )
        .await;
    assert_eq!(status, 302);
    let (status, html) = app
        .page(&format!("/admin/templates/{template}/history"))
        .await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    for line in [
        "Changed by",
        "Name: “Regional” → “Regional teams”",
        "Section Impact: prompt: (empty) → “How many customers, and where?”",
        "Field “Notes”: removed (its values are kept)",
        "Created by",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(
        text.find("Changed by") < text.find("Created by"),
        "newest first"
    );
    let (_, html) = app.page(&format!("/admin/templates/{template}")).await;
    assert!(html.contains(&format!("/admin/templates/{template}/history")));

    // Admins only.
    let author = app.browser_as(Role::Author).await;
    let (status, _) = author
        .call(TemplateHistory::PATH, &[("id", &template.to_string())])
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn move_buttons_order_sections_and_fields_without_typing_numbers_and_keep_what_was_typed() {
    let app = spawn().await;
    let template = regional(&app).await;
    let page = format!("/admin/templates/{template}");
    let (_, html) = app.page(&page).await;
    assert!(
        html.contains("name=\"moving\" value=\"section:changes:up\""),
        "{html}"
    );
    assert!(html.contains("name=\"moving\" value=\"field:0:down\""));
    assert!(
        !html.contains("type=\"number\" step=\"1\" class=\"order\""),
        "no order numbers to type"
    );

    // A click on "move Changes up" posts the whole form, as typed, with the button's value.
    let mut fields = stored_form(&app, template).await;
    for (k, v) in &mut fields {
        if k == "form[timeline_prompt]" {
            *v = "Typed before moving".to_owned();
        }
    }
    fields.push(("moving".to_owned(), "section:changes:up".to_owned()));
    let posted: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, location) = app.submit(SaveTemplate::PATH, &page, &posted).await;
    assert_eq!(status, 302);
    assert_eq!(
        location.as_deref(),
        Some(format!("{page}#section-changes").as_str()),
        "back to the form, at the moved section"
    );
    let saved = stored_form(&app, template).await;
    let value = |k: &str| {
        saved
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("form[changes_order]"), "2");
    assert_eq!(value("form[impact_order]"), "3");
    assert_eq!(value("form[timeline_prompt]"), "Typed before moving");

    // A field moves down with everything in its row.
    let mut fields = stored_form(&app, template).await;
    fields.push(("moving".to_owned(), "field:0:down".to_owned()));
    let posted: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _) = app.submit(SaveTemplate::PATH, &page, &posted).await;
    assert_eq!(status, 302);
    let saved = stored_form(&app, template).await;
    let label = |i: usize| {
        saved
            .iter()
            .find(|(k, _)| *k == format!("form[field{i}_label]"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        (label(0), label(1)),
        ("Cost estimate".to_owned(), "Region".to_owned())
    );
    let (_, html) = app.page(&page).await;
    let changes = html.find("id=\"section-changes\"").expect("changes row");
    let impact = html.find("id=\"section-impact\"").expect("impact row");
    assert!(
        changes < impact,
        "the form shows the sections in their order"
    );

    // Order numbers posted as before still work.
    let mut numbered: Vec<(String, String)> = sections(&[]);
    numbered.push(("form[name]".to_owned(), "Numbered".to_owned()));
    numbered.push(("id".to_owned(), String::new()));
    for (k, v) in &mut numbered {
        if k == "form[follow_ups_order]" {
            *v = "0".to_owned();
        }
    }
    let posted: Vec<(&str, &str)> = numbered
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let id = save_template(&app, &posted).await;
    let saved = stored_form(&app, id).await;
    assert!(
        saved.contains(&("form[follow_ups_order]".to_owned(), "1".to_owned())),
        "{saved:?}"
    );
}
