//! A contributing factor shown by several changes, parameters and timeline entries: ticked on
//! the plain form (checkboxes, no JavaScript), shown on the postmortem page, edited with its
//! version and history, counted by system on /changes, and carried by the JSON export, whose
//! older single links still import.

use super::*;
use app::api::export::ImportPostmortem;
use app::api::factors::{AddFactor, FactorForEdit, UpdateFactor};
use app::api::incidents::GetPostmortem;
use app::domain::export::PostmortemExport;
use app::dto::editing::Editing;
use app::dto::factors::FactorEditing;
use app::dto::postmortem::PostmortemView;
use common::incident_of;

/// The worked example's ids: (incident, change, its concurrency parameter, two entries).
async fn example(app: &common::TestApp) -> (String, i64, i64, i64, i64) {
    let incident = incident_of(&app.load_example().await).to_string();
    let view: PostmortemView = app.json(GetPostmortem::PATH, &[("id", &incident)]).await;
    let change = view.changes.first().expect("a change");
    let parameter = change
        .parameters
        .iter()
        .find(|p| p.name == "concurrency")
        .expect("the concurrency parameter");
    (
        incident,
        change.id,
        parameter.id,
        view.timeline[1].id,
        view.timeline[2].id,
    )
}

#[tokio::test]
async fn a_factor_ticks_several_changes_parameters_and_entries_and_the_page_shows_them_all() {
    let app = spawn().await;
    let (incident, change, parameter, first, second) = example(&app).await;
    // The form offers each as a checkbox, grouped and named.
    let (status, html) = app
        .page(&format!("/incidents/{incident}/factors/new"))
        .await;
    assert_eq!(status, 200);
    for name in [
        format!("form[links][c{change}]"),
        format!("form[links][p{change}_{parameter}]"),
        format!("form[links][e{first}]"),
    ] {
        assert!(
            html.contains(&format!("name=\"{name}\"")) && html.contains("type=\"checkbox\""),
            "{name} in {html}"
        );
    }
    let text = text_of(&html);
    assert!(
        text.contains("Shown by the changes and parameters"),
        "{text}"
    );
    assert!(text.contains("Shown in the timeline at"), "{text}");

    let c = format!("form[links][c{change}]");
    let p = format!("form[links][p{change}_{parameter}]");
    let e1 = format!("form[links][e{first}]");
    let e2 = format!("form[links][e{second}]");
    let (status, location) = app
        .submit(
            AddFactor::PATH,
            &format!("/incidents/{incident}/factors/new"),
            &[
                ("incident_id", incident.as_str()),
                ("form[statement]", "Several places show it"),
                ("form[category_id]", "1"),
                ("form[role]", "condition"),
                (c.as_str(), "on"),
                (p.as_str(), "on"),
                (e1.as_str(), "on"),
                (e2.as_str(), "on"),
            ],
        )
        .await;
    assert_eq!(status, 302, "{location:?}");
    let factor = location
        .expect("a location")
        .split("#factor-")
        .nth(1)
        .expect("the factor's anchor")
        .to_owned();
    let (_, html) = app.page(&format!("/incidents/{incident}")).await;
    let at = html
        .find(&format!("id=\"factor-{factor}\""))
        .expect("the factor on the page");
    let card = &html[at..at + html[at..].find("</li>").expect("its end")];
    for anchor in [
        format!("#change-{change}"),
        format!("#entry-{first}"),
        format!("#entry-{second}"),
    ] {
        assert!(card.contains(&anchor), "{anchor} in {card}");
    }
    assert!(text_of(card).contains("parameter concurrency"), "{card}");
    assert_eq!(
        card.matches(&format!("#change-{change}")).count(),
        2,
        "the change, and its parameter: {card}"
    );

    // The edit form comes back with every box ticked.
    let editing: Editing<FactorEditing> = app.json(FactorForEdit::PATH, &[("id", &factor)]).await;
    let ticked: Vec<&String> = editing.form.form.links.keys().collect();
    assert_eq!(ticked.len(), 4, "{ticked:?}");
    let (_, html) = app
        .page(&format!("/incidents/{incident}/factors/{factor}"))
        .await;
    let checked = html
        .split("<input")
        .filter(|i| i.contains("form[links]") && i.contains("checked"))
        .count();
    assert_eq!(checked, 4, "{html}");
}

#[tokio::test]
async fn unticking_a_link_is_saved_with_the_version_recorded_and_a_stale_save_conflicts() {
    let app = spawn().await;
    let (incident, change, _, first, second) = example(&app).await;
    let c = format!("form[links][c{change}]");
    let e1 = format!("form[links][e{first}]");
    let e2 = format!("form[links][e{second}]");
    let (status, location) = app
        .submit(
            AddFactor::PATH,
            &format!("/incidents/{incident}/factors/new"),
            &[
                ("incident_id", incident.as_str()),
                ("form[statement]", "Shown twice in the timeline"),
                ("form[category_id]", "1"),
                ("form[role]", "condition"),
                (c.as_str(), "on"),
                (e1.as_str(), "on"),
                (e2.as_str(), "on"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let factor = location
        .unwrap()
        .split("#factor-")
        .nth(1)
        .unwrap()
        .to_owned();
    let version = app.version(FactorForEdit::PATH, &factor).await;
    let save = |version: String| {
        let (factor, e1) = (factor.clone(), e1.clone());
        let app = &app;
        async move {
            app.call(
                UpdateFactor::PATH,
                &[
                    ("id", factor.as_str()),
                    ("version", version.as_str()),
                    ("form[statement]", "Shown twice in the timeline"),
                    ("form[category_id]", "1"),
                    ("form[role]", "condition"),
                    (e1.as_str(), "on"),
                ],
            )
            .await
        }
    };
    let (status, body) = save(version.clone()).await;
    assert_eq!(status, 200, "{body}");
    let editing: Editing<FactorEditing> = app.json(FactorForEdit::PATH, &[("id", &factor)]).await;
    assert_eq!(
        editing.form.form.links.keys().collect::<Vec<_>>(),
        [&format!("e{first}")],
        "only the box still ticked"
    );
    let (status, body) = save(version).await;
    assert_eq!(status, 409, "a stale save conflicts: {body}");
    let (_, html) = app.page(&format!("/incidents/{incident}/history")).await;
    let text = text_of(&html);
    assert!(
        text.contains(&format!(
            "change {change}, timeline entry {first}, timeline entry {second}"
        )) && text.contains(&format!("timeline entry {first}")),
        "the history shows what showed it before and after: {text}"
    );
}

#[tokio::test]
async fn a_link_to_another_incidents_change_or_entry_is_refused_next_to_the_links() {
    let app = spawn().await;
    let (incident, ..) = example(&app).await;
    let (_, other_change, _, other_entry, _) = example(&app).await;
    for key in [
        format!("c{other_change}"),
        format!("e{other_entry}"),
        "x9".to_owned(),
    ] {
        let name = format!("form[links][{key}]");
        let (status, body) = app
            .call(
                AddFactor::PATH,
                &[
                    ("incident_id", incident.as_str()),
                    ("form[statement]", "Points elsewhere"),
                    ("form[category_id]", "1"),
                    ("form[role]", "condition"),
                    (name.as_str(), "on"),
                ],
            )
            .await;
        assert_eq!(status, 422, "{key}: {body}");
        assert!(body.contains("links"), "{key}: {body}");
    }
}

#[tokio::test]
async fn the_json_export_lists_every_link_and_an_older_export_with_single_links_still_imports() {
    let app = spawn().await;
    let (incident, change, parameter, first, second) = example(&app).await;
    let c = format!("form[links][c{change}]");
    let p = format!("form[links][p{change}_{parameter}]");
    let e1 = format!("form[links][e{first}]");
    let e2 = format!("form[links][e{second}]");
    let (status, _) = app
        .submit(
            AddFactor::PATH,
            &format!("/incidents/{incident}/factors/new"),
            &[
                ("incident_id", incident.as_str()),
                ("form[statement]", "Exported with four links"),
                ("form[category_id]", "1"),
                ("form[role]", "condition"),
                (c.as_str(), "on"),
                (p.as_str(), "on"),
                (e1.as_str(), "on"),
                (e2.as_str(), "on"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (_, _, json) = app
        .download(&format!("/incidents/{incident}/export.json"))
        .await;
    let export: PostmortemExport = serde_json::from_str(&json).unwrap();
    let ours = export
        .factors
        .iter()
        .find(|f| f.factor.statement == "Exported with four links")
        .expect("the factor is exported");
    assert_eq!(ours.changes.len(), 2, "{ours:?}");
    assert_eq!(ours.timeline_entries, [1, 2]);

    // Imported whole: the links come back.
    let imported: i64 = app.json(ImportPostmortem::PATH, &[("json", &json)]).await;
    let (_, _, again) = app
        .download(&format!("/incidents/{imported}/export.json"))
        .await;
    let again: PostmortemExport = serde_json::from_str(&again).unwrap();
    assert_eq!(again.factors, export.factors);

    // An export written before a factor had several links: one change, parameter and entry.
    let mut old: serde_json::Value = serde_json::from_str(&json).unwrap();
    for f in old["factors"].as_array_mut().unwrap() {
        let first_change = f["changes"].get(0).cloned();
        let first_entry = f["timeline_entries"].get(0).cloned();
        let o = f.as_object_mut().unwrap();
        o.remove("changes");
        o.remove("timeline_entries");
        o.insert(
            "change".into(),
            first_change
                .as_ref()
                .map_or(serde_json::Value::Null, |c| c["change"].clone()),
        );
        o.insert(
            "parameter".into(),
            first_change.map_or(serde_json::Value::Null, |c| c["parameter"].clone()),
        );
        o.insert(
            "timeline_entry".into(),
            first_entry.unwrap_or(serde_json::Value::Null),
        );
        let inner = o["factor"].as_object_mut().unwrap();
        inner.remove("changes");
        inner.remove("timeline_entries");
        for single in ["change_id", "parameter_id", "timeline_entry_id"] {
            inner.insert(single.into(), serde_json::Value::Null);
        }
    }
    let old = serde_json::to_string(&old).unwrap();
    let imported: i64 = app.json(ImportPostmortem::PATH, &[("json", &old)]).await;
    let (_, _, back) = app
        .download(&format!("/incidents/{imported}/export.json"))
        .await;
    let back: PostmortemExport = serde_json::from_str(&back).unwrap();
    let theirs = back
        .factors
        .iter()
        .find(|f| f.factor.statement == "Exported with four links")
        .expect("the factor is imported");
    assert_eq!(theirs.changes, ours.changes[..1]);
    assert_eq!(theirs.timeline_entries, [1]);
    let trigger = back
        .factors
        .iter()
        .find(|f| f.factor.role == app::domain::factor::FactorRole::Trigger)
        .expect("the example's trigger");
    assert_eq!(
        (trigger.changes.len(), trigger.timeline_entries.len()),
        (1, 1),
        "the worked example's trigger keeps its parameter and entry"
    );
}

#[tokio::test]
async fn the_rollup_by_system_counts_a_factor_once_whatever_its_links_to_the_same_change() {
    let app = spawn().await;
    let (incident, change, parameter, ..) = example(&app).await;
    let c = format!("form[links][c{change}]");
    let p = format!("form[links][p{change}_{parameter}]");
    let (status, _) = app
        .submit(
            AddFactor::PATH,
            &format!("/incidents/{incident}/factors/new"),
            &[
                ("incident_id", incident.as_str()),
                ("form[statement]", "Recovery was slow to start"),
                ("form[category_id]", "7"),
                ("form[role]", "condition"),
                (c.as_str(), "on"),
                (p.as_str(), "on"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (status, html) = app.page("/changes").await;
    assert_eq!(status, 200);
    let text = text_of(&html);
    assert!(
        text.contains("Recovery in Jenkins: 1 incident"),
        "counted once for the change its two links share: {text}"
    );
}
