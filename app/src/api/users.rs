//! Server functions for managing people (admins only), and the list of people others pick
//! owners from.

use leptos::prelude::*;

use crate::domain::account::{AccountForm, User};
use crate::dto::people::Person;
use crate::error::AppError;

/// Every account, for the admin.
#[server(prefix = "/api", endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    Ok(crate::server::repo::accounts::list(&state.db).await?)
}

/// The active people, by name, to pick owners and participants from.
#[server(prefix = "/api", endpoint = "users/people")]
pub async fn list_people() -> Result<Vec<Person>, AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Viewer)?;
    crate::server::query::people::people(&state).await
}

/// Creates an account with a role; the admin passes the first password on to its owner.
#[server(prefix = "/api", endpoint = "users/add")]
pub async fn add_user(form: AccountForm) -> Result<i64, AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let mut account = form.parse()?;
    account.time_zone = super::checked_zone(&account.time_zone)?;
    let hash = crate::server::password::hash_off_thread(&account.password)
        .await
        .map_err(super::internal)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    let id = crate::server::repo::accounts::create(&txn, &account, &hash)
        .await
        .map_err(|e| {
            super::unless_taken(e, || {
                AppError::invalid("email", "An account with this email already exists.")
            })
        })?;
    txn.commit().await?;
    super::redirect("/admin/users");
    Ok(id)
}

/// Changes someone's role and team, or deactivates (or reactivates) them. Deactivating ends
/// their sessions. The last active admin cannot be demoted or deactivated: the count is taken
/// under [`Lock::Accounts`], so two admins demoting each other at once leave one admin.
///
/// [`Lock::Accounts`]: crate::server::db::Lock::Accounts
#[server(prefix = "/api", endpoint = "users/update")]
pub async fn update_user(
    id: i64,
    role: String,
    #[server(default)] active: String,
    #[server(default)] team: String,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::domain::form::{MAX_SHORT_TEXT_CHARS, checkbox, optional_text};
    use crate::server::repo::accounts;
    let state = super::state()?;
    super::access::require(Role::Admin)?;
    let role = Role::parse(&role)
        .ok_or_else(|| AppError::invalid("role", format!("Unknown role {role:?}.")))?;
    let active = checkbox(&active);
    let team = optional_text(&team, "Team", MAX_SHORT_TEXT_CHARS)
        .map_err(|message| AppError::invalid("team", message))?;
    let txn = crate::server::db::begin_locked(&state.db, crate::server::db::Lock::Accounts).await?;
    let existing = accounts::get(&txn, id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("User {id}")))?
        .user;
    let stops_being_admin =
        existing.role == Role::Admin && existing.active && (role != Role::Admin || !active);
    if stops_being_admin && accounts::active_admins(&txn).await? <= 1 {
        return Err(AppError::invalid(
            "role",
            "This is the last active admin. Make someone else an admin first.",
        ));
    }
    accounts::update_person(&txn, id, role, active, &team).await?;
    txn.commit().await?;
    super::redirect("/admin/users");
    Ok(())
}
