//! On Postgres, the search index splits its text into words at punctuation, as a search splits
//! what is typed (`domain::search::query_words`) and as SQLite's FTS5 tokenizer does. Postgres'
//! own parser keeps `<img onerror=…>` as one HTML tag it drops, `window.__flag` and
//! `/etc/nginx/nginx.conf` as one file name, `api.example.com` as one host name: none of the
//! words in them could be found. The document is now made from the text with every run of
//! punctuation read as a space; the stored title and body (shown, highlighted) are unchanged.
//! Nothing changes on SQLite.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Replaces the generated document with one made by `expression` (of `title` and `body`).
fn regenerate(expression: &str) -> [String; 4] {
    [
        "DROP INDEX IF EXISTS ix_search_index_document".to_owned(),
        "ALTER TABLE search_index DROP COLUMN document".to_owned(),
        format!(
            "ALTER TABLE search_index ADD COLUMN document TSVECTOR \
             GENERATED ALWAYS AS ({expression}) STORED"
        ),
        "CREATE INDEX ix_search_index_document ON search_index USING GIN (document)".to_owned(),
    ]
}

const SPLIT_AT_PUNCTUATION: &str = "\
    setweight(to_tsvector('english', regexp_replace(title, '[[:punct:]]+', ' ', 'g')), 'A') || \
    setweight(to_tsvector('english', regexp_replace(body, '[[:punct:]]+', ' ', 'g')), 'B')";

const AS_WRITTEN: &str = "\
    setweight(to_tsvector('english', title), 'A') || \
    setweight(to_tsvector('english', body), 'B')";

async fn run(manager: &SchemaManager<'_>, expression: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    for sql in regenerate(expression) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, SPLIT_AT_PUNCTUATION).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, AS_WRITTEN).await
    }
}
