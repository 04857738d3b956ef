//! Server functions for notifications: each person's "Email me about" choices (on their
//! account page) and the admin's reminder schedule (on the policies page).

use leptos::prelude::*;

use crate::domain::notify::choices::{EmailChoicesForm, NoticePolicyForm};
use crate::error::AppError;

/// The reader's email choices, as their form shows them.
#[server(prefix = "/api", endpoint = "settings/email")]
pub async fn email_choices() -> Result<EmailChoicesForm, AppError> {
    let state = super::state()?;
    let user = super::access::user()?;
    let choices = crate::server::repo::notices::email_choices(&state.db, user.id).await?;
    Ok(EmailChoicesForm::from_choices(&choices))
}

/// Saves which events reach the reader by email.
#[server(prefix = "/api", endpoint = "settings/email/save")]
pub async fn save_email_choices(form: EmailChoicesForm) -> Result<(), AppError> {
    let state = super::state()?;
    let user = super::access::user()?;
    let choices = form.parse();
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::notices::set_email_choices(&txn, user.id, &choices).await?;
    txn.commit().await?;
    super::redirect("/account?saved=email");
    Ok(())
}

/// The reminder schedule as the admin's form shows it (admins only).
#[server(prefix = "/api", endpoint = "policies/notices")]
pub async fn notice_policy() -> Result<NoticePolicyForm, AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let policy = crate::server::repo::notices::policy(&state.db).await?;
    Ok(NoticePolicyForm::from_policy(&policy))
}

/// Saves the reminder schedule (admins only); the next tick follows it.
#[server(prefix = "/api", endpoint = "policies/notices/save")]
pub async fn save_notice_policy(form: NoticePolicyForm) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let policy = form.parse()?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::notices::set_policy(&txn, &policy, chrono::Utc::now()).await?;
    txn.commit().await?;
    super::redirect("/admin/policies?saved=notices");
    Ok(())
}
