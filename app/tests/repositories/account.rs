//! Accounts and their sessions: emails are one per person whatever their case, a session
//! token finds its active user until it expires or is ended, and role, activity, team,
//! password and time zone changes read back (ending sessions where the doc says they end).

use super::*;
use app::domain::account::{NewAccount, Role, User};
use app::server::entities::{sessions, users};
use app::server::repo::accounts::{self, SESSION_DAYS};
use sea_orm::PaginatorTrait;

pub(super) fn account(email: &str, name: &str, role: Role) -> NewAccount {
    NewAccount {
        email: email.to_owned(),
        display_name: name.to_owned(),
        password: "correct horse battery".to_owned(),
        role,
        time_zone: "Europe/Amsterdam".to_owned(),
    }
}

async fn session_rows(db: &DatabaseConnection, user_id: i64) -> u64 {
    sessions::Entity::find()
        .filter(sessions::Column::UserId.eq(user_id))
        .count(db)
        .await
        .expect("sessions counted")
}

async fn user(db: &DatabaseConnection, id: i64) -> User {
    accounts::get(db, id)
        .await
        .expect("read")
        .expect("the account exists")
        .user
}

#[tokio::test]
async fn an_account_is_stored_with_its_email_lower_cased_and_found_by_email_in_any_case() {
    let t = fresh_db().await;
    assert!(!accounts::any_user(&t.db).await.expect("read"));

    let id = accounts::create(
        &t.db,
        &account("Grace.Hopper@Example.COM", "Grace Hopper", Role::Reviewer),
        "$argon2id$hash",
    )
    .await
    .expect("created");

    assert!(accounts::any_user(&t.db).await.expect("read"));
    let stored = accounts::get(&t.db, id)
        .await
        .expect("read")
        .expect("the account just created");
    assert_eq!(
        stored.user,
        User {
            id,
            email: "grace.hopper@example.com".to_owned(),
            display_name: "Grace Hopper".to_owned(),
            role: Role::Reviewer,
            time_zone: "Europe/Amsterdam".to_owned(),
            active: true,
            team: String::new(),
        }
    );
    assert_eq!(stored.password_hash, "$argon2id$hash");
    let found = accounts::find_by_email(&t.db, "  GRACE.hopper@example.com ")
        .await
        .expect("read")
        .expect("found whatever the case and spaces");
    assert_eq!(found.user.id, id);
    assert!(
        accounts::find_by_email(&t.db, "grace@example.com")
            .await
            .expect("read")
            .is_none()
    );
    assert!(accounts::get(&t.db, id + 1).await.expect("read").is_none());
}

#[tokio::test]
async fn an_email_taken_in_another_case_is_refused_and_the_first_account_stays_alone() {
    let t = fresh_db().await;
    let first = accounts::create(
        &t.db,
        &account("pat@example.com", "Pat", Role::Author),
        "first-hash",
    )
    .await
    .expect("created");

    let second = accounts::create(
        &t.db,
        &account("PAT@Example.com", "Another Pat", Role::Admin),
        "second-hash",
    )
    .await;

    assert!(second.is_err(), "a second account for the same email");
    let everyone = accounts::list(&t.db).await.expect("listed");
    assert_eq!(everyone.len(), 1);
    assert_eq!(
        (everyone[0].id, everyone[0].display_name.as_str()),
        (first, "Pat")
    );
    let stored = accounts::find_by_email(&t.db, "pat@example.com")
        .await
        .expect("read")
        .expect("the first account");
    assert_eq!(stored.password_hash, "first-hash");
}

#[tokio::test]
async fn people_are_listed_by_name_and_only_active_admins_count_as_admins() {
    let t = fresh_db().await;
    let zoe = person(&t.db, "Zoe", Role::Admin).await;
    let ada = person(&t.db, "Ada", Role::Viewer).await;
    let max = person(&t.db, "Max", Role::Admin).await;
    let mia = person(&t.db, "Mia", Role::Reviewer).await;
    assert_eq!(accounts::active_admins(&t.db).await.expect("counted"), 2);

    assert!(
        accounts::update_person(&t.db, max, Role::Admin, false, "")
            .await
            .expect("updated")
    );

    let listed: Vec<(i64, String)> = accounts::list(&t.db)
        .await
        .expect("listed")
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    assert_eq!(
        listed,
        [
            (ada, "Ada".to_owned()),
            (max, "Max".to_owned()),
            (mia, "Mia".to_owned()),
            (zoe, "Zoe".to_owned())
        ]
    );
    assert_eq!(accounts::active_admins(&t.db).await.expect("counted"), 1);
}

#[tokio::test]
async fn updating_a_person_sets_role_activity_and_trimmed_team_and_deactivating_ends_their_sessions()
 {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let other = person(&t.db, "Sam", Role::Author).await;
    accounts::start_session(&t.db, pat).await.expect("started");
    accounts::start_session(&t.db, pat).await.expect("started");
    let kept = accounts::start_session(&t.db, other)
        .await
        .expect("started");

    assert!(
        accounts::update_person(&t.db, pat, Role::Reviewer, true, "  Payments platform ")
            .await
            .expect("updated")
    );
    let promoted = user(&t.db, pat).await;
    assert_eq!(
        (promoted.role, promoted.active, promoted.team.as_str()),
        (Role::Reviewer, true, "Payments platform")
    );
    assert_eq!(session_rows(&t.db, pat).await, 2, "still active: still in");

    assert!(
        accounts::update_person(&t.db, pat, Role::Reviewer, false, "Payments platform")
            .await
            .expect("updated")
    );
    assert!(!user(&t.db, pat).await.active);
    assert_eq!(session_rows(&t.db, pat).await, 0);
    assert!(
        accounts::session_user(&t.db, &kept, Utc::now())
            .await
            .expect("read")
            .is_some(),
        "someone else's session is untouched"
    );
    assert!(
        !accounts::update_person(&t.db, pat + 100, Role::Admin, true, "")
            .await
            .expect("no database error")
    );
}

#[tokio::test]
async fn a_session_finds_its_user_until_it_expires_or_is_ended() {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let now = Utc::now();
    let token = accounts::start_session(&t.db, pat).await.expect("started");
    let other = accounts::start_session(&t.db, pat).await.expect("started");
    assert_ne!(token, other);
    let stored: Vec<String> = sessions::Entity::find()
        .all(&t.db)
        .await
        .expect("rows")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert!(
        !stored.contains(&token),
        "only the token's digest is stored"
    );

    let found = accounts::session_user(&t.db, &token, now)
        .await
        .expect("read")
        .expect("a live session");
    assert_eq!(found.id, pat);
    assert!(
        accounts::session_user(&t.db, "not-a-token", now)
            .await
            .expect("read")
            .is_none()
    );

    let after_expiry = now + Duration::days(SESSION_DAYS) + Duration::minutes(1);
    assert!(
        accounts::session_user(&t.db, &token, after_expiry)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        accounts::session_user(&t.db, &token, now)
            .await
            .expect("read")
            .is_none(),
        "an expired session is deleted when found"
    );

    accounts::end_session(&t.db, &other).await.expect("ended");
    assert!(
        accounts::session_user(&t.db, &other, now)
            .await
            .expect("read")
            .is_none()
    );
    assert_eq!(session_rows(&t.db, pat).await, 0);
}

#[tokio::test]
async fn a_deactivated_users_session_finds_nobody() {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let token = accounts::start_session(&t.db, pat).await.expect("started");
    // Deactivated behind the repository's back, so only `session_user` can keep them out.
    let row = users::Entity::find_by_id(pat)
        .one(&t.db)
        .await
        .expect("read")
        .expect("the user");
    let mut row: users::ActiveModel = row.into();
    row.active = Set(false);
    row.update(&t.db).await.expect("deactivated");

    assert!(
        accounts::session_user(&t.db, &token, Utc::now())
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn a_new_password_replaces_the_hash_and_ends_every_session_of_that_user_only() {
    let t = fresh_db().await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let sam = person(&t.db, "Sam", Role::Author).await;
    accounts::start_session(&t.db, pat).await.expect("started");
    accounts::start_session(&t.db, pat).await.expect("started");
    accounts::start_session(&t.db, sam).await.expect("started");

    accounts::set_password(&t.db, pat, "new-hash")
        .await
        .expect("set");
    accounts::set_time_zone(&t.db, pat, "America/New_York")
        .await
        .expect("set");

    let stored = accounts::get(&t.db, pat)
        .await
        .expect("read")
        .expect("the account");
    assert_eq!(stored.password_hash, "new-hash");
    assert_eq!(stored.user.time_zone, "America/New_York");
    assert_eq!(session_rows(&t.db, pat).await, 0);
    assert_eq!(session_rows(&t.db, sam).await, 1);
    let untouched = accounts::get(&t.db, sam)
        .await
        .expect("read")
        .expect("the account");
    assert_eq!(
        (
            untouched.password_hash.as_str(),
            untouched.user.time_zone.as_str()
        ),
        ("not-a-real-hash", "UTC")
    );
}

#[tokio::test]
async fn failures_count_inside_their_window_and_clear_by_key_or_by_age() {
    let t = fresh_db().await;
    let now = Utc::now();
    let (pair, other) = ("account-address:pat 192.0.2.1", "address:192.0.2.9");
    accounts::record_attempt(&t.db, &[pair.to_owned()], now - Duration::hours(2))
        .await
        .expect("recorded");
    accounts::record_attempt(&t.db, &[pair.to_owned(), other.to_owned()], now)
        .await
        .expect("recorded");
    assert_eq!(
        accounts::failures_since(&t.db, pair, now - Duration::hours(1))
            .await
            .expect("counted"),
        1
    );
    assert_eq!(
        accounts::failures_since(&t.db, pair, now - Duration::hours(3))
            .await
            .expect("counted"),
        2
    );

    accounts::clear_failures(&t.db, "account:nobody", now - Duration::hours(1))
        .await
        .expect("cleared");
    assert_eq!(
        accounts::failures_since(&t.db, pair, now - Duration::hours(3))
            .await
            .expect("counted"),
        1,
        "the failure older than `before` is gone, whatever its key"
    );
    assert_eq!(
        accounts::failures_since(&t.db, other, now - Duration::hours(3))
            .await
            .expect("counted"),
        1
    );

    accounts::clear_failures(&t.db, pair, now - Duration::hours(3))
        .await
        .expect("cleared");
    assert_eq!(
        accounts::failures_since(&t.db, pair, now - Duration::hours(3))
            .await
            .expect("counted"),
        0
    );
    assert_eq!(
        accounts::failures_since(&t.db, other, now - Duration::hours(3))
            .await
            .expect("counted"),
        1,
        "other keys are kept"
    );
}
