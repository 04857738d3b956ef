//! Follow-up actions: per incident, and across all incidents for review.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::convert::stored;
use super::part;
use crate::domain::follow_up::{
    ActionType, DuePolicies, FollowUp, FollowUpState, NewFollowUp, Priority, Verification,
};
use crate::server::edit::{AddablePart, EditablePart, Scope, Stored};
use crate::server::entities::due_date_policies as policy_rows;
use crate::server::entities::follow_ups as rows;

/// Which follow-ups a review list shows. `owner` matches case-insensitively on a part of the name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FollowUpFilter {
    pub state: Option<FollowUpState>,
    pub owner: Option<String>,
    pub incident_id: Option<i64>,
}

/// Adds a follow-up to an incident in the given state; returns its id.
///
/// # Errors
/// On a database failure (including an incident, change or parameter that does not exist).
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    follow_up: &NewFollowUp,
    state: FollowUpState,
) -> Result<i64, DbErr> {
    let mut row = rows::ActiveModel {
        incident_id: Set(incident_id),
        state: Set(state.as_str().to_owned()),
        wont_do_reason: Set(None),
        evidence: Set(None),
        verified_by: Set(String::new()),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    };
    fill(&mut row, follow_up);
    Ok(row.insert(conn).await?.id)
}

/// Replaces a follow-up's fields (not its state); returns its incident, or None when there is none.
///
/// # Errors
/// On a database failure.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    follow_up: &NewFollowUp,
) -> Result<Option<i64>, DbErr> {
    part::update::<rows::Entity, _>(conn, id, |row| fill(row, follow_up)).await
}

/// Records a move the domain has already allowed ([`FollowUp::moved`]): the state, reason,
/// evidence, verification, closing time and the due date a policy may have set.
///
/// # Errors
/// On a database failure.
pub async fn set_state<C: ConnectionTrait>(
    conn: &C,
    moved: &FollowUp,
) -> Result<Option<i64>, DbErr> {
    part::update::<rows::Entity, _>(conn, moved.id, |row| {
        row.state = Set(moved.state.as_str().to_owned());
        row.wont_do_reason = Set(moved.wont_do_reason.clone());
        row.evidence = Set(moved.evidence.clone());
        row.due_on = Set(moved.follow_up.due);
        row.verified_by_id = Set(moved.verified.as_ref().and_then(|v| v.by_id));
        row.verified_by = Set(moved
            .verified
            .as_ref()
            .map(|v| v.by.clone())
            .unwrap_or_default());
        row.verified_at = Set(moved.verified.as_ref().map(|v| v.at));
        row.closed_at = Set(moved.closed_at);
        row.updated_at = Set(Utc::now());
    })
    .await
}

/// Deletes a follow-up; returns the incident it belonged to, or None when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<i64>, DbErr> {
    part::delete::<rows::Entity, _>(conn, id).await
}

/// One follow-up.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<FollowUp>, DbErr> {
    rows::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// Follow-ups matching the filter, in the order they were recorded (callers sort for review).
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    filter: &FollowUpFilter,
) -> Result<Vec<FollowUp>, DbErr> {
    let mut query = rows::Entity::find().order_by_asc(rows::Column::Id);
    if let Some(state) = filter.state {
        query = query.filter(rows::Column::State.eq(state.as_str()));
    }
    if let Some(incident_id) = filter.incident_id {
        query = query.filter(rows::Column::IncidentId.eq(incident_id));
    }
    let mut found = query
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect::<Result<Vec<_>, _>>()?;
    // Matched here rather than in SQL: LIKE's case rules differ between SQLite and Postgres.
    if let Some(owner) = filter
        .owner
        .as_deref()
        .map(str::to_lowercase)
        .filter(|o| !o.is_empty())
    {
        found.retain(|f| f.follow_up.owner.to_lowercase().contains(&owner));
    }
    Ok(found)
}

/// The due-date policies, per priority.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn policies<C: ConnectionTrait>(conn: &C) -> Result<DuePolicies, DbErr> {
    let rows = policy_rows::Entity::find().all(conn).await?;
    let mut pairs = Vec::new();
    for row in rows {
        let priority = stored("due_date_policies.priority", &row.priority, Priority::parse)?;
        let weeks = u32::try_from(row.weeks)
            .map_err(|_| DbErr::Custom(format!("due_date_policies.weeks: {}", row.weeks)))?;
        pairs.push((priority, weeks));
    }
    Ok(DuePolicies::new(pairs))
}

/// Replaces the due-date policies.
///
/// # Errors
/// On a database failure.
pub async fn set_policies<C: ConnectionTrait>(
    conn: &C,
    policies: &DuePolicies,
) -> Result<(), DbErr> {
    policy_rows::Entity::delete_many().exec(conn).await?;
    for (priority, weeks) in policies.pairs() {
        policy_rows::ActiveModel {
            priority: Set(priority.as_str().to_owned()),
            weeks: Set(i32::try_from(*weeks).unwrap_or(i32::MAX)),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

/// How many open follow-ups each of these incidents has (those with none are left out): one
/// grouped query.
///
/// # Errors
/// On a database failure.
pub async fn open_counts<C: ConnectionTrait>(
    conn: &C,
    incident_ids: &[i64],
) -> Result<Vec<(i64, i64)>, DbErr> {
    use crate::domain::follow_up::FollowUpState;
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let open: Vec<&str> = FollowUpState::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(FollowUpState::as_str)
        .collect();
    rows::Entity::find()
        .select_only()
        .column(rows::Column::IncidentId)
        .expr(Expr::col(rows::Column::Id).count())
        .filter(rows::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .filter(rows::Column::State.is_in(open))
        .group_by(rows::Column::IncidentId)
        .into_tuple()
        .all(conn)
        .await
}

/// The follow-ups that target any of these changes.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn targeting<C: ConnectionTrait>(
    conn: &C,
    change_ids: &[i64],
) -> Result<Vec<FollowUp>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::ChangeId.is_in(change_ids.iter().copied()))
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

fn fill(row: &mut rows::ActiveModel, follow_up: &NewFollowUp) {
    row.title = Set(follow_up.title.clone());
    row.description_md = Set(follow_up.description_md.clone());
    row.action_type = Set(follow_up.action_type.as_str().to_owned());
    row.priority = Set(follow_up.priority.as_str().to_owned());
    row.owner_id = Set(follow_up.owner_id);
    row.owner = Set(follow_up.owner.clone());
    row.due_on = Set(follow_up.due);
    row.change_id = Set(follow_up.change_id);
    row.parameter_id = Set(follow_up.parameter_id);
    row.factor_id = Set(follow_up.factor_id);
    row.updated_at = Set(Utc::now());
}

fn to_domain(row: rows::Model) -> Result<FollowUp, DbErr> {
    Ok(FollowUp {
        id: row.id,
        incident_id: row.incident_id,
        follow_up: NewFollowUp {
            action_type: stored(
                "follow_ups.action_type",
                &row.action_type,
                ActionType::parse,
            )?,
            priority: stored("follow_ups.priority", &row.priority, Priority::parse)?,
            title: row.title,
            description_md: row.description_md,
            owner_id: row.owner_id,
            owner: row.owner,
            due: row.due_on,
            change_id: row.change_id,
            parameter_id: row.parameter_id,
            factor_id: row.factor_id,
        },
        state: stored("follow_ups.state", &row.state, FollowUpState::parse)?,
        wont_do_reason: row.wont_do_reason,
        evidence: row.evidence,
        verified: row.verified_at.map(|at| Verification {
            by_id: row.verified_by_id,
            by: row.verified_by,
            at,
        }),
        closed_at: row.closed_at,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

part::part_of_incident!(rows);

/// A follow-up, edited on its own form. Follow-ups live on after publishing: they are added and
/// saved at any time; deleting one is an edit of the postmortem.
pub struct FollowUpPart;

impl EditablePart for FollowUpPart {
    type Value = NewFollowUp;
    const SAVE_SCOPE: Scope = Scope::FollowUps;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<NewFollowUp>>, DbErr> {
        part::load::<rows::Entity, _, _>(conn, id, |row| {
            to_domain(row).map(|found| found.follow_up)
        })
        .await
    }

    async fn save<C: ConnectionTrait>(conn: &C, id: i64, value: &NewFollowUp) -> Result<(), DbErr> {
        update(conn, id, value).await.map(drop)
    }
}

impl AddablePart for FollowUpPart {
    /// The follow-up and the state it starts in (proposed or committed).
    type New = (NewFollowUp, FollowUpState);
    const ADD_SCOPE: Scope = Scope::FollowUps;

    fn value_of(new: &Self::New) -> &NewFollowUp {
        &new.0
    }

    async fn insert<C: ConnectionTrait>(
        conn: &C,
        incident_id: i64,
        new: &Self::New,
    ) -> Result<i64, DbErr> {
        add(conn, incident_id, &new.0, new.1).await
    }

    async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
        delete(conn, id).await.map(drop)
    }
}

/// The follow-ups whose ids `ids` (a query selecting one column of ids) selects, by id: a
/// page's or a download's rows without binding every id.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn in_subquery<C: ConnectionTrait>(
    conn: &C,
    ids: sea_orm::sea_query::SelectStatement,
) -> Result<Vec<FollowUp>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::Id.in_subquery(ids))
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The open follow-ups a user owns: assigned to their account, or (named before accounts
/// existed) naming them, ignoring case; of published postmortems only when `published_only`.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn open_owned_by<C: ConnectionTrait>(
    conn: &C,
    (user_id, name): (i64, &str),
    published_only: bool,
) -> Result<Vec<FollowUp>, DbErr> {
    use crate::domain::follow_up::FollowUpState;
    use crate::domain::incident::IncidentStatus;
    use crate::server::entities::incidents;
    use sea_orm::Condition;
    use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
    let open: Vec<&str> = FollowUpState::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(FollowUpState::as_str)
        .collect();
    let mut query = rows::Entity::find()
        .filter(rows::Column::State.is_in(open))
        .filter(
            Condition::any().add(rows::Column::OwnerId.eq(user_id)).add(
                Condition::all().add(rows::Column::OwnerId.is_null()).add(
                    Func::lower(crate::server::query::tracking::trim(Expr::col(
                        rows::Column::Owner,
                    )))
                    .eq(name.trim().to_lowercase()),
                ),
            ),
        );
    if published_only {
        query = query.filter(
            rows::Column::IncidentId.in_subquery(
                Query::select()
                    .column(incidents::Column::Id)
                    .from(incidents::Entity)
                    .cond_where(
                        Condition::any()
                            .add(incidents::Column::Status.eq(IncidentStatus::Published.as_str()))
                            .add(incidents::Column::Revision.gt(1)),
                    )
                    .to_owned(),
            ),
        );
    }
    query
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}
