//! The ledger of login attempts: what it counts for a login, that a success remembers its
//! address, and that the migration adding remembered addresses comes down and goes up again.

use super::*;
use app::domain::account::{NewAccount, Role};
use app::server::repo::accounts::{self, LoginKeys};

async fn someone(db: &DatabaseConnection) -> i64 {
    let account = NewAccount {
        email: "pat@example.com".to_owned(),
        display_name: "Pat".to_owned(),
        password: "correct horse battery".to_owned(),
        role: Role::Author,
        time_zone: "UTC".to_owned(),
    };
    accounts::create(db, &account, "not-a-real-hash")
        .await
        .expect("created")
}

#[tokio::test]
async fn an_attempt_counts_until_forgotten_and_a_success_remembers_its_address() {
    let t = fresh_db().await;
    let id = someone(&t.db).await;
    let now = Utc::now();
    let here = LoginKeys::new("pat@example.com", "192.0.2.1");
    let attempt = accounts::record_attempt(&t.db, &here.all(), now)
        .await
        .expect("recorded");
    let counts = accounts::login_attempts(&t.db, &here, Some(id), "192.0.2.1", now)
        .await
        .expect("counted");
    assert_eq!((counts.pair, counts.address, counts.account), (1, 1, 1));
    assert_eq!(counts.seconds_since_account_failure, Some(0));
    assert!(!counts.known_address);

    let elsewhere = LoginKeys::new("pat@example.com", "198.51.100.9");
    let counts = accounts::login_attempts(&t.db, &elsewhere, Some(id), "198.51.100.9", now)
        .await
        .expect("counted");
    assert_eq!(
        (counts.pair, counts.address, counts.account),
        (0, 0, 1),
        "another address shares only the account's count"
    );

    accounts::forget_attempt(&t.db, &attempt)
        .await
        .expect("forgotten");
    accounts::remember_login(&t.db, id, "192.0.2.1", now)
        .await
        .expect("remembered");
    accounts::remember_login(&t.db, id, "192.0.2.1", now)
        .await
        .expect("remembered twice without a duplicate");
    let counts = accounts::login_attempts(&t.db, &here, Some(id), "192.0.2.1", now)
        .await
        .expect("counted");
    assert_eq!((counts.pair, counts.account), (0, 0));
    assert!(counts.known_address);
    let later = now + Duration::days(31);
    let counts = accounts::login_attempts(&t.db, &here, Some(id), "192.0.2.1", later)
        .await
        .expect("counted");
    assert!(!counts.known_address, "a month later it is forgotten");
}

#[tokio::test]
async fn the_remembered_addresses_migration_comes_down_and_goes_up_again() {
    use migration::{Migrator, MigratorTrait};
    let t = fresh_db().await;
    // Down to just before it, whatever migrations land after it.
    let steps = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261130_000001_login_successes")
        .expect("the migration is registered")
        + 1;
    Migrator::down(&t.db, Some(u32::try_from(steps).expect("few migrations")))
        .await
        .expect("it comes down");
    assert!(
        t.db.execute_unprepared("SELECT * FROM login_successes")
            .await
            .is_err(),
        "the table is gone"
    );
    Migrator::up(&t.db, None).await.expect("and goes up again");
    let id = someone(&t.db).await;
    accounts::remember_login(&t.db, id, "192.0.2.1", Utc::now())
        .await
        .expect("the table works again");
}
