//! Writes an integration makes on a postmortem's follow-ups (the read API's state endpoint): it
//! is no person and has no session, so it opens its [`Edit`] as a viewer named after it, on a
//! postmortem a viewer may read (published) only, and moves follow-ups through
//! [`move_follow_up`], the one move the follow-up form makes too.

use chrono::NaiveDate;

use super::Edit;
use crate::domain::account::User;
use crate::domain::follow_up::{FollowUp, FollowUpState, MoveContext};
use crate::domain::history::{Action, Part, fields, summary};
use crate::domain::incident::Incident;
use crate::error::AppError;
use crate::server::AppState;

impl Edit {
    /// Opens a write on a postmortem's follow-ups for an integration (`as_user`, a viewer with
    /// no account): holding the incident's lock, checks that a viewer may read it (else
    /// NotFound, so a draft's existence is not revealed). Its history names `as_user`.
    ///
    /// # Errors
    /// NotFound, or a database failure.
    pub async fn begin_as_integration(
        state: &AppState,
        incident_id: i64,
        as_user: &User,
    ) -> Result<Self, AppError> {
        let (txn, turn) = state.writes.begin(&state.db).await?;
        crate::server::repo::incidents::lock(&txn, incident_id).await?;
        crate::server::repo::incidents::get(&txn, incident_id)
            .await?
            .filter(|i: &Incident| crate::server::visibility::may_read(as_user, i))
            .ok_or_else(|| AppError::not_found(format!("Incident {incident_id}")))?;
        Ok(Edit {
            txn,
            user: as_user.clone(),
            incident_id,
            touched: std::sync::Mutex::default(),
            _turn: turn,
        })
    }
}

/// Moves a follow-up to `to` within `edit` (the domain's rules, see [`FollowUp::moved`]) and
/// records the move in its history under the edit's user; `note` is the reason (won't do) or
/// the evidence (verified). A `link` (an integration's evidence, already checked) becomes the
/// evidence of a follow-up moved to done, and is recorded in the history of any move.
///
/// # Errors
/// Under `note` for a move the rules refuse; on a database failure.
pub async fn move_follow_up(
    edit: &Edit,
    existing: &FollowUp,
    to: FollowUpState,
    note: &str,
    today: NaiveDate,
    link: Option<String>,
) -> Result<FollowUp, AppError> {
    let policies = crate::server::repo::follow_ups::policies(edit.txn()).await?;
    let context = MoveContext {
        now: chrono::Utc::now(),
        today,
        policies: &policies,
        by: (edit.user.id, edit.user.display_name.clone()),
    };
    let mut next = existing
        .moved(to, note, &context)
        .map_err(|e| AppError::invalid("note", e.to_string()))?;
    if to == FollowUpState::Done && link.is_some() {
        next.evidence.clone_from(&link);
    }
    let state_of = |f: &FollowUp, link: Option<&str>| {
        let due = f.follow_up.due.map(|d| d.to_string()).unwrap_or_default();
        let verified_by = f
            .verified
            .as_ref()
            .map(|v| v.by.as_str())
            .unwrap_or_default();
        let mut pairs = vec![
            ("state", f.state.label()),
            ("due", &due),
            (
                "won't do reason",
                f.wont_do_reason.as_deref().unwrap_or_default(),
            ),
            ("evidence", f.evidence.as_deref().unwrap_or_default()),
            ("verified by", verified_by),
        ];
        if let Some(link) = link {
            pairs.push(("link", link));
        }
        fields(&pairs)
    };
    edit.record(
        Part::FollowUp,
        existing.id,
        Action::Moved,
        summary(&existing.follow_up),
        Some(state_of(existing, None)),
        Some(state_of(&next, link.as_deref())),
    )
    .await?;
    crate::server::repo::follow_ups::set_state(edit.txn(), &next).await?;
    Ok(next)
}
