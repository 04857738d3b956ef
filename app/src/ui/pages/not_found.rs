//! The page for addresses Debrief does not serve.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::error::AppError;
use crate::ui::components::loaded::ErrorNotice;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text="Not found" />
        <ErrorNotice error=AppError::not_found("This page") />
    }
}
