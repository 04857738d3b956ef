//! Links between related incidents (`incident_relations`): each stored once, on the incident it
//! was added on, and read from both incidents.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::part;
use crate::domain::relation::{NewRelation, Relation, RelationKind};
use crate::server::edit::{AddablePart, EditablePart, Stored};
use crate::server::entities::incident_relations as rows;
use crate::server::entities::incidents;

/// Links a relation on incident `incident_id`; returns its id.
///
/// # Errors
/// On a database failure (including either incident missing, or the pair already linked this
/// way round).
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    new: &NewRelation,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let row = rows::ActiveModel {
        incident_id: Set(incident_id),
        related_incident_id: Set(new.related_incident_id),
        kind: Set(new.kind.as_str().to_owned()),
        note: Set(new.note.clone()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    Ok(row.insert(conn).await?.id)
}

/// The links that touch an incident, from either side, in the order they were made.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn touching<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<Relation>, DbErr> {
    rows::Entity::find()
        .filter(
            Condition::any()
                .add(rows::Column::IncidentId.eq(incident_id))
                .add(rows::Column::RelatedIncidentId.eq(incident_id)),
        )
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The links added on an incident (its own, as its postmortem holds them).
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn added_on<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Vec<Relation>, DbErr> {
    Ok(touching(conn, incident_id)
        .await?
        .into_iter()
        .filter(|r| r.incident_id == incident_id)
        .collect())
}

/// One link.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Relation>, DbErr> {
    rows::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// The ids of the `limit` newest incidents other than `except`, newest first (the picker of a
/// new link).
///
/// # Errors
/// On a database failure.
pub async fn recent_incidents<C: ConnectionTrait>(
    conn: &C,
    except: i64,
    limit: u64,
) -> Result<Vec<i64>, DbErr> {
    incidents::Entity::find()
        .select_only()
        .column(incidents::Column::Id)
        .filter(incidents::Column::Id.ne(except))
        .order_by_desc(incidents::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await
}

/// The ids of the incidents titled exactly `title`, oldest first (relinking an import).
///
/// # Errors
/// On a database failure.
pub async fn titled<C: ConnectionTrait>(conn: &C, title: &str) -> Result<Vec<i64>, DbErr> {
    incidents::Entity::find()
        .select_only()
        .column(incidents::Column::Id)
        .filter(incidents::Column::Title.eq(title))
        .order_by_asc(incidents::Column::Id)
        .into_tuple()
        .all(conn)
        .await
}

fn to_domain(row: rows::Model) -> Result<Relation, DbErr> {
    let kind = RelationKind::parse(&row.kind).ok_or_else(|| {
        DbErr::Custom(format!(
            "related incident link {} has an unreadable relation ({})",
            row.id, row.kind
        ))
    })?;
    Ok(Relation {
        id: row.id,
        incident_id: row.incident_id,
        version: row.version,
        relation: NewRelation {
            kind,
            related_incident_id: row.related_incident_id,
            note: row.note,
        },
    })
}

part::part_of_incident!(rows);

/// A link to a related incident, edited on its own form on the incident it was added on; its
/// changes are recorded in both incidents' histories ([`EditablePart::mirror`]).
pub struct RelationPart;

impl EditablePart for RelationPart {
    type Value = NewRelation;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<NewRelation>>, DbErr> {
        part::load::<rows::Entity, _, _>(conn, id, |row| to_domain(row).map(|r| r.relation)).await
    }

    async fn save<C: ConnectionTrait>(conn: &C, id: i64, value: &NewRelation) -> Result<(), DbErr> {
        part::update::<rows::Entity, _>(conn, id, |row| {
            // The other incident stays: a link to another one is a new link.
            row.kind = Set(value.kind.as_str().to_owned());
            row.note = Set(value.note.clone());
            row.updated_at = Set(Utc::now());
        })
        .await
        .map(drop)
    }

    fn mirror(incident_id: i64, value: &NewRelation) -> Option<(i64, NewRelation)> {
        Some((value.related_incident_id, value.mirrored(incident_id)))
    }
}

impl AddablePart for RelationPart {
    type New = NewRelation;

    fn value_of(new: &NewRelation) -> &NewRelation {
        new
    }

    async fn insert<C: ConnectionTrait>(
        conn: &C,
        incident_id: i64,
        new: &NewRelation,
    ) -> Result<i64, DbErr> {
        add(conn, incident_id, new).await
    }

    async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
        part::delete::<rows::Entity, _>(conn, id).await.map(drop)
    }
}
