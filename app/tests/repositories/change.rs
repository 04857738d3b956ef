//! Changes and their parameters.

use super::*;

#[tokio::test]
async fn a_change_reads_back_with_its_parameters_and_which_were_left_at_default() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Changes").await;
    let new = change("Deploy checkout v2.14.0");
    let change_id = changes::add(&t.db, id, &new).await.expect("change added");
    let set = parameter("replicas", "12", false);
    let defaulted = parameter("max_surge", "", true);
    let set_id = changes::add_parameter(&t.db, change_id, &set)
        .await
        .expect("parameter added");
    let defaulted_id = changes::add_parameter(&t.db, change_id, &defaulted)
        .await
        .expect("parameter added");

    let stored = changes::get(&t.db, change_id)
        .await
        .expect("read")
        .expect("the change just added");

    assert_eq!(stored.id, change_id);
    assert_eq!(stored.incident_id, id);
    assert_eq!(stored.change, new);
    let params: Vec<(i64, i64, &NewParameter)> = stored
        .parameters
        .iter()
        .map(|p| (p.id, p.change_id, &p.parameter))
        .collect();
    assert_eq!(
        params,
        [
            (set_id, change_id, &set),
            (defaulted_id, change_id, &defaulted)
        ]
    );
    assert_eq!(
        changes::get_parameter(&t.db, defaulted_id)
            .await
            .expect("read")
            .map(|p| p.parameter.is_default),
        Some(true)
    );
}

#[tokio::test]
async fn changes_list_each_with_its_own_parameters() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Changes").await;
    let other = plain_incident(&t.db, "Other").await;
    let untimed = NewChange {
        kind: ChangeKind::FeatureFlag,
        link: None,
        time: None,
        relation: ChangeRelation::RuledOut,
        ..change("Flag flipped")
    };
    let deploy = changes::add(&t.db, id, &change("Deploy"))
        .await
        .expect("added");
    let flag = changes::add(&t.db, id, &untimed).await.expect("added");
    let elsewhere = changes::add(&t.db, other, &change("Elsewhere"))
        .await
        .expect("added");
    // Added interleaved, so grouping cannot lean on insertion order.
    for (change_id, name) in [
        (flag, "flag"),
        (deploy, "image"),
        (elsewhere, "region"),
        (deploy, "replicas"),
        (flag, "percentage"),
    ] {
        changes::add_parameter(&t.db, change_id, &parameter(name, "x", false))
            .await
            .expect("parameter added");
    }

    let listed = changes::list_for(&t.db, id).await.expect("listed");

    let grouped: Vec<(i64, Vec<&str>)> = listed
        .iter()
        .map(|c| {
            let names = c
                .parameters
                .iter()
                .map(|p| p.parameter.name.as_str())
                .collect();
            (c.id, names)
        })
        .collect();
    assert_eq!(
        grouped,
        [
            (deploy, vec!["image", "replicas"]),
            (flag, vec!["flag", "percentage"])
        ]
    );
    assert_eq!(listed[1].change, untimed);
    assert!(
        listed
            .iter()
            .flat_map(|c| c.parameters.iter().map(move |p| (c.id, p.change_id)))
            .all(|(change_id, owner)| change_id == owner)
    );
}

#[tokio::test]
async fn deleting_a_change_keeps_its_follow_ups_but_untargets_them() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Changes").await;
    let doomed = changes::add(&t.db, id, &change("Doomed"))
        .await
        .expect("added");
    let kept = changes::add(&t.db, id, &change("Kept"))
        .await
        .expect("added");
    let doomed_parameter = changes::add_parameter(&t.db, doomed, &parameter("a", "1", false))
        .await
        .expect("added");
    let kept_parameter = changes::add_parameter(&t.db, kept, &parameter("b", "2", true))
        .await
        .expect("added");
    let on_parameter = follow_ups::add(
        &t.db,
        id,
        &targeting("On the parameter", doomed, Some(doomed_parameter)),
        FollowUpState::Proposed,
    )
    .await
    .expect("added");
    let on_change = follow_ups::add(
        &t.db,
        id,
        &targeting("On the change", doomed, None),
        FollowUpState::Committed,
    )
    .await
    .expect("added");
    let on_other = follow_ups::add(
        &t.db,
        id,
        &targeting("On the other change", kept, Some(kept_parameter)),
        FollowUpState::Proposed,
    )
    .await
    .expect("added");

    assert_eq!(
        changes::delete(&t.db, doomed).await.expect("deleted"),
        Some(id)
    );

    assert_eq!(changes::get(&t.db, doomed).await.expect("read"), None);
    assert_eq!(
        changes::get_parameter(&t.db, doomed_parameter)
            .await
            .expect("read"),
        None
    );
    let untargeted = follow_ups::get(&t.db, on_parameter)
        .await
        .expect("read")
        .expect("the follow-up outlives its change");
    assert_eq!(untargeted.follow_up.title, "On the parameter");
    assert_eq!(untargeted.follow_up.change_id, None);
    assert_eq!(untargeted.follow_up.parameter_id, None);
    assert_eq!(untargeted.state, FollowUpState::Proposed);
    let untargeted = follow_ups::get(&t.db, on_change)
        .await
        .expect("read")
        .expect("the follow-up outlives its change");
    assert_eq!(untargeted.follow_up.change_id, None);
    assert_eq!(untargeted.state, FollowUpState::Committed);
    let untouched = follow_ups::get(&t.db, on_other)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(untouched.follow_up.change_id, Some(kept));
    assert_eq!(untouched.follow_up.parameter_id, Some(kept_parameter));
    assert_eq!(
        changes::delete(&t.db, doomed)
            .await
            .expect("no database error"),
        None
    );
}

#[tokio::test]
async fn deleting_a_parameter_untargets_follow_ups_but_keeps_their_change() {
    let t = fresh_db().await;
    let id = plain_incident(&t.db, "Changes").await;
    let change_id = changes::add(&t.db, id, &change("Deploy"))
        .await
        .expect("added");
    let concurrency = parameter("concurrency", "", true);
    let parameter_id = changes::add_parameter(&t.db, change_id, &concurrency)
        .await
        .expect("added");
    let follow_up_id = follow_ups::add(
        &t.db,
        id,
        &targeting("Safe default", change_id, Some(parameter_id)),
        FollowUpState::Proposed,
    )
    .await
    .expect("added");

    let removed = changes::delete_parameter(&t.db, parameter_id)
        .await
        .expect("deleted")
        .expect("the parameter was there");

    assert_eq!(removed.parameter, concurrency);
    let stored = follow_ups::get(&t.db, follow_up_id)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(stored.follow_up.change_id, Some(change_id));
    assert_eq!(stored.follow_up.parameter_id, None);
}

#[tokio::test]
async fn the_database_refuses_a_second_parameter_of_the_same_name_in_any_case() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "Names").await;
    let change_id = changes::add(&t.db, incident_id, &change("Run the job"))
        .await
        .expect("change added");
    changes::add_parameter(&t.db, change_id, &parameter("concurrency", "", true))
        .await
        .expect("first added");
    let other = changes::add_parameter(&t.db, change_id, &parameter("timeout", "30", false))
        .await
        .expect("second added");
    let unique = |err: sea_orm::DbErr| {
        matches!(
            err.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        )
    };
    let again = changes::add_parameter(&t.db, change_id, &parameter("Concurrency", "4", false))
        .await
        .expect_err("a second concurrency is refused");
    assert!(unique(again));
    let renamed = changes::update_parameter(&t.db, other, &parameter("CONCURRENCY", "4", false))
        .await
        .expect_err("renaming onto it is refused");
    assert!(unique(renamed));

    let elsewhere = changes::add(&t.db, incident_id, &change("Another run"))
        .await
        .expect("change added");
    changes::add_parameter(&t.db, elsewhere, &parameter("concurrency", "1", false))
        .await
        .expect("another change may have its own concurrency");
}
