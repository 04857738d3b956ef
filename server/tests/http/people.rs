//! People on a postmortem against the real server: follow-up owners picked from the accounts
//! (free-text owners from before stay readable), and the people who took part in an incident.

use crate::common::{incident_of, spawn};
use leptos::server_fn::ServerFn;

use app::api::follow_ups::{AddFollowUp, FollowUpForEdit, UpdateFollowUp};
use app::api::history::IncidentHistory;
use app::api::incidents::{DeleteIncident, GetPostmortem};
use app::api::my_work::MyWork;
use app::api::participants::{AddParticipant, RemoveParticipant};
use app::api::review::StartCorrection;
use app::api::users::UpdateUser;
use app::domain::account::Role;
use app::dto::editing::Editing;
use app::dto::editing::FollowUpEditing;
use app::dto::history::HistoryView;
use app::dto::my_work::MyWorkView;
use app::dto::postmortem::PostmortemView;

async fn postmortem(browser: &crate::common::Browser, incident: i64) -> PostmortemView {
    browser
        .json(GetPostmortem::PATH, &[("id", &incident.to_string())])
        .await
}

fn follow_up(incident: i64, owner_id: &str, owner: &str) -> Vec<(&'static str, String)> {
    vec![
        ("incident_id", incident.to_string()),
        ("state", "committed".to_owned()),
        (
            "form[title]",
            "Give the run-command job a safe default concurrency".to_owned(),
        ),
        ("form[action_type]", "prevent".to_owned()),
        ("form[priority]", "p1".to_owned()),
        ("form[owner_id]", owner_id.to_owned()),
        ("form[owner]", owner.to_owned()),
        ("form[due]", "2030-01-31".to_owned()),
    ]
}

fn pairs<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn a_follow_up_owner_is_picked_from_the_people_and_finds_it_in_their_work() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let grace = app
        .add_user("grace@example.com", "Grace Hopper", Role::Author)
        .await;
    let fields = follow_up(incident, &grace.to_string(), "");
    let id: i64 = app.json(AddFollowUp::PATH, &pairs(&fields)).await;

    let pm = postmortem(&app, incident).await;
    let row = pm.follow_ups.iter().find(|f| f.id == id).expect("listed");
    assert_eq!(row.owner, "Grace Hopper", "named after the person picked");

    let browser = crate::common::Browser::new(&app.base);
    browser
        .log_in("grace@example.com", crate::common::PASSWORD)
        .await;
    let work: MyWorkView = browser.json(MyWork::PATH, &[]).await;
    assert!(work.follow_ups.iter().any(|f| f.id == id), "{work:?}");

    let editing: Editing<FollowUpEditing> = app
        .json(FollowUpForEdit::PATH, &[("id", &id.to_string())])
        .await;
    assert_eq!(editing.form.form.owner_id, grace.to_string());
    assert!(
        editing
            .form
            .people
            .iter()
            .any(|p| p.display_name == "Grace Hopper")
    );
}

#[tokio::test]
async fn only_active_people_can_be_picked_and_a_committed_follow_up_needs_one() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let gone = app
        .add_user("gone@example.com", "Gone Person", Role::Author)
        .await;
    let (status, body) = app
        .call(
            UpdateUser::PATH,
            &[("id", &gone.to_string()), ("role", "author")],
        )
        .await;
    assert_eq!(status, 200, "deactivated: {body}");

    for owner_id in [gone.to_string(), "99999".to_owned(), "someone".to_owned()] {
        let fields = follow_up(incident, &owner_id, "");
        let (status, body) = app.call(AddFollowUp::PATH, &pairs(&fields)).await;
        assert_eq!(status, 422, "{owner_id}: {body}");
        assert!(
            body.contains("owner_id"),
            "the error names the owner field: {body}"
        );
    }
    let fields = follow_up(incident, "none", "");
    let (status, body) = app.call(AddFollowUp::PATH, &pairs(&fields)).await;
    assert_eq!(status, 422, "committed without an owner: {body}");
    assert!(body.contains("needs an owner"), "{body}");
}

#[tokio::test]
async fn a_free_text_owner_from_before_stays_until_someone_picks_a_person() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    // The worked example's owners are named in free text, as before accounts existed.
    let pm = postmortem(&app, incident).await;
    let legacy = pm
        .follow_ups
        .iter()
        .find(|f| !f.owner.is_empty())
        .expect("a named owner");
    let editing: Editing<FollowUpEditing> = app
        .json(FollowUpForEdit::PATH, &[("id", &legacy.id.to_string())])
        .await;
    assert_eq!(editing.form.form.owner_id, "", "no person yet");
    assert_eq!(editing.form.form.owner, legacy.owner);

    // Saving it unchanged keeps the name.
    let form = &editing.form.form;
    let save = |owner_id: String| {
        vec![
            ("id", legacy.id.to_string()),
            ("version", editing.version.to_string()),
            ("form[title]", form.title.clone()),
            ("form[action_type]", form.action_type.clone()),
            ("form[priority]", form.priority.clone()),
            ("form[owner_id]", owner_id),
            ("form[owner]", form.owner.clone()),
            ("form[due]", form.due.clone()),
            ("form[change_id]", form.change_id.clone()),
            ("form[parameter_id]", form.parameter_id.clone()),
            ("form[description]", form.description.clone()),
        ]
    };
    let fields = save(String::new());
    let (status, body) = app.call(UpdateFollowUp::PATH, &pairs(&fields)).await;
    assert_eq!(status, 200, "{body}");
    let after = postmortem(&app, incident).await;
    let row = after.follow_ups.iter().find(|f| f.id == legacy.id).unwrap();
    assert_eq!(row.owner, legacy.owner, "still readable");

    // Picking a person replaces it.
    let grace = app
        .add_user("grace@example.com", "Grace Hopper", Role::Author)
        .await;
    let mut fields = save(grace.to_string());
    fields[1].1 = (editing.version + 1).to_string();
    let (status, body) = app.call(UpdateFollowUp::PATH, &pairs(&fields)).await;
    assert_eq!(status, 200, "{body}");
    let after = postmortem(&app, incident).await;
    let row = after.follow_ups.iter().find(|f| f.id == legacy.id).unwrap();
    assert_eq!(row.owner, "Grace Hopper");
}

#[tokio::test]
async fn the_people_involved_are_picked_from_the_accounts_and_recorded_in_the_history() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    let id = incident.to_string();
    let grace = app
        .add_user("grace@example.com", "Grace Hopper", Role::Author)
        .await;
    let add = |part: &'static str| {
        vec![
            ("incident_id", id.clone()),
            ("form[user_id]", grace.to_string()),
            ("form[part]", part.to_owned()),
        ]
    };
    let fields = add("incident commander");
    let (status, body) = app.call(AddParticipant::PATH, &pairs(&fields)).await;
    assert_eq!(status, 200, "{body}");
    let fields = add("scribe");
    let (status, body) = app.call(AddParticipant::PATH, &pairs(&fields)).await;
    assert_eq!(status, 422, "listed once: {body}");
    let fields = add("");
    let (status, body) = app.call(AddParticipant::PATH, &pairs(&fields)).await;
    assert_eq!(status, 422, "{body}");

    let pm = postmortem(&app, incident).await;
    let names: Vec<(&str, &str)> = pm
        .participants
        .iter()
        .map(|p| (p.name.as_str(), p.part.as_str()))
        .collect();
    assert_eq!(names, [("Grace Hopper", "incident commander")]);
    assert!(!pm.people.iter().any(|p| p.id == 0));

    let (status, body) = app
        .call(
            RemoveParticipant::PATH,
            &[("incident_id", &id), ("user_id", &grace.to_string())],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(postmortem(&app, incident).await.participants.is_empty());

    let history: HistoryView = app.json(IncidentHistory::PATH, &[("id", &id)]).await;
    let summaries: Vec<String> = history
        .entries
        .iter()
        .filter(|e| e.summary.contains("Grace Hopper"))
        .map(|e| format!("{} {}", e.action, e.summary))
        .collect();
    assert_eq!(
        summaries,
        [
            "deleted Participant “Grace Hopper as incident commander”".to_owned(),
            "added Participant “Grace Hopper as incident commander”".to_owned()
        ]
    );
}

#[tokio::test]
async fn a_published_postmortem_cannot_be_deleted_even_during_a_correction() {
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    app.publish(incident).await;
    let id = incident.to_string();
    let (status, body) = app.call(StartCorrection::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app.call(DeleteIncident::PATH, &[("id", &id)]).await;
    assert_eq!(status, 403, "{body}");
    assert!(body.contains("has been published"), "{body}");
    assert_eq!(postmortem(&app, incident).await.revision, 2, "still there");
}

#[tokio::test]
async fn during_a_correction_viewers_read_the_published_version_until_the_next_is_published() {
    use app::api::incidents::{ListIncidents, UpdateIncident};
    use app::api::timeline::AddTimelineEntry;
    use app::dto::postmortem::IncidentList;
    let app = spawn().await;
    let incident = incident_of(&app.load_example().await);
    app.publish(incident).await;
    let published = postmortem(&app, incident).await;
    let id = incident.to_string();
    let (status, body) = app.call(StartCorrection::PATH, &[("id", &id)]).await;
    assert_eq!(status, 200, "{body}");

    // The correction renames the incident and adds to its timeline.
    let form = app
        .json::<Editing<app::domain::incident::IncidentForm>>(
            <app::api::incidents::IncidentForEdit as ServerFn>::PATH,
            &[("id", &id)],
        )
        .await;
    let mut fields: Vec<(String, String)> = serde_json::to_value(&form.form)
        .unwrap()
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            (
                format!("form[{k}]"),
                v.as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for (k, v) in fields.iter_mut() {
        if k == "form[title]" {
            *v = "Logins failed: corrected title".to_owned();
        }
    }
    fields.push(("id".into(), id.clone()));
    fields.push(("zone".into(), form.zone.clone()));
    fields.push(("version".into(), form.version.to_string()));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, body) = app.call(UpdateIncident::PATH, &fields).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .call(
            AddTimelineEntry::PATH,
            &[
                ("incident_id", &id),
                ("form[at]", "2020-03-23T10:40"),
                ("form[precision]", "minute"),
                ("form[kind]", "observation"),
                ("form[actor]", "on-call engineer"),
                ("form[body]", "Unreviewed addition."),
                ("zone", "UTC"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let viewer = app.browser_as(Role::Viewer).await;
    let seen = postmortem(&viewer, incident).await;
    assert_eq!(
        seen.header.title, published.header.title,
        "the published title"
    );
    assert_eq!(
        seen.timeline.len(),
        published.timeline.len(),
        "no unreviewed entry"
    );
    assert_eq!((seen.revision, seen.correcting), (1, Some(2)));
    let list: IncidentList = viewer
        .json(ListIncidents::PATH, &[("status", ""), ("severity", "")])
        .await;
    assert!(
        list.rows.iter().any(|r| r.title == published.header.title),
        "{list:?}"
    );
    let (_, html) = viewer.page(&format!("/incidents/{incident}")).await;
    assert!(!html.contains("Unreviewed addition."));
    assert!(html.contains("A correction (revision 2) is being written"));

    // Authors see the correction as it stands.
    let written = postmortem(&app, incident).await;
    assert_eq!(written.header.title, "Logins failed: corrected title");
    assert_eq!(written.correcting, None);

    // Once the correction is published, everyone reads it.
    app.publish(incident).await;
    let seen = postmortem(&viewer, incident).await;
    assert_eq!(seen.header.title, "Logins failed: corrected title");
    assert_eq!((seen.revision, seen.correcting), (2, None));
    assert_eq!(seen.timeline.len(), published.timeline.len() + 1);
}
