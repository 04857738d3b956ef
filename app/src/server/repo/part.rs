//! What the parts of an incident (timeline entries, impact figures, changes, follow-ups) share:
//! updating or deleting one by id answers with the incident it belongs to, or None when there
//! is no such part; every update counts up the part's version.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait,
};

/// A table whose rows belong to one incident.
pub(super) trait PartOfIncident: EntityTrait {
    fn incident_id(model: &Self::Model) -> i64;
    /// How many times it has been saved.
    fn version(model: &Self::Model) -> i64;
    fn set_version(row: &mut Self::ActiveModel, version: i64);
}

/// Implements [`PartOfIncident`] for a table with `incident_id` and `version` columns.
macro_rules! part_of_incident {
    ($rows:ident) => {
        impl $crate::server::repo::part::PartOfIncident for $rows::Entity {
            fn incident_id(model: &Self::Model) -> i64 {
                model.incident_id
            }
            fn version(model: &Self::Model) -> i64 {
                model.version
            }
            fn set_version(row: &mut Self::ActiveModel, version: i64) {
                row.version = sea_orm::Set(version);
            }
        }
    };
}
pub(super) use part_of_incident;

/// Loads the part, lets `change` set its columns, saves it; returns its incident.
pub(super) async fn update<E, C>(
    conn: &C,
    id: i64,
    change: impl FnOnce(&mut E::ActiveModel),
) -> Result<Option<i64>, DbErr>
where
    E: PartOfIncident,
    C: ConnectionTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
    E::Model: IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    let Some(found) = E::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let incident_id = E::incident_id(&found);
    let next = E::version(&found) + 1;
    let mut row = found.into_active_model();
    change(&mut row);
    E::set_version(&mut row, next);
    row.update(conn).await?;
    Ok(Some(incident_id))
}

/// Deletes the part; returns the incident it belonged to.
pub(super) async fn delete<E, C>(conn: &C, id: i64) -> Result<Option<i64>, DbErr>
where
    E: PartOfIncident,
    C: ConnectionTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let Some(found) = E::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    E::delete_by_id(id).exec(conn).await?;
    Ok(Some(E::incident_id(&found)))
}

/// The part with this id as an editable part sees it: its incident, its version, and its value
/// (what `value` makes of its row).
pub(super) async fn load<E, C, V>(
    conn: &C,
    id: i64,
    value: impl FnOnce(E::Model) -> Result<V, DbErr>,
) -> Result<Option<crate::server::edit::Stored<V>>, DbErr>
where
    E: PartOfIncident,
    C: ConnectionTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    let Some(row) = E::find_by_id(id).one(conn).await? else {
        return Ok(None);
    };
    let (incident_id, version) = (E::incident_id(&row), E::version(&row));
    Ok(Some(crate::server::edit::Stored {
        id,
        incident_id,
        parent_id: incident_id,
        version,
        value: value(row)?,
    }))
}
