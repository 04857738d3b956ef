//! Postmortem templates and the custom field values of incidents: templates listed, read,
//! created and replaced; which template an incident follows; its field values, edited as one
//! part of the postmortem ([`FieldValuesPart`]); and the incidents whose field holds a value
//! (the list's filter).

use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};

use crate::domain::template::{Definition, FieldValue, FieldValues, Template};
use crate::server::edit::{EditablePart, Stored};
use crate::server::entities::{
    incident_field_values as values, incidents, postmortem_templates as templates,
};

/// How many characters of a value the filter's index holds.
const VALUE_KEY_CHARS: usize = 100;

fn to_domain(row: templates::Model) -> Template {
    Template {
        id: row.id,
        name: row.name,
        is_default: row.is_default,
        version: row.version,
        definition: Definition::from_json(&row.definition),
        retired: row.retired,
    }
}

/// Every template, the default first, then by name.
///
/// # Errors
/// On a database failure.
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<Template>, DbErr> {
    Ok(templates::Entity::find()
        .order_by_desc(templates::Column::IsDefault)
        .order_by_asc(templates::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}

/// The template with this id.
///
/// # Errors
/// On a database failure.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Template>, DbErr> {
    Ok(templates::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_domain))
}

/// The template of incidents that name none: the one marked default (the standard, should
/// none be marked).
///
/// # Errors
/// On a database failure.
pub async fn default_template<C: ConnectionTrait>(conn: &C) -> Result<Template, DbErr> {
    Ok(templates::Entity::find()
        .filter(templates::Column::IsDefault.eq(true))
        .order_by_asc(templates::Column::Id)
        .one(conn)
        .await?
        .map_or_else(standard, to_domain))
}

/// The standard template, should no template be marked default.
fn standard() -> Template {
    Template {
        id: 0,
        name: "Standard".to_owned(),
        is_default: true,
        version: 1,
        definition: Definition::standard(),
        retired: false,
    }
}

/// The template an incident follows (the default one when it names none, or names one that is
/// gone).
///
/// # Errors
/// On a database failure.
pub async fn for_incident<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<Template, DbErr> {
    // One statement: the template the incident names and the default one, the named first.
    let named = Query::select()
        .column(incidents::Column::TemplateId)
        .from(incidents::Entity)
        .and_where(Expr::col(incidents::Column::Id).eq(incident_id))
        .to_owned();
    let found = templates::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(templates::Column::Id.in_subquery(named))
                .add(templates::Column::IsDefault.eq(true)),
        )
        .order_by_asc(templates::Column::IsDefault)
        .order_by_asc(templates::Column::Id)
        .one(conn)
        .await?;
    Ok(found.map_or_else(standard, to_domain))
}

/// Whether another template (than `except`) has this name.
///
/// # Errors
/// On a database failure.
pub async fn name_taken<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    let mut query = templates::Entity::find().filter(templates::Column::Name.eq(name));
    if let Some(id) = except {
        query = query.filter(templates::Column::Id.ne(id));
    }
    Ok(query.one(conn).await?.is_some())
}

/// Stores a new template; returns its id.
///
/// # Errors
/// On a database failure (a name already taken among them).
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    definition: &Definition,
) -> Result<i64, DbErr> {
    let row = templates::ActiveModel {
        name: Set(name.to_owned()),
        definition: Set(definition.to_json()),
        is_default: Set(false),
        version: Set(1),
        retired: Set(false),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// Replaces a template's name and definition. Returns false when there is no such template.
///
/// # Errors
/// On a database failure.
pub async fn update<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    name: &str,
    definition: &Definition,
) -> Result<bool, DbErr> {
    let Some(found) = templates::Entity::find_by_id(id).one(conn).await? else {
        return Ok(false);
    };
    let version = found.version + 1;
    let mut row: templates::ActiveModel = found.into();
    row.name = Set(name.to_owned());
    row.definition = Set(definition.to_json());
    row.version = Set(version);
    row.update(conn).await?;
    Ok(true)
}

/// Sets the template an incident follows (None: the default). Its field values stay.
///
/// # Errors
/// On a database failure.
pub async fn set_for_incident<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    template_id: Option<i64>,
) -> Result<(), DbErr> {
    incidents::Entity::update_many()
        .col_expr(incidents::Column::TemplateId, Expr::value(template_id))
        .filter(incidents::Column::Id.eq(incident_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// An incident's field values, by key.
///
/// # Errors
/// On a database failure.
pub async fn values_of<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
) -> Result<FieldValues, DbErr> {
    Ok(FieldValues(
        values::Entity::find()
            .filter(values::Column::IncidentId.eq(incident_id))
            .order_by_asc(values::Column::FieldKey)
            .all(conn)
            .await?
            .into_iter()
            .map(|row| FieldValue {
                key: row.field_key,
                label: row.label,
                value: row.value,
            })
            .collect(),
    ))
}

/// The field values of several incidents, as (incident, value) pairs.
///
/// # Errors
/// On a database failure.
pub async fn values_of_many<C: ConnectionTrait>(
    conn: &C,
    incident_ids: &[i64],
) -> Result<Vec<(i64, FieldValue)>, DbErr> {
    if incident_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(values::Entity::find()
        .filter(values::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .order_by_asc(values::Column::IncidentId)
        .order_by_asc(values::Column::FieldKey)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            (
                row.incident_id,
                FieldValue {
                    key: row.field_key,
                    label: row.label,
                    value: row.value,
                },
            )
        })
        .collect())
}

/// Replaces an incident's field values (without counting up their version).
///
/// # Errors
/// On a database failure.
pub async fn write_values<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    written: &FieldValues,
) -> Result<(), DbErr> {
    values::Entity::delete_many()
        .filter(values::Column::IncidentId.eq(incident_id))
        .exec(conn)
        .await?;
    let rows: Vec<values::ActiveModel> = written
        .0
        .iter()
        .filter(|v| !v.value.is_empty())
        .map(|v| values::ActiveModel {
            incident_id: Set(incident_id),
            field_key: Set(v.key.clone()),
            label: Set(v.label.clone()),
            value: Set(v.value.clone()),
            value_key: Set(value_key(&v.value)),
        })
        .collect();
    if !rows.is_empty() {
        values::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

fn value_key(value: &str) -> String {
    value.chars().take(VALUE_KEY_CHARS).collect()
}

/// The ids of incidents whose field `key` holds exactly `value`, as a subquery for the list
/// (it reads `ix_incident_field_values_filter`).
pub fn with_value(key: &str, value: &str) -> SelectStatement {
    Query::select()
        .column(values::Column::IncidentId)
        .from(values::Entity)
        .and_where(values::Column::FieldKey.eq(key))
        .and_where(values::Column::ValueKey.eq(value_key(value)))
        .and_where(values::Column::Value.eq(value))
        .to_owned()
}

/// An incident's custom field values, edited as one part on their own form.
pub struct FieldValuesPart;

impl EditablePart for FieldValuesPart {
    type Value = FieldValues;

    async fn load<C: ConnectionTrait>(
        conn: &C,
        id: i64,
    ) -> Result<Option<Stored<FieldValues>>, DbErr> {
        let Some(row) = incidents::Entity::find_by_id(id).one(conn).await? else {
            return Ok(None);
        };
        Ok(Some(Stored {
            id,
            incident_id: id,
            parent_id: id,
            version: row.field_values_version,
            value: values_of(conn, id).await?,
        }))
    }

    async fn save<C: ConnectionTrait>(conn: &C, id: i64, value: &FieldValues) -> Result<(), DbErr> {
        write_values(conn, id, value).await?;
        incidents::Entity::update_many()
            .col_expr(
                incidents::Column::FieldValuesVersion,
                Expr::col(incidents::Column::FieldValuesVersion).add(1),
            )
            .filter(incidents::Column::Id.eq(id))
            .exec(conn)
            .await?;
        Ok(())
    }
}

/// The custom fields the incident list can be filtered by: (key, label) of every template's
/// fields, each key once (with its first template's label), by label.
///
/// # Errors
/// On a database failure.
pub async fn filter_fields<C: ConnectionTrait>(conn: &C) -> Result<Vec<(String, String)>, DbErr> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for template in list(conn).await? {
        for field in template.definition.fields {
            if !fields.iter().any(|(key, _)| *key == field.key) {
                fields.push((field.key, field.label));
            }
        }
    }
    fields.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(fields)
}

/// Gives an imported incident its exported field values and its template: the one of the
/// exported name here (whatever its definition: values of fields it lacks show as from an
/// earlier template), else one made from the exported definition.
///
/// # Errors
/// On a database failure.
pub async fn import_for<C: ConnectionTrait>(
    conn: &C,
    incident_id: i64,
    template: Option<&crate::domain::template::ExportedTemplate>,
    written: &[FieldValue],
) -> Result<(), DbErr> {
    if let Some(template) = template {
        let id = named_or_made(conn, &template.name, &template.definition).await?;
        set_for_incident(conn, incident_id, Some(id)).await?;
    }
    write_values(conn, incident_id, &FieldValues(written.to_vec())).await
}

/// The id of the template named `name` (the default one's, if it is so named), or of a new one
/// made from `definition`.
///
/// # Errors
/// On a database failure.
pub async fn named_or_made<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    definition: &Definition,
) -> Result<i64, DbErr> {
    match templates::Entity::find()
        .filter(templates::Column::Name.eq(name))
        .one(conn)
        .await?
    {
        Some(found) => Ok(found.id),
        None => create(conn, name, definition).await,
    }
}

/// Gives the worked example its template (made the first time) and its field values.
///
/// # Errors
/// On a database failure.
pub async fn use_example<C: ConnectionTrait>(conn: &C, incident_id: i64) -> Result<(), DbErr> {
    use crate::domain::template::example;
    let id = named_or_made(conn, example::NAME, &example::definition()).await?;
    set_for_incident(conn, incident_id, Some(id)).await?;
    write_values(conn, incident_id, &FieldValues(example::values())).await
}
