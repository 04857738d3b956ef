//! Server functions for the reader's settings (time zone) and the Markdown preview.

use leptos::prelude::*;

use crate::dto::settings::ZoneChoice;
use crate::error::AppError;

/// The zone times are entered and shown in.
#[server(prefix = "/api", endpoint = "settings/zone")]
pub async fn time_zone() -> Result<ZoneChoice, AppError> {
    use crate::domain::time::Zone;
    Ok(ZoneChoice {
        current: super::zone().name(),
    })
}

/// Every zone name a reader can choose, sorted. Asked for only when the zone picker is used,
/// so that the list (about 600 names) is not part of every page.
#[server(prefix = "/api", endpoint = "settings/zone/names")]
pub async fn time_zone_names() -> Result<Vec<String>, AppError> {
    Ok(crate::server::zone::NamedZone::all_names()
        .into_iter()
        .map(str::to_owned)
        .collect())
}

/// Chooses the zone times are entered and shown in (kept in a cookie for a year).
#[server(prefix = "/api", endpoint = "settings/zone/set")]
pub async fn set_time_zone(zone: String) -> Result<(), AppError> {
    use crate::server::zone::NamedZone;
    let Some(chosen) = NamedZone::parse(&zone) else {
        return Err(AppError::invalid(
            "zone",
            format!("{zone:?} is not a time zone name Debrief knows, e.g. Europe/London."),
        ));
    };
    let response = use_context::<leptos_axum::ResponseOptions>().ok_or_else(|| {
        super::internal("ResponseOptions missing from the server function context")
    })?;
    let cookie = format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
        super::ZONE_COOKIE,
        chosen.0.name()
    );
    if let Ok(value) = http::HeaderValue::from_str(&cookie) {
        response.append_header(http::header::SET_COOKIE, value);
    }
    if let Some(user) = super::access::signed_in() {
        let state = super::state()?;
        let txn = crate::server::db::begin_write(&state.db).await?;
        crate::server::repo::accounts::set_time_zone(&txn, user.id, chosen.0.name()).await?;
        txn.commit().await?;
    }
    Ok(())
}

/// Markdown as the postmortem will show it: rendered and sanitised on the server.
#[server(prefix = "/api", endpoint = "markdown/preview")]
pub async fn preview_markdown(text: String) -> Result<String, AppError> {
    super::access::require(crate::domain::account::Role::Viewer)?;
    if text.chars().count() > 20_000 {
        return Err(AppError::invalid(
            "text",
            "Markdown fields hold at most 20,000 characters.",
        ));
    }
    Ok(crate::server::markdown::render(&text))
}
