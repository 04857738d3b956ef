//! The people on an incident: listed in the order added with their names, added once,
//! removed once, and gone when either the incident or the account goes.

use super::*;
use app::domain::account::Role;
use app::domain::participant::NewParticipant;
use app::server::entities::users;
use app::server::repo::participants::{self, Participant};

fn taking_part(user_id: i64, part: &str) -> NewParticipant {
    NewParticipant {
        user_id,
        part: part.to_owned(),
    }
}

#[tokio::test]
async fn participants_list_in_the_order_added_with_their_names_and_parts() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "People").await;
    let other = plain_incident(&t.db, "Other").await;
    let zoe = person(&t.db, "Zoe", Role::Author).await;
    let ada = person(&t.db, "Ada", Role::Author).await;
    let max = person(&t.db, "Max", Role::Viewer).await;
    for (incident, user, part) in [
        (incident_id, zoe, "Incident commander"),
        (other, max, "Scribe"),
        (incident_id, ada, "Communications"),
        (incident_id, max, ""),
    ] {
        participants::add(&t.db, incident, &taking_part(user, part))
            .await
            .expect("added");
    }

    assert_eq!(
        participants::list_for(&t.db, incident_id)
            .await
            .expect("listed"),
        [
            Participant {
                user_id: zoe,
                name: "Zoe".into(),
                part: "Incident commander".into()
            },
            Participant {
                user_id: ada,
                name: "Ada".into(),
                part: "Communications".into()
            },
            Participant {
                user_id: max,
                name: "Max".into(),
                part: String::new()
            },
        ]
    );
}

#[tokio::test]
async fn someone_is_on_an_incident_once_and_a_second_add_keeps_the_first_part() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "People").await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    participants::add(&t.db, incident_id, &taking_part(pat, "Incident commander"))
        .await
        .expect("added");

    let again = participants::add(&t.db, incident_id, &taking_part(pat, "Scribe")).await;

    assert!(again.is_err(), "refused by the primary key");
    let listed = participants::list_for(&t.db, incident_id)
        .await
        .expect("listed");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].part, "Incident commander");
}

#[tokio::test]
async fn removing_someone_takes_them_off_that_incident_only_and_once() {
    let t = fresh_db().await;
    let incident_id = plain_incident(&t.db, "People").await;
    let other = plain_incident(&t.db, "Other").await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let sam = person(&t.db, "Sam", Role::Author).await;
    participants::add(&t.db, incident_id, &taking_part(pat, ""))
        .await
        .expect("added");
    participants::add(&t.db, incident_id, &taking_part(sam, ""))
        .await
        .expect("added");
    participants::add(&t.db, other, &taking_part(pat, ""))
        .await
        .expect("added");

    assert!(
        participants::remove(&t.db, incident_id, pat)
            .await
            .expect("removed")
    );
    assert!(
        !participants::remove(&t.db, incident_id, pat)
            .await
            .expect("no database error")
    );

    let ids = |listed: Vec<Participant>| listed.into_iter().map(|p| p.user_id).collect::<Vec<_>>();
    assert_eq!(
        ids(participants::list_for(&t.db, incident_id)
            .await
            .expect("listed")),
        [sam]
    );
    assert_eq!(
        ids(participants::list_for(&t.db, other).await.expect("listed")),
        [pat]
    );
}

#[tokio::test]
async fn participants_go_with_their_incident_or_their_account() {
    let t = fresh_db().await;
    let doomed = plain_incident(&t.db, "Doomed").await;
    let kept = plain_incident(&t.db, "Kept").await;
    let pat = person(&t.db, "Pat", Role::Author).await;
    let sam = person(&t.db, "Sam", Role::Author).await;
    for incident in [doomed, kept] {
        for user in [pat, sam] {
            participants::add(&t.db, incident, &taking_part(user, ""))
                .await
                .expect("added");
        }
    }

    assert!(incidents::delete(&t.db, doomed).await.expect("deleted"));
    users::Entity::delete_by_id(sam)
        .exec(&t.db)
        .await
        .expect("account deleted");

    assert!(
        participants::list_for(&t.db, doomed)
            .await
            .expect("listed")
            .is_empty()
    );
    let left: Vec<i64> = participants::list_for(&t.db, kept)
        .await
        .expect("listed")
        .into_iter()
        .map(|p| p.user_id)
        .collect();
    assert_eq!(left, [pat]);
    assert!(
        participants::add(&t.db, kept, &taking_part(sam + 100, ""))
            .await
            .is_err(),
        "no such account"
    );
}
