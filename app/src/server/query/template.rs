//! The template of one postmortem as its pages show it, and what it still needs before review.

use sea_orm::ConnectionTrait;

use crate::domain::incident::Incident;
use crate::domain::template::SectionKey;
use crate::domain::template::{Definition, FieldValue, FieldValues, Filled, Missing, Template};
use crate::dto::template::{FieldOnPage, FieldShown, TemplateView};
use crate::error::AppError;
use crate::server::repo::{changes, follow_ups, impact, templates, timeline};

/// The template's fields with `values`, and the values of fields it no longer has.
pub fn fields_shown(
    definition: &Definition,
    values: &FieldValues,
) -> (Vec<FieldShown>, Vec<FieldShown>) {
    let by_key = values.by_key();
    let fields = definition
        .fields
        .iter()
        .map(|f| FieldShown {
            key: f.key.clone(),
            label: f.label.clone(),
            kind: f.kind,
            options: f.options.clone(),
            required: f.required,
            prompt: f.prompt.clone(),
            value: by_key.get(&f.key).cloned().unwrap_or_default(),
        })
        .collect();
    let earlier = values
        .earlier(definition)
        .map(|v: &FieldValue| FieldShown {
            key: v.key.clone(),
            label: v.label.clone(),
            kind: crate::domain::template::FieldKind::Text,
            options: Vec::new(),
            required: false,
            prompt: String::new(),
            value: v.value.clone(),
        })
        .collect();
    (fields, earlier)
}

/// The page's view of `template` with an incident's `values`.
pub fn view(template: &Template, values: &FieldValues) -> TemplateView {
    let (fields, earlier) = fields_shown(&template.definition, values);
    let on_page = |fields: Vec<FieldShown>| {
        fields
            .into_iter()
            .map(|f| FieldOnPage {
                label: f.label,
                required: f.required,
                value: f.value,
            })
            .collect()
    };
    let sections = &template.definition.sections;
    let order: Vec<SectionKey> = sections.iter().map(|s| s.key).collect();
    TemplateView {
        name: if earlier.is_empty() {
            String::new()
        } else {
            template.name.clone()
        },
        order: if order == SectionKey::ALL {
            Vec::new()
        } else {
            order
        },
        hidden: sections
            .iter()
            .filter(|s| !s.shown)
            .map(|s| s.key)
            .collect(),
        prompts: sections
            .iter()
            .filter(|s| !s.prompt.trim().is_empty())
            .map(|s| (s.key, s.prompt.clone()))
            .collect(),
        fields: on_page(fields),
        earlier: on_page(earlier),
    }
}

/// The template part of an incident's postmortem page.
///
/// # Errors
/// On a database failure.
pub async fn for_incident<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<TemplateView, AppError> {
    let template = templates::for_incident(conn, incident_id).await?;
    let values = templates::values_of(conn, incident_id).await?;
    Ok(view(&template, &values))
}

/// What `incident`'s template requires before review that it does not have yet.
///
/// # Errors
/// On a database failure.
pub async fn missing_before_review<C: ConnectionTrait>(
    conn: &C,
    incident: &Incident,
) -> Result<Vec<Missing>, AppError> {
    let id = incident.id;
    let template = templates::for_incident(conn, id).await?;
    let definition = &template.definition;
    let required = |key| {
        definition
            .section(key)
            .is_some_and(|s| s.shown && s.required)
    };
    use crate::domain::template::SectionKey as K;
    // Only what a required section needs is read.
    let filled = Filled {
        summary: !incident.summary_md.trim().is_empty(),
        impact: required(K::Impact) && !impact::list_for_incidents(conn, &[id]).await?.is_empty(),
        changes: required(K::Changes) && !changes::list_for(conn, id).await?.is_empty(),
        timeline: required(K::Timeline) && !timeline::list_for(conn, id).await?.is_empty(),
        lessons: !incident.lessons.went_well_md.trim().is_empty()
            && !incident.lessons.went_wrong_md.trim().is_empty(),
        follow_ups: required(K::FollowUps)
            && !follow_ups::list(
                conn,
                &follow_ups::FollowUpFilter {
                    incident_id: Some(id),
                    ..Default::default()
                },
            )
            .await?
            .is_empty(),
        related: required(K::Related)
            && !crate::server::repo::relations::touching(conn, id)
                .await?
                .is_empty(),
        factors: required(K::Factors)
            && !crate::server::repo::factors::list_for(conn, id)
                .await?
                .is_empty(),
        values: templates::values_of(conn, id).await?.by_key(),
    };
    Ok(definition.missing(&filled))
}

/// The template a form names by id (None for empty, 0 or the default one).
///
/// # Errors
/// Under `template` when there is no such template, or it is retired (unless it is `keep`, the
/// one the incident follows already).
pub async fn parse_template_id<C: sea_orm::ConnectionTrait>(
    conn: &C,
    text: &str,
    keep: Option<i64>,
) -> Result<Option<crate::domain::template::Template>, AppError> {
    use crate::domain::form::FieldErrors;
    let text = text.trim();
    if text.is_empty() || text == "0" {
        return Ok(None);
    }
    let unknown = || {
        let mut errors = FieldErrors::new();
        errors.add("template", "Choose one of the templates listed.");
        AppError::from(errors)
    };
    let id: i64 = text.parse().map_err(|_| unknown())?;
    let found = crate::server::repo::templates::get(conn, id)
        .await?
        .ok_or_else(unknown)?;
    if found.retired && keep != Some(found.id) {
        let mut errors = FieldErrors::new();
        errors.add(
            "template",
            format!("“{}” is retired: choose another template.", found.name),
        );
        return Err(errors.into());
    }
    Ok((!found.is_default).then_some(found))
}
