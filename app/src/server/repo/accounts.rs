//! Users, the sessions they are logged in with, and the ledger of login attempts that rate
//! limiting counts (the rules are in `domain::login_limit`).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::domain::account::{NewAccount, Role, User};
use crate::domain::login_limit::{self, Attempts};
use crate::server::entities::{login_failures, login_successes, sessions, users};
use crate::server::password;

/// How long a login lasts.
pub const SESSION_DAYS: i64 = 14;

/// A user with the hash their password is checked against.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

fn to_user(row: users::Model) -> Result<Credentials, DbErr> {
    let role = Role::parse(&row.role)
        .ok_or_else(|| DbErr::Custom(format!("user {}: unknown role {:?}", row.id, row.role)))?;
    Ok(Credentials {
        user: User {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
            role,
            time_zone: row.time_zone,
            active: row.active,
            team: row.team,
        },
        password_hash: row.password_hash,
    })
}

/// Whether any account exists (before the first one, Debrief offers to create an admin).
///
/// # Errors
/// On a database failure.
pub async fn any_user<C: ConnectionTrait>(conn: &C) -> Result<bool, DbErr> {
    Ok(users::Entity::find().count(conn).await? > 0)
}

/// The setup token every instance on this database prints and accepts while no account
/// exists: the one stored, or else `candidate`, stored now. Of servers starting together, the
/// first to store its candidate wins and the others read it (migration
/// `m20261130_000070_setup_token`).
///
/// # Errors
/// On a database failure.
pub async fn shared_setup_token(
    db: &sea_orm::DatabaseConnection,
    candidate: &str,
) -> Result<String, DbErr> {
    use sea_orm::{DbBackend, Statement};
    let backend = db.get_database_backend();
    let insert = if backend == DbBackend::Postgres {
        "INSERT INTO setup_tokens (id, token) VALUES (1, $1) ON CONFLICT (id) DO NOTHING"
    } else {
        "INSERT INTO setup_tokens (id, token) VALUES (1, ?) ON CONFLICT (id) DO NOTHING"
    };
    let select = "SELECT token FROM setup_tokens WHERE id = 1";
    // Its own write transaction: an INSERT run alone on SQLite can drop its commit's error.
    let txn = crate::server::db::begin_write(db).await?;
    txn.execute_raw(Statement::from_sql_and_values(
        backend,
        insert,
        [candidate.into()],
    ))
    .await?;
    let row = txn
        .query_one_raw(Statement::from_string(backend, select))
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("setup_tokens has no row".to_owned()))?;
    let token: String = row.try_get_by_index(0)?;
    txn.commit().await?;
    Ok(token)
}

/// Forgets the setup token once the first admin exists: no instance accepts it again.
///
/// # Errors
/// On a database failure.
pub async fn forget_setup_token<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    conn.execute_unprepared("DELETE FROM setup_tokens").await?;
    Ok(())
}

/// Creates an account with an already hashed password; returns its id.
///
/// # Errors
/// On a database failure, including an email that is taken (a unique violation).
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    account: &NewAccount,
    password_hash: &str,
) -> Result<i64, DbErr> {
    let now = Utc::now();
    let row = users::ActiveModel {
        email: Set(account.email.to_lowercase()),
        display_name: Set(account.display_name.clone()),
        password_hash: Set(password_hash.to_owned()),
        role: Set(account.role.as_str().to_owned()),
        time_zone: Set(account.time_zone.clone()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(row.id)
}

/// A user by id.
///
/// # Errors
/// On a database failure or a row with an unknown role.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<Credentials>, DbErr> {
    users::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(to_user)
        .transpose()
}

/// A user by email (any case).
///
/// # Errors
/// On a database failure or a row with an unknown role.
pub async fn find_by_email<C: ConnectionTrait>(
    conn: &C,
    email: &str,
) -> Result<Option<Credentials>, DbErr> {
    users::Entity::find()
        .filter(users::Column::Email.eq(email.trim().to_lowercase()))
        .one(conn)
        .await?
        .map(to_user)
        .transpose()
}

/// Every user, by name.
///
/// # Errors
/// On a database failure or a row with an unknown role.
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<User>, DbErr> {
    let rows = users::Entity::find()
        .order_by_asc(users::Column::DisplayName)
        .order_by_asc(users::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| to_user(row).map(|c| c.user))
        .collect()
}

/// How many active admins there are (the last one may not be demoted or deactivated).
///
/// # Errors
/// On a database failure.
pub async fn active_admins<C: ConnectionTrait>(conn: &C) -> Result<u64, DbErr> {
    users::Entity::find()
        .filter(users::Column::Role.eq(Role::Admin.as_str()))
        .filter(users::Column::Active.eq(true))
        .count(conn)
        .await
}

/// Sets a user's role, whether they are active and their team (trimmed); a deactivated user's
/// sessions end. Returns false when there is no such user.
///
/// # Errors
/// On a database failure.
pub async fn update_person<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    role: Role,
    active: bool,
    team: &str,
) -> Result<bool, DbErr> {
    let Some(found) = users::Entity::find_by_id(id).one(conn).await? else {
        return Ok(false);
    };
    let mut row: users::ActiveModel = found.into();
    row.role = Set(role.as_str().to_owned());
    row.active = Set(active);
    row.team = Set(team.trim().to_owned());
    row.updated_at = Set(Utc::now());
    row.update(conn).await?;
    if !active {
        end_sessions_of(conn, id).await?;
    }
    Ok(true)
}

/// Replaces a user's password hash and ends all their sessions.
///
/// # Errors
/// On a database failure.
pub async fn set_password<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    password_hash: &str,
) -> Result<(), DbErr> {
    if let Some(found) = users::Entity::find_by_id(id).one(conn).await? {
        let mut row: users::ActiveModel = found.into();
        row.password_hash = Set(password_hash.to_owned());
        row.updated_at = Set(Utc::now());
        row.update(conn).await?;
    }
    end_sessions_of(conn, id).await
}

/// Sets a user's preferred time zone.
///
/// # Errors
/// On a database failure.
pub async fn set_time_zone<C: ConnectionTrait>(conn: &C, id: i64, zone: &str) -> Result<(), DbErr> {
    if let Some(found) = users::Entity::find_by_id(id).one(conn).await? {
        let mut row: users::ActiveModel = found.into();
        row.time_zone = Set(zone.to_owned());
        row.updated_at = Set(Utc::now());
        row.update(conn).await?;
    }
    Ok(())
}

// Sessions

/// Starts a session for a user; returns the token for the cookie (the database keeps only its
/// digest).
///
/// # Errors
/// On a database failure.
pub async fn start_session<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<String, DbErr> {
    let token = password::random_token();
    let now = Utc::now();
    sessions::ActiveModel {
        id: Set(password::token_digest(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// The active user a session token belongs to, if the session exists and has not expired: one
/// statement on every request. A token that finds no one costs a second, which removes its
/// session if it has expired.
///
/// # Errors
/// On a database failure.
pub async fn session_user<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<User>, DbErr> {
    use sea_orm::sea_query::Query;
    let digest = password::token_digest(token);
    let live = Query::select()
        .column(sessions::Column::UserId)
        .from(sessions::Entity)
        .and_where(sessions::Column::Id.eq(digest.clone()))
        .and_where(sessions::Column::ExpiresAt.gt(now))
        .to_owned();
    let found = users::Entity::find()
        .filter(users::Column::Id.in_subquery(live))
        .filter(users::Column::Active.eq(true))
        .one(conn)
        .await?;
    match found {
        Some(row) => Ok(Some(to_user(row)?.user)),
        None => {
            sessions::Entity::delete_many()
                .filter(sessions::Column::Id.eq(digest))
                .filter(sessions::Column::ExpiresAt.lte(now))
                .exec(conn)
                .await?;
            Ok(None)
        }
    }
}

/// Ends the session with this token (logging out).
///
/// # Errors
/// On a database failure.
pub async fn end_session<C: ConnectionTrait>(conn: &C, token: &str) -> Result<(), DbErr> {
    sessions::Entity::delete_by_id(password::token_digest(token))
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user.
///
/// # Errors
/// On a database failure.
pub async fn end_sessions_of<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<(), DbErr> {
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

// Login attempts

/// The keys a login attempt is counted under in `login_failures`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginKeys {
    /// This account from this address.
    pub pair: String,
    /// This address, any account.
    pub address: String,
    /// This account, any address.
    pub account: String,
}

impl LoginKeys {
    /// The keys for a login as `email` (lower-cased) from `address`.
    pub fn new(email: &str, address: &str) -> Self {
        LoginKeys {
            pair: format!("account-address:{email} {address}"),
            address: format!("address:{address}"),
            account: format!("account:{email}"),
        }
    }

    /// All three, to record an attempt under.
    pub fn all(&self) -> [String; 3] {
        [
            self.pair.clone(),
            self.address.clone(),
            self.account.clone(),
        ]
    }
}

/// The key wrong current passwords are counted under when a user changes their password.
pub fn password_change_key(user_id: i64) -> String {
    format!("password-change:{user_id}")
}

/// What the ledger says about a login with `keys` from `address`, as `user_id` when the email
/// belongs to someone, at `now`. Read it in the same [`Lock::Attempts`] transaction that
/// records the attempt, or concurrent attempts all see the same count.
///
/// [`Lock::Attempts`]: crate::server::db::Lock::Attempts
///
/// # Errors
/// On a database failure.
pub async fn login_attempts<C: ConnectionTrait>(
    conn: &C,
    keys: &LoginKeys,
    user_id: Option<i64>,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Attempts, DbErr> {
    let since = now - Duration::minutes(login_limit::WINDOW_MINUTES);
    let latest = login_failures::Entity::find()
        .filter(login_failures::Column::Key.eq(keys.account.as_str()))
        .filter(login_failures::Column::At.gt(since))
        .order_by_desc(login_failures::Column::At)
        .one(conn)
        .await?;
    let known_address = match user_id {
        Some(id) => {
            login_successes::Entity::find()
                .filter(login_successes::Column::UserId.eq(id))
                .filter(login_successes::Column::Address.eq(address))
                .filter(
                    login_successes::Column::At
                        .gt(now - Duration::days(login_limit::KNOWN_ADDRESS_DAYS)),
                )
                .count(conn)
                .await?
                > 0
        }
        None => false,
    };
    Ok(Attempts {
        pair: failures_since(conn, &keys.pair, since).await?,
        address: failures_since(conn, &keys.address, since).await?,
        account: failures_since(conn, &keys.account, since).await?,
        seconds_since_account_failure: latest.map(|row| (now - row.at).num_seconds()),
        known_address,
    })
}

/// Records an attempt under each key; it counts as a failure unless [`forget_attempt`] takes
/// it back once the password proved right. Recording before checking the password is what
/// keeps concurrent guesses within the limit. Returns the rows' ids.
///
/// # Errors
/// On a database failure.
pub async fn record_attempt<C: ConnectionTrait>(
    conn: &C,
    keys: &[String],
    at: DateTime<Utc>,
) -> Result<Vec<i64>, DbErr> {
    let mut ids = Vec::with_capacity(keys.len());
    for key in keys {
        let row = login_failures::ActiveModel {
            key: Set(key.clone()),
            at: Set(at),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        ids.push(row.id);
    }
    Ok(ids)
}

/// Takes back an attempt [`record_attempt`] recorded: it was not a failure.
///
/// # Errors
/// On a database failure.
pub async fn forget_attempt<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Id.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Remembers that `user_id` logged in from `address` at `at`, and forgets their addresses
/// older than [`login_limit::KNOWN_ADDRESS_DAYS`].
///
/// # Errors
/// On a database failure.
pub async fn remember_login<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    address: &str,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    login_successes::Entity::delete_many()
        .filter(login_successes::Column::UserId.eq(user_id))
        .filter(
            sea_orm::Condition::any()
                .add(login_successes::Column::Address.eq(address))
                .add(
                    login_successes::Column::At
                        .lt(at - Duration::days(login_limit::KNOWN_ADDRESS_DAYS)),
                ),
        )
        .exec(conn)
        .await?;
    login_successes::ActiveModel {
        user_id: Set(user_id),
        address: Set(address.to_owned()),
        at: Set(at),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// How many failures were recorded under `key` since `since`.
///
/// # Errors
/// On a database failure.
pub async fn failures_since<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    login_failures::Entity::find()
        .filter(login_failures::Column::Key.eq(key))
        .filter(login_failures::Column::At.gt(since))
        .count(conn)
        .await
}

/// Forgets the failures under `key` (after a successful login) and any older than `before`.
///
/// # Errors
/// On a database failure.
pub async fn clear_failures<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    before: DateTime<Utc>,
) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(login_failures::Column::Key.eq(key))
                .add(login_failures::Column::At.lt(before)),
        )
        .exec(conn)
        .await?;
    Ok(())
}
