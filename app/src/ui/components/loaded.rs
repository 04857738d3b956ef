//! Loading page data: a suspense boundary that shows either the data or a clear error. What
//! makes a resource load again after an action is in `changed`.

use leptos::prelude::*;

use crate::error::AppError;

/// Shows an error a server function returned, in words a person can act on. On the server it
/// also sets the page's status code (404 for something that is not there).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(error.status())
    {
        response.set_status(status);
    }
    let heading = match &error {
        AppError::NotFound(_) => "Not found",
        AppError::Internal { .. } | AppError::Unreachable(_) => "Something went wrong",
        _ => "That did not work",
    };
    view! {
        <section class="notice notice-error" role="alert">
            <h2>{heading}</h2>
            <p>{error.to_string()}</p>
            <p><a href="/">"Back to all incidents"</a></p>
        </section>
    }
}

/// Waits for `resource` and renders `view` with its value, or an [`ErrorNotice`].
#[component]
pub fn Loaded<T, V, F>(resource: Resource<Result<T, AppError>>, view: F) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match resource.await {
                        Ok(data) => view(data).into_any(),
                        Err(error) => view! { <ErrorNotice error=error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
