//! The access table: every server function, called by every role, on a fresh app each.

use std::collections::BTreeSet;
use std::fmt;

use app::api::account::LogIn;
use app::api::incidents::DeleteIncident;
use app::domain::account::Role;
use leptos::server_fn::ServerFn;

use super::fixture::{
    Fixture, approval_form, change_form, factor_form, follow_up_form, impact_form, incident_form,
    timeline_form,
};
use super::support::{Args, args, fields, shortened, who_am_i};
use crate::common::{Browser, PASSWORD, TestApp, spawn};

/// What one caller gets from one server function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
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
    pub(crate) fn admits(self, status: u16) -> bool {
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
pub(crate) const OK: Expect = Expect::Allowed;
/// Past the access check, whatever the answer (see `Expect::Passes`).
#[allow(dead_code)]
pub(crate) const PASSES: Expect = Expect::Passes;
/// 401: nobody is logged in.
pub(crate) const LOGIN: Expect = Expect::Denied(401);
/// 403: the caller's role is not enough (or the thing may not be done at all now).
pub(crate) const FORBIDDEN: Expect = Expect::Denied(403);
/// 404: the rules hide the object from this caller (a draft, to a viewer).
pub(crate) const HIDDEN: Expect = Expect::Denied(404);

/// The table's columns, in order.
const CALLERS: [(&str, Option<Role>); 5] = [
    ("anonymous", None),
    ("viewer", Some(Role::Viewer)),
    ("author", Some(Role::Author)),
    ("reviewer", Some(Role::Reviewer)),
    ("admin", Some(Role::Admin)),
];

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
    Row { path: "/api/forms/secret",              expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args!["id" => "0123456789abcdef"] },
    Row { path: "/api/settings/zone",             expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/settings/zone/names",       expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/settings/zone/set",         expect: [OK,        OK,        OK,        OK,        OK],
          args: |_| args!["zone" => "UTC"] },
    Row { path: "/api/settings/email",            expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/settings/email/save",       expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["form[mentioned]" => "on"] },
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
    Row { path: "/api/incidents/form",            expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },
    Row { path: "/api/incidents/create",          expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |_| incident_form() },
    Row { path: "/api/incidents/update",          expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.incident, "version" => "1"], incident_form()].concat() },
    Row { path: "/api/incidents/lessons/form",    expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },
    Row { path: "/api/incidents/lessons/update",  expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident, "version" => "1", "form[went_well]" => "Paging worked.",
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
    Row { path: "/api/timeline/form",             expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.timeline_entry] },
    Row { path: "/api/timeline/add",              expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident], timeline_form()].concat() },
    Row { path: "/api/timeline/update",           expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.timeline_entry, "version" => "1"], timeline_form()].concat() },
    Row { path: "/api/timeline/delete",           expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_timeline_entry] },

    // Impact figures.
    Row { path: "/api/impact/form",               expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.impact_figure] },
    Row { path: "/api/impact/add",                expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident], impact_form()].concat() },
    Row { path: "/api/impact/update",             expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.impact_figure, "version" => "1"], impact_form()].concat() },
    Row { path: "/api/impact/delete",             expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_impact_figure] },

    // Related incidents.
    Row { path: "/api/relations/new-form",        expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident] },
    Row { path: "/api/relations/form",            expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.relation] },
    Row { path: "/api/relations/add",             expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident, "form[kind]" => "recurrence_of",
                          "form[related]" => f.to_submit, "form[note]" => ""] },
    Row { path: "/api/relations/update",          expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.relation, "version" => "1", "form[kind]" => "earlier_attempt",
                          "form[note]" => "the first attempt"] },
    Row { path: "/api/relations/delete",          expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_relation] },

    // Changes and their parameters.
    Row { path: "/api/changes/form",              expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.change] },
    Row { path: "/api/changes/add",               expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident], change_form()].concat() },
    Row { path: "/api/changes/update",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.change, "version" => "1"], change_form()].concat() },
    Row { path: "/api/changes/delete",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_change] },
    Row { path: "/api/changes/parameters/add",    expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["change_id" => f.change, "form[name]" => "batch size",
                          "form[value]" => "10"] },
    Row { path: "/api/changes/parameters/update", expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.parameter, "version" => "1", "form[name]" => f.parameter_name,
                          "form[value]" => "4"] },
    Row { path: "/api/changes/parameters/delete", expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_parameter] },

    // Contributing factors and their categories.
    Row { path: "/api/factors/new-form",          expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident] },
    Row { path: "/api/factors/form",              expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.factor] },
    Row { path: "/api/factors/add",               expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident], factor_form()].concat() },
    Row { path: "/api/factors/update",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.factor, "version" => "1"], factor_form()].concat() },
    Row { path: "/api/factors/delete",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_factor] },
    Row { path: "/api/factors/categories",        expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args![] },
    Row { path: "/api/factors/categories/add",    expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["form[name]" => "Capacity and limits"] },
    Row { path: "/api/factors/categories/update", expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["id" => "1", "form[name]" => "Risky default"] },

    // Follow-ups.
    Row { path: "/api/follow-ups/new-form",       expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident] },
    Row { path: "/api/follow-ups/form",           expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.follow_up] },
    Row { path: "/api/follow-ups/add",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["incident_id" => f.incident, "state" => "proposed"],
                     follow_up_form()].concat() },
    Row { path: "/api/follow-ups/update",         expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| [args!["id" => f.follow_up, "version" => "1"], follow_up_form()].concat() },
    Row { path: "/api/follow-ups/transition",     expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.moving_follow_up, "form[to]" => "wont_do",
                          "form[note]" => "Covered by the default concurrency fix"] },
    Row { path: "/api/follow-ups/delete",         expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.doomed_follow_up] },
    Row { path: "/api/follow-ups/dashboard",      expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["view" => "overdue", "owner" => "Platform team", "priority" => "p2"] },
    Row { path: "/api/share/overview",            expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.published] },
    Row { path: "/api/share/create",              expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.published] },
    // The link is the permission: anyone holding it reads the shared version.
    Row { path: "/api/share/view",                expect: [OK,        OK,        OK,        OK,        OK],
          args: |f| args!["token" => f.share_token] },
    Row { path: "/api/share/internal",            expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["part" => "timeline_entry", "id" => f.timeline_entry, "internal" => "true"] },
    // After the view row: the link stops working.
    Row { path: "/api/share/revoke",              expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.share_link] },
    Row { path: "/api/integrations/list",         expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args![] },
    Row { path: "/api/integrations/create",       expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["name" => "Deploy tool"] },
    Row { path: "/api/integrations/revoke",       expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.integration_token] },
    Row { path: "/api/webhooks/page",             expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["page" => "0"] },
    Row { path: "/api/webhooks/create",           expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["form[name]" => "Chat", "form[url]" => "https://chat.example.com/hook",
                          "form[kind]" => "slack", "form[published]" => "on"] },
    Row { path: "/api/webhooks/retry",            expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.dead_letter] },
    Row { path: "/api/webhooks/for-edit",         expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.webhook] },
    Row { path: "/api/webhooks/update",           expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.webhook, "form[name]" => "Our endpoint, renamed",
                          "form[url]" => "http://127.0.0.1:9/hook", "form[kind]" => "json",
                          "form[mentioned]" => "on", "form[paused]" => "on"] },
    Row { path: "/api/webhooks/secret",           expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.webhook] },
    Row { path: "/api/webhooks/delete",           expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.webhook] },
    Row { path: "/api/integrations/changes",      expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/integrations/link",         expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.recorded_change, "incident_id" => f.incident] },
    Row { path: "/api/metrics",                   expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["from" => "2020-01-01", "severity" => "sev1"] },
    Row { path: "/api/metrics/exclude",           expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident, "reason" => "A game day"] },
    Row { path: "/api/metrics/include",           expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["incident_id" => f.incident] },
    Row { path: "/api/library",                   expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["tag" => "", "kind" => "went_well"] },
    Row { path: "/api/library/tag",               expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["incident_id" => f.published, "kind" => "went_well", "tag" => "owning-up"] },
    Row { path: "/api/library/untag",             expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["incident_id" => f.published, "kind" => "went_well", "tag" => "owning-up"] },
    Row { path: "/api/library/lists",             expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/library/lists/create",      expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |_| args!["form[title]" => "Lessons about defaults", "form[note]" => ""] },
    // The fixture's lists are the admin's: only their owner or an admin changes a list.
    Row { path: "/api/library/lists/add",         expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["list_id" => f.reading_list, "incident_id" => f.published,
                          "kind" => "went_wrong", "note" => "The default"] },
    Row { path: "/api/library/lists/remove",      expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.reading_list_item] },
    Row { path: "/api/library/lists/delete",      expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.doomed_reading_list] },
    // Mentor notes: everyone reads them; authors and up write; the writer or an admin changes.
    Row { path: "/api/mentor-notes",              expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |f| args!["incident_id" => f.published] },
    Row { path: "/api/mentor-notes/add",          expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["incident_id" => f.published, "form[body]" => "Notice the pause."] },
    // The fixture's notes are the admin's.
    Row { path: "/api/mentor-notes/update",       expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.mentor_note, "form[body]" => "Notice the pause, again."] },
    Row { path: "/api/mentor-notes/delete",       expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.doomed_mentor_note] },
    // Feeds: one's own key; revoking after making it.
    Row { path: "/api/feeds/key",                 expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/feeds/key/make",            expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/feeds/key/revoke",          expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args![] },
    // "{}" is no export: past the access check, the import is refused for what it holds.
    Row { path: "/api/incidents/import",          expect: [LOGIN,     FORBIDDEN, PASSES,    PASSES,    PASSES],
          args: |_| args!["json" => "{}"] },
    Row { path: "/api/search",                    expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args!["q" => "concurrency default"] },
    Row { path: "/api/changes/insights",          expect: [LOGIN,     OK,        OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/policies/due-dates",        expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args![] },
    Row { path: "/api/policies/due-dates/save",   expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["form[p1]" => "3", "form[p2]" => "6", "form[p3]" => "", "form[p4]" => ""] },
    Row { path: "/api/policies/notices",          expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args![] },
    Row { path: "/api/policies/notices/save",     expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["form[due_soon_days]" => "3", "form[not_submitted_days]" => "7"] },

    // Templates: admins define them; authors pick one and fill an incident's fields.
    Row { path: "/api/templates/list",            expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/templates/form",            expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["id" => "0"] },
    Row { path: "/api/templates/save",            expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |_| args!["id" => "", "form[name]" => "Regional", "form[impact_shown]" => "on"] },
    Row { path: "/api/templates/retire",          expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.doomed_template, "retired" => "on"] },
    Row { path: "/api/templates/delete",          expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.doomed_template] },
    Row { path: "/api/templates/history",         expect: [LOGIN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
          args: |f| args!["id" => f.doomed_template] },
    Row { path: "/api/incidents/fields/form",     expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.incident] },
    Row { path: "/api/incidents/fields/update",   expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident, "version" => "1"] },
    Row { path: "/api/incidents/template/set",    expect: [LOGIN,     HIDDEN,    OK,        OK,        OK],
          args: |f| args!["id" => f.incident, "template" => ""] },

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

    // Review groups: read by those who read reviews; started and changed by reviewers.
    Row { path: "/api/review-groups/get",         expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |f| args!["id" => f.review_group] },
    Row { path: "/api/review-groups/list",        expect: [LOGIN,     FORBIDDEN, OK,        OK,        OK],
          args: |_| args![] },
    Row { path: "/api/review-groups/new",         expect: [LOGIN,     HIDDEN,    FORBIDDEN, OK,        OK],
          args: |f| args!["incident_id" => f.incident] },
    Row { path: "/api/review-groups/create",      expect: [LOGIN,     HIDDEN,    FORBIDDEN, OK,        OK],
          args: |f| args!["incident_id" => f.to_group.0, "form[name]" => "Two restarts",
                          "form[together_with]" => f.to_group.1] },
    Row { path: "/api/review-groups/add",         expect: [LOGIN,     FORBIDDEN, FORBIDDEN, OK,        OK],
          args: |f| args!["id" => f.review_group, "form[incident_id]" => f.to_join] },
    Row { path: "/api/review-groups/remove",      expect: [LOGIN,     FORBIDDEN, FORBIDDEN, OK,        OK],
          args: |f| args!["id" => f.review_group, "incident_id" => f.grouped] },

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
pub(crate) const LOGIN_EMAIL: &str = "login-row@example.com";
/// What the `account/password` row changes the caller's password to.
pub(crate) const NEW_PASSWORD: &str = "a different horse battery staple";

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
