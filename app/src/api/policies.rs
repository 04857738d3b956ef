//! Server functions for the due-date policies: weeks per priority from committing a follow-up
//! to its default due date, set by admins. Others meet them as the hint under a follow-up's due
//! date.

use leptos::prelude::*;

use crate::domain::follow_up::PolicyForm;
use crate::error::AppError;

/// The policies as the admin's form shows them (admins only).
#[server(prefix = "/api", endpoint = "policies/due-dates")]
pub async fn due_policies() -> Result<PolicyForm, AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let policies = crate::server::repo::follow_ups::policies(&state.db).await?;
    Ok(PolicyForm::from_policies(&policies))
}

/// Replaces the policies (admins only). A policy applies to follow-ups committed from now on;
/// due dates already set stay as they are.
#[server(prefix = "/api", endpoint = "policies/due-dates/save")]
pub async fn save_due_policies(form: PolicyForm) -> Result<(), AppError> {
    let state = super::state()?;
    super::access::require(crate::domain::account::Role::Admin)?;
    let policies = form.parse()?;
    let txn = crate::server::db::begin_write(&state.db).await?;
    crate::server::repo::follow_ups::set_policies(&txn, &policies).await?;
    txn.commit().await?;
    super::redirect("/admin/policies?saved=1");
    Ok(())
}
