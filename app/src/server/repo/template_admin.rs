//! Looking after templates beyond their definition: retiring one (or offering it again),
//! deleting one no incident follows, and the history of each template's changes
//! (`template_history`, kept after the template is deleted).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::domain::account::User;
use crate::domain::template::admin::{
    TemplateAction, TemplateRevision, TemplateSnapshot, describe_changes,
};
use crate::server::entities::{
    incidents, postmortem_templates as templates, template_history as history,
};

/// How many changes of a template its history page lists: the most recent.
pub const HISTORY_LISTED: u64 = 200;

/// Retires a template (`retired`) or offers it again; false when there is no such template.
///
/// # Errors
/// On a database failure.
pub async fn set_retired<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    retired: bool,
) -> Result<bool, DbErr> {
    let Some(found) = templates::Entity::find_by_id(id).one(conn).await? else {
        return Ok(false);
    };
    let mut row: templates::ActiveModel = found.into();
    row.retired = Set(retired);
    row.update(conn).await?;
    Ok(true)
}

/// How many incidents follow the template `id`.
///
/// # Errors
/// On a database failure.
pub async fn incidents_using<C: ConnectionTrait>(conn: &C, id: i64) -> Result<u64, DbErr> {
    incidents::Entity::find()
        .filter(incidents::Column::TemplateId.eq(id))
        .count(conn)
        .await
}

/// Deletes a template; false when there is none. The caller checks that no incident follows it
/// and that it is not the default one.
///
/// # Errors
/// On a database failure.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool, DbErr> {
    Ok(templates::Entity::delete_by_id(id)
        .exec(conn)
        .await?
        .rows_affected
        > 0)
}

/// Records a change of template `template_id` by `user`: its name and definition before and
/// after (None before its creation and after its deletion).
///
/// # Errors
/// On a database failure.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    template_id: i64,
    user: &User,
    action: TemplateAction,
    before: Option<&TemplateSnapshot>,
    after: Option<&TemplateSnapshot>,
) -> Result<(), DbErr> {
    let json = |s: Option<&TemplateSnapshot>| s.and_then(|s| serde_json::to_string(s).ok());
    let name = after.or(before).map(|s| s.name.clone()).unwrap_or_default();
    history::ActiveModel {
        template_id: Set(template_id),
        template_name: Set(name),
        user_id: Set(Some(user.id)),
        user_name: Set(user.display_name.clone()),
        at: Set(Utc::now()),
        action: Set(action.as_str().to_owned()),
        before: Set(json(before)),
        after: Set(json(after)),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map(drop)
}

/// The changes of template `template_id`, newest first, each with what changed in words.
///
/// # Errors
/// On a database failure.
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    template_id: i64,
) -> Result<Vec<TemplateRevision>, DbErr> {
    let read = |text: &Option<String>| {
        text.as_deref()
            .and_then(|t| serde_json::from_str::<TemplateSnapshot>(t).ok())
    };
    Ok(history::Entity::find()
        .filter(history::Column::TemplateId.eq(template_id))
        .order_by_desc(history::Column::Id)
        .limit(HISTORY_LISTED)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            let (before, after) = (read(&row.before), read(&row.after));
            let changes = match (&before, &after) {
                (Some(b), Some(a)) => describe_changes(b, a),
                _ => Vec::new(),
            };
            TemplateRevision {
                at: row.at,
                user_name: row.user_name,
                action: TemplateAction::parse(&row.action).unwrap_or(TemplateAction::Updated),
                template_name: row.template_name,
                changes,
            }
        })
        .collect())
}
