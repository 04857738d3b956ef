//! What the access table's rows (and the checks on a published postmortem) are called with:
//! forms that succeed, and a fixture of objects made anew on each app by its admin.

use app::api::changes::{AddChange, AddParameter};
use app::api::comments::AddComment;
use app::api::factors::AddFactor;
use app::api::follow_ups::AddFollowUp;
use app::api::impact::AddImpactFigure;
use app::api::incidents::{GetPostmortem, LoadWorkedExample};
use app::api::participants::AddParticipant;
use app::api::relations::AddRelation;
use app::api::timeline::AddTimelineEntry;
use app::domain::account::Role;
use app::domain::follow_up::FollowUpState;
use app::domain::incident::IncidentStatus;
use app::dto::postmortem::PostmortemView;
use leptos::server_fn::ServerFn;

use super::support::{Args, args, id_from, json, set_status};
use super::table::LOGIN_EMAIL;
use crate::common::TestApp;

pub(crate) fn incident_form() -> Args {
    args![
        "form[title]" => "Checkout errors",
        "form[summary]" => "Payments failed.",
        "form[severity]" => "sev2",
        "form[services]" => "Checkout",
        "form[impact_started_at]" => "2020-03-23T10:27",
        "form[impact_started_precision]" => "approximate",
        "form[detected_at]" => "2020-03-23T10:28",
        "form[detected_precision]" => "minute",
        "zone" => "UTC",
    ]
}

pub(crate) fn timeline_form() -> Args {
    args![
        "form[at]" => "2020-03-23T10:29",
        "form[precision]" => "minute",
        "form[kind]" => "action",
        "form[actor]" => "on-call engineer",
        "form[body]" => "Restarted the login service.",
        "zone" => "UTC",
    ]
}

pub(crate) fn impact_form() -> Args {
    args![
        "form[affected]" => "checkout attempts failed",
        "form[quantity_kind]" => "approximate",
        "form[quantity]" => "120",
        "form[window]" => "5 min",
        "form[customer_visible]" => "on",
    ]
}

pub(crate) fn change_form() -> Args {
    args![
        "form[summary]" => "Rolled out the new session store",
        "form[kind]" => "deploy",
        "form[system]" => "Jenkins",
        "form[identifier]" => "deploy-sessions #42",
        "form[at]" => "2020-03-23T10:20",
        "form[precision]" => "minute",
        "form[relation]" => "suspected",
        "zone" => "UTC",
    ]
}

/// A reviewer's approval with every checklist item ticked.
pub(crate) fn approval_form() -> Args {
    args![
        "form[timeline_complete]" => "on",
        "form[impact_quantified]" => "on",
        "form[trigger_identified]" => "on",
        "form[follow_ups_address_trigger]" => "on",
        "form[blameless]" => "on",
        "form[comments]" => "Clear, quantified and blameless.",
    ]
}

pub(crate) fn follow_up_form() -> Args {
    args![
        "form[title]" => "Ask before running a job on every server",
        "form[action_type]" => "prevent",
        "form[priority]" => "p2",
        "form[owner]" => "platform team",
        "form[due]" => "2030-01-31",
    ]
}

/// A contributing factor's form, in the first (seeded) category.
pub(crate) fn factor_form() -> Args {
    args![
        "form[statement]" => "The job asks nothing before touching every server",
        "form[category_id]" => "1",
        "form[role]" => "condition",
    ]
}

/// What the table's arguments are built from, made anew on each app by its admin.
pub(crate) struct Fixture {
    pub(crate) setup_token: String,
    /// The worked example: a draft, with the parts below.
    pub(crate) incident: i64,
    pub(crate) timeline_entry: i64,
    pub(crate) impact_figure: i64,
    pub(crate) change: i64,
    pub(crate) parameter: i64,
    pub(crate) parameter_name: String,
    pub(crate) follow_up: i64,
    /// A proposed follow-up that the transition row moves to won't do.
    pub(crate) moving_follow_up: i64,
    /// Objects that exist only to be deleted, one per deleting row.
    pub(crate) doomed_incident: i64,
    pub(crate) doomed_timeline_entry: i64,
    pub(crate) doomed_impact_figure: i64,
    pub(crate) doomed_change: i64,
    pub(crate) doomed_parameter: i64,
    pub(crate) doomed_follow_up: i64,
    /// A contributing factor of the worked example, and one to delete.
    pub(crate) factor: i64,
    pub(crate) doomed_factor: i64,
    /// The worked example's link to its earlier incident, and a link to delete.
    pub(crate) relation: i64,
    pub(crate) doomed_relation: i64,
    /// A viewer the admin's `users/update` makes an author.
    pub(crate) person: i64,
    /// Worked examples in the status each review step starts from, one per step, so that the
    /// step applies whatever the rows before it did: a draft to submit, two in review (one to
    /// approve, one to send back), an approved one to publish and a published one to correct.
    pub(crate) to_submit: i64,
    pub(crate) to_approve: i64,
    pub(crate) to_send_back: i64,
    pub(crate) to_publish: i64,
    pub(crate) to_correct: i64,
    /// A comment the app's admin wrote on the draft, for the delete row.
    pub(crate) comment: i64,
    /// Someone the admin listed as taking part in the draft, for the remove row.
    pub(crate) participant: i64,
    /// A worked example published through its review (so it has a published version to share),
    /// with a share link the admin made: its id and token.
    pub(crate) published: i64,
    pub(crate) share_link: i64,
    pub(crate) share_token: String,
    /// An integration token the admin made, and a change recorded as if through it.
    pub(crate) integration_token: i64,
    pub(crate) recorded_change: i64,
    /// A reading list with one lesson of the published example on it, and a list to delete.
    pub(crate) reading_list: i64,
    pub(crate) reading_list_item: i64,
    pub(crate) doomed_reading_list: i64,
    /// A review group of two new examples (the second, `grouped`, for the remove row); two
    /// examples in no group to start one with; and one to add to the group.
    pub(crate) review_group: i64,
    pub(crate) grouped: i64,
    pub(crate) to_group: (i64, i64),
    pub(crate) to_join: i64,
    /// A mentor note of the admin's on the published example, and another to delete.
    pub(crate) mentor_note: i64,
    pub(crate) doomed_mentor_note: i64,
    /// A template no incident follows, for the retire and delete rows.
    pub(crate) doomed_template: i64,
    /// A webhook destination the admin added, and a dead letter to retry.
    pub(crate) webhook: i64,
    pub(crate) dead_letter: i64,
}

impl Fixture {
    pub(crate) async fn build(app: &TestApp) -> Fixture {
        let incident = id_from(&app.load_example().await);
        let view: PostmortemView = json(
            app,
            GetPostmortem::PATH,
            &args!["id" => incident],
            "the example's postmortem",
        )
        .await;
        assert_eq!(
            view.header.status,
            IncidentStatus::Draft,
            "the table expects the worked example to load as a draft"
        );
        let change = view.changes.first().expect("the example has a change");
        let parameter = change
            .parameters
            .first()
            .expect("the change has parameters");
        let follow_up = view
            .follow_ups
            .iter()
            .find(|f| f.state == FollowUpState::Proposed)
            .expect("the example has a proposed follow-up");

        let new_follow_up = |title: &str| {
            [
                args!["incident_id" => incident, "state" => "proposed"],
                args!["form[title]" => title, "form[action_type]" => "detect",
                      "form[priority]" => "p3"],
            ]
            .concat()
        };
        let (published, share_link, share_token) = shared_example(app).await;
        let (integration_token, recorded_change) = integration(app).await;
        let (reading_list, reading_list_item, doomed_reading_list) =
            reading_lists(app, published).await;
        let (review_group, grouped) = review_group(app).await;
        let (webhook, dead_letter) = deliveries(app).await;
        let (mentor_note, doomed_mentor_note) = mentor_notes(app, published).await;
        let fixture = Fixture {
            webhook,
            dead_letter,
            mentor_note,
            doomed_mentor_note,
            review_group,
            grouped,
            to_group: (ungrouped_example(app).await, ungrouped_example(app).await),
            to_join: ungrouped_example(app).await,
            reading_list,
            reading_list_item,
            doomed_reading_list,
            integration_token,
            recorded_change,
            published,
            share_link,
            share_token,
            setup_token: app.setup_token.clone(),
            incident,
            timeline_entry: view.timeline.first().expect("a timeline").id,
            impact_figure: view.impact.first().expect("an impact figure").id,
            change: change.id,
            parameter: parameter.id,
            parameter_name: parameter.name.clone(),
            follow_up: follow_up.id,
            moving_follow_up: json(
                app,
                AddFollowUp::PATH,
                &new_follow_up("Alert on failed logins"),
                "a follow-up to move",
            )
            .await,
            doomed_incident: json(app, LoadWorkedExample::PATH, &args![], "a second example").await,
            doomed_timeline_entry: json(
                app,
                AddTimelineEntry::PATH,
                &[args!["incident_id" => incident], timeline_form()].concat(),
                "a timeline entry to delete",
            )
            .await,
            doomed_impact_figure: json(
                app,
                AddImpactFigure::PATH,
                &[args!["incident_id" => incident], impact_form()].concat(),
                "an impact figure to delete",
            )
            .await,
            doomed_change: json(
                app,
                AddChange::PATH,
                &[args!["incident_id" => incident], change_form()].concat(),
                "a change to delete",
            )
            .await,
            doomed_parameter: json(
                app,
                AddParameter::PATH,
                &args!["change_id" => change.id, "form[name]" => "doomed", "form[value]" => "1"],
                "a parameter to delete",
            )
            .await,
            doomed_follow_up: json(
                app,
                AddFollowUp::PATH,
                &new_follow_up("Page the database team"),
                "a follow-up to delete",
            )
            .await,
            factor: view.factors.first().expect("the example has factors").id,
            doomed_factor: json(
                app,
                AddFactor::PATH,
                &[args!["incident_id" => incident], factor_form()].concat(),
                "a factor to delete",
            )
            .await,
            relation: view
                .related
                .first()
                .expect("the example's related incident")
                .id,
            doomed_relation: json(
                app,
                AddRelation::PATH,
                &args!["incident_id" => incident, "form[kind]" => "same_trigger",
                       "form[related]" => published, "form[note]" => ""],
                "a link to delete",
            )
            .await,
            person: app
                .add_user("person@example.com", "Pat Person", Role::Viewer)
                .await,
            to_submit: example_in(app, IncidentStatus::Draft).await,
            to_approve: example_in(app, IncidentStatus::InReview).await,
            to_send_back: example_in(app, IncidentStatus::InReview).await,
            to_publish: example_in(app, IncidentStatus::Approved).await,
            to_correct: example_in(app, IncidentStatus::Published).await,
            comment: json(
                app,
                AddComment::PATH,
                &args!["incident_id" => incident, "anchor" => "section:summary",
                       "form[body]" => "Which load balancer?"],
                "a comment to delete",
            )
            .await,
            participant: {
                let id = app
                    .add_user("listed@example.com", "Lee Listed", Role::Author)
                    .await;
                let _: () = json(
                    app,
                    AddParticipant::PATH,
                    &args!["incident_id" => incident, "form[user_id]" => id,
                           "form[part]" => "on-call engineer"],
                    "a participant to remove",
                )
                .await;
                id
            },
            doomed_template: {
                let db = app.db.clone();
                crate::common::on_server(async move {
                    app::server::repo::templates::create(
                        &db,
                        "Doomed",
                        &app::domain::template::Definition::standard(),
                    )
                    .await
                    .expect("a template to delete")
                })
                .await
            },
        };
        app.add_user(LOGIN_EMAIL, "Logan Login", Role::Viewer).await;
        fixture
    }
}

/// A published worked example with a share link: (incident, link id, token).
async fn shared_example(app: &TestApp) -> (i64, i64, String) {
    let incident = example_in(app, IncidentStatus::Draft).await;
    app.publish(incident).await;
    let token: String = json(
        app,
        app::api::share::CreateShareLink::PATH,
        &args!["id" => incident],
        "a share link",
    )
    .await;
    let db = app.db.clone();
    let link = crate::common::on_server(async move {
        app::server::repo::shares::list_for(&db, incident)
            .await
            .expect("the links are read")[0]
            .id
    })
    .await;
    (incident, link, token)
}

/// A review group the admin started with two new examples: (group, its second incident).
async fn review_group(app: &TestApp) -> (i64, i64) {
    let first = ungrouped_example(app).await;
    let second = ungrouped_example(app).await;
    let group = json(
        app,
        app::api::review_groups::CreateReviewGroup::PATH,
        &args!["incident_id" => first, "form[name]" => "Restarts",
               "form[together_with]" => second],
        "a review group",
    )
    .await;
    (group, second)
}

/// A new worked example, a draft, taken out of the review group the example loads in.
async fn ungrouped_example(app: &TestApp) -> i64 {
    let id = example_in(app, IncidentStatus::Draft).await;
    crate::common::ungroup(app, id).await;
    id
}

/// A new worked example, loaded by the app's admin and put in `status`.
async fn example_in(app: &TestApp, status: IncidentStatus) -> i64 {
    let id = json(
        app,
        LoadWorkedExample::PATH,
        &args![],
        "an example to review",
    )
    .await;
    if status != IncidentStatus::Draft {
        set_status(app, id, status).await;
    }
    id
}

/// An integration token and a change recorded with it: (token id, recorded change id).
async fn integration(app: &TestApp) -> (i64, i64) {
    let _token: String = json(
        app,
        app::api::integrations::CreateIntegrationToken::PATH,
        &args!["name" => "Jenkins"],
        "an integration token",
    )
    .await;
    let db = app.db.clone();
    crate::common::on_server(async move {
        let token = app::server::repo::integrations::list_tokens(&db)
            .await
            .expect("the tokens are read")[0]
            .id;
        let payload = app::domain::change::ChangePayload {
            kind: "deploy".into(),
            system: "Chef".into(),
            summary: "Deployed the JMX settings".into(),
            ..Default::default()
        };
        let recorded = payload.parse().expect("a valid change");
        let id = app::server::repo::integrations::record(&db, &recorded, "Jenkins")
            .await
            .expect("recorded");
        (token, id)
    })
    .await
}

/// A reading list with a lesson of `published` on it, and another list: (list, item, other).
async fn reading_lists(app: &TestApp, published: i64) -> (i64, i64, i64) {
    use app::api::library::{AddToReadingList, CreateReadingList};
    let list: i64 = json(
        app,
        CreateReadingList::PATH,
        &args!["form[title]" => "Before your first production change", "form[note]" => "Read in order."],
        "a reading list",
    )
    .await;
    let item: i64 = json(
        app,
        AddToReadingList::PATH,
        &args!["list_id" => list, "incident_id" => published, "kind" => "went_well",
               "note" => "Owning up early"],
        "a lesson on the list",
    )
    .await;
    let doomed: i64 = json(
        app,
        CreateReadingList::PATH,
        &args!["form[title]" => "To delete"],
        "a reading list to delete",
    )
    .await;
    (list, item, doomed)
}

/// Two mentor notes of the admin's on `published`: (one to edit, one to delete).
async fn mentor_notes(app: &TestApp, published: i64) -> (i64, i64) {
    use app::api::mentor_notes::AddMentorNote;
    let note = |body: &'static str| args!["incident_id" => published, "form[body]" => body];
    (
        json(
            app,
            AddMentorNote::PATH,
            &note("Notice the pause."),
            "a mentor note",
        )
        .await,
        json(
            app,
            AddMentorNote::PATH,
            &note("To delete."),
            "a mentor note to delete",
        )
        .await,
    )
}

/// A generic JSON webhook destination the admin added, and an email delivery given up on:
/// (destination id, dead letter id).
async fn deliveries(app: &TestApp) -> (i64, i64) {
    let _secret: String = json(
        app,
        app::api::webhooks::CreateWebhook::PATH,
        &args!["form[name]" => "Our endpoint", "form[url]" => "http://127.0.0.1:9/hook",
               "form[kind]" => "json", "form[mentioned]" => "on"],
        "a webhook destination",
    )
    .await;
    let db = app.db.clone();
    crate::common::on_server(async move {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let webhook = app::server::repo::webhooks::list(&db)
            .await
            .expect("the destinations are read")[0]
            .id;
        let notice = app::domain::notify::Notice {
            event: app::domain::notify::Event::Approved,
            key: "approved:fixture".into(),
            subject: "Approved".into(),
            body: "Approved.".into(),
            link: "/".into(),
            data: serde_json::json!({}),
            readable_by_viewers: false,
        };
        let admin = app::server::entities::users::Entity::find()
            .one(&db)
            .await
            .expect("read")
            .expect("the admin")
            .id;
        app::server::notify::emit(&db, &notice, &[admin], chrono::Utc::now())
            .await
            .expect("queued");
        let row = app::server::entities::outbox::Entity::find()
            .filter(app::server::entities::outbox::Column::Channel.eq("email"))
            .one(&db)
            .await
            .expect("read")
            .expect("queued");
        app::server::repo::deliveries::mark_failed(
            &db,
            row.id,
            8,
            "SMTP: permanent error (550)",
            app::server::repo::deliveries::Next::Dead(chrono::Utc::now()),
        )
        .await
        .expect("dead-lettered");
        (webhook, row.id)
    })
    .await
}
