//! Server functions for one's own account: who is logged in, the first admin, logging in and
//! out, and changing one's password.

use leptos::prelude::*;

use crate::domain::account::{AccountForm, LoginForm, PasswordForm, User};
use crate::error::AppError;

/// Failed logins allowed per account, and per address, within [`FAILURE_WINDOW_MINUTES`].
#[cfg(feature = "ssr")]
const MAX_ACCOUNT_FAILURES: u64 = 5;
#[cfg(feature = "ssr")]
const MAX_ADDRESS_FAILURES: u64 = 20;
#[cfg(feature = "ssr")]
const FAILURE_WINDOW_MINUTES: i64 = 15;

/// The logged-in user, or None.
#[server(prefix = "/api", endpoint = "account/me")]
pub async fn who_am_i() -> Result<Option<User>, AppError> {
    Ok(super::access::signed_in())
}

/// Whether Debrief still has no account, so the first admin must be created.
#[server(prefix = "/api", endpoint = "account/setup/needed")]
pub async fn setup_needed() -> Result<bool, AppError> {
    let state = super::state()?;
    Ok(!crate::server::repo::accounts::any_user(&state.db).await?)
}

/// Creates the first admin and logs them in. Needs the setup token the server printed in its
/// log, and works only while no account exists.
#[server(prefix = "/api", endpoint = "account/setup")]
pub async fn create_first_admin(token: String, form: AccountForm) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::server::repo::accounts;
    let state = super::state()?;
    if token.trim() != &*state.setup_token {
        return Err(AppError::Forbidden(
            "This setup link is not valid. Use the link the Debrief server printed in its log when it started."
                .to_owned(),
        ));
    }
    let mut account = AccountForm {
        role: Role::Admin.as_str().to_owned(),
        ..form
    }
    .parse()?;
    account.time_zone = super::checked_zone(&account.time_zone)?;
    let hash = crate::server::password::hash(&account.password).map_err(super::internal)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    if accounts::any_user(&txn).await? {
        return Err(AppError::Forbidden(
            "Debrief already has an admin. Log in instead.".to_owned(),
        ));
    }
    let id = accounts::create(&txn, &account, &hash).await?;
    let session = accounts::start_session(&txn, id).await?;
    txn.commit().await?;
    super::set_session_cookie(Some(&session));
    super::redirect("/");
    Ok(())
}

/// Logs in with email and password, then goes to `next` (a path on this site) or home.
/// Failed attempts are limited per account and per address.
#[server(prefix = "/api", endpoint = "account/login")]
pub async fn log_in(form: LoginForm, #[server(default)] next: String) -> Result<(), AppError> {
    use crate::server::repo::accounts;
    let state = super::state()?;
    let now = chrono::Utc::now();
    let since = now - chrono::Duration::minutes(FAILURE_WINDOW_MINUTES);
    let email = form.email.trim().to_lowercase();
    let account_key = format!("account:{email}");
    let address_key = format!("address:{}", super::client_address());
    if accounts::failures_since(&state.db, &account_key, since).await? >= MAX_ACCOUNT_FAILURES
        || accounts::failures_since(&state.db, &address_key, since).await? >= MAX_ADDRESS_FAILURES
    {
        return Err(AppError::TooManyRequests(format!(
            "Too many failed logins. Wait {FAILURE_WINDOW_MINUTES} minutes and try again, or ask an admin to reset your password."
        )));
    }
    let found = accounts::find_by_email(&state.db, &email).await?;
    let hash = found
        .as_ref()
        .map_or(crate::server::password::decoy_hash(), |c| {
            c.password_hash.as_str()
        });
    let matches = crate::server::password::verify(&form.password, hash);
    let user = match found {
        Some(c) if matches && c.user.active => c.user,
        Some(c) if matches => {
            return Err(AppError::Forbidden(format!(
                "The account {} is deactivated. Ask an admin to reactivate it.",
                c.user.email
            )));
        }
        _ => {
            accounts::record_failure(&state.db, &[account_key, address_key], now).await?;
            return Err(AppError::invalid(
                "password",
                "That email and password do not match an account.",
            ));
        }
    };
    accounts::clear_failures(&state.db, &account_key, since).await?;
    if let Some(old) = super::session_token() {
        accounts::end_session(&state.db, &old).await?;
    }
    let session = accounts::start_session(&state.db, user.id).await?;
    super::set_session_cookie(Some(&session));
    super::redirect(&local_path(&next));
    Ok(())
}

/// Ends this session and goes to the login page.
#[server(prefix = "/api", endpoint = "account/logout")]
pub async fn log_out() -> Result<(), AppError> {
    let state = super::state()?;
    if let Some(token) = super::session_token() {
        crate::server::repo::accounts::end_session(&state.db, &token).await?;
    }
    super::set_session_cookie(None);
    super::redirect("/login");
    Ok(())
}

/// Changes one's own password; every session ends, and this one starts anew.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(form: PasswordForm) -> Result<(), AppError> {
    use crate::server::repo::accounts;
    let state = super::state()?;
    let user = super::access::user()?;
    let new = form.parse()?;
    let stored = accounts::get(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !crate::server::password::verify(&form.current_password, &stored.password_hash) {
        return Err(AppError::invalid(
            "current_password",
            "That is not your current password.",
        ));
    }
    let hash = crate::server::password::hash(&new).map_err(super::internal)?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    accounts::set_password(&txn, user.id, &hash).await?;
    let session = accounts::start_session(&txn, user.id).await?;
    txn.commit().await?;
    super::set_session_cookie(Some(&session));
    super::redirect("/account?saved=password");
    Ok(())
}

/// `next` if it is a path on this site, else the home page (never another site, never a value
/// that cannot be a `Location` header).
pub fn local_path(next: &str) -> String {
    crate::domain::redirect::same_origin_path(next.trim())
        .unwrap_or("/")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn after_login_only_paths_on_this_site_are_followed() {
        assert_eq!(local_path("/incidents/3?x=1"), "/incidents/3?x=1");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("//evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example/"), "/");
        assert_eq!(local_path(""), "/");
    }

    #[test]
    fn after_login_a_path_a_browser_would_read_as_another_site_goes_home() {
        assert_eq!(local_path("/\t/evil.example"), "/");
        assert_eq!(local_path("/\n/evil.example"), "/");
        assert_eq!(local_path("/x\r\nSet-Cookie: a=b"), "/");
    }
}
