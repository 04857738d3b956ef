//! Loading the worked example (the login outage from DOMAIN.md) as a real incident, with its
//! earlier incident, the link between them and the review group that holds both.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};

use super::{changes, follow_ups, impact, incidents, relations, timeline};
use crate::domain::example::worked_example;
use crate::domain::relation::NewRelation;
use crate::server::db::begin_write;

/// Writes the worked example in one transaction; returns the new incident's id.
///
/// # Errors
/// On a database failure; nothing is written then.
pub async fn load(db: &DatabaseConnection) -> Result<i64, DbErr> {
    let tx = begin_write(db).await?;
    let incident_id = load_in(&tx).await?;
    tx.commit().await?;
    Ok(incident_id)
}

/// [`load`] inside a transaction the caller owns.
///
/// # Errors
/// On a database failure.
pub async fn load_in<C: ConnectionTrait>(tx: &C) -> Result<i64, DbErr> {
    Ok(load_both_in(tx).await?.1)
}

/// [`load_in`], answering with the earlier incident's id as well: (earlier attempt, login
/// outage). The earlier attempt is written first, so it has the lower id, as an earlier incident
/// does; the login outage is linked to it.
///
/// # Errors
/// On a database failure.
pub async fn load_both_in<C: ConnectionTrait>(tx: &C) -> Result<(i64, i64), DbErr> {
    let example =
        worked_example().map_err(|why| DbErr::Custom(format!("the worked example: {why}")))?;
    let earlier = &example.earlier;
    let earlier_id = incidents::insert(tx, &earlier.incident, &earlier.lessons).await?;
    for entry in &earlier.timeline {
        timeline::add(tx, earlier_id, entry).await?;
    }
    changes::add(tx, earlier_id, &earlier.change).await?;
    for figure in &earlier.impact {
        impact::add(tx, earlier_id, figure).await?;
    }
    let incident_id = incidents::insert(tx, &example.incident, &example.lessons).await?;
    let mut entry_ids = Vec::new();
    for entry in &example.timeline {
        entry_ids.push(timeline::add(tx, incident_id, entry).await?);
    }
    for figure in &example.impact {
        impact::add(tx, incident_id, figure).await?;
    }
    let change_id = changes::add(tx, incident_id, &example.change).await?;
    let mut parameter_ids = Vec::new();
    for parameter in &example.parameters {
        let id = changes::add_parameter(tx, change_id, parameter).await?;
        parameter_ids.push((parameter.name.clone(), id));
    }
    let factor_ids = super::factors::add_example(
        tx,
        incident_id,
        &example,
        change_id,
        &parameter_ids,
        &entry_ids,
    )
    .await?;
    for (n, item) in example.follow_ups.iter().enumerate() {
        let mut follow_up = item.follow_up.clone();
        follow_up.factor_id = example
            .factors
            .iter()
            .zip(&factor_ids)
            .find(|(f, _)| f.addressed_by.contains(&n))
            .map(|(_, id)| *id);
        let parameter_id = item.targets_parameter.as_ref().and_then(|name| {
            parameter_ids
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| *id)
        });
        if item.targets_change || parameter_id.is_some() {
            follow_up.change_id = Some(change_id);
        }
        follow_up.parameter_id = parameter_id;
        follow_ups::add(tx, incident_id, &follow_up, item.state).await?;
    }
    super::templates::use_example(tx, incident_id).await?;
    relations::add(
        tx,
        incident_id,
        &NewRelation {
            kind: earlier.relation,
            related_incident_id: earlier_id,
            note: earlier.note.clone(),
        },
    )
    .await?;
    // Reviewed together; an incident is in one group at most, and a second load of the example
    // makes new incidents, so the group is always new.
    super::review_groups::create(
        tx,
        crate::domain::example::REVIEW_GROUP,
        "the worked example",
        &[earlier_id, incident_id],
    )
    .await?;
    Ok((earlier_id, incident_id))
}
