//! The page-level notice for a plain-form post that failed for a reason that is not about one of
//! its fields (the item was already deleted, the server failed): forms show field errors beside
//! their fields, this shows everything else, once, above the page.

use leptos::prelude::*;

use crate::ui::pages::{flash_id, with_flash};

#[component]
pub fn FlashNotice() -> impl IntoView {
    let flash = flash_id();
    let notice = Resource::new(
        move || flash.get(),
        |flash| async move {
            if flash.is_empty() {
                return None;
            }
            with_flash(flash, async { Ok(()) })
                .await
                .ok()
                .and_then(|((), flash)| flash)
                .map(|f| f.error)
                .filter(|e| !e.is_about_fields())
                .map(|e| e.to_string())
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                notice.await.map(|message| view! { <div class="notice notice-error" role="alert">{message}</div> })
            })}
        </Suspense>
    }
}
