//! Server functions for one's own account: who is logged in, the first admin, logging in and
//! out, and changing one's password.

use leptos::prelude::*;

use crate::domain::account::{AccountForm, LoginForm, PasswordForm, User};
use crate::error::AppError;

/// The longest email a login looks up (as long as any account's can be).
#[cfg(feature = "ssr")]
const MAX_EMAIL_CHARS: usize = 254;

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
/// log, and works only while no account exists (checked under [`Lock::Accounts`], so of many
/// setups posted at once exactly one succeeds, on SQLite and Postgres alike).
///
/// [`Lock::Accounts`]: crate::server::db::Lock::Accounts
#[server(prefix = "/api", endpoint = "account/setup")]
pub async fn create_first_admin(token: String, form: AccountForm) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::server::db::{Lock, begin_locked};
    use crate::server::password;
    use crate::server::repo::accounts;
    let state = super::state()?;
    if !password::same_secret(token.trim(), &state.setup_token) {
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
    let hash = password::hash_off_thread(&account.password)
        .await
        .map_err(super::internal)?;
    let txn = begin_locked(&state.db, Lock::Accounts).await?;
    if accounts::any_user(&txn).await? {
        return Err(AppError::Forbidden(
            "Debrief already has an admin. Log in instead.".to_owned(),
        ));
    }
    let id = accounts::create(&txn, &account, &hash).await?;
    let session = accounts::start_session(&txn, id).await?;
    accounts::forget_setup_token(&txn).await?;
    txn.commit().await?;
    super::set_session_cookie(Some(&session));
    super::redirect("/");
    Ok(())
}

/// Logs in with email and password, then goes to `next` (a path on this site) or home.
///
/// Wrong passwords are limited per account and address, per address, and (with a growing wait
/// that spares addresses the account logged in from before) per account: see
/// `domain::login_limit`. The attempt is counted and recorded in one locked transaction before
/// the password is checked, so concurrent guesses cannot all slip under the limit.
#[server(prefix = "/api", endpoint = "account/login")]
pub async fn log_in(form: LoginForm, #[server(default)] next: String) -> Result<(), AppError> {
    use crate::domain::login_limit;
    use crate::server::db::{Lock, begin_locked};
    use crate::server::repo::accounts;
    let state = super::state()?;
    let email = form.email.trim().to_lowercase();
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(AppError::invalid(
            "email",
            format!("An email address has at most {MAX_EMAIL_CHARS} characters."),
        ));
    }
    let address = super::client_address();
    let keys = accounts::LoginKeys::new(&email, &address);
    let now = chrono::Utc::now();

    let txn = begin_locked(&state.db, Lock::Attempts).await?;
    let found = accounts::find_by_email(&txn, &email).await?;
    let attempts = accounts::login_attempts(
        &txn,
        &keys,
        found.as_ref().map(|c| c.user.id),
        &address,
        now,
    )
    .await?;
    login_limit::check_login(&attempts).map_err(|r| AppError::TooManyRequests(r.message()))?;
    let attempt = accounts::record_attempt(&txn, &keys.all(), now).await?;
    txn.commit().await?;

    let matches = crate::server::password::verify_off_thread(
        &form.password,
        found.as_ref().map(|c| c.password_hash.as_str()),
    )
    .await
    .map_err(super::internal)?;
    let user = match found {
        Some(c) if matches && c.user.active => c.user,
        Some(c) if matches => {
            accounts::forget_attempt(&state.db, &attempt).await?;
            return Err(AppError::Forbidden(format!(
                "The account {} is deactivated. Ask an admin to reactivate it.",
                c.user.email
            )));
        }
        _ => {
            return Err(AppError::invalid(
                "password",
                "That email and password do not match an account.",
            ));
        }
    };
    let txn = begin_locked(&state.db, Lock::Attempts).await?;
    accounts::forget_attempt(&txn, &attempt).await?;
    let window_start = now - chrono::Duration::minutes(login_limit::WINDOW_MINUTES);
    accounts::clear_failures(&txn, &keys.pair, window_start).await?;
    accounts::remember_login(&txn, user.id, &address, now).await?;
    if let Some(old) = super::session_token() {
        accounts::end_session(&txn, &old).await?;
    }
    let session = accounts::start_session(&txn, user.id).await?;
    txn.commit().await?;
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

/// Changes one's own password; every session ends, and this one starts anew. Wrong current
/// passwords are limited like logins (`domain::login_limit`), counted before the check.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(form: PasswordForm) -> Result<(), AppError> {
    use crate::domain::login_limit;
    use crate::server::db::{Lock, begin_locked, begin_write};
    use crate::server::password;
    use crate::server::repo::accounts;
    let state = super::state()?;
    let user = super::access::user()?;
    let new = form.parse()?;
    let key = accounts::password_change_key(user.id);
    let now = chrono::Utc::now();
    let window_start = now - chrono::Duration::minutes(login_limit::WINDOW_MINUTES);

    let txn = begin_locked(&state.db, Lock::Attempts).await?;
    let failures = accounts::failures_since(&txn, &key, window_start).await?;
    login_limit::check_password_change(failures)
        .map_err(|r| AppError::TooManyRequests(r.message()))?;
    let attempt = accounts::record_attempt(&txn, std::slice::from_ref(&key), now).await?;
    txn.commit().await?;

    let stored = accounts::get(&state.db, user.id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let matches = password::verify_off_thread(&form.current_password, Some(&stored.password_hash))
        .await
        .map_err(super::internal)?;
    if !matches {
        return Err(AppError::invalid(
            "current_password",
            "That is not your current password.",
        ));
    }
    let hash = password::hash_off_thread(&new)
        .await
        .map_err(super::internal)?;
    let txn = begin_write(&state.db).await?;
    accounts::forget_attempt(&txn, &attempt).await?;
    accounts::clear_failures(&txn, &key, window_start).await?;
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
