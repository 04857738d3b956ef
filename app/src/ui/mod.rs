//! The user interface: the HTML shell, the routes, pages and components.
//!
//! Pages get their data only through `api` server functions; nothing here imports `server`.

pub mod components;
pub mod islands;
pub mod options;
pub mod pages;
pub mod raw_text;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode, StaticSegment,
    components::{Route, Router, Routes},
    path,
};

use components::layout::{Footer, Header};
use components::session::Session;
use pages::*;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // `/pkg/debrief.css`, or its hashed name in a release build made with hashing.
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The routed application.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    Session::provide();
    view! {
        <Title formatter=|title: String| raw_text::raw_text(&if title.is_empty() { "Debrief".to_owned() } else { format!("{title} · Debrief") }) />
        <Router>
            <Header />
            <main>
                <components::flash_notice::FlashNotice />
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=StaticSegment("") view=IncidentListPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/new") view=IncidentFormPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/import") view=ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id") view=PostmortemPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/edit") view=IncidentFormPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/lessons") view=LessonsPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/fields") view=FieldsPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/history") view=HistoryPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/review") view=ReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/share") view=SharingPage ssr=SsrMode::Async />
                    <Route path=path!("/shared/:token") view=SharedPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/timeline/:item") view=TimelineEntryPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/impact/:item") view=ImpactFigurePage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/changes/:item") view=ChangePage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/follow-ups/:item") view=FollowUpPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/factors/:item") view=FactorPage ssr=SsrMode::Async />
                    <Route path=path!("/incidents/:id/related/:item") view=RelatedIncidentPage ssr=SsrMode::Async />
                    <Route path=path!("/follow-ups") view=FollowUpsPage ssr=SsrMode::Async />
                    <Route path=path!("/changes") view=ChangesPage ssr=SsrMode::Async />
                    <Route path=path!("/metrics") view=MetricsPage ssr=SsrMode::Async />
                    <Route path=path!("/review-groups") view=ReviewGroupsPage ssr=SsrMode::Async />
                    <Route path=path!("/review-groups/new") view=NewReviewGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/review-groups/:id") view=ReviewGroupPage ssr=SsrMode::Async />
                    <Route path=path!("/library") view=LibraryPage ssr=SsrMode::Async />
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("/library/lists") view=ReadingListsPage ssr=SsrMode::Async />
                    <Route path=path!("/library/notes/:id") view=MentorNotesPage ssr=SsrMode::Async />
                    <Route path=path!("/my-work") view=MyWorkPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/policies") view=PoliciesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/templates") view=TemplatesPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/templates/:id") view=TemplateFormPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/templates/:id/history") view=TemplateHistoryPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/integrations") view=IntegrationsPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/webhooks") view=WebhooksAdminPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/webhooks/:id") view=WebhookEditPage ssr=SsrMode::Async />
                    <Route path=path!("/admin/factor-categories") view=FactorCategoriesPage ssr=SsrMode::Async />
                </Routes>
            </main>
            <Footer />
            <islands::Ready />
        </Router>
    }
}
