//! Each active person's weekly digest: once per person and ISO week (their local one), on the
//! first tick after `DIGEST_LOCAL_HOUR` on Monday in their time zone
//! (`choices::weekly_digest_due`) — their open follow-ups
//! (how many, how many overdue, the nearest few with links), the reviews waiting for them, and
//! one postmortem published in this week of an earlier year. A week with nothing to say has its
//! key taken without a notice, so later ticks of the week skip the person too.
//!
//! Reviews waiting for a person are those a review request goes to (`events::review_step`): a
//! postmortem in review whose reviewer of the latest decision of this revision is them, or,
//! when nobody has decided one yet, every reviewer (and admin) who wrote no part of it.
//!
//! No statement at all when it is Monday morning nowhere; two when everything is written (the
//! active people, the keys taken); for the
//! people left, their follow-ups, the postmortems in review with their decisions and authors,
//! and a lesson per time zone among them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{DatabaseConnection, DbErr};

use super::{rows, unwritten};
use crate::domain::account::Role;
use crate::domain::follow_up::FollowUpState;
use crate::domain::history::Part;
use crate::domain::incident::IncidentStatus;
use crate::domain::notify::Notice;
use crate::domain::notify::choices::{weekly_digest_due, weekly_digest_due_somewhere};
use crate::domain::notify::notices::{self, DueFollowUp, Lesson, WaitingReview, WeeklyFacts};
use crate::server::entities::{follow_ups, history, incidents, reviews, users};
use crate::server::repo::{feeds, notices as repo};
use crate::server::zone::NamedZone;

/// A person whose weekly digest is due.
#[derive(Clone)]
struct Person {
    id: i64,
    zone: String,
    role: Role,
    today: NaiveDate,
}

/// Each person's weekly digest due at `now` and not yet written.
pub(super) async fn digests(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<(i64, Notice)>, DbErr> {
    if !weekly_digest_due_somewhere(now.naive_utc()) {
        return Ok(Vec::new());
    }
    let u = |c: users::Column| Expr::col((users::Entity, c));
    let query = Query::select()
        .expr_as(u(users::Column::Id), Alias::new("id"))
        .expr_as(u(users::Column::TimeZone), Alias::new("time_zone"))
        .expr_as(u(users::Column::Role), Alias::new("role"))
        .from(users::Entity)
        .and_where(u(users::Column::Active).eq(true))
        .to_owned();
    let mut due = Vec::new();
    for row in rows(db, &query).await? {
        let id: i64 = row.try_get("", "id")?;
        let zone: String = row.try_get("", "time_zone")?;
        let role: String = row.try_get("", "role")?;
        let Some(role) = Role::parse(&role) else {
            continue;
        };
        let zone = NamedZone::parse(&zone).unwrap_or_default();
        let local = now.with_timezone(&zone.0);
        if !weekly_digest_due(local.naive_local()) {
            continue;
        }
        let today = local.date_naive();
        let key = notices::weekly_digest_key(id, today);
        let zone = zone.0.name().to_owned();
        due.push((
            Person {
                id,
                zone,
                role,
                today,
            },
            key,
        ));
    }
    let people: Vec<(Person, String)> = unwritten(db, due).await?;
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = people.iter().map(|(p, _)| p.id).collect();
    let mut owned = open_follow_ups(db, &ids).await?;
    let waiting = waiting_reviews(db, &people).await?;
    let lessons = lessons(db, now, &people).await?;
    let mut found = Vec::new();
    let mut nothing = Vec::new();
    for (person, key) in people {
        let writes = person.role.includes(Role::Author);
        let (mut dated, mut undated) = (Vec::new(), 0);
        for item in owned.remove(&person.id).unwrap_or_default() {
            if !writes && !item.published {
                continue;
            }
            match item.due {
                Some(due) => dated.push(DueFollowUp {
                    id: item.id,
                    title: item.title,
                    due,
                    incident_id: item.incident_id,
                    incident_title: item.incident_title,
                    incident_published: item.published,
                }),
                None => undated += 1,
            }
        }
        let facts = WeeklyFacts {
            today: person.today,
            dated,
            undated,
            reviews: waiting.get(&person.id).cloned().unwrap_or_default(),
            lesson: lessons.get(&person.zone).cloned().flatten(),
        };
        match notices::weekly_digest(person.id, &facts) {
            Some(notice) => found.push((person.id, notice)),
            None => nothing.push(key),
        }
    }
    repo::claim_all(db, &nothing, now).await?;
    Ok(found)
}

/// A committed or in-progress follow-up, with or without a due date.
struct Open {
    id: i64,
    title: String,
    due: Option<NaiveDate>,
    incident_id: i64,
    incident_title: String,
    /// Its postmortem is published as it stands.
    published: bool,
}

/// The committed and in-progress follow-ups `owners` own, by owner.
async fn open_follow_ups(
    db: &DatabaseConnection,
    owners: &[i64],
) -> Result<HashMap<i64, Vec<Open>>, DbErr> {
    let f = |c: follow_ups::Column| Expr::col((follow_ups::Entity, c));
    let i = |c: incidents::Column| Expr::col((incidents::Entity, c));
    let query = Query::select()
        .expr_as(f(follow_ups::Column::Id), Alias::new("id"))
        .expr_as(f(follow_ups::Column::Title), Alias::new("title"))
        .expr_as(f(follow_ups::Column::DueOn), Alias::new("due_on"))
        .expr_as(f(follow_ups::Column::OwnerId), Alias::new("owner_id"))
        .expr_as(i(incidents::Column::Id), Alias::new("incident_id"))
        .expr_as(i(incidents::Column::Title), Alias::new("incident_title"))
        .expr_as(i(incidents::Column::Status), Alias::new("status"))
        .from(follow_ups::Entity)
        .inner_join(
            incidents::Entity,
            i(incidents::Column::Id).equals((follow_ups::Entity, follow_ups::Column::IncidentId)),
        )
        .and_where(f(follow_ups::Column::State).is_in([
            FollowUpState::Committed.as_str(),
            FollowUpState::InProgress.as_str(),
        ]))
        .and_where(f(follow_ups::Column::OwnerId).is_in(owners.iter().copied()))
        .to_owned();
    let mut owned: HashMap<i64, Vec<Open>> = HashMap::new();
    for row in rows(db, &query).await? {
        let owner: i64 = row.try_get("", "owner_id")?;
        let status: String = row.try_get("", "status")?;
        owned.entry(owner).or_default().push(Open {
            id: row.try_get("", "id")?,
            title: row.try_get("", "title")?,
            due: row.try_get("", "due_on")?,
            incident_id: row.try_get("", "incident_id")?,
            incident_title: row.try_get("", "incident_title")?,
            published: status == IncidentStatus::Published.as_str(),
        });
    }
    Ok(owned)
}

/// The postmortems in review waiting for each of `people`, by person.
async fn waiting_reviews(
    db: &DatabaseConnection,
    people: &[(Person, String)],
) -> Result<HashMap<i64, Vec<WaitingReview>>, DbErr> {
    let reviewers: Vec<i64> = people
        .iter()
        .filter(|(p, _)| p.role.includes(Role::Reviewer))
        .map(|(p, _)| p.id)
        .collect();
    if reviewers.is_empty() {
        return Ok(HashMap::new());
    }
    let i = |c: incidents::Column| Expr::col((incidents::Entity, c));
    let in_review = Query::select()
        .expr_as(i(incidents::Column::Id), Alias::new("id"))
        .expr_as(i(incidents::Column::Title), Alias::new("title"))
        .expr_as(i(incidents::Column::Revision), Alias::new("revision"))
        .from(incidents::Entity)
        .and_where(i(incidents::Column::Status).eq(IncidentStatus::InReview.as_str()))
        .to_owned();
    let mut waiting_on: BTreeMap<i64, (String, i32)> = BTreeMap::new();
    for row in rows(db, &in_review).await? {
        waiting_on.insert(
            row.try_get("", "id")?,
            (row.try_get("", "title")?, row.try_get("", "revision")?),
        );
    }
    if waiting_on.is_empty() {
        return Ok(HashMap::new());
    }
    // The reviewer of each one's latest decision in its revision.
    let r = |c: reviews::Column| Expr::col((reviews::Entity, c));
    let decisions = Query::select()
        .expr_as(r(reviews::Column::IncidentId), Alias::new("incident_id"))
        .expr_as(r(reviews::Column::Revision), Alias::new("revision"))
        .expr_as(r(reviews::Column::ReviewerId), Alias::new("reviewer_id"))
        .from(reviews::Entity)
        .and_where(r(reviews::Column::IncidentId).is_in(waiting_on.keys().copied()))
        .order_by(reviews::Column::Id, sea_orm::Order::Asc)
        .to_owned();
    let mut chosen: HashMap<i64, Option<i64>> = HashMap::new();
    for row in rows(db, &decisions).await? {
        let incident: i64 = row.try_get("", "incident_id")?;
        let revision: i32 = row.try_get("", "revision")?;
        if waiting_on
            .get(&incident)
            .is_some_and(|(_, rev)| *rev == revision)
        {
            chosen.insert(incident, row.try_get("", "reviewer_id")?);
        }
    }
    let unchosen: Vec<i64> = waiting_on
        .keys()
        .copied()
        .filter(|id| chosen.get(id).copied().flatten().is_none())
        .collect();
    let mut authors: HashSet<(i64, i64)> = HashSet::new();
    if !unchosen.is_empty() {
        let h = |c: history::Column| Expr::col((history::Entity, c));
        let wrote = Query::select()
            .distinct()
            .expr_as(h(history::Column::IncidentId), Alias::new("incident_id"))
            .expr_as(h(history::Column::UserId), Alias::new("user_id"))
            .from(history::Entity)
            .and_where(h(history::Column::IncidentId).is_in(unchosen.iter().copied()))
            .and_where(h(history::Column::Part).is_not_in(Part::NOT_WRITING.map(Part::as_str)))
            .and_where(h(history::Column::UserId).is_not_null())
            .to_owned();
        for row in rows(db, &wrote).await? {
            authors.insert((row.try_get("", "incident_id")?, row.try_get("", "user_id")?));
        }
    }
    let mut waiting: HashMap<i64, Vec<WaitingReview>> = HashMap::new();
    for person in reviewers {
        for (id, (title, _)) in &waiting_on {
            let theirs = match chosen.get(id).copied().flatten() {
                Some(reviewer) => reviewer == person,
                None => !authors.contains(&(*id, person)),
            };
            if theirs {
                waiting.entry(person).or_default().push(WaitingReview {
                    incident_id: *id,
                    title: title.clone(),
                });
            }
        }
    }
    Ok(waiting)
}

/// One lesson for each time zone among `people` (None where there is none): the postmortem
/// published most recently in this week of an earlier year, as published.
async fn lessons(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    people: &[(Person, String)],
) -> Result<HashMap<String, Option<Lesson>>, DbErr> {
    let mut lessons = HashMap::new();
    let Some(first) = feeds::first_published_year(db).await? else {
        return Ok(lessons);
    };
    for (person, _) in people {
        if lessons.contains_key(&person.zone) {
            continue;
        }
        let zone = NamedZone::parse(&person.zone).unwrap_or_default();
        let today = now.with_timezone(&zone.0).date_naive();
        // A week before the first publication in UTC covers zones west of it.
        let found = feeds::on_this_week(db, today, first - 1, &zone, 1).await?;
        let lesson = found.into_iter().next().map(|p| Lesson {
            incident_id: p.postmortem.incident.id,
            title: p.postmortem.incident.title,
            published_on: p.published_at.with_timezone(&zone.0).date_naive(),
        });
        lessons.insert(person.zone.clone(), lesson);
    }
    Ok(lessons)
}
