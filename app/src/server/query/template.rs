//! The template of one postmortem as its pages show it, and what it still needs before review.

use sea_orm::ConnectionTrait;

use crate::domain::incident::Incident;
use crate::domain::template::{Definition, FieldValue, FieldValues, Filled, Missing, Template};
use crate::dto::template::{FieldShown, SectionShown, TemplateView};
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
    TemplateView {
        name: template.name.clone(),
        sections: template
            .definition
            .sections
            .iter()
            .map(|s| SectionShown {
                key: s.key,
                shown: s.shown,
                prompt: s.prompt.clone(),
                required: s.required,
            })
            .collect(),
        fields,
        earlier,
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
        values: templates::values_of(conn, id).await?.by_key(),
    };
    Ok(definition.missing(&filled))
}
