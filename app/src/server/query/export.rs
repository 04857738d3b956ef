//! A postmortem's export (Markdown and JSON downloads), as the reader may see it.

use crate::error::AppError;

/// The export of a postmortem the reader may read (as published, for those who read it so
/// during a correction).
pub async fn postmortem_export(
    id: i64,
) -> Result<crate::domain::export::PostmortemExport, AppError> {
    use crate::domain::export::PostmortemExport;
    use crate::server::repo::postmortem;
    use crate::server::visibility::Seen;
    let state = crate::server::request::state()?;
    let (user, seen) = crate::server::access::seen_incident(&state, id).await?;
    let mut found = postmortem::load(&state.db, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("Incident {id}")))?;
    if let Seen::Published { published, .. } = seen {
        found.incident = published.incident;
        found.timeline = published.timeline;
        found.impact = published.impact;
        found.changes = published.changes;
        found.factors = published.factors.unwrap_or_default();
    }
    let mut export = PostmortemExport::of(&found.parts());
    let template = crate::server::repo::templates::for_incident(&state.db, id).await?;
    if !template.is_default {
        export.template = Some(crate::domain::template::ExportedTemplate {
            name: template.name,
            definition: template.definition,
        });
    }
    export.related = super::relations::exported_for(&state, &user, id).await?;
    Ok(export)
}

/// A file name from a title: "customer-logins-failed.md".
pub fn file_name(title: &str, extension: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|w| !w.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() {
        "postmortem".to_owned()
    } else {
        slug
    };
    format!("{slug}.{extension}")
}
