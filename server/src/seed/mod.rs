//! `server seed --incidents N`: fills the database with what a large organisation holds after a
//! few years, for the benchmark (`scripts/bench.sh`). Everything is written through the app's
//! repositories, as the app writes it: per incident a postmortem with its milestones, lessons,
//! 20 timeline entries, an impact figure, 2 changes (with parameters) made by a few hundred
//! systems and jobs, 5 follow-ups in every state, its history, its search documents and, when
//! published, its published version. 10,000 incidents make 200,000 timeline entries, 50,000
//! follow-ups and 20,000 changes. The text varies with the incident (a fixed pseudo-random
//! sequence: the same N gives the same database).
//!
//! It also creates the accounts the benchmark logs in with: `bench-author@example.com`
//! (author) and `bench-admin@example.com` (admin), both with the password given, and 40 people
//! who own follow-ups. Writes go in transactions of 50 incidents.

use sea_orm::{DatabaseConnection, DbErr};

use app::domain::account::{NewAccount, Role};
use app::domain::incident::IncidentStatus;
use app::server::db::begin_write;
use app::server::repo::{accounts, incidents};

mod story;
mod text;

use story::Story;
use text::{FIRST_NAMES, LAST_NAMES};

/// The author the benchmark logs in as.
pub const AUTHOR_EMAIL: &str = "bench-author@example.com";
/// An admin, for looking around the seeded database.
pub const ADMIN_EMAIL: &str = "bench-admin@example.com";

/// Per incident, as in a team that writes thorough postmortems.
const TIMELINE_PER_INCIDENT: usize = 20;
const FOLLOW_UPS_PER_INCIDENT: usize = 5;
const CHANGES_PER_INCIDENT: usize = 2;
const INCIDENTS_PER_TRANSACTION: usize = 50;
const PEOPLE: usize = 40;

/// What `seed` was asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct Seed {
    pub incidents: usize,
}

impl Seed {
    /// Reads `--incidents N` (default 10,000) from the arguments after the subcommand.
    ///
    /// # Errors
    /// A one-line usage message.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let usage = "usage: server seed [--incidents N] (password of the accounts it creates from DEBRIEF_ADMIN_PASSWORD)";
        match args {
            [] => Ok(Seed { incidents: 10_000 }),
            [flag, n] if flag == "--incidents" => n
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .map(|incidents| Seed { incidents })
                .ok_or_else(|| format!("--incidents needs a positive number; {usage}")),
            _ => Err(usage.to_owned()),
        }
    }
}

/// What was written, and the incidents the benchmark reads and writes.
#[derive(Debug)]
pub struct Seeded {
    pub incidents: usize,
    pub timeline_entries: usize,
    pub follow_ups: usize,
    pub changes: usize,
    /// A published postmortem from the middle of the history (20 entries, 2 changes).
    pub postmortem: i64,
    /// A draft the author may add timeline entries to.
    pub draft: i64,
}

/// Writes the dataset. The database must have no incidents yet.
///
/// # Errors
/// A one-line message: a database failure, or a database that is not empty.
pub async fn run(db: &DatabaseConnection, seed: &Seed, password: &str) -> Result<Seeded, String> {
    let failed = |e: DbErr| format!("seeding: {e}");
    if incidents::any(db).await.map_err(failed)? {
        return Err("seed: the database already holds incidents; seed a fresh one".to_owned());
    }
    let hash = app::server::password::hash_off_thread(password).await?;
    let account = |email: String, name: String, role: Role| NewAccount {
        email,
        display_name: name,
        password: password.to_owned(),
        role,
        time_zone: "Europe/London".to_owned(),
    };
    let author = accounts::create(
        db,
        &account(AUTHOR_EMAIL.into(), "Bench Author".into(), Role::Author),
        &hash,
    )
    .await
    .map_err(failed)?;
    accounts::create(
        db,
        &account(ADMIN_EMAIL.into(), "Bench Admin".into(), Role::Admin),
        &hash,
    )
    .await
    .map_err(failed)?;
    let mut people = Vec::new();
    for p in 0..PEOPLE {
        let name = format!(
            "{} {}",
            FIRST_NAMES[p % FIRST_NAMES.len()],
            LAST_NAMES[(p * 7) % LAST_NAMES.len()]
        );
        let email = format!("person{p}@example.com");
        let id = accounts::create(db, &account(email, name.clone(), Role::Author), &hash)
            .await
            .map_err(failed)?;
        people.push((id, name));
    }

    let mut seeded = Seeded {
        incidents: 0,
        timeline_entries: 0,
        follow_ups: 0,
        changes: 0,
        postmortem: 0,
        draft: 0,
    };
    let mut i = 0;
    while i < seed.incidents {
        let tx = begin_write(db).await.map_err(failed)?;
        let end = (i + INCIDENTS_PER_TRANSACTION).min(seed.incidents);
        for n in i..end {
            let story = Story::new(n, seed.incidents, &people);
            let id = story
                .write(&tx, (author, "Bench Author"))
                .await
                .map_err(failed)?;
            seeded.incidents += 1;
            seeded.timeline_entries += TIMELINE_PER_INCIDENT;
            seeded.follow_ups += FOLLOW_UPS_PER_INCIDENT;
            seeded.changes += CHANGES_PER_INCIDENT;
            // The last published one up to the middle of the history.
            if story.status == IncidentStatus::Published
                && (seeded.postmortem == 0 || n <= seed.incidents / 2)
            {
                seeded.postmortem = id;
            }
            if story.status == IncidentStatus::Draft {
                seeded.draft = id;
            }
        }
        tx.commit().await.map_err(failed)?;
        i = end;
    }
    Ok(seeded)
}

#[cfg(test)]
mod tests {
    use super::text::JOBS;
    use super::*;

    #[test]
    fn the_dataset_size_is_read_from_the_arguments() {
        let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(Seed::parse(&[]), Ok(Seed { incidents: 10_000 }));
        assert_eq!(
            Seed::parse(&args(&["--incidents", "500"])),
            Ok(Seed { incidents: 500 })
        );
        assert!(Seed::parse(&args(&["--incidents", "0"])).is_err());
        assert!(Seed::parse(&args(&["--incident", "5"])).is_err());
    }

    #[test]
    fn jobs_are_named_after_a_verb_and_a_service_and_repeat_across_incidents() {
        let people = [(1, "Ada Lovelace".to_owned())];
        let jobs: std::collections::HashSet<String> = (0..2_000)
            .map(|n| Story::new(n, 2_000, &people).job_name(0).1)
            .collect();
        assert!(jobs.len() > 100 && jobs.len() <= JOBS, "{}", jobs.len());
        assert!(jobs.iter().all(|j| !j.contains(' ')));
    }
}
