//! A template's history (`/admin/templates/:id/history`, admins only): who changed it, when,
//! and what changed, newest first; kept after the template is deleted.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::template_admin::template_history;
use crate::dto::template::TemplateHistoryView;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn TemplateHistoryPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(0)
    });
    let data = Resource::new(move || id.get(), template_history);
    view! { <Loaded resource=data view=history /> }
}

fn history(view: TemplateHistoryView) -> impl IntoView {
    let heading = format!("History of “{}”", view.name);
    let back = if view.exists {
        view! { <a href=format!("/admin/templates/{}", view.id)>{view.name.clone()}</a> }.into_any()
    } else {
        view! { <span>{format!("{} (deleted)", view.name)}</span> }.into_any()
    };
    view! {
        <Title text=heading.clone() />
        <section class="narrow">
            <p class="crumbs"><a href="/admin/templates">"Templates"</a>" / "{back}" / History"</p>
            <h1>{heading}</h1>
            {if view.revisions.is_empty() {
                view! { <p class="empty-inline">"No change has been recorded yet: changes saved on the template's form appear here."</p> }.into_any()
            } else {
                view! {
                    <ol class="history template-history">
                        {view.revisions.into_iter().map(|r| view! {
                            <li>
                                <p><strong>{r.action}</strong>" by "{r.user_name}", "{r.at}</p>
                                {(!r.changes.is_empty()).then(|| view! {
                                    <ul class="small">{r.changes.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                                })}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}
