//! Impact figures of an incident.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use super::part;
use crate::domain::impact::{ImpactFigure, NewImpactFigure, Quantity, RatePer};
use crate::domain::time::ApproxDuration;
use crate::server::edit::{AddablePart, EditablePart, Stored};
use crate::server::entities::impact_figures as rows;

/// Adds a figure to an incident; returns its id.
///
/// # Errors
/// On a database failure (including an incident that does not exist).
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    figure: &NewImpactFigure,
) -> Result<i64, DbErr> {
    let mut row = rows::ActiveModel {
        incident_id: Set(incident_id),
        created_at: Set(Utc::now()),
        version: Set(1),
        ..Default::default()
    };
    fill(&mut row, figure);
    Ok(row.insert(conn).await?.id)
}

/// Replaces a figure; returns its incident, or None when there is no such figure.
///
/// # Errors
/// On a database failure.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    figure: &NewImpactFigure,
) -> Result<Option<i64>, DbErr> {
    part::update::<rows::Entity, _>(conn, id, |row| fill(row, figure)).await
}

/// Deletes a figure; returns the incident it belonged to, or None when there was none.
///
/// # Errors
/// On a database failure.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<i64>, DbErr> {
    part::delete::<rows::Entity, _>(conn, id).await
}

/// One figure.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<ImpactFigure>, DbErr> {
    rows::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain)
        .transpose()
}

/// The figures of the given incidents, in the order they were recorded.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_for_incidents<C: ConnectionTrait>(
    conn: &C,
    incident_ids: &[i64],
) -> Result<Vec<ImpactFigure>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The figures of the incidents whose ids `incidents` selects (one column), in the order they
/// were recorded.
///
/// # Errors
/// On a database failure or a row the domain cannot read.
pub async fn list_for_query<C: ConnectionTrait>(
    conn: &C,
    incidents: sea_orm::sea_query::SelectStatement,
) -> Result<Vec<ImpactFigure>, DbErr> {
    rows::Entity::find()
        .filter(rows::Column::IncidentId.in_subquery(incidents))
        .order_by_asc(rows::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

fn fill(row: &mut rows::ActiveModel, figure: &NewImpactFigure) {
    let (low, high) = figure.quantity.numbers().unwrap_or((0.0, None));
    let (rate_per, currency, reason) = match &figure.quantity {
        Quantity::Rate { per, .. } => (Some(per.as_str().to_owned()), None, None),
        Quantity::Money { currency, .. } => (None, Some(currency.clone()), None),
        Quantity::NotMeasured { reason } => (None, None, Some(reason.clone())),
        Quantity::Exact(_)
        | Quantity::Approximate(_)
        | Quantity::Range { .. }
        | Quantity::Share { .. } => (None, None, None),
    };
    let kind = figure.quantity.kind_str();
    let approximate = matches!(
        figure.quantity,
        Quantity::Share { .. } | Quantity::Rate { .. } | Quantity::Money { .. }
    ) && figure.quantity.is_approximate();
    row.quantity_approximate = Set(approximate);
    row.rate_per = Set(rate_per);
    row.currency = Set(currency);
    row.not_measured_reason = Set(reason);
    row.affected = Set(figure.affected.clone());
    row.quantity_kind = Set(kind.to_owned());
    row.quantity_low = Set(low);
    row.quantity_high = Set(high);
    row.unit = Set(figure.unit.clone());
    row.window_seconds = Set(figure.window.map(|w| w.seconds));
    row.window_approximate = Set(figure.window.is_some_and(|w| w.approximate));
    row.estimation = Set(figure.estimation.clone());
    row.customer_visible = Set(figure.customer_visible);
    row.updated_at = Set(Utc::now());
}

fn to_domain(row: rows::Model) -> Result<ImpactFigure, DbErr> {
    let approximate = row.quantity_approximate;
    let per = row.rate_per.as_deref().and_then(RatePer::parse);
    let low = row.quantity_low;
    let quantity = match (
        row.quantity_kind.as_str(),
        row.quantity_high,
        per,
        row.currency,
        row.not_measured_reason,
    ) {
        ("exact", ..) => Quantity::Exact(low),
        ("approximate", ..) => Quantity::Approximate(low),
        ("range", Some(high), ..) => Quantity::Range { low, high },
        ("share", ..) => Quantity::Share {
            percent: low,
            approximate,
        },
        ("rate", _, Some(per), ..) => Quantity::Rate {
            value: low,
            approximate,
            per,
        },
        ("money", _, _, Some(currency), _) => Quantity::Money {
            amount: low,
            approximate,
            currency,
        },
        ("not_measured", .., Some(reason)) => Quantity::NotMeasured { reason },
        (other, ..) => {
            return Err(DbErr::Custom(format!(
                "impact figure {} has an unreadable quantity ({other})",
                row.id
            )));
        }
    };
    Ok(ImpactFigure {
        id: row.id,
        incident_id: row.incident_id,
        figure: NewImpactFigure {
            affected: row.affected,
            quantity,
            unit: row.unit,
            window: row.window_seconds.map(|seconds| ApproxDuration {
                seconds,
                approximate: row.window_approximate,
            }),
            estimation: row.estimation,
            customer_visible: row.customer_visible,
        },
    })
}

part::part_of_incident!(rows);

/// An impact figure, edited on its own form.
pub struct ImpactPart;

impl EditablePart for ImpactPart {
    type Value = NewImpactFigure;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<NewImpactFigure>>, DbErr> {
        part::load::<rows::Entity, _, _>(conn, id, |row| to_domain(row).map(|found| found.figure))
            .await
    }

    async fn save<C: ConnectionTrait>(
        conn: &C,
        id: i64,
        value: &NewImpactFigure,
    ) -> Result<(), DbErr> {
        update(conn, id, value).await.map(drop)
    }
}

impl AddablePart for ImpactPart {
    type New = NewImpactFigure;

    fn value_of(new: &NewImpactFigure) -> &NewImpactFigure {
        new
    }

    async fn insert<C: ConnectionTrait>(
        conn: &C,
        incident_id: i64,
        new: &NewImpactFigure,
    ) -> Result<i64, DbErr> {
        add(conn, incident_id, new).await
    }

    async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<(), DbErr> {
        delete(conn, id).await.map(drop)
    }
}
