//! Contributing factors against the real server: added through the plain form (and sent back
//! with what was typed when it is wrong), edited with versions and history, addressed by
//! follow-ups, the review's computed check, the categories admins keep, the recurrence hint,
//! the rollup on /changes, search, and the worked example's factors.

use super::*;
use app::api::factors::{
    AddFactor, AddFactorCategory, DeleteFactor, FactorForEdit, FactorForNew, UpdateFactor,
    UpdateFactorCategory,
};
use app::api::review::{ApprovePostmortem, ReviewFor, SubmitForReview};
use app::domain::account::Role;
use app::dto::editing::Editing;
use app::dto::factors::FactorEditing;
use app::dto::review::ReviewView;

/// A new incident with a change; returns its id.
async fn incident(app: &common::TestApp, title: &str) -> String {
    let (status, location) = app
        .submit(
            CreateIncident::PATH,
            "/incidents/new",
            &incident_fields(title, "Logins failed."),
        )
        .await;
    assert_eq!(status, 302, "created");
    id_from(&location.expect("a location")).to_owned()
}

/// The id of the category named `name` in a new factor's form.
async fn category(app: &common::TestApp, incident: &str, name: &str) -> String {
    let editing: Editing<FactorEditing> = app
        .json(FactorForNew::PATH, &[("incident_id", incident)])
        .await;
    editing
        .form
        .categories
        .iter()
        .find(|(_, label)| label == name)
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| panic!("no category {name:?} in {:?}", editing.form.categories))
}

/// Adds a factor through the plain form; returns its id.
async fn add_factor(
    app: &common::TestApp,
    incident: &str,
    statement: &str,
    category_id: &str,
) -> String {
    let (status, location) = app
        .submit(
            AddFactor::PATH,
            &format!("/incidents/{incident}/factors/new"),
            &[
                ("incident_id", incident),
                ("form[statement]", statement),
                ("form[category_id]", category_id),
                ("form[role]", "condition"),
            ],
        )
        .await;
    assert_eq!(status, 302, "added");
    let location = location.expect("back to the postmortem");
    location
        .split("#factor-")
        .nth(1)
        .unwrap_or_else(|| panic!("the factor's place: {location}"))
        .to_owned()
}

#[tokio::test]
async fn a_factor_added_through_the_plain_form_shows_and_an_error_keeps_what_was_typed() {
    let app = spawn().await;
    let id = incident(&app, "Restart of every server").await;
    let page = format!("/incidents/{id}/factors/new");
    let typed = "The restart job does not ask before touching every server";
    let (status, location) = app
        .submit(
            AddFactor::PATH,
            &page,
            &[
                ("incident_id", id.as_str()),
                ("form[statement]", typed),
                ("form[category_id]", ""),
                ("form[role]", "trigger"),
            ],
        )
        .await;
    assert_eq!(status, 303, "sent back to the form");
    let location = location.expect("a location");
    assert!(location.contains("flash="), "{location}");
    let (status, html) = app.page(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains(typed), "the statement typed is still there");
    assert!(
        text_of(&html).contains("Choose a category."),
        "the error is under the category"
    );
    assert!(html.contains("class=\"field invalid\""));

    let safeguard = category(&app, &id, "Missing safeguard").await;
    let factor = add_factor(&app, &id, typed, &safeguard).await;
    let (_, html) = app.page(&format!("/incidents/{id}")).await;
    assert!(html.contains(&format!("id=\"factor-{factor}\"")), "{html}");
    let text = text_of(&html);
    assert!(text.contains(typed) && text.contains("Missing safeguard"));
    assert!(text.contains("No follow-up addresses it yet"), "{text}");
}

#[tokio::test]
async fn a_factor_is_edited_with_its_version_recorded_in_the_history_and_deleted() {
    let app = spawn().await;
    let id = incident(&app, "A factor edited twice").await;
    let safeguard = category(&app, &id, "Missing safeguard").await;
    let factor = add_factor(&app, &id, "No confirmation step", &safeguard).await;
    let version = app.version(FactorForEdit::PATH, &factor).await;
    let save = |statement: &'static str, version: String| {
        let (factor, safeguard) = (factor.clone(), safeguard.clone());
        let app = &app;
        async move {
            app.call(
                UpdateFactor::PATH,
                &[
                    ("id", factor.as_str()),
                    ("version", version.as_str()),
                    ("form[statement]", statement),
                    ("form[category_id]", safeguard.as_str()),
                    ("form[role]", "condition"),
                ],
            )
            .await
        }
    };
    let (status, body) = save(
        "No confirmation before a run touches every server",
        version.clone(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = save("A stale save", version).await;
    assert_eq!(
        status, 409,
        "a save from an older version conflicts: {body}"
    );
    let (_, html) = app.page(&format!("/incidents/{id}/history")).await;
    let text = text_of(&html);
    assert!(
        text.contains("Contributing factor") && text.contains("No confirmation before a run"),
        "{text}"
    );
    let (status, body) = app.call(DeleteFactor::PATH, &[("id", &factor)]).await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = app.page(&format!("/incidents/{id}")).await;
    assert!(!html.contains(&format!("id=\"factor-{factor}\"")));
}

#[tokio::test]
async fn a_follow_up_addresses_a_factor_and_the_review_check_follows() {
    let app = spawn().await;
    let id = incident(&app, "Checked by its factors").await;
    let safeguard = category(&app, &id, "Missing safeguard").await;
    let statement = "Nothing asks before a run touches every server";
    let factor = add_factor(&app, &id, statement, &safeguard).await;
    let (status, body) = app.call(SubmitForReview::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");

    let review: ReviewView = app.json(ReviewFor::PATH, &[("id", &id)]).await;
    assert!(
        !review.factor_check.holds(),
        "nothing addresses the factor yet"
    );
    let reviewer = app.browser_as(Role::Reviewer).await;
    let approval = [
        ("id", id.as_str()),
        ("form[timeline_complete]", "on"),
        ("form[impact_quantified]", "on"),
        ("form[trigger_identified]", "on"),
        ("form[follow_ups_address_trigger]", "on"),
        ("form[blameless]", "on"),
    ];
    let (status, body) = reviewer.call(ApprovePostmortem::PATH, &approval).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("follow_ups_address_trigger") && body.contains(statement),
        "the refusal names the factor: {body}"
    );
    let (_, html) = app.page(&format!("/incidents/{id}/review")).await;
    assert!(
        html.contains(&format!("#factor-{factor}")) && text_of(&html).contains("not addressed"),
        "the review page links to the factor: {html}"
    );

    let (status, body) = app
        .call(
            AddFollowUp::PATH,
            &[
                ("incident_id", id.as_str()),
                ("form[title]", "Ask before touching every server"),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[factor_id]", factor.as_str()),
                ("state", "proposed"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let review: ReviewView = app.json(ReviewFor::PATH, &[("id", &id)]).await;
    assert!(review.factor_check.holds(), "{:?}", review.factor_check);
    let (_, html) = app.page(&format!("/incidents/{id}")).await;
    let text = text_of(&html);
    assert!(text.contains("Addresses the factor"), "{text}");
    assert!(
        text.contains("Addressed by: Ask before touching every server"),
        "{text}"
    );
    let (status, body) = reviewer.call(ApprovePostmortem::PATH, &approval).await;
    assert_eq!(status, 200, "the computed item holds now: {body}");
}

#[tokio::test]
async fn a_follow_up_cannot_address_another_incidents_factor() {
    let app = spawn().await;
    let one = incident(&app, "One").await;
    let other = incident(&app, "Other").await;
    let safeguard = category(&app, &one, "Missing safeguard").await;
    let factor = add_factor(&app, &one, "Something of the first", &safeguard).await;
    let (status, body) = app
        .call(
            AddFollowUp::PATH,
            &[
                ("incident_id", other.as_str()),
                ("form[title]", "Borrowed factor"),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p2"),
                ("form[factor_id]", factor.as_str()),
                ("state", "proposed"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("factor_id"), "{body}");
}

#[tokio::test]
async fn admins_add_rename_and_retire_categories_and_factors_keep_retired_ones() {
    let app = spawn().await;
    let id = incident(&app, "Capacity").await;
    let (status, location) = app
        .submit(
            AddFactorCategory::PATH,
            "/admin/factor-categories",
            &[("form[name]", "")],
        )
        .await;
    assert_eq!(status, 303, "an empty name is sent back");
    let (_, html) = app.page(&location.expect("a location")).await;
    assert!(text_of(&html).contains("name is required"), "{html}");
    let (status, body) = app
        .call(AddFactorCategory::PATH, &[("form[name]", "Capacity")])
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call(AddFactorCategory::PATH, &[("form[name]", "capacity")])
        .await;
    assert_eq!(status, 422, "names are unique: {body}");
    let capacity = category(&app, &id, "Capacity").await;
    let factor = add_factor(&app, &id, "The pool was sized for last year", &capacity).await;
    let (status, body) = app
        .call(
            UpdateFactorCategory::PATH,
            &[
                ("id", capacity.as_str()),
                ("form[name]", "Capacity and limits"),
                ("retired", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let editing: Editing<FactorEditing> =
        app.json(FactorForNew::PATH, &[("incident_id", &id)]).await;
    assert!(
        !editing.form.categories.iter().any(|(v, _)| *v == capacity),
        "a retired category is not offered to new factors"
    );
    let editing: Editing<FactorEditing> = app.json(FactorForEdit::PATH, &[("id", &factor)]).await;
    assert!(
        editing
            .form
            .categories
            .contains(&(capacity.clone(), "Capacity and limits (retired)".to_owned())),
        "{:?}",
        editing.form.categories
    );
    let (_, html) = app.page(&format!("/incidents/{id}")).await;
    assert!(
        text_of(&html).contains("Capacity and limits"),
        "the factor keeps it"
    );
    let (_, html) = app.page("/admin/factor-categories").await;
    assert!(text_of(&html).contains("Retired"));

    let author = app.browser_as(Role::Author).await;
    let (status, _) = author
        .call(AddFactorCategory::PATH, &[("form[name]", "Mine")])
        .await;
    assert_eq!(status, 403, "only admins keep the categories");
}

#[tokio::test]
async fn the_worked_example_has_its_factors_and_passes_the_check() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = id_from(&page).to_owned();
    let review: ReviewView = app.json(ReviewFor::PATH, &[("id", &id)]).await;
    let check = &review.factor_check;
    assert_eq!(check.factors.len(), 6, "{check:?}");
    assert!(check.holds(), "{check:?}");
    assert_eq!(
        check.factors[0].role,
        app::domain::factor::FactorRole::Trigger
    );
    let (_, html) = app.page(&page).await;
    let text = text_of(&html);
    for category in [
        "Risky default",
        "Missing safeguard",
        "Knowledge and training",
        "Plan and review",
        "Pressure and context",
    ] {
        assert!(text.contains(category), "{category}: {text}");
    }
    assert!(text.contains("Accepted, no action"), "{text}");
    assert_eq!(
        text.matches("Addresses the factor").count(),
        4,
        "each of the example's follow-ups addresses a factor"
    );
}

#[tokio::test]
async fn a_category_seen_before_is_told_to_the_author_and_changes_rolls_factors_up() {
    let app = spawn().await;
    let first = app.load_example().await;
    let second = app.load_example().await;
    let (_, html) = app.page(&second).await;
    let text = text_of(&html);
    assert!(
        text.contains("Missing safeguard has contributed to 1 other incident of Jenkins"),
        "{text}"
    );
    assert!(
        html.contains(&format!("href=\"{first}\"")),
        "links to the earlier one"
    );

    let (status, html) = app.page("/changes").await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("Missing safeguard: 2 incidents, 2 follow-ups open"),
        "{text}"
    );
    assert!(
        text.contains("Risky default in Jenkins: 2 incidents"),
        "by system too: {text}"
    );
    assert!(
        text.contains("Plan and review: 2 incidents, 2 follow-ups open"),
        "{text}"
    );
}

#[tokio::test]
async fn a_factor_statement_is_found_by_search() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, html) = app.page("/search?q=dedicated+restart+planner").await;
    let text = text_of(&html);
    assert!(text.contains("Contributing factor"), "{text}");
    assert!(html.contains(&format!("{page}#factor-")), "{html}");
}
