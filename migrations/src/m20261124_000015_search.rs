//! Full-text search over postmortems: one row per searchable piece (summary, lessons, timeline
//! entry, impact figure, change, follow-up). On SQLite an FTS5 table (Porter stemming); on
//! Postgres a table with a weighted `tsvector` (title above body) and a GIN index. The
//! application fills it (see app::server::repo::search).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: [&str; 2] = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5(\
        title, body, kind UNINDEXED, incident_id UNINDEXED, anchor UNINDEXED, \
        tokenize = 'porter unicode61')",
    // `ORDER BY rank` then ranks a title match four times a body match; FTS5 sorts by it
    // itself, so a LIMIT stops it early and snippets are made only for the rows returned.
    "INSERT INTO search_index(search_index, rank) VALUES('rank', 'bm25(4.0, 1.0)')",
];

const POSTGRES_UP: [&str; 2] = [
    "CREATE TABLE IF NOT EXISTS search_index (\
        id BIGSERIAL PRIMARY KEY, \
        incident_id BIGINT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE, \
        kind TEXT NOT NULL, anchor TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, \
        document TSVECTOR GENERATED ALWAYS AS (\
            setweight(to_tsvector('english', title), 'A') || \
            setweight(to_tsvector('english', body), 'B')) STORED)",
    "CREATE INDEX IF NOT EXISTS ix_search_index_document ON search_index USING GIN (document)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let statements: Vec<&str> = match backend {
            DbBackend::Sqlite => SQLITE_UP.to_vec(),
            _ => POSTGRES_UP.to_vec(),
        };
        for sql in statements {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE IF EXISTS search_index")
            .await?;
        Ok(())
    }
}
