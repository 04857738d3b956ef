//! What a reader may see of a postmortem: nothing, the record as it stands, or — while a
//! correction of it is written and reviewed, for readers who do not write postmortems — the
//! version last published. Every read path that serves viewers (the postmortem page, its
//! exports, the list, search, metrics, the follow-up dashboard and its downloads, change
//! insights, "my work") asks [`seen_by`], so none of them shows a viewer an unreviewed
//! correction. Imports only `domain` and `server::repo`.
//!
//! Follow-ups and comments live on after publishing and are never frozen; what they show of
//! their postmortem (its title, the change a follow-up addresses) comes from what is seen here.

use sea_orm::{ConnectionTrait, DbErr};

use crate::domain::account::{Role, User};
use crate::domain::change::Change;
use crate::domain::impact::ImpactFigure;
use crate::domain::incident::{Incident, IncidentStatus};
use crate::domain::published::PublishedPostmortem;
use crate::server::repo::published;

/// Whether `user` may read the incident at all: everyone may read one that has been published
/// (during a correction, as published: see [`reads_as_published`]); only authors and above
/// read the rest.
pub fn may_read(user: &User, incident: &Incident) -> bool {
    incident.was_published() || writes_postmortems(user)
}

/// Whether `user` reads the incident as it was last published rather than as it stands: a
/// correction of it is being written and reviewed, and they do not write postmortems.
pub fn reads_as_published(user: &User, incident: &Incident) -> bool {
    under_correction(incident) && !writes_postmortems(user)
}

/// Whether `user` writes postmortems, and so reads corrections as they are being written.
pub fn writes_postmortems(user: &User) -> bool {
    user.role.includes(Role::Author)
}

fn under_correction(incident: &Incident) -> bool {
    incident.status != IncidentStatus::Published && incident.revision > 1
}

/// One postmortem as one reader sees it.
#[derive(Clone, Debug, PartialEq)]
pub enum Seen {
    /// As it stands now: read its parts from the live tables.
    Live(Incident),
    /// As last published, while revision `correcting` is written and reviewed: its incident,
    /// impact, changes and timeline are the published ones.
    Published {
        published: PublishedPostmortem,
        correcting: i32,
    },
}

impl Seen {
    /// The incident (title, services, milestones…) the reader sees.
    pub fn incident(&self) -> &Incident {
        match self {
            Seen::Live(incident) => incident,
            Seen::Published { published, .. } => &published.incident,
        }
    }

    pub fn id(&self) -> i64 {
        self.incident().id
    }

    /// The published version, when that is what the reader sees.
    pub fn published(&self) -> Option<&PublishedPostmortem> {
        match self {
            Seen::Live(_) => None,
            Seen::Published { published, .. } => Some(published),
        }
    }
}

/// A batch of postmortems as one reader sees them, in the order they were given; those the
/// reader may not read are left out.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Visible {
    seen: Vec<Seen>,
}

impl Visible {
    pub fn iter(&self) -> std::slice::Iter<'_, Seen> {
        self.seen.iter()
    }

    /// The incidents as the reader sees them.
    pub fn incidents(&self) -> impl Iterator<Item = &Incident> {
        self.seen.iter().map(Seen::incident)
    }

    pub fn get(&self, id: i64) -> Option<&Seen> {
        self.seen.iter().find(|s| s.id() == id)
    }

    /// Whether the reader may read this incident (it is in the batch and readable).
    pub fn contains(&self, id: i64) -> bool {
        self.get(id).is_some()
    }

    /// The incident's title as the reader sees it.
    pub fn title(&self, id: i64) -> Option<&str> {
        self.get(id).map(|s| s.incident().title.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    pub fn into_vec(self) -> Vec<Seen> {
        self.seen
    }

    /// Changes loaded from the live tables (`live`) as the reader sees them: those of
    /// incidents outside the batch and of incidents read as published are dropped, and the
    /// published changes of the latter that `wanted` picks (the same query `live` answered)
    /// are added. Ordered by id, as the repository orders them.
    pub fn changes(&self, live: Vec<Change>, wanted: impl Fn(&Change) -> bool) -> Vec<Change> {
        let mut seen: Vec<Change> = live
            .into_iter()
            .filter(|c| matches!(self.get(c.incident_id), Some(Seen::Live(_))))
            .collect();
        seen.extend(
            self.seen
                .iter()
                .filter_map(Seen::published)
                .flat_map(|p| p.changes.iter())
                .filter(|c| wanted(c))
                .cloned(),
        );
        seen.sort_by_key(|c| c.id);
        seen
    }

    /// Impact figures loaded from the live tables for the batch, as the reader sees them (see
    /// [`Visible::changes`]).
    pub fn impact(&self, live: Vec<ImpactFigure>) -> Vec<ImpactFigure> {
        let mut seen: Vec<ImpactFigure> = live
            .into_iter()
            .filter(|f| matches!(self.get(f.incident_id), Some(Seen::Live(_))))
            .collect();
        seen.extend(
            self.seen
                .iter()
                .filter_map(Seen::published)
                .flat_map(|p| p.impact.iter().cloned()),
        );
        seen
    }
}

/// What `user` may see of each of `incidents` (as loaded from the live tables): the ones they
/// may not read are left out; those they read as published come with their published version,
/// loaded in one query for the whole batch.
///
/// A postmortem published before its published version was kept has none to show, and is seen
/// as it stands, as it was before published versions existed.
///
/// # Errors
/// On a database failure or a published version the domain cannot read.
pub async fn seen_by<C: ConnectionTrait>(
    conn: &C,
    user: &User,
    incidents: Vec<Incident>,
) -> Result<Visible, DbErr> {
    let readable: Vec<Incident> = incidents
        .into_iter()
        .filter(|i| may_read(user, i))
        .collect();
    let frozen: Vec<i64> = readable
        .iter()
        .filter(|i| reads_as_published(user, i))
        .map(|i| i.id)
        .collect();
    // A reader who does not write postmortems looks for published versions whenever there is
    // anything to read, even when none of the batch is under correction: what a page costs
    // then depends on its size, not on whether a correction happens to be among its rows.
    let mut kept = if readable.is_empty() || writes_postmortems(user) {
        Vec::new()
    } else {
        published::get_many(conn, &frozen).await?
    };
    let seen = readable
        .into_iter()
        .map(|live| {
            match kept
                .iter()
                .position(|p| frozen.contains(&live.id) && p.incident.id == live.id)
            {
                Some(at) => Seen::Published {
                    published: kept.swap_remove(at),
                    correcting: live.revision,
                },
                None => Seen::Live(live),
            }
        })
        .collect();
    Ok(Visible { seen })
}

/// What `user` may see of one incident; None when they may not read it. See [`seen_by`].
///
/// # Errors
/// As [`seen_by`].
pub async fn one_seen_by<C: ConnectionTrait>(
    conn: &C,
    user: &User,
    incident: Incident,
) -> Result<Option<Seen>, DbErr> {
    Ok(seen_by(conn, user, vec![incident])
        .await?
        .into_vec()
        .into_iter()
        .next())
}
