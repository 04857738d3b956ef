//! Organisation-wide views kept for as long as the facts they read have not changed.
//!
//! The dashboard, the changes view and the metrics aggregate every follow-up, change or incident
//! a filter matches: tens of milliseconds at a few thousand incidents, hundreds at ten thousand.
//! They are read far more often than those facts change, so each view is kept, per reader's
//! scope and filter, for a *generation*: the counter `read_generations.value` that database
//! triggers move in the same transaction as any change to what the views read (migration
//! `m20261130_000060_read_generation`). A request reads the counter (one indexed row), and a
//! view kept for that value is served as it is; otherwise it is computed, kept and served.
//!
//! The counter is read before the view is computed, and every statement of the computation
//! sees at least what was committed when the counter was read: a view kept for a value is never
//! older than that value. A change committed meanwhile moves the counter, so the next request
//! computes again. Several instances on one database each keep their own views and read the
//! same counter, so none serves a view another's write has made stale.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};

use sea_orm::{ConnectionTrait, DbErr, Statement};

/// The current generation of the facts the views read.
///
/// # Errors
/// On a database failure.
pub async fn generation<C: ConnectionTrait>(conn: &C) -> Result<i64, DbErr> {
    counter(conn, "facts").await
}

/// The current generation of everything a page shows (migration
/// `m20261201_000230_page_generation`): what the server's kept pages are kept for.
///
/// # Errors
/// On a database failure.
pub async fn page_generation<C: ConnectionTrait>(conn: &C) -> Result<i64, DbErr> {
    counter(conn, "pages").await
}

async fn counter<C: ConnectionTrait>(conn: &C, name: &'static str) -> Result<i64, DbErr> {
    // `name` is one of this module's constants, never input.
    let statement = Statement::from_string(
        conn.get_database_backend(),
        format!("SELECT value FROM read_generations WHERE name = '{name}'"),
    );
    match conn.query_one_raw(statement).await? {
        Some(row) => row.try_get_by_index(0),
        None => Err(DbErr::RecordNotFound(format!(
            "read_generations has no '{name}' row"
        ))),
    }
}

/// Values computed for one generation, at most `capacity` of them: a newer generation replaces
/// them all, and a full cache starts again empty (the views of one generation are few: the
/// filters people use).
#[derive(Debug)]
pub struct ByGeneration<K, V> {
    held: Mutex<Held<K, V>>,
    capacity: usize,
}

#[derive(Debug)]
struct Held<K, V> {
    generation: i64,
    values: HashMap<K, Arc<V>>,
}

impl<K: Hash + Eq, V> ByGeneration<K, V> {
    /// An empty cache holding at most `capacity` values.
    pub fn new(capacity: usize) -> Self {
        Self {
            held: Mutex::new(Held {
                generation: i64::MIN,
                values: HashMap::new(),
            }),
            capacity,
        }
    }

    /// The value kept for `key` at `generation`, if any.
    pub fn get(&self, generation: i64, key: &K) -> Option<Arc<V>> {
        let held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if held.generation != generation {
            return None;
        }
        held.values.get(key).cloned()
    }

    /// Keeps `value`, computed at `generation`, for `key`, unless a newer generation is held
    /// already (then the value is only returned).
    pub fn put(&self, generation: i64, key: K, value: V) -> Arc<V> {
        let value = Arc::new(value);
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if generation > held.generation {
            held.generation = generation;
            held.values.clear();
        }
        if generation == held.generation {
            if held.values.len() >= self.capacity {
                held.values.clear();
            }
            held.values.insert(key, Arc::clone(&value));
        }
        value
    }

    /// The value for `key` as of the database's current generation: kept, or computed by
    /// `compute` and kept.
    ///
    /// # Errors
    /// When the generation cannot be read, or as `compute`.
    pub async fn get_or_compute<C, E, F>(&self, conn: &C, key: K, compute: F) -> Result<Arc<V>, E>
    where
        C: ConnectionTrait,
        E: From<DbErr>,
        F: AsyncFnOnce() -> Result<V, E>,
    {
        let generation = generation(conn).await?;
        if let Some(value) = self.get(generation, &key) {
            return Ok(value);
        }
        let value = compute().await?;
        Ok(self.put(generation, key, value))
    }
}

/// What a metrics page is kept for: the reader's role (what they may read and do), what they
/// asked, the page, and where and which day it is for them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MetricsKey {
    pub role: crate::domain::account::Role,
    pub query: crate::domain::metrics::MetricsQuery,
    pub page: usize,
    pub zone: chrono_tz::Tz,
    pub today: chrono::NaiveDate,
}

/// The views kept, one cache per view.
#[derive(Debug)]
pub struct Reads {
    pub dashboards: ByGeneration<super::query::dashboard::Key, crate::dto::dashboard::Dashboard>,
    /// A page of the changes view, by whether the reader writes postmortems and the page.
    pub changes: ByGeneration<(bool, u64), crate::dto::insights::ChangesOverview>,
    pub metrics: ByGeneration<MetricsKey, crate::dto::metrics::MetricsView>,
}

impl Default for Reads {
    fn default() -> Self {
        Self {
            dashboards: ByGeneration::new(64),
            changes: ByGeneration::new(16),
            metrics: ByGeneration::new(64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ByGeneration;

    #[test]
    fn a_value_is_served_only_for_the_generation_it_was_computed_at() {
        let cache = ByGeneration::new(4);
        cache.put(3, "open", 10);
        assert_eq!(cache.get(3, &"open").as_deref(), Some(&10));
        assert_eq!(cache.get(4, &"open"), None, "a newer generation misses");
        assert_eq!(cache.get(2, &"open"), None, "an older one too");
        assert_eq!(cache.get(3, &"closed"), None, "another key misses");
    }

    #[test]
    fn a_newer_generation_replaces_every_value_and_an_older_one_is_not_kept() {
        let cache = ByGeneration::new(4);
        cache.put(3, "open", 10);
        cache.put(5, "closed", 2);
        assert_eq!(cache.get(5, &"open"), None);
        assert_eq!(cache.get(5, &"closed").as_deref(), Some(&2));
        // Computed at 4 by a request that read the counter before a write: returned, not kept.
        assert_eq!(*cache.put(4, "open", 9), 9);
        assert_eq!(cache.get(5, &"open"), None);
        assert_eq!(cache.get(4, &"open"), None);
    }

    #[test]
    fn a_full_cache_starts_again_rather_than_growing() {
        let cache = ByGeneration::new(2);
        cache.put(1, 1, "a");
        cache.put(1, 2, "b");
        cache.put(1, 3, "c");
        assert_eq!(cache.get(1, &1), None);
        assert_eq!(cache.get(1, &3).as_deref(), Some(&"c"));
    }
}
