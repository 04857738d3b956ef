//! The parts of a postmortem: follow-ups and their moves, and a change's parameters.

use super::*;

#[tokio::test]
async fn a_follow_up_moves_only_along_allowed_transitions() {
    let app = spawn().await;
    let page = app.load_example().await;
    let id = id_from(&page).to_owned();
    let (status, _) = app
        .submit(
            AddFollowUp::PATH,
            &page,
            &[
                ("incident_id", &id),
                ("form[title]", "Confirm before touching every server"),
                ("form[action_type]", "prevent"),
                ("form[priority]", "p1"),
                ("state", "proposed"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (status, body) = app
        .call(
            AddFollowUp::PATH,
            &[
                ("incident_id", &id),
                ("form[title]", "Committed with nobody owning it"),
                ("form[action_type]", "prevent"),
                // P4 has no due-date policy to fill the date in.
                ("form[priority]", "p4"),
                ("state", "committed"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("needs an owner") && body.contains("needs a due date"),
        "both missing fields are named: {body}"
    );
    let (_, html) = app.page(&page).await;
    let marker = "Confirm before touching every server";
    assert!(html.contains(marker));
    let follow_up_id = element_id(&html, "follow-up-", marker);

    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &follow_up_id),
                ("form[to]", "verified"),
                ("form[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "proposed cannot jump to verified: {body}");
    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &follow_up_id),
                ("form[to]", "wont_do"),
                ("form[note]", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "won't do needs a reason: {body}");
    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &follow_up_id),
                ("form[to]", "committed"),
                ("form[note]", ""),
            ],
        )
        .await;
    assert_eq!(
        status, 422,
        "committing needs an owner and a due date: {body}"
    );
    let (status, body) = app
        .call(
            TransitionFollowUp::PATH,
            &[
                ("id", &follow_up_id),
                ("form[to]", "wont_do"),
                ("form[note]", "Covered by the default concurrency fix"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = app.page(&page).await;
    assert!(text_of(&html).contains("Covered by the default concurrency fix"));
}

#[tokio::test]
async fn a_refused_move_without_javascript_comes_back_with_the_reason_and_the_note() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, html) = app.page(&page).await;
    let follow_up_id = element_id(&html, "follow-up-", "");
    let (status, location) = app
        .submit(
            TransitionFollowUp::PATH,
            &page,
            &[
                ("id", &follow_up_id),
                ("form[to]", "verified"),
                ("form[note]", "a note I typed"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (_, html) = app.page(&location.expect("back to the postmortem")).await;
    assert!(
        html.contains("value=\"a note I typed\""),
        "the note is kept"
    );
    assert!(
        text_of(&html).contains("cannot move to Verified"),
        "the reason is shown"
    );
}

#[tokio::test]
async fn a_parameter_name_is_required_and_unique_per_change() {
    let app = spawn().await;
    let page = app.load_example().await;
    let (_, html) = app.page(&page).await;
    let change_id = element_id(&html, "change-", "");
    let (status, body) = app
        .call(
            AddParameter::PATH,
            &[
                ("change_id", &change_id),
                ("form[name]", ""),
                ("form[value]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app
        .call(
            AddParameter::PATH,
            &[
                ("change_id", &change_id),
                ("form[name]", "Concurrency"),
                ("form[value]", "1"),
            ],
        )
        .await;
    assert_eq!(status, 422, "a second concurrency is refused: {body}");
}

#[tokio::test]
async fn a_parameter_is_edited_in_place_without_javascript() {
    let app = spawn().await;
    let incident = app.load_example().await;
    let (_, html) = app.page(&incident).await;
    let change_id = element_id(&html, "change-", "");
    let change_page = format!("/incidents/{}/changes/{change_id}", id_from(&incident));
    let (_, html) = app.page(&change_page).await;
    let parameter_id = element_id(&html, "parameter-", "concurrency");
    let editing = format!("{change_page}?edit=parameter-{parameter_id}");
    let (status, html) = app.page(&editing).await;
    assert_eq!(status, 200);
    assert!(
        text_of(&html).contains("Edit parameter concurrency") && html.contains("Save parameter"),
        "the row opens as a form"
    );

    // Renaming it to a name the change already has is refused, and what was typed comes back.
    let (status, location) = app
        .submit(
            UpdateParameter::PATH,
            &editing,
            &[
                ("id", &parameter_id),
                ("form[name]", "Environment"),
                ("form[value]", "4"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let back = location.expect("sent back to the form");
    assert!(
        back.contains("edit=parameter-") && back.contains("flash="),
        "{back}"
    );
    let (_, html) = app.page(&back).await;
    assert!(
        text_of(&html).contains("already has a parameter named \"Environment\""),
        "the clash is explained"
    );
    assert!(
        html.contains("value=\"Environment\""),
        "the typed name is kept"
    );

    let (status, location) = app
        .submit(
            UpdateParameter::PATH,
            &back,
            &[
                ("id", &parameter_id),
                ("version", "1"),
                ("form[name]", "concurrency"),
                ("form[value]", "0 (all at once)"),
                ("form[is_default]", "on"),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let location = location.expect("redirected");
    assert!(!location.contains("edit="), "the row closes: {location}");
    let (_, html) = app.page(&change_page).await;
    assert!(text_of(&html).contains("0 (all at once)"));
    let (_, html) = app.page(&incident).await;
    assert!(
        text_of(&html).contains("0 (all at once)"),
        "the postmortem shows the default it took"
    );

    let (status, _) = app
        .call(
            UpdateParameter::PATH,
            &[("id", "999999"), ("form[name]", "x"), ("form[value]", "1")],
        )
        .await;
    assert_eq!(status, 404, "an unknown parameter is named, not a 500");
}
