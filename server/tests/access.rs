//! Who may do what, over HTTP against the real server: every server function called by every
//! role (one table, checked to cover every registered function), the session cookie and how
//! sessions end, forms posted from other sites, and what viewers can see.
//!
//! The rules are in `app/src/api/access.rs`. In short: anonymous callers get 401 from everything
//! but the public and self-service functions; viewers read published postmortems only (anything
//! else is 404 to them); authors and up write postmortems that are draft or have changes
//! requested, and follow-ups on any postmortem they can read; `users/*` but `users/people` is
//! for admins.

mod common;

use std::collections::BTreeSet;
use std::fmt;

use app::api::account::{ChangePassword, CreateFirstAdmin, LogIn, LogOut, WhoAmI};
use app::api::changes::{AddChange, AddParameter};
use app::api::comments::AddComment;
use app::api::follow_ups::{AddFollowUp, ListFollowUps};
use app::api::impact::AddImpactFigure;
use app::api::incidents::{
    DeleteIncident, GetPostmortem, IncidentList, ListIncidents, LoadWorkedExample,
};
use app::api::participants::AddParticipant;
use app::api::timeline::AddTimelineEntry;
use app::api::users::{AddUser, ListUsers, UpdateUser};
use app::api::views::PostmortemView;
use app::domain::account::{Role, User};
use app::domain::follow_up::FollowUpState;
use app::domain::incident::IncidentStatus;
use common::{ADMIN_EMAIL, Browser, PASSWORD, TestApp, on_server, spawn, spawn_empty, text_of};
use leptos::server_fn::ServerFn;
use leptos::server_fn::serde::de::DeserializeOwned;

// ---------------------------------------------------------------------------------------------
// The access table
// ---------------------------------------------------------------------------------------------

/// What one caller gets from one server function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    /// The call goes through: a 2xx answer or a redirect (the table sends valid arguments, so
    /// anything else means the function refused or failed).
    Allowed,
    /// Past the access check, though the call may still be refused for what it asks (a 409 or
    /// 422, say): any answer but 400, 401, 403, 404 or a server error. For rows whose call
    /// cannot succeed on the fixture; prefer `Allowed` with arguments that succeed.
    Passes,
    /// Refused with exactly this status.
    Denied(u16),
}

impl Expect {
    fn admits(self, status: u16) -> bool {
        match self {
            Expect::Allowed => (200..400).contains(&status),
            Expect::Passes => status < 500 && ![400, 401, 403, 404].contains(&status),
            Expect::Denied(expected) => status == expected,
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Allowed => write!(f, "allowed (2xx/3xx)"),
            Expect::Passes => write!(f, "past the access check (not 400/401/403/404/5xx)"),
            Expect::Denied(status) => write!(f, "denied with {status}"),
        }
    }
}

/// The call goes through.
const OK: Expect = Expect::Allowed;
/// Past the access check, whatever the answer (see `Expect::Passes`).
#[allow(dead_code)]
const PASSES: Expect = Expect::Passes;
/// 401: nobody is logged in.
const LOGIN: Expect = Expect::Denied(401);
/// 403: the caller's role is not enough (or the thing may not be done at all now).
const FORBIDDEN: Expect = Expect::Denied(403);
/// 404: the rules hide the object from this caller (a draft, to a viewer).
const HIDDEN: Expect = Expect::Denied(404);

/// The table's columns, in order.
const CALLERS: [(&str, Option<Role>); 5] = [
    ("anonymous", None),
    ("viewer", Some(Role::Viewer)),
    ("author", Some(Role::Author)),
    ("reviewer", Some(Role::Reviewer)),
    ("admin", Some(Role::Admin)),
];

/// Form fields to post: names as the HTML forms send them, values as text.
type Args = Vec<(&'static str, String)>;

/// `args!["id" => f.incident, "form[title]" => "x"]`
macro_rules! args {
    ($($name:literal => $value:expr),* $(,)?) => {
        vec![$(($name, $value.to_string())),*]
    };
}

/// One server function: what it is called with, and what each caller gets.
struct Row {
    path: &'static str,
    /// anonymous, viewer, author, reviewer, admin (the order of `CALLERS`).
    expect: [Expect; 5],
    /// Valid arguments, built from the fixture, so that an allowed call succeeds.
    args: fn(&Fixture) -> Args,
}

/// Every server function, and who may call it. The fixture's incident is the worked example, a
/// draft: hidden from viewers, editable by authors (the review steps use examples of their own,
/// see `Fixture::to_submit`). A row that deletes something deletes an
/// object of its own (`Fixture::doomed_*`), so the order of rows does not matter.
///
/// A new server function needs a row here (`every_server_function_has_a_row_in_the_access_table`
/// fails until it has one): its path, each column's expectation, and arguments that succeed for
/// a caller who is allowed. Add what the arguments need to `Fixture`, with an object of the row's
/// own if the call deletes or uses something up (a state change that cannot be repeated, say).
#[rustfmt::skip]
const ACCESS_TABLE: &[Row] = &[
    //                                                     anonymous  viewer     author     reviewer   admin
    // One's own account: public or self-service.
    Row { path: "/api/account/me",                expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/account/setup/needed",      expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args![] },
    // Debrief already has accounts, so setting up is refused even with the right token.
    Row { path: "/api/account/setup",             expect: [FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
          args: |f| args!["token" => f.setup_token, "form[email]" => "second-admin@example.com",
                          "form[display_name]" => "Second Admin", "form[password]" => PASSWORD,
                          "form[time_zone]" => "UTC"] },
    Row { path: "/api/account/login",             expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args!["form[email]" => LOGIN_EMAIL, "form[password]" => PASSWORD] },
    Row { path: "/api/account/logout",            expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/account/password",          expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["form[current_password]" => PASSWORD,
                          "form[new_password]" => NEW_PASSWORD,
                          "form[confirm_password]" => NEW_PASSWORD] },
    Row { path: "/api/forms/flash",               expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args!["id" => "0123456789abcdef"] },
    Row { path: "/api/settings/zone",             expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/settings/zone/set",         expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args!["zone" => "UTC"] },
    Row { path: "/api/markdown/preview",          expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["text" => "*What went well*"] },

    // People: admins only, but everyone picks owners from the people list.
    Row { path: "/api/users/list",                expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args![] },
    Row { path: "/api/users/people",              expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/users/add",                 expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["form[email]" => "new-person@example.com",
                          "form[display_name]" => "New Person", "form[password]" => PASSWORD,
                          "form[role]" => "viewer", "form[time_zone]" => "UTC"] },
    Row { path: "/api/users/update",              expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.person, "role" => "author", "active" => "on"] },

    // Incidents.
    Row { path: "/api/incidents/list",            expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["status" => "", "severity" => ""] },
    Row { path: "/api/incidents/postmortem",      expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },
    Row { path: "/api/incidents/form",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },
    Row { path: "/api/incidents/create",          expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |_| incident_form() },
    Row { path: "/api/incidents/update",          expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.incident], incident_form()].concat() },
    Row { path: "/api/incidents/lessons/form",    expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },
    Row { path: "/api/incidents/lessons/update",  expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident, "form[went_well]" => "Paging worked.",
                          "form[went_wrong]" => "", "form[lucky]" => ""] },
    Row { path: "/api/incidents/delete",          expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_incident] },
    Row { path: "/api/incidents/example",         expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/incidents/history",         expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },
    Row { path: "/api/incidents/context",         expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },

    // Timeline entries.
    Row { path: "/api/timeline/form",             expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.timeline_entry] },
    Row { path: "/api/timeline/add",              expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident], timeline_form()].concat() },
    Row { path: "/api/timeline/update",           expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.timeline_entry], timeline_form()].concat() },
    Row { path: "/api/timeline/delete",           expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_timeline_entry] },

    // Impact figures.
    Row { path: "/api/impact/form",               expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.impact_figure] },
    Row { path: "/api/impact/add",                expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident], impact_form()].concat() },
    Row { path: "/api/impact/update",             expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.impact_figure], impact_form()].concat() },
    Row { path: "/api/impact/delete",             expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_impact_figure] },

    // Changes and their parameters.
    Row { path: "/api/changes/form",              expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.change] },
    Row { path: "/api/changes/add",               expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident], change_form()].concat() },
    Row { path: "/api/changes/update",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.change], change_form()].concat() },
    Row { path: "/api/changes/delete",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_change] },
    Row { path: "/api/changes/parameters/add",    expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["change_id" => f.change, "form[name]" => "batch size",
                          "form[value]" => "10"] },
    Row { path: "/api/changes/parameters/update", expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.parameter, "form[name]" => f.parameter_name,
                          "form[value]" => "4"] },
    Row { path: "/api/changes/parameters/delete", expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_parameter] },

    // Follow-ups.
    Row { path: "/api/follow-ups/new-form",       expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident] },
    Row { path: "/api/follow-ups/form",           expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.follow_up] },
    Row { path: "/api/follow-ups/add",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident, "state" => "proposed"],
                     follow_up_form()].concat() },
    Row { path: "/api/follow-ups/update",         expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.follow_up], follow_up_form()].concat() },
    Row { path: "/api/follow-ups/transition",     expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.moving_follow_up, "form[to]" => "wont_do",
                          "form[note]" => "Covered by the default concurrency fix"] },
    Row { path: "/api/follow-ups/delete",         expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_follow_up] },
    Row { path: "/api/follow-ups/list",           expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["state" => "", "owner" => ""] },

    // The review. Each step that changes a status has an incident of its own, put in the status
    // the step starts from; the admin who loaded them wrote them, the callers did not. Approving
    // and requesting changes need a reviewer; the other steps, an author.
    Row { path: "/api/review/state",              expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },
    Row { path: "/api/review/submit",             expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.to_submit] },
    Row { path: "/api/review/approve",            expect: [LOGIN,     HIDDEN,    FORBIDDEN, OK,        OK],
          args: |f| [args!["id" => f.to_approve], approval_form()].concat() },
    Row { path: "/api/review/request-changes",    expect: [LOGIN,     HIDDEN,    FORBIDDEN, OK,        OK],
          args: |f| args!["id" => f.to_send_back,
                          "form[comments]" => "Quantify the impact: how many logins failed?"] },
    Row { path: "/api/review/publish",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.to_publish] },
    // A published postmortem is readable by viewers, so they are told no rather than not found.
    Row { path: "/api/review/correct",            expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.to_correct] },

    // What waits for the logged-in user.
    Row { path: "/api/my-work",                   expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args![] },

    // Comments: by anyone who can read the postmortem; deleted by their author or an admin.
    Row { path: "/api/comments/add",              expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident, "anchor" => "section:impact",
                          "form[body]" => "Where does the 500 come from?"] },
    Row { path: "/api/comments/delete",           expect: [LOGIN,     HIDDEN,    FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.comment] },

    // The people involved: part of the postmortem, written by authors while it is a draft.
    Row { path: "/api/participants/add",          expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident, "form[user_id]" => f.person,
                          "form[part]" => "incident commander"] },
    Row { path: "/api/participants/remove",       expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident, "user_id" => f.participant] },
];

/// The account the `account/login` row logs in as.
const LOGIN_EMAIL: &str = "login-row@example.com";
/// What the `account/password` row changes the caller's password to.
const NEW_PASSWORD: &str = "a different horse battery staple";

fn incident_form() -> Args {
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

fn timeline_form() -> Args {
    args![
        "form[at]" => "2020-03-23T10:29",
        "form[precision]" => "minute",
        "form[kind]" => "action",
        "form[actor]" => "on-call engineer",
        "form[body]" => "Restarted the login service.",
        "zone" => "UTC",
    ]
}

fn impact_form() -> Args {
    args![
        "form[affected]" => "checkout attempts failed",
        "form[quantity_kind]" => "approximate",
        "form[quantity]" => "120",
        "form[window]" => "5 min",
        "form[customer_visible]" => "on",
    ]
}

fn change_form() -> Args {
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
fn approval_form() -> Args {
    args![
        "form[timeline_complete]" => "on",
        "form[impact_quantified]" => "on",
        "form[trigger_identified]" => "on",
        "form[follow_ups_address_trigger]" => "on",
        "form[blameless]" => "on",
        "form[comments]" => "Clear, quantified and blameless.",
    ]
}

fn follow_up_form() -> Args {
    args![
        "form[title]" => "Ask before running a job on every server",
        "form[action_type]" => "prevent",
        "form[priority]" => "p2",
        "form[owner]" => "platform team",
        "form[due]" => "2030-01-31",
    ]
}

/// What the table's arguments are built from, made anew on each app by its admin.
struct Fixture {
    setup_token: String,
    /// The worked example: a draft, with the parts below.
    incident: i64,
    timeline_entry: i64,
    impact_figure: i64,
    change: i64,
    parameter: i64,
    parameter_name: String,
    follow_up: i64,
    /// A proposed follow-up that the transition row moves to won't do.
    moving_follow_up: i64,
    /// Objects that exist only to be deleted, one per deleting row.
    doomed_incident: i64,
    doomed_timeline_entry: i64,
    doomed_impact_figure: i64,
    doomed_change: i64,
    doomed_parameter: i64,
    doomed_follow_up: i64,
    /// A viewer the admin's `users/update` makes an author.
    person: i64,
    /// Worked examples in the status each review step starts from, one per step, so that the
    /// step applies whatever the rows before it did: a draft to submit, two in review (one to
    /// approve, one to send back), an approved one to publish and a published one to correct.
    to_submit: i64,
    to_approve: i64,
    to_send_back: i64,
    to_publish: i64,
    to_correct: i64,
    /// A comment the app's admin wrote on the draft, for the delete row.
    comment: i64,
    /// Someone the admin listed as taking part in the draft, for the remove row.
    participant: i64,
}

impl Fixture {
    async fn build(app: &TestApp) -> Fixture {
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
        let fixture = Fixture {
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
        };
        app.add_user(LOGIN_EMAIL, "Logan Login", Role::Viewer).await;
        fixture
    }
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

/// A browser calling as one column of the table, logged in again as a new account of the same
/// role whenever a row ended its session or logged it in as someone else.
struct Caller {
    role: Option<Role>,
    browser: Browser,
    user: Option<i64>,
}

impl Caller {
    async fn start(app: &TestApp, role: Option<Role>) -> Caller {
        let browser = match role {
            Some(role) => app.browser_as(role).await,
            None => app.anonymous(),
        };
        let user = who_am_i(&browser).await.map(|u| u.id);
        assert_eq!(
            user.is_some(),
            role.is_some(),
            "the caller is who they should be"
        );
        Caller {
            role,
            browser,
            user,
        }
    }

    async fn stay(&mut self, app: &TestApp) {
        if who_am_i(&self.browser).await.map(|u| u.id) != self.user {
            *self = Caller::start(app, self.role).await;
        }
    }
}

/// Calls every server function as the table's column `column` on a fresh app, and fails listing
/// every row whose answer differs from the table.
async fn check_the_access_table(column: usize) {
    let (name, role) = CALLERS[column];
    let app = spawn().await;
    let fixture = Fixture::build(&app).await;
    let mut caller = Caller::start(&app, role).await;
    let mut wrong = Vec::new();
    for row in ACCESS_TABLE {
        let args = (row.args)(&fixture);
        let (status, body) = caller.browser.call(row.path, &fields(&args)).await;
        let expected = row.expect[column];
        if !expected.admits(status) {
            wrong.push(format!(
                "  {}: expected {expected}, got {status}: {}",
                row.path,
                shortened(&body)
            ));
        }
        caller.stay(&app).await;
    }
    assert!(
        wrong.is_empty(),
        "as {name}, {} of {} server functions answer otherwise than the access table says:\n{}",
        wrong.len(),
        ACCESS_TABLE.len(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn anonymous_callers_get_what_the_access_table_says() {
    check_the_access_table(0).await;
}

#[tokio::test]
async fn viewers_get_what_the_access_table_says() {
    check_the_access_table(1).await;
}

#[tokio::test]
async fn authors_get_what_the_access_table_says() {
    check_the_access_table(2).await;
}

#[tokio::test]
async fn reviewers_get_what_the_access_table_says() {
    check_the_access_table(3).await;
}

#[tokio::test]
async fn admins_get_what_the_access_table_says() {
    check_the_access_table(4).await;
}

#[tokio::test]
async fn every_server_function_has_a_row_in_the_access_table() {
    // Building the server's router registers the app's server functions.
    let _app = spawn().await;
    let registered: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    assert!(
        registered.contains(LogIn::PATH) && registered.contains(DeleteIncident::PATH),
        "the app's server functions are registered: {registered:?}"
    );
    let mut in_table = BTreeSet::new();
    let twice: Vec<&str> = ACCESS_TABLE
        .iter()
        .filter(|row| !in_table.insert(row.path))
        .map(|row| row.path)
        .collect();
    let missing: Vec<&&str> = registered.difference(&in_table).collect();
    let extra: Vec<&&str> = in_table.difference(&registered).collect();
    assert!(
        missing.is_empty() && extra.is_empty() && twice.is_empty(),
        "the access table must have exactly one row per server function.\n\
         Server functions without a row (add one to ACCESS_TABLE): {missing:?}\n\
         Rows for no server function (renamed or removed?): {extra:?}\n\
         Rows more than once: {twice:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Sessions and cookies
// ---------------------------------------------------------------------------------------------

/// A client without a cookie jar, for reading and sending the session cookie by hand.
fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// Logs in as a program would, sending `cookie` (a session token) if given and `headers`.
async fn log_in_by_hand(
    app: &TestApp,
    email: &str,
    password: &str,
    cookie: Option<&str>,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = bare_client()
        .post(app.url(LogIn::PATH))
        .form(&[("form[email]", email), ("form[password]", password)]);
    if let Some(token) = cookie {
        request = request.header("cookie", format!("debrief_session={token}"));
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("the login answers")
}

/// The `Set-Cookie` header that sets `debrief_session`.
fn session_set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("debrief_session="))
        .map(str::to_owned)
}

/// The session token a response sets.
fn session_token(response: &reqwest::Response) -> String {
    let cookie = session_set_cookie(response).expect("a session cookie is set");
    cookie["debrief_session=".len()..]
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Who a session token belongs to now, asked of `account/me`.
async fn user_of(app: &TestApp, token: &str) -> Option<User> {
    let response = bare_client()
        .post(app.url(WhoAmI::PATH))
        .header("cookie", format!("debrief_session={token}"))
        .send()
        .await
        .expect("account/me answers");
    assert_eq!(response.status().as_u16(), 200);
    serde_json::from_str(&response.text().await.expect("a body")).expect("a user or null")
}

/// Requests a page with a session token (or none); returns the status and Location.
async fn open_page(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Option<String>) {
    let mut request = bare_client()
        .get(app.url(path))
        .header("accept", "text/html");
    if let Some(token) = token {
        request = request.header("cookie", format!("debrief_session={token}"));
    }
    let response = request.send().await.expect("the page answers");
    (response.status().as_u16(), location(&response))
}

fn location(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Whether a page asked for with this token is sent to the login page.
async fn sent_to_login(app: &TestApp, token: &str) -> bool {
    let (status, location) = open_page(app, "/follow-ups", Some(token)).await;
    status == 303 && location.is_some_and(|l| l.starts_with("/login?next="))
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_lax_and_secure_only_over_https() {
    let app = spawn().await;

    let response = log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, None, &[]).await;
    assert!(response.status().is_success(), "{}", response.status());
    let cookie = session_set_cookie(&response).expect("a session cookie");
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(attributes.contains(&"HttpOnly"), "{cookie}");
    assert!(attributes.contains(&"SameSite=Lax"), "{cookie}");
    assert!(attributes.contains(&"Path=/"), "{cookie}");
    assert!(
        !attributes.contains(&"Secure"),
        "not Secure over plain http, or the browser would never send it back: {cookie}"
    );
    assert!(session_token(&response).len() >= 32, "a long random token");

    let response = log_in_by_hand(
        &app,
        ADMIN_EMAIL,
        PASSWORD,
        None,
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
    let cookie = session_set_cookie(&response).expect("a session cookie");
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(
        attributes.contains(&"Secure")
            && attributes.contains(&"HttpOnly")
            && attributes.contains(&"SameSite=Lax"),
        "behind an HTTPS proxy the cookie is Secure too: {cookie}"
    );
}

#[tokio::test]
async fn each_login_starts_a_new_session_and_ends_the_one_the_browser_had() {
    let app = spawn().await;
    let first = session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, None, &[]).await);
    assert_eq!(
        user_of(&app, &first).await.map(|u| u.email).as_deref(),
        Some(ADMIN_EMAIL)
    );

    // The same browser logs in again, sending the session it has.
    let second =
        session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, Some(&first), &[]).await);
    assert_ne!(first, second, "a new session id on each login");
    assert_eq!(
        user_of(&app, &first).await,
        None,
        "the old token no longer works"
    );
    assert!(sent_to_login(&app, &first).await);
    assert_eq!(
        user_of(&app, &second).await.map(|u| u.email).as_deref(),
        Some(ADMIN_EMAIL)
    );

    // A token planted before login (session fixation) is never the one the session gets.
    let planted = "0000000000000000000000000000000000000000000000000000000000000000";
    let third =
        session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, Some(planted), &[]).await);
    assert_ne!(third, planted);
    assert_eq!(user_of(&app, planted).await, None);
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn().await;
    let token = session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, None, &[]).await);
    assert!(user_of(&app, &token).await.is_some());

    let response = bare_client()
        .post(app.url(LogOut::PATH))
        .header("cookie", format!("debrief_session={token}"))
        .send()
        .await
        .expect("logout answers");
    assert!(response.status().is_success(), "{}", response.status());
    let cleared = session_set_cookie(&response).expect("the cookie is cleared");
    assert!(
        cleared.starts_with("debrief_session=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );

    assert_eq!(user_of(&app, &token).await, None);
    assert!(
        sent_to_login(&app, &token).await,
        "pages send the old cookie to the login page"
    );
    let response = bare_client()
        .post(app.url(ListIncidents::PATH))
        .header("cookie", format!("debrief_session={token}"))
        .form(&[("status", ""), ("severity", "")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response.status().as_u16(),
        401,
        "server functions refuse the old cookie"
    );
}

#[tokio::test]
async fn changing_ones_password_ends_ones_other_sessions() {
    let app = spawn().await;
    let email = "changer@example.com";
    app.add_user(email, "Chris Changer", Role::Author).await;
    let here = session_token(&log_in_by_hand(&app, email, PASSWORD, None, &[]).await);
    let elsewhere = session_token(&log_in_by_hand(&app, email, PASSWORD, None, &[]).await);
    let bystander = session_token(&log_in_by_hand(&app, ADMIN_EMAIL, PASSWORD, None, &[]).await);

    let response = bare_client()
        .post(app.url(ChangePassword::PATH))
        .header("cookie", format!("debrief_session={here}"))
        .form(&[
            ("form[current_password]", PASSWORD),
            ("form[new_password]", NEW_PASSWORD),
            ("form[confirm_password]", NEW_PASSWORD),
        ])
        .send()
        .await
        .expect("an answer");
    assert!(response.status().is_success(), "{}", response.status());
    let renewed = session_token(&response);

    assert_eq!(
        user_of(&app, &elsewhere).await,
        None,
        "the other session ended"
    );
    assert!(sent_to_login(&app, &elsewhere).await);
    assert_eq!(user_of(&app, &here).await, None, "this session starts anew");
    assert_eq!(
        user_of(&app, &renewed).await.map(|u| u.email).as_deref(),
        Some(email),
        "the browser that changed it stays logged in"
    );
    assert!(
        user_of(&app, &bystander).await.is_some(),
        "other people's sessions go on"
    );

    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 422, "the old password no longer works");
    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "the new one does");
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing() {
    let app = spawn().await;
    let (status, body) = app
        .call(
            ChangePassword::PATH,
            &[
                ("form[current_password]", "not my password at all"),
                ("form[new_password]", NEW_PASSWORD),
                ("form[confirm_password]", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("current_password"), "{body}");
    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", ADMIN_EMAIL), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "the password is unchanged");
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions() {
    let app = spawn().await;
    let email = "leaver@example.com";
    let id = app.add_user(email, "Lee Leaver", Role::Author).await;
    let token = session_token(&log_in_by_hand(&app, email, PASSWORD, None, &[]).await);
    assert!(user_of(&app, &token).await.is_some());

    let (status, body) = app
        .call(
            UpdateUser::PATH,
            &[("id", &id.to_string()), ("role", "author")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(user_of(&app, &token).await, None, "their session ended");
    assert!(sent_to_login(&app, &token).await);

    let (status, body) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 403, "a deactivated account cannot log in: {body}");

    let (status, body) = app
        .call(
            UpdateUser::PATH,
            &[
                ("id", &id.to_string()),
                ("role", "author"),
                ("active", "on"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let response = log_in_by_hand(&app, email, PASSWORD, None, &[]).await;
    assert!(
        response.status().is_success(),
        "reactivated, they can log in again"
    );
}

#[tokio::test]
async fn the_last_active_admin_cannot_be_demoted_or_deactivated() {
    let app = spawn().await;
    let admin = who_am_i(&app).await.expect("the admin is logged in").id;
    let admin = admin.to_string();
    for (what, fields) in [
        (
            "demoted",
            vec![("id", admin.as_str()), ("role", "author"), ("active", "on")],
        ),
        (
            "deactivated",
            vec![("id", admin.as_str()), ("role", "admin")],
        ),
    ] {
        let (status, body) = app.call(UpdateUser::PATH, &fields).await;
        assert_eq!(status, 422, "the last admin cannot be {what}: {body}");
        assert!(body.contains("last active admin"), "{body}");
    }
    assert_eq!(
        who_am_i(&app).await.map(|u| (u.role, u.active)),
        Some((Role::Admin, true)),
        "still an active admin"
    );

    // With a second admin, the first may step down, and loses the admin's functions at once.
    app.add_user("second-admin@example.com", "Sam Second", Role::Admin)
        .await;
    let (status, body) = app
        .call(
            UpdateUser::PATH,
            &[("id", admin.as_str()), ("role", "author"), ("active", "on")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app.call(ListUsers::PATH, &[]).await;
    assert_eq!(status, 403, "no longer an admin");
}

#[tokio::test]
async fn a_wrong_password_is_a_422_and_five_failures_lock_the_account_for_a_while() {
    let app = spawn().await;
    let email = "forgetful@example.com";
    app.add_user(email, "Fran Forgetful", Role::Viewer).await;
    let browser = app.anonymous();
    for attempt in 1..=5 {
        let (status, body) = browser
            .call(
                LogIn::PATH,
                &[("form[email]", email), ("form[password]", "wrong password")],
            )
            .await;
        assert_eq!(status, 422, "attempt {attempt}: {body}");
        assert!(body.contains("do not match"), "{body}");
    }
    let (status, body) = browser
        .call(
            LogIn::PATH,
            &[("form[email]", email), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 429, "locked even with the right password: {body}");
    assert!(body.contains("Too many failed logins"), "{body}");
    assert_eq!(who_am_i(&browser).await, None, "not logged in");

    // The limit is per account: someone else logs in from the same address.
    let (status, body) = browser
        .call(
            LogIn::PATH,
            &[("form[email]", ADMIN_EMAIL), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_page_without_a_session_redirects_to_login_and_back() {
    let app = spawn().await;
    for (page, next) in [
        ("/", "/"),
        ("/follow-ups", "/follow-ups"),
        (
            "/incidents/3?edit=timeline-1",
            "/incidents/3%3Fedit%3Dtimeline-1",
        ),
    ] {
        let (status, location) = open_page(&app, page, None).await;
        assert_eq!(status, 303, "{page}");
        assert_eq!(
            location.as_deref(),
            Some(format!("/login?next={next}").as_str()),
            "{page}"
        );
    }
    let (status, location) = open_page(&app, "/", Some("not-a-session")).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/login?next=/")),
        "an unknown token is no session"
    );
    let (status, _) = app.anonymous().page("/login").await;
    assert_eq!(status, 200, "the login page itself is open");
    let (status, _) = app
        .anonymous()
        .call(ListIncidents::PATH, &[("status", ""), ("severity", "")])
        .await;
    assert_eq!(
        status, 401,
        "server functions answer 401 instead of redirecting"
    );
}

#[tokio::test]
async fn before_the_first_account_pages_redirect_to_setup() {
    let app = spawn_empty().await;
    for page in ["/", "/follow-ups", "/login?next=/x"] {
        let (status, location) = open_page(&app, page, None).await;
        if page.starts_with("/login") {
            assert_eq!(status, 200, "the login page is open");
            continue;
        }
        assert_eq!(
            (status, location.as_deref()),
            (303, Some("/setup")),
            "{page}"
        );
    }
    let (status, _) = app.anonymous().page("/setup").await;
    assert_eq!(status, 200);
}

fn first_admin_fields(token: &str, email: &str) -> Args {
    args![
        "token" => token,
        "form[email]" => email,
        "form[display_name]" => "Frida First",
        "form[password]" => PASSWORD,
        "form[time_zone]" => "Europe/Amsterdam",
    ]
}

#[tokio::test]
async fn setup_creates_the_first_admin_only_with_the_token_and_only_once() {
    let app = spawn_empty().await;

    let wrong = first_admin_fields("not-the-token", "first@example.com");
    let (status, body) = app
        .anonymous()
        .call(CreateFirstAdmin::PATH, &fields(&wrong))
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, location) = open_page(&app, "/", None).await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/setup")),
        "still nobody: pages still go to setup"
    );

    let browser = app.anonymous();
    let right = first_admin_fields(&app.setup_token, "first@example.com");
    let (status, location) = browser
        .submit(CreateFirstAdmin::PATH, "/setup", &fields(&right))
        .await;
    assert_eq!(status, 302);
    assert_eq!(location.as_deref(), Some("/"));
    let me = who_am_i(&browser)
        .await
        .expect("logged in as the new admin");
    assert_eq!(
        (me.email.as_str(), me.role, me.time_zone.as_str()),
        ("first@example.com", Role::Admin, "Europe/Amsterdam")
    );
    let (status, _) = browser.page("/").await;
    assert_eq!(status, 200, "the new admin is in");

    // Once an account exists, the token creates nothing more.
    let again = first_admin_fields(&app.setup_token, "intruder@example.com");
    let (status, body) = app
        .anonymous()
        .call(CreateFirstAdmin::PATH, &fields(&again))
        .await;
    assert_eq!(status, 403, "{body}");
    let users: Vec<User> = json(&browser, ListUsers::PATH, &args![], "the users").await;
    assert_eq!(users.len(), 1, "{users:?}");
}

// ---------------------------------------------------------------------------------------------
// Forms posted from other sites
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_cross_site_form_post_is_refused_and_changes_nothing() {
    let app = spawn().await;
    let incident = id_from(&app.load_example().await);
    let person = app
        .add_user("person@example.com", "Pat Person", Role::Author)
        .await;
    let before: PostmortemView = json(
        &app,
        GetPostmortem::PATH,
        &args!["id" => incident],
        "the postmortem",
    )
    .await;
    let entry = before.timeline.first().expect("a timeline entry").id;

    let attacks: [(&str, &str); 3] = [
        ("origin", "http://evil.example"),
        ("origin", "null"),
        ("sec-fetch-site", "cross-site"),
    ];
    let incident_id = incident.to_string();
    let entry_id = entry.to_string();
    let person_id = person.to_string();
    let posts: [(&str, Vec<(&str, &str)>); 5] = [
        (DeleteIncident::PATH, vec![("id", incident_id.as_str())]),
        ("/api/timeline/delete", vec![("id", entry_id.as_str())]),
        (
            UpdateUser::PATH,
            vec![
                ("id", person_id.as_str()),
                ("role", "admin"),
                ("active", "on"),
            ],
        ),
        (
            AddUser::PATH,
            vec![
                ("form[email]", "mallory@example.com"),
                ("form[display_name]", "Mallory"),
                ("form[password]", PASSWORD),
                ("form[role]", "admin"),
            ],
        ),
        (
            ChangePassword::PATH,
            vec![
                ("form[current_password]", PASSWORD),
                ("form[new_password]", NEW_PASSWORD),
                ("form[confirm_password]", NEW_PASSWORD),
            ],
        ),
    ];
    for (header, value) in attacks {
        for (path, fields) in &posts {
            for accept in ["text/html", "*/*"] {
                let response = app
                    .client
                    .post(app.url(path))
                    .header("accept", accept)
                    .header(header, value)
                    .form(fields)
                    .send()
                    .await
                    .expect("an answer");
                assert_eq!(
                    response.status().as_u16(),
                    403,
                    "{path} with {header}: {value} (accept {accept})"
                );
            }
        }
    }

    let after: PostmortemView = json(
        &app,
        GetPostmortem::PATH,
        &args!["id" => incident],
        "the postmortem, still there",
    )
    .await;
    assert_eq!(after, before, "the incident and its timeline are untouched");
    let users: Vec<User> = json(&app, ListUsers::PATH, &args![], "the users").await;
    assert!(
        !users.iter().any(|u| u.email == "mallory@example.com"),
        "no account was added"
    );
    assert_eq!(
        users.iter().find(|u| u.id == person).map(|u| u.role),
        Some(Role::Author),
        "no one was made an admin"
    );
    let (status, _) = app
        .anonymous()
        .call(
            LogIn::PATH,
            &[("form[email]", ADMIN_EMAIL), ("form[password]", PASSWORD)],
        )
        .await;
    assert_eq!(status, 200, "the password is unchanged");

    // The same post from Debrief's own pages goes through.
    let response = app
        .client
        .post(app.url(DeleteIncident::PATH))
        .header("origin", app.base.as_str())
        .header("sec-fetch-site", "same-origin")
        .form(&[("id", incident_id.as_str())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    let (status, _) = app.call(GetPostmortem::PATH, &[("id", &incident_id)]).await;
    assert_eq!(status, 404, "now it is gone");
}

// ---------------------------------------------------------------------------------------------
// What viewers see
// ---------------------------------------------------------------------------------------------

/// Sets an incident's review status directly in the database.
async fn set_status(app: &TestApp, id: i64, status: IncidentStatus) {
    use app::server::entities::incidents;
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let db = app.db.clone();
    on_server(async move {
        let row = incidents::Entity::find_by_id(id)
            .one(&db)
            .await
            .expect("the incident is read")
            .expect("the incident exists");
        let mut row: incidents::ActiveModel = row.into();
        row.status = Set(status.as_str().to_owned());
        row.update(&db).await.expect("the status is set");
    })
    .await;
}

async fn listed_incidents(browser: &Browser) -> Vec<i64> {
    let list: IncidentList = json(
        browser,
        ListIncidents::PATH,
        &args!["status" => "", "severity" => ""],
        "the incident list",
    )
    .await;
    list.rows.iter().map(|r| r.id).collect()
}

async fn listed_follow_ups_of(browser: &Browser, incident: i64) -> usize {
    let list: app::api::follow_ups::FollowUpList = json(
        browser,
        ListFollowUps::PATH,
        &args!["state" => "", "owner" => ""],
        "the follow-up list",
    )
    .await;
    list.rows
        .iter()
        .filter(|r| r.incident_id == incident)
        .count()
}

#[tokio::test]
async fn a_viewer_is_told_up_front_that_recording_an_incident_needs_the_author_role() {
    let app = spawn().await;
    let viewer = app.browser_as(Role::Viewer).await;
    let (status, html) = viewer.page("/incidents/new").await;
    assert_eq!(status, 200);
    assert!(text_of(&html).contains("Recording incidents needs the author role"));
    assert!(
        !html.contains(r#"name="form[title]""#),
        "no form to fill in for nothing"
    );
    let author = app.browser_as(Role::Author).await;
    let (_, html) = author.page("/incidents/new").await;
    assert!(
        html.contains(r#"name="form[title]""#),
        "authors get the form"
    );
}

#[tokio::test]
async fn viewers_see_a_postmortem_only_once_it_is_published() {
    let app = spawn().await;
    let page = app.load_example().await;
    let incident = id_from(&page);
    let (_, html) = app.page(&page).await;
    let title = "Customer logins failed across all products";
    assert!(text_of(&html).contains(title), "{}", text_of(&html));
    let viewer = app.browser_as(Role::Viewer).await;

    for status in [
        IncidentStatus::Draft,
        IncidentStatus::InReview,
        IncidentStatus::ChangesRequested,
        IncidentStatus::Approved,
    ] {
        set_status(&app, incident, status).await;
        let (code, body) = viewer
            .call(GetPostmortem::PATH, &[("id", &incident.to_string())])
            .await;
        assert_eq!(code, 404, "{status:?} is hidden from viewers: {body}");
        assert!(
            !body.contains(title),
            "a 404 tells nothing of the incident: {body}"
        );
        assert!(!listed_incidents(&viewer).await.contains(&incident));
        assert_eq!(listed_follow_ups_of(&viewer, incident).await, 0);
        assert!(
            listed_incidents(&app).await.contains(&incident),
            "authors and up see every postmortem"
        );
    }
    set_status(&app, incident, IncidentStatus::Draft).await;
    let (status, html) = viewer.page(&page).await;
    assert_eq!(status, 404, "the draft's page is not found");
    assert!(!text_of(&html).contains(title), "{}", text_of(&html));
    let (status, _) = viewer.page("/").await;
    assert_eq!(status, 200);

    set_status(&app, incident, IncidentStatus::Published).await;
    let (status, html) = viewer.page(&page).await;
    assert_eq!(status, 200, "a published postmortem is for everyone");
    assert!(text_of(&html).contains(title));
    let (status, body) = viewer
        .call(GetPostmortem::PATH, &[("id", &incident.to_string())])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(listed_incidents(&viewer).await.contains(&incident));
    assert!(listed_follow_ups_of(&viewer, incident).await > 0);
}

/// One call on a published postmortem: who makes it and what they get.
struct Check {
    path: &'static str,
    who: Role,
    expect: Expect,
    args: fn(&Fixture) -> Args,
}

/// A published postmortem is read-only for everyone, but its follow-ups stay open to authors.
#[rustfmt::skip]
const ON_A_PUBLISHED_POSTMORTEM: &[Check] = &[
    // Everyone reads it...
    Check { path: "/api/incidents/postmortem",      who: Role::Viewer, expect: OK,
            args: |f| args!["id" => f.incident] },
    // ...nobody changes it...
    Check { path: "/api/incidents/form",            who: Role::Author, expect: FORBIDDEN,
            args: |f| args!["id" => f.incident] },
    Check { path: "/api/incidents/update",          who: Role::Author, expect: FORBIDDEN,
            args: |f| [args!["id" => f.incident], incident_form()].concat() },
    Check { path: "/api/incidents/lessons/update",  who: Role::Admin,  expect: FORBIDDEN,
            args: |f| args!["id" => f.incident, "form[went_well]" => "Rewritten"] },
    Check { path: "/api/incidents/delete",          who: Role::Admin,  expect: FORBIDDEN,
            args: |f| args!["id" => f.incident] },
    Check { path: "/api/timeline/add",              who: Role::Author, expect: FORBIDDEN,
            args: |f| [args!["incident_id" => f.incident], timeline_form()].concat() },
    Check { path: "/api/timeline/delete",           who: Role::Reviewer, expect: FORBIDDEN,
            args: |f| args!["id" => f.doomed_timeline_entry] },
    Check { path: "/api/impact/update",             who: Role::Author, expect: FORBIDDEN,
            args: |f| [args!["id" => f.impact_figure], impact_form()].concat() },
    Check { path: "/api/changes/delete",            who: Role::Author, expect: FORBIDDEN,
            args: |f| args!["id" => f.doomed_change] },
    Check { path: "/api/changes/parameters/delete", who: Role::Author, expect: FORBIDDEN,
            args: |f| args!["id" => f.doomed_parameter] },
    Check { path: "/api/participants/add",          who: Role::Admin,  expect: FORBIDDEN,
            args: |f| args!["incident_id" => f.incident, "form[user_id]" => f.person,
                            "form[part]" => "scribe"] },
    // ...anyone who reads it may discuss it...
    Check { path: "/api/comments/add",              who: Role::Viewer, expect: OK,
            args: |f| args!["incident_id" => f.incident, "anchor" => "section:lessons",
                            "form[body]" => "Great write-up."] },
    // ...but follow-ups live on: authors add, edit and move them...
    Check { path: "/api/follow-ups/new-form",       who: Role::Author, expect: OK,
            args: |f| args!["incident_id" => f.incident] },
    Check { path: "/api/follow-ups/add",            who: Role::Author, expect: OK,
            args: |f| [args!["incident_id" => f.incident, "state" => "proposed"],
                       follow_up_form()].concat() },
    Check { path: "/api/follow-ups/update",         who: Role::Author, expect: OK,
            args: |f| [args!["id" => f.follow_up], follow_up_form()].concat() },
    Check { path: "/api/follow-ups/transition",     who: Role::Author, expect: OK,
            args: |f| args!["id" => f.moving_follow_up, "form[to]" => "wont_do",
                            "form[note]" => "Not worth it"] },
    // ...deleting one needs a postmortem that is being written...
    Check { path: "/api/follow-ups/delete",         who: Role::Author, expect: FORBIDDEN,
            args: |f| args!["id" => f.doomed_follow_up] },
    // ...and viewers, who may now read them, still write nothing.
    Check { path: "/api/follow-ups/form",           who: Role::Viewer, expect: FORBIDDEN,
            args: |f| args!["id" => f.follow_up] },
    Check { path: "/api/follow-ups/add",            who: Role::Viewer, expect: FORBIDDEN,
            args: |f| [args!["incident_id" => f.incident, "state" => "proposed"],
                       follow_up_form()].concat() },
    Check { path: "/api/follow-ups/transition",     who: Role::Viewer, expect: FORBIDDEN,
            args: |f| args!["id" => f.follow_up, "form[to]" => "wont_do", "form[note]" => "No"] },
    Check { path: "/api/incidents/lessons/form",    who: Role::Viewer, expect: FORBIDDEN,
            args: |f| args!["id" => f.incident] },
];

#[tokio::test]
async fn a_published_postmortem_is_read_only_but_its_follow_ups_live_on() {
    let app = spawn().await;
    let fixture = Fixture::build(&app).await;
    set_status(&app, fixture.incident, IncidentStatus::Published).await;
    let mut browsers = Vec::new();
    for role in [Role::Viewer, Role::Author, Role::Reviewer, Role::Admin] {
        browsers.push((role, app.browser_as(role).await));
    }
    let mut wrong = Vec::new();
    for check in ON_A_PUBLISHED_POSTMORTEM {
        let browser = browsers
            .iter()
            .find(|(role, _)| *role == check.who)
            .map(|(_, browser)| browser)
            .expect("a browser for every role");
        let args = (check.args)(&fixture);
        let (status, body) = browser.call(check.path, &fields(&args)).await;
        if !check.expect.admits(status) {
            wrong.push(format!(
                "  {} as {}: expected {}, got {status}: {}",
                check.path,
                check.who.as_str(),
                check.expect,
                shortened(&body)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "on a published postmortem:\n{}",
        wrong.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `Args` as the `&str` pairs `Browser::call` takes.
fn fields<'a>(args: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    args.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Calls a server function that must succeed and reads its JSON answer.
async fn json<T: DeserializeOwned>(browser: &Browser, path: &str, args: &Args, what: &str) -> T {
    let (status, body) = browser.call(path, &fields(args)).await;
    assert_eq!(status, 200, "{what} ({path}): {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what} ({path}): {e}: {body}"))
}

/// Who the browser is logged in as.
async fn who_am_i(browser: &Browser) -> Option<User> {
    json(browser, WhoAmI::PATH, &args![], "who is logged in").await
}

/// The incident id in `/incidents/<id>…`.
fn id_from(location: &str) -> i64 {
    location
        .trim_start_matches("/incidents/")
        .split(['/', '#', '?'])
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no incident id in {location}"))
}

fn shortened(body: &str) -> String {
    let body = body.trim();
    match body.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &body[..at]),
        None => body.to_owned(),
    }
}

#[tokio::test]
async fn an_anonymous_caller_cannot_tell_which_ids_exist() {
    use app::api::changes::UpdateParameter;
    use app::api::follow_ups::TransitionFollowUp;
    use app::api::impact::DeleteImpactFigure;
    use app::api::timeline::DeleteTimelineEntry;
    let app = spawn().await;
    app.load_example().await;
    let anonymous = app.anonymous();
    // Well-formed calls (a malformed one is a 400 before anything is looked up).
    for (path, field) in [
        (DeleteTimelineEntry::PATH, ("x", "")),
        (DeleteImpactFigure::PATH, ("x", "")),
        (UpdateParameter::PATH, ("form[name]", "x")),
        (TransitionFollowUp::PATH, ("form[to]", "done")),
    ] {
        for id in ["1", "999999"] {
            let (status, body) = anonymous.call(path, &[("id", id), field]).await;
            assert_eq!(status, 401, "{path} with id {id}: {body}");
        }
    }
    let (status, _) = anonymous
        .call(ListFollowUps::PATH, &[("state", "bogus"), ("owner", "")])
        .await;
    assert_eq!(status, 401, "the login is checked before the filter");
}

#[tokio::test]
async fn a_viewer_does_not_learn_that_drafts_exist() {
    let app = spawn().await;
    app.load_example().await;
    let viewer = app.browser_as(Role::Viewer).await;
    let (status, body) = viewer
        .call(ListIncidents::PATH, &[("status", ""), ("severity", "")])
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""any":false"#), "{body}");
}

#[tokio::test]
async fn the_create_admin_command_makes_an_admin_who_can_log_in() {
    use server::cli::CreateAdmin;
    let app = spawn_empty().await;
    let args: Vec<String> = ["--email", "Ops@Example.com", "--name", "Ops"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let request = CreateAdmin::parse(&args).expect("valid arguments");
    let db = app.db.clone();
    let weak = on_server(async move {
        let weak = request.run(&db, "short").await;
        let made = request.run(&db, PASSWORD).await;
        let again = request.run(&db, PASSWORD).await;
        (weak, made, again)
    })
    .await;
    assert!(
        weak.0.unwrap_err().contains("at least 10"),
        "no weak password"
    );
    assert_eq!(weak.1.unwrap(), "Created the admin Ops <ops@example.com>.");
    assert!(weak.2.unwrap_err().contains("already exists"));
    let (status, _) = app.log_in("ops@example.com", PASSWORD).await;
    assert_eq!(status, 302, "the new admin logs in");
    let (status, _) = app.call(ListUsers::PATH, &[]).await;
    assert_eq!(status, 200, "as an admin");
}
