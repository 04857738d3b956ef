//! Who hears about what happens in a request, written in the request's own transaction (never
//! after it commits): the review steps, a follow-up's new owner, a mention in a comment.
//!
//! - review requested → the reviewer who decided the previous round of this revision (a
//!   resubmission after changes were requested goes back to them); on a first round, when no
//!   one is chosen yet, every active reviewer (and admin) who wrote no part of it;
//! - changes requested, approved → the authors (everyone who wrote a part of it);
//! - published → the authors and the reviewer who approved it;
//! - follow-up assigned → its new owner, when the owner is set or changed;
//! - mentioned → each person mentioned (`@[Name]` or `@[email]`, see `domain::notify::mention`).
//!
//! Nobody hears about their own act, and each recipient must be allowed to read the postmortem
//! ([`readers`], `visibility::may_read`): a viewer never hears about a draft.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use crate::domain::account::{Role, User};
use crate::domain::incident::{Incident, IncidentStatus};
use crate::domain::notify::mention;
use crate::domain::notify::notices::{self, FollowUpFacts, IncidentFacts};
use crate::domain::review::ReviewStep;
use crate::server::entities::{follow_ups, users};
use crate::server::repo::{history, reviews};

fn facts(incident: &Incident) -> IncidentFacts<'_> {
    IncidentFacts {
        id: incident.id,
        title: &incident.title,
        revision: incident.revision,
        published: incident.status == IncidentStatus::Published,
    }
}

fn user_of(row: users::Model) -> Option<User> {
    Some(User {
        id: row.id,
        role: Role::parse(&row.role)?,
        email: row.email,
        display_name: row.display_name,
        time_zone: row.time_zone,
        active: row.active,
        team: row.team,
    })
}

/// Of `people`, the active accounts other than `actor` (who acted) that may read `incident`.
///
/// # Errors
/// On a database failure.
pub async fn readers(
    db: &impl ConnectionTrait,
    incident: &Incident,
    people: impl IntoIterator<Item = i64>,
    actor: Option<i64>,
) -> Result<Vec<i64>, DbErr> {
    let ids: BTreeSet<i64> = people.into_iter().filter(|id| Some(*id) != actor).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .filter(users::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .filter_map(user_of)
        .filter(|user| crate::server::visibility::may_read(user, incident))
        .map(|user| user.id)
        .collect())
}

/// Tells whom a review step concerns. `incident` is as it was before the step; the step's
/// decision (if any) is recorded already, with `comments`.
///
/// # Errors
/// On a database failure.
pub async fn review_step(
    db: &impl ConnectionTrait,
    incident: &Incident,
    step: ReviewStep,
    by: &User,
    comments: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    // Newest first.
    let rounds: Vec<reviews::StoredReview> = reviews::list_for(db, incident.id)
        .await?
        .into_iter()
        .filter(|r| r.revision == incident.revision)
        .collect();
    let decided = u32::try_from(rounds.len()).unwrap_or(u32::MAX);
    let authors = || async {
        Ok::<Vec<i64>, DbErr>(
            history::authors(db, incident.id)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
        )
    };
    let about = facts(incident);
    let (notice, people) = match step {
        ReviewStep::Submit => {
            // Back to the reviewer of the latest decision, or to every uninvolved reviewer.
            let people = match rounds.first().and_then(|r| r.reviewer_id) {
                Some(reviewer) => vec![reviewer],
                None => uninvolved_reviewers(db, &authors().await?).await?,
            };
            (
                notices::review_requested(&about, &by.display_name, decided + 1),
                people,
            )
        }
        ReviewStep::RequestChanges => (
            notices::changes_requested(&about, &by.display_name, decided, comments),
            authors().await?,
        ),
        ReviewStep::Approve => (
            notices::approved(&about, &by.display_name, decided),
            authors().await?,
        ),
        ReviewStep::Publish => {
            let mut people = authors().await?;
            people.extend(rounds.iter().find_map(|r| r.reviewer_id));
            let published = IncidentFacts {
                published: true,
                ..about
            };
            (notices::published(&published, &by.display_name), people)
        }
        ReviewStep::StartCorrection => return Ok(()),
    };
    let readable = if step == ReviewStep::Publish {
        Incident {
            status: IncidentStatus::Published,
            ..incident.clone()
        }
    } else {
        incident.clone()
    };
    let people = readers(db, &readable, people, Some(by.id)).await?;
    super::emit(db, &notice, &people, now).await
}

/// Every active account that may review and wrote none of the postmortem.
async fn uninvolved_reviewers(
    db: &impl ConnectionTrait,
    authors: &[i64],
) -> Result<Vec<i64>, DbErr> {
    Ok(users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Role.is_in([Role::Reviewer.as_str(), Role::Admin.as_str()]))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .filter(|id| !authors.contains(id))
        .collect())
}

/// Tells a follow-up's owner it is theirs, when the write that just saved it (in this
/// transaction) gave it an owner other than `had` and other than the person who saved it.
///
/// # Errors
/// On a database failure.
pub async fn follow_up_saved(
    db: &impl ConnectionTrait,
    incident: &Incident,
    follow_up_id: i64,
    had: Option<i64>,
    by: &User,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let Some(row) = follow_ups::Entity::find_by_id(follow_up_id).one(db).await? else {
        return Ok(());
    };
    let Some(owner) = row.owner_id.filter(|o| Some(*o) != had) else {
        return Ok(());
    };
    let people = readers(db, incident, [owner], Some(by.id)).await?;
    let notice = notices::follow_up_assigned(
        &FollowUpFacts {
            id: row.id,
            title: &row.title,
            due: row.due_on,
            version: row.version,
        },
        &facts(incident),
        &by.display_name,
    );
    super::emit(db, &notice, &people, now).await
}

/// The active accounts `body` mentions: by email, or by a display name that only one active
/// account has (a name two people share mentions neither; their emails do).
///
/// # Errors
/// On a database failure.
pub async fn mentioned_people(db: &impl ConnectionTrait, body: &str) -> Result<Vec<i64>, DbErr> {
    let names = mention::names(body);
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let found = users::Entity::find()
        .filter(users::Column::Active.eq(true))
        .filter(Expr::col(users::Column::Email).is_in(names.clone()).or(
            Expr::expr(Func::lower(Expr::col(users::Column::DisplayName))).is_in(names.clone()),
        ))
        .all(db)
        .await?;
    let mut people = BTreeSet::new();
    for name in &names {
        if let Some(by_email) = found.iter().find(|u| u.email == *name) {
            people.insert(by_email.id);
            continue;
        }
        let named: Vec<&users::Model> = found
            .iter()
            .filter(|u| u.display_name.to_lowercase() == *name)
            .collect();
        if let [one] = named.as_slice() {
            people.insert(one.id);
        }
    }
    Ok(people.into_iter().collect())
}

/// Tells the people a new comment mentions, who may read its postmortem.
///
/// # Errors
/// On a database failure.
pub async fn comment_added(
    db: &impl ConnectionTrait,
    incident: &Incident,
    comment_id: i64,
    fragment: &str,
    by: &User,
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mentioned = mentioned_people(db, body).await?;
    let people = readers(db, incident, mentioned, Some(by.id)).await?;
    if people.is_empty() {
        return Ok(());
    }
    let notice = notices::mentioned(
        &facts(incident),
        comment_id,
        fragment,
        &by.display_name,
        body,
    );
    super::emit(db, &notice, &people, now).await
}
