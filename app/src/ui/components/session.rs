//! Who is logged in, for the whole page: the header shows them, and pages hide what their role
//! may not do (the server checks again; hiding is only a courtesy).

use leptos::prelude::*;

use crate::api::account::who_am_i;
use crate::domain::account::{Role, User};
use crate::error::AppError;

/// The logged-in user, loaded once per page.
#[derive(Clone, Copy)]
pub struct Session {
    user: Resource<Result<Option<User>, AppError>>,
}

impl Session {
    /// Provides the session to the app.
    pub fn provide() {
        let user = Resource::new(|| (), |()| who_am_i());
        provide_context(Session { user });
    }

    /// The session provided by the app.
    pub fn get() -> Option<Session> {
        use_context::<Session>()
    }

    /// The user, once loaded (None while loading, when logged out or on an error).
    pub fn user(self) -> Option<User> {
        self.user.get().and_then(Result::ok).flatten()
    }

    /// The user, awaiting the load.
    pub async fn user_async(self) -> Option<User> {
        self.user.await.ok().flatten()
    }
}

/// Shows `children` only when the logged-in user's role includes `role`; otherwise nothing,
/// or the `otherwise` notice, which says why.
#[component]
pub fn IfRole(
    role: Role,
    children: ChildrenFn,
    #[prop(optional)] otherwise: Option<&'static str>,
) -> impl IntoView {
    let session = Session::get();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    let allowed = match session {
                        Some(s) => s.user_async().await.is_some_and(|u| u.role.includes(role)),
                        None => false,
                    };
                    if allowed {
                        children().into_any()
                    } else {
                        otherwise
                            .map(|notice| view! { <p class="notice" role="note">{notice}</p> })
                            .into_any()
                    }
                })
            }}
        </Suspense>
    }
}
