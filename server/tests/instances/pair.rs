//! Two `server` processes on one fresh database, and visitors whose cookies go to both, as a
//! browser's do behind a load balancer (cookies are kept per host, not per port).

use std::sync::Arc;

use reqwest::cookie::{CookieStore, Jar};

use crate::common::{ADMIN_EMAIL, Browser, PASSWORD};
use crate::process::{ServerProcess, TestDatabase, create_admin};

/// Two instances on one database that has its admin (`ADMIN_EMAIL`, `PASSWORD`).
pub struct Pair {
    /// Kept while the servers run (an SQLite file lives in its directory).
    _database: TestDatabase,
    pub a: ServerProcess,
    pub b: ServerProcess,
}

impl Pair {
    /// A fresh database with its admin, and two servers started on it at the same moment.
    pub async fn start(name: &str) -> Pair {
        let database = TestDatabase::fresh(name).await;
        create_admin(&database).await;
        Pair::on(database).await
    }

    /// A fresh database without any account, and two servers started on it at the same
    /// moment (they bring its schema up to date).
    pub async fn without_accounts(name: &str) -> Pair {
        Pair::on(TestDatabase::fresh(name).await).await
    }

    async fn on(database: TestDatabase) -> Pair {
        Pair::on_with(database, &[]).await
    }

    /// Two servers started at the same moment on `database` (which the caller prepared), with
    /// more environment variables set for both.
    pub async fn on_with(database: TestDatabase, env: &[(&str, &str)]) -> Pair {
        let (a, b) = start_both_with(&database, env).await;
        Pair {
            _database: database,
            a,
            b,
        }
    }

    /// A new visitor, not logged in.
    pub fn visitor(&self) -> Visitor {
        Visitor::new(&self.a.base, &self.b.base)
    }

    /// A new visitor logged in as the admin through instance A.
    pub async fn admin(&self) -> Visitor {
        let visitor = self.visitor();
        let (status, _) = visitor.a().log_in(ADMIN_EMAIL, PASSWORD).await;
        assert_eq!(status, 302, "the admin logs in through A");
        visitor
    }

    /// Both servers' logs, for a failure message.
    pub fn logs(&self) -> String {
        format!("--- A ---\n{}\n--- B ---\n{}", self.a.log(), self.b.log())
    }
}

/// Starts two servers on `database` at the same moment and waits until both are ready.
pub async fn start_both(database: &TestDatabase) -> (ServerProcess, ServerProcess) {
    start_both_with(database, &[]).await
}

/// [`start_both`] with more environment variables set for both.
pub async fn start_both_with(
    database: &TestDatabase,
    env: &[(&str, &str)],
) -> (ServerProcess, ServerProcess) {
    let mut a = ServerProcess::launch_with(database, "server-a.log", env);
    let mut b = ServerProcess::launch_with(database, "server-b.log", env);
    let (ready_a, ready_b) = tokio::join!(a.ready(), b.ready());
    if let Err(why) = ready_a.as_ref().and(ready_b.as_ref()) {
        panic!(
            "both servers should start: {why}\nA: {ready_a:?}\nB: {ready_b:?}\n--- A's log ---\n{}\n--- B's log ---\n{}",
            a.log(),
            b.log()
        );
    }
    (a, b)
}

/// One browser (without JavaScript) whose requests the test sends to instance A or B; both
/// get its cookies.
pub struct Visitor {
    jar: Arc<Jar>,
    client: reqwest::Client,
    bases: [String; 2],
}

impl Visitor {
    fn new(a: &str, b: &str) -> Visitor {
        let jar = Arc::new(Jar::default());
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_provider(Arc::clone(&jar))
            .build()
            .expect("a client");
        Visitor {
            jar,
            client,
            bases: [a.to_owned(), b.to_owned()],
        }
    }

    /// This visitor's requests to instance A.
    pub fn a(&self) -> Browser {
        self.at(0)
    }

    /// This visitor's requests to instance B.
    pub fn b(&self) -> Browser {
        self.at(1)
    }

    /// This visitor's requests to instance `i` of the round (0 is A, 1 is B, 2 is A again…).
    pub fn at(&self, i: usize) -> Browser {
        Browser {
            base: self.bases[i % 2].clone(),
            client: self.client.clone(),
        }
    }

    /// Another browser holding this one's cookies as they are now (a copy of its session
    /// cookie, as a thief or a second tab would hold it), so a test can tell whether the
    /// session itself ended, not just whether this browser forgot it.
    pub fn copy(&self) -> Visitor {
        let copy = Visitor::new(&self.bases[0], &self.bases[1]);
        let url: reqwest::Url = self.bases[0].parse().expect("a URL");
        if let Some(cookies) = self.jar.cookies(&url) {
            let cookies = cookies.to_str().expect("ASCII cookies");
            for cookie in cookies.split("; ") {
                copy.jar.add_cookie_str(&format!("{cookie}; Path=/"), &url);
            }
        }
        copy
    }
}
