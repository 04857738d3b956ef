//! What `migrate-to` copies: every table of Debrief's data (one per entity in
//! `app::server::entities`), parents before children, a batch of rows at a time, every column
//! the target has; and what the copy leaves to set on the target (the serial ids' sequences,
//! the read generation).
//!
//! The columns come from the target's catalogue, not from the entities: a column the
//! application reads with its own SQL (the `internal` marks) is copied like any other. Each
//! value is read from SQLite as the Rust type of its Postgres column (as the application's
//! entities read them: a time stored as text becomes a `timestamptz`, a 0/1 a boolean).
//! [`check_schema`] refuses, before anything is written, a target with a table that is neither
//! copied nor deliberately left out, or a column SQLite does not have: a table added by a later
//! migration but not to [`COPIED`] fails loudly instead of being left behind.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Order, PostgresQueryBuilder, Query};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, QueryResult, Statement, Value,
};

/// Postgres takes at most 65,535 bound values in one statement; a batch stays well below.
const MAX_VALUES: usize = 60_000;
/// Rows read and written per statement at most, however few columns a table has.
const MAX_ROWS: usize = 1_000;

/// Every table of Debrief's data, in an order that inserts each row after the rows its
/// foreign keys point at (Postgres checks them statement by statement).
pub const COPIED: [&str; 42] = [
    "users",
    "sessions",
    "form_flashes",
    "login_failures",
    "login_successes",
    "integration_tokens",
    "feed_keys",
    "due_date_policies",
    "factor_categories",
    "incidents",
    "milestones",
    "timeline_entries",
    "impact_figures",
    "changes",
    "change_parameters",
    "factors",
    "factor_links",
    "follow_ups",
    "incident_participants",
    "reviews",
    "comments",
    "history",
    "published_postmortems",
    "published_lessons",
    "lesson_tags",
    "metric_exclusions",
    "share_links",
    "recorded_changes",
    "reading_lists",
    "reading_list_items",
    "review_groups",
    "review_group_members",
    "incident_relations",
    "postmortem_templates",
    "incident_field_values",
    "outbox",
    "mentor_notes",
    "template_history",
    "webhook_destinations",
    "email_opt_outs",
    "notice_policies",
    "scheduled_notices",
];

/// Tables of the target that are not copied row for row, and why (shown in the report).
pub const NOT_COPIED: [(&str, &str); 4] = [
    (
        "search_index",
        "rebuilt on Postgres from the copied postmortems by Debrief's own indexing; SQLite's FTS5 tables do not carry over",
    ),
    (
        "seaql_migrations",
        "the target's own, written by migrating it with this build, as the source was",
    ),
    (
        "read_generations",
        "set past both sides' counters, so no view kept for an older value is served",
    ),
    (
        "setup_tokens",
        "the one-time link to create the first admin, kept only while no account exists: the copied accounts replace it",
    ),
];

/// Tables a freshly migrated (or once started) database already fills, emptied before the copy:
/// the default due-date policies, factor categories and postmortem template, which the
/// source's replace, and the setup link's token that a server started on the empty database
/// stores.
pub const SEEDED_BY_MIGRATIONS: [&str; 4] = [
    "due_date_policies",
    "factor_categories",
    "setup_tokens",
    "postmortem_templates",
];

/// What a column holds, as the Rust type its values are read and written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    BigInt,
    Int,
    SmallInt,
    Bool,
    Text,
    Float,
    Double,
    TimestampTz,
    Timestamp,
    Date,
    Json,
}

impl Kind {
    /// The kind of a Postgres `information_schema.columns.data_type`.
    fn of(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "bigint" => Kind::BigInt,
            "integer" => Kind::Int,
            "smallint" => Kind::SmallInt,
            "boolean" => Kind::Bool,
            "text" | "character varying" | "character" => Kind::Text,
            "real" => Kind::Float,
            "double precision" => Kind::Double,
            "timestamp with time zone" => Kind::TimestampTz,
            "timestamp without time zone" => Kind::Timestamp,
            "date" => Kind::Date,
            "json" | "jsonb" => Kind::Json,
            _ => return None,
        })
    }

    /// The value at `index` of an SQLite row, as this kind (NULL as a null of it).
    fn read(self, row: &QueryResult, index: usize) -> Result<Value, DbErr> {
        Ok(match self {
            Kind::BigInt => row.try_get_by_index::<Option<i64>>(index)?.into(),
            Kind::Int => row.try_get_by_index::<Option<i32>>(index)?.into(),
            Kind::SmallInt => row.try_get_by_index::<Option<i16>>(index)?.into(),
            Kind::Bool => row.try_get_by_index::<Option<bool>>(index)?.into(),
            Kind::Text => row.try_get_by_index::<Option<String>>(index)?.into(),
            Kind::Float => row.try_get_by_index::<Option<f32>>(index)?.into(),
            Kind::Double => row.try_get_by_index::<Option<f64>>(index)?.into(),
            Kind::TimestampTz => row.try_get_by_index::<Option<DateTime<Utc>>>(index)?.into(),
            Kind::Timestamp => row.try_get_by_index::<Option<NaiveDateTime>>(index)?.into(),
            Kind::Date => row.try_get_by_index::<Option<NaiveDate>>(index)?.into(),
            Kind::Json => row
                .try_get_by_index::<Option<serde_json::Value>>(index)?
                .into(),
        })
    }
}

/// One column of a copied table.
#[derive(Clone, Debug)]
struct Column {
    name: String,
    kind: Kind,
}

/// A copied table as the target has it: its columns and its primary key.
#[derive(Clone, Debug)]
pub struct Table {
    pub name: &'static str,
    columns: Vec<Column>,
    /// Indexes into `columns`, in the key's order.
    key: Vec<usize>,
}

/// The first column, as text, of every row `sql` returns on Postgres.
pub async fn text_column<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<String>, DbErr> {
    conn.query_all_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        values,
    ))
    .await?
    .iter()
    .map(|row| row.try_get_by_index::<String>(0))
    .collect()
}

/// The tables of the current schema of a Postgres database.
pub async fn postgres_tables<C: ConnectionTrait>(conn: &C) -> Result<Vec<String>, DbErr> {
    text_column(
        conn,
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
        vec![],
    )
    .await
}

/// Reads the copied tables' columns and keys from the target, and refuses a target (or a
/// source) whose tables are not the ones [`COPIED`] and [`NOT_COPIED`] name, or whose columns
/// differ between the two.
///
/// # Errors
/// A one-line message naming the first difference.
pub async fn check_schema<T: ConnectionTrait, S: ConnectionTrait>(
    target: &T,
    source: &S,
) -> Result<Vec<Table>, String> {
    let failed = |e: DbErr| format!("migrate-to: reading the target's tables: {e}");
    for name in postgres_tables(target).await.map_err(failed)? {
        let known = COPIED.contains(&name.as_str()) || NOT_COPIED.iter().any(|(n, _)| *n == name);
        if !known {
            return Err(format!(
                "migrate-to: the target has a table {name} this build does not know how to copy; nothing was copied"
            ));
        }
    }
    let mut tables = Vec::new();
    for name in COPIED {
        let rows = target
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT column_name::text, data_type::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 \
                 AND is_generated = 'NEVER' ORDER BY ordinal_position",
                [name.into()],
            ))
            .await
            .map_err(failed)?;
        let mut columns = Vec::new();
        for row in rows {
            let column: String = row.try_get_by_index(0).map_err(failed)?;
            let data_type: String = row.try_get_by_index(1).map_err(failed)?;
            let kind = Kind::of(&data_type).ok_or_else(|| {
                format!(
                    "migrate-to: the target's column {name}.{column} is a {data_type}, which this build does not copy; nothing was copied"
                )
            })?;
            columns.push(Column { name: column, kind });
        }
        if columns.is_empty() {
            return Err(format!(
                "migrate-to: the target has no table {name}; nothing was copied"
            ));
        }
        let key_names = text_column(
            target,
            "SELECT a.attname::text FROM pg_index i \
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
             WHERE i.indrelid = $1::regclass AND i.indisprimary \
             ORDER BY array_position(i.indkey::int2[], a.attnum)",
            vec![name.into()],
        )
        .await
        .map_err(failed)?;
        let key: Vec<usize> = key_names
            .iter()
            .filter_map(|k| columns.iter().position(|c| &c.name == k))
            .collect();
        if key.is_empty() || key.len() != key_names.len() {
            return Err(format!(
                "migrate-to: the target's table {name} has no primary key to copy it by; nothing was copied"
            ));
        }
        let mut in_source = source_columns(source, name)
            .await
            .map_err(|e| format!("migrate-to: reading the source's table {name}: {e}"))?;
        let mut in_target: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        in_source.sort();
        in_target.sort();
        if in_source != in_target {
            return Err(format!(
                "migrate-to: the table {name} has the columns {} on the source but {} on the target; nothing was copied",
                in_source.join(", "),
                in_target.join(", ")
            ));
        }
        tables.push(Table { name, columns, key });
    }
    Ok(tables)
}

/// The columns of an SQLite table.
async fn source_columns<C: ConnectionTrait>(conn: &C, table: &str) -> Result<Vec<String>, DbErr> {
    conn.query_all_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "SELECT name FROM pragma_table_info(?)",
        [table.into()],
    ))
    .await?
    .iter()
    .map(|row| row.try_get_by_index::<String>(0))
    .collect()
}

impl Table {
    fn select(&self) -> sea_orm::sea_query::SelectStatement {
        let mut query = Query::select();
        query
            .columns(self.columns.iter().map(|c| Alias::new(&c.name)))
            .from(Alias::new(self.name));
        query
    }

    /// Copies every row of the table from `source` (SQLite) to `target` (Postgres), a batch
    /// at a time in the order of the primary key; returns how many.
    ///
    /// # Errors
    /// A database failure on either side, or a value that does not read as its column's type.
    pub async fn copy(
        &self,
        source: &DatabaseTransaction,
        target: &DatabaseTransaction,
    ) -> Result<u64, DbErr> {
        let batch = (MAX_VALUES / self.columns.len().max(1)).clamp(1, MAX_ROWS);
        let mut after: Option<Vec<Value>> = None;
        let mut copied = 0;
        loop {
            let mut query = self.select();
            for &k in &self.key {
                query.order_by(Alias::new(&self.columns[k].name), Order::Asc);
            }
            if let Some(last) = &after {
                query.cond_where(self.past(last));
            }
            query.limit(batch as u64);
            let rows = source
                .query_all_raw(source.get_database_backend().build(&query))
                .await?;
            let mut insert = Query::insert();
            insert
                .into_table(Alias::new(self.name))
                .columns(self.columns.iter().map(|c| Alias::new(&c.name)));
            let mut last_row = None;
            for row in &rows {
                let values = self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| c.kind.read(row, i))
                    .collect::<Result<Vec<Value>, DbErr>>()?;
                last_row = Some(self.key.iter().map(|&k| values[k].clone()).collect());
                insert
                    .values(values.into_iter().map(Expr::val))
                    .map_err(|e| DbErr::Custom(format!("{}: {e}", self.name)))?;
            }
            let Some(last) = last_row else { break };
            let (sql, values) = insert.build(PostgresQueryBuilder);
            target
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    sql,
                    values,
                ))
                .await?;
            copied += rows.len() as u64;
            if rows.len() < batch {
                break;
            }
            after = Some(last);
        }
        Ok(copied)
    }

    /// The rows whose primary key (one column or several) sorts after `last`.
    fn past(&self, last: &[Value]) -> Condition {
        let mut any = Condition::any();
        for (i, value) in last.iter().enumerate() {
            let mut all = Condition::all();
            for (&k, earlier) in self.key.iter().zip(last).take(i) {
                all = all.add(Expr::col(Alias::new(&self.columns[k].name)).eq(earlier.clone()));
            }
            let k = self.key[i];
            all = all.add(Expr::col(Alias::new(&self.columns[k].name)).gt(value.clone()));
            any = any.add(all);
        }
        any
    }

    /// How many rows the table holds on `conn`.
    ///
    /// # Errors
    /// A database failure.
    pub async fn count<C: ConnectionTrait>(&self, conn: &C) -> Result<u64, DbErr> {
        let row = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                format!("SELECT COUNT(*) FROM {}", self.name),
            ))
            .await?;
        let n = row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?;
        Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
    }
}

/// Sets every serial or identity column's sequence of the target to go on after the largest
/// id copied, so the next row created gets a fresh id.
///
/// # Errors
/// A database failure.
pub async fn continue_sequences(target: &DatabaseTransaction) -> Result<(), DbErr> {
    let rows = target
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() \
             AND (column_default LIKE 'nextval(%' OR is_identity = 'YES') ORDER BY 1, 2",
        ))
        .await?;
    for row in rows {
        let table: String = row.try_get_by_index(0)?;
        let column: String = row.try_get_by_index(1)?;
        let largest = target
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT MAX(\"{column}\")::bigint FROM \"{table}\""),
            ))
            .await?
            .map(|r| r.try_get_by_index::<Option<i64>>(0))
            .transpose()?
            .flatten()
            .unwrap_or(0);
        // `false`: the next id handed out is this one, not the one after.
        target
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT setval(pg_get_serial_sequence($1, $2), $3, false)",
                [table.into(), column.into(), (largest + 1).into()],
            ))
            .await?;
    }
    Ok(())
}

/// The read generations' counters on `conn` (the views' `facts`, the pages' `pages`), by name.
///
/// # Errors
/// A database failure.
pub async fn read_generations<C: ConnectionTrait>(conn: &C) -> Result<Vec<(String, i64)>, DbErr> {
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT name, value FROM read_generations ORDER BY name",
        ))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?)))
        .collect()
}

/// Moves each of the target's read generations past both the source's and what the copy's own
/// triggers counted: whatever a server kept for an earlier value is not served again.
///
/// # Errors
/// A database failure.
pub async fn advance_read_generations(
    target: &DatabaseTransaction,
    source: &[(String, i64)],
) -> Result<(), DbErr> {
    for (name, value) in source {
        target
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "UPDATE read_generations SET value = GREATEST(value, $1) + 1 WHERE name = $2",
                [(*value).into(), name.clone().into()],
            ))
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_table_is_copied_or_left_out_on_purpose() {
        use app::server::entities as e;
        use sea_orm::EntityName;
        let entities = [
            e::change_parameters::Entity.table_name(),
            e::changes::Entity.table_name(),
            e::comments::Entity.table_name(),
            e::due_date_policies::Entity.table_name(),
            e::email_opt_outs::Entity.table_name(),
            e::factor_categories::Entity.table_name(),
            e::factor_links::Entity.table_name(),
            e::factors::Entity.table_name(),
            e::feed_keys::Entity.table_name(),
            e::follow_ups::Entity.table_name(),
            e::form_flashes::Entity.table_name(),
            e::history::Entity.table_name(),
            e::impact_figures::Entity.table_name(),
            e::incident_field_values::Entity.table_name(),
            e::incident_participants::Entity.table_name(),
            e::incident_relations::Entity.table_name(),
            e::incidents::Entity.table_name(),
            e::integration_tokens::Entity.table_name(),
            e::lesson_tags::Entity.table_name(),
            e::login_failures::Entity.table_name(),
            e::login_successes::Entity.table_name(),
            e::mentor_notes::Entity.table_name(),
            e::metric_exclusions::Entity.table_name(),
            e::milestones::Entity.table_name(),
            e::notice_policies::Entity.table_name(),
            e::outbox::Entity.table_name(),
            e::postmortem_templates::Entity.table_name(),
            e::published_lessons::Entity.table_name(),
            e::published_postmortems::Entity.table_name(),
            e::reading_list_items::Entity.table_name(),
            e::reading_lists::Entity.table_name(),
            e::recorded_changes::Entity.table_name(),
            e::review_group_members::Entity.table_name(),
            e::review_groups::Entity.table_name(),
            e::reviews::Entity.table_name(),
            e::scheduled_notices::Entity.table_name(),
            e::sessions::Entity.table_name(),
            e::share_links::Entity.table_name(),
            e::template_history::Entity.table_name(),
            e::timeline_entries::Entity.table_name(),
            e::users::Entity.table_name(),
            e::webhook_destinations::Entity.table_name(),
        ];
        let mut copied = COPIED.to_vec();
        copied.sort_unstable();
        assert_eq!(copied, entities);
    }

    #[test]
    fn postgres_column_types_are_read_as_their_rust_types() {
        assert_eq!(
            Kind::of("timestamp with time zone"),
            Some(Kind::TimestampTz)
        );
        assert_eq!(Kind::of("character varying"), Some(Kind::Text));
        assert_eq!(Kind::of("smallint"), Some(Kind::SmallInt));
        assert_eq!(Kind::of("tsvector"), None);
    }
}
