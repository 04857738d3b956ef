//! The postmortem of one incident, readable top to bottom: header with milestones and
//! durations, impact, the change(s) with defaulted parameters called out, the timeline, lessons
//! and follow-ups. Each section links to its forms.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::template_parts::{CustomFieldsSection, SectionPrompt};
use super::{bad_address, flash_id, id_param, with_flash};
use crate::api::incidents::{DeleteIncident, get_postmortem};
use crate::domain::account::Role;
use crate::domain::comment::{Anchor, Section};
use crate::domain::template::SectionKey;
use crate::dto::forms::FormFlash;
use crate::dto::postmortem::{ChangeView, PostmortemView};
use crate::ui::components::badges::{RelationBadge, SeverityBadge, StatusBadge};
use crate::ui::components::comments::CommentThread;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::follow_up_card::FollowUpCard;
use crate::ui::components::loaded::Loaded;
use crate::ui::components::parameter_cells::ParameterCells;
use crate::ui::components::participants::Participants;
use crate::ui::components::related::{LinkEarlier, RelatedIncidents};
use crate::ui::components::session::IfRole;

#[component]
pub fn PostmortemPage() -> impl IntoView {
    let id = id_param("id");
    let flash = flash_id();
    let data = Resource::new(
        move || (id.get(), flash.get()),
        |(id, flash)| {
            with_flash(flash, async move {
                match id {
                    Some(id) => get_postmortem(id).await,
                    None => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|(pm, flash): (PostmortemView, Option<FormFlash>)| view! { <Postmortem pm flash /> } />
    }
}

#[component]
fn Postmortem(pm: PostmortemView, flash: Option<FormFlash>) -> impl IntoView {
    let h = pm.header.clone();
    let id = h.id;
    let base = format!("/incidents/{id}");
    let history = format!("{base}/history");
    let review = format!("{base}/review");
    let share = format!("{base}/share");
    let comments = pm.comments.clone();
    let thread = {
        let flash = flash.clone();
        move |anchor: Anchor| {
            view! { <CommentThread incident_id=id anchor=anchor.key() comments=comments.clone() flash=flash.clone() /> }
        }
    };
    let template = pm.template.clone();
    let prompt = |key: SectionKey| template.prompt(key);
    // Each part is erased to AnyView: the page's whole view type is too deep for the compiler
    // to lay out in one piece.
    let header = view! {
            <header class="pm-header">
                <p class="crumbs"><a href="/">"Incidents"</a>" / "{format!("#{id}")}</p>
                <h1>{h.title.clone()}</h1>
                <div class="card-head">
                    <SeverityBadge severity=h.severity />
                    <StatusBadge status=h.status />
                    {h.services.iter().map(|s| view! { <span class="badge service">{s.clone()}</span> }).collect_view()}
                </div>
                <p class="muted small">{h.severity.label()}": "{h.severity.definition()}</p>
                <p class=format!("review-line status-{}", h.status.as_str())>
                    {(pm.revision > 1).then(|| format!("Revision {}. ", pm.revision))}
                    {match pm.correcting {
                        Some(next) => format!(
                            "Published. A correction (revision {next}) is being written and will be reviewed again; until it is published, this is the version to read."
                        ),
                        None => super::review::explain(h.status).to_owned(),
                    }}
                    <IfRole role=Role::Author>" "<a href=review.clone()>"Review and publishing"</a></IfRole>
                </p>
                {match pm.review_group.clone() {
                    Some((group, name)) => view! {
                        <p class="review-group-line small">"Reviewed together with other incidents in the group "<a href=format!("/review-groups/{group}")>{name}</a>"."</p>
                    }.into_any(),
                    None => view! {
                        <IfRole role=Role::Reviewer>
                            <p class="review-group-line small"><a href=format!("/review-groups/new?incident={id}")>"Review together with…"</a></p>
                        </IfRole>
                    }.into_any(),
                }}
                <SectionPrompt prompt=prompt(SectionKey::Summary) />
                {(template.shows(SectionKey::Summary) || !h.summary_html.trim().is_empty()).then(|| view! { <div class="prose" inner_html=h.summary_html.clone()></div> })}
                <div class="pm-facts">
                    <dl class="milestones" id="milestones">
                        {h.milestones.iter().map(|m| view! {
                            <div><dt>{m.label.clone()}</dt><dd>{m.value.clone().unwrap_or_else(|| "not recorded".to_owned())}</dd></div>
                        }).collect_view()}
                    </dl>
                    <dl class="durations">
                        {h.durations.iter().map(|d| view! {
                            <div><dt>{d.label.clone()}</dt><dd class="big">{d.value.clone().unwrap_or_else(|| "—".to_owned())}</dd></div>
                        }).collect_view()}
                    </dl>
                </div>
                <Participants incident_id=id participants=pm.participants.clone() people=pm.people.clone() flash=flash.clone() />
                <p class="muted small">"Times in " {pm.zone.clone()} ". " <a class="edit-only" href=format!("{base}/edit")>"Edit incident and milestones"</a>
                    " Export: "<a href=format!("{base}/export.md") rel="external" download="">"Markdown"</a>" · "<a href=format!("{base}/export.json") rel="external" download="">"JSON"</a>" (or print the page: it prints cleanly to PDF)"
                    <IfRole role=Role::Author>" · "<a href=history.clone()>"History"</a>" · "<a href=share.clone()>"Share beyond the team"</a></IfRole>
                </p>
                {thread(Anchor::Section(Section::Summary))}
            </header>
    }
    .into_any();
    let impact = view! {
            <section id="impact">
                <div class="section-head"><h2>"Impact"</h2><a class="button small secondary edit-only" href=format!("{base}/impact/new")>"Add impact figure"</a></div>
                <SectionPrompt prompt=prompt(SectionKey::Impact) />
                {if pm.impact.is_empty() {
                    view! { <p class="empty-inline">"How bad was it? Add a figure such as “≈500 customer logins failed over ≈1 min”."</p> }.into_any()
                } else {
                    view! { <ul class="impact-list">
                        {pm.impact.iter().map(|f| view! {
                            <li>
                                <p class="impact-sentence">{f.sentence.clone()}</p>
                                <p class="muted small">
                                    {if f.customer_visible { "Customers saw this. " } else { "Not visible to customers. " }}
                                    {(!f.estimation.is_empty()).then(|| format!("Estimated from: {}. ", f.estimation))}
                                    <a class="edit-only" href=format!("{base}/impact/{}", f.id)>"Edit"</a>
                                </p>
                            </li>
                        }).collect_view()}
                    </ul> }.into_any()
                }}
                {thread(Anchor::Section(Section::Impact))}
            </section>
    }
    .into_any();
    let linked: Vec<i64> = pm.related.iter().map(|r| r.other_id).collect();
    let changes = view! {
            <section id="changes">
                <div class="section-head"><h2>"The change"</h2><a class="button small secondary edit-only" href=format!("{base}/changes/new")>"Link a change"</a></div>
                <SectionPrompt prompt=prompt(SectionKey::Changes) />
                {if pm.changes.is_empty() {
                    view! { <p class="empty-inline">"Which change set it off? Record what was changed or run, with the parameters it ran with."</p> }.into_any()
                } else {
                    pm.changes.iter().cloned().map(|c| view! { <ChangeCard change=c base=base.clone() linked=linked.clone() flash=flash.clone() /> }).collect_view().into_any()
                }}
                {thread(Anchor::Section(Section::Changes))}
            </section>
    }
    .into_any();
    let related_prompt = prompt(SectionKey::Related);
    let related = view! {
        <RelatedIncidents incident_id=id related=pm.related.clone()>
            <SectionPrompt prompt=related_prompt />
        </RelatedIncidents>
    }
    .into_any();
    let timeline = view! {
            <section id="timeline">
                <div class="section-head"><h2>"Timeline"</h2><a class="button small secondary edit-only" href=format!("{base}/timeline/new")>"Add entry"</a></div>
                <SectionPrompt prompt=prompt(SectionKey::Timeline) />
                {if pm.timeline.is_empty() {
                    view! { <p class="empty-inline">"Reconstruct what happened, in order: observations, actions, decisions. Name roles, not people."</p> }.into_any()
                } else {
                    view! { <ol class="timeline">
                        {pm.timeline.iter().map(|e| view! {
                            <li id=format!("entry-{}", e.id) class=format!("entry kind-{}", e.kind.as_str()) class:key=e.marker.is_some()>
                                <div class="when">
                                    <span class="t-offset">{e.t_offset.clone()}</span>
                                    <span class="time">{e.time.clone()}</span>
                                    {(!e.time_source.is_empty()).then(|| view! { <span class="time-source">"from "{e.time_source.clone()}</span> })}
                                </div>
                                <div class="what">
                                    <p class="meta">
                                        <span class="badge kind">{e.kind.label()}</span>
                                        {e.marker.map(|m| view! { <span class="badge marker">{m.label()}</span> })}
                                        <span class="actor">{e.actor.clone()}</span>
                                    </p>
                                    <div class="prose" inner_html=e.body_html.clone()></div>
                                    <a class="small edit-only" href=format!("{base}/timeline/{}", e.id)>"Edit"</a>
                                    {thread(Anchor::TimelineEntry(e.id))}
                                </div>
                            </li>
                        }).collect_view()}
                    </ol> }.into_any()
                }}
                {thread(Anchor::Section(Section::Timeline))}
            </section>
    }
    .into_any();
    let lessons = view! {
            <section id="lessons">
                <div class="section-head"><h2>"Lessons"</h2><a class="button small secondary edit-only" href=format!("{base}/lessons")>"Edit lessons"</a></div>
                <SectionPrompt prompt=prompt(SectionKey::Lessons) />
                <div class="lessons">
                    <div class="lesson went-well"><h3>"What went well"</h3><Prose html=pm.lessons.went_well_html.clone() empty="Not written yet: owning up, pausing, asking for help all count." /></div>
                    <div class="lesson went-wrong"><h3>"What went wrong"</h3><Prose html=pm.lessons.went_wrong_html.clone() empty="Not written yet: which safeguard was missing?" /></div>
                    <div class="lesson lucky"><h3>"Where we got lucky"</h3><Prose html=pm.lessons.lucky_html.clone() empty="Not written yet." /></div>
                </div>
                {thread(Anchor::Section(Section::Lessons))}
            </section>
    }
    .into_any();
    let follow_ups = view! {
            <section id="follow-ups">
                <div class="section-head"><h2>"Follow-ups"</h2><a class="button small secondary follow-up-edit" href=format!("{base}/follow-ups/new")>"Add follow-up"</a></div>
                <SectionPrompt prompt=prompt(SectionKey::FollowUps) />
                {if pm.follow_ups.is_empty() {
                    view! { <p class="empty-inline">"What will you change so this cannot happen again? Target the safeguard that was missing."</p> }.into_any()
                } else {
                    view! { <ul class="follow-up-list">
                        {pm.follow_ups.iter().cloned().map(|mut row| {
                            // The factor it addresses, from the factors the page holds.
                            row.factor = pm.factors.iter().find(|f| f.follow_ups.contains(&row.id)).map(|f| (f.id, f.statement.clone()));
                            let comments = thread(Anchor::FollowUp(row.id)).into_any();
                            view! { <FollowUpCard row flash=flash.clone() comments /> }
                        }).collect_view()}
                    </ul> }.into_any()
                }}
                {thread(Anchor::Section(Section::FollowUps))}
            </section>
    }
    .into_any();
    let factors_prompt = prompt(SectionKey::Factors);
    let factors = view! {
        <crate::ui::components::factors::FactorsSection incident_id=id factors=pm.factors.clone()
            changes=pm.changes.iter().map(|c| (c.id, c.summary.clone())).collect()
            follow_ups=pm.follow_ups.iter().map(|f| (f.id, f.title.clone())).collect()>
            <SectionPrompt prompt=factors_prompt />
        </crate::ui::components::factors::FactorsSection>
    }
    .into_any();
    let danger = view! {
            {(pm.revision == 1).then(|| view! {
            <section class="danger-zone edit-only">
                <ConfirmDelete key="incident".to_owned() label="Delete this incident…"
                    warning="Deleting this incident also deletes its timeline, impact figures, changes and follow-ups.".to_owned()>
                    <form method="post" action=DeleteIncident::PATH>
                        <input type="hidden" name="id" value=id />
                        <button type="submit" class="danger">"Delete incident permanently"</button>
                    </form>
                </ConfirmDelete>
            </section>
            })}
    }
    .into_any();
    let custom_fields = view! {
        <CustomFieldsSection template=pm.template.clone() base=base.clone() prompt=prompt(SectionKey::CustomFields) />
    }
    .into_any();
    // A section the template hides is left out unless it holds something: nothing written goes
    // out of sight when a template changes. The summary is in the header.
    let holds = |key: SectionKey| match key {
        SectionKey::Summary => !h.summary_html.trim().is_empty(),
        SectionKey::Impact => !pm.impact.is_empty(),
        SectionKey::Changes => !pm.changes.is_empty(),
        SectionKey::Timeline => !pm.timeline.is_empty(),
        SectionKey::Lessons => [
            &pm.lessons.went_well_html,
            &pm.lessons.went_wrong_html,
            &pm.lessons.lucky_html,
        ]
        .iter()
        .any(|html| !html.trim().is_empty()),
        SectionKey::FollowUps => !pm.follow_ups.is_empty(),
        SectionKey::Related => !pm.related.is_empty(),
        SectionKey::Factors => !pm.factors.is_empty(),
        SectionKey::CustomFields => true,
    };
    let mut sections: Vec<(SectionKey, AnyView)> = vec![
        (SectionKey::Impact, impact),
        (SectionKey::Changes, changes),
        (SectionKey::Related, related),
        (SectionKey::Timeline, timeline),
        (SectionKey::Lessons, lessons),
        (SectionKey::Factors, factors),
        (SectionKey::FollowUps, follow_ups),
        (SectionKey::CustomFields, custom_fields),
    ];
    let body = template
        .order()
        .into_iter()
        .filter(|key| template.shows(*key) || holds(*key))
        .filter_map(|key| {
            let at = sections.iter().position(|(k, _)| *k == key)?;
            Some(sections.swap_remove(at).1)
        })
        .collect_view();
    view! {
        <Title text=h.title.clone() />
        <article class="postmortem" class:read-only=!pm.can_edit class:follow-ups-read-only=!pm.can_edit_follow_ups>
            {header}
            {body}
            {danger}
        </article>
    }
}

/// Sanitised HTML from the server, or a hint when the section is empty.
#[component]
fn Prose(html: String, empty: &'static str) -> impl IntoView {
    if html.trim().is_empty() {
        view! { <p class="muted">{empty}</p> }.into_any()
    } else {
        view! { <div class="prose" inner_html=html></div> }.into_any()
    }
}

#[component]
fn ChangeCard(
    change: ChangeView,
    base: String,
    /// The incidents this one is already linked to.
    linked: Vec<i64>,
    flash: Option<FormFlash>,
) -> impl IntoView {
    let c = change;
    let incident_id = base
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_default();
    let defaulted: Vec<String> = c
        .parameters
        .iter()
        .filter(|p| p.is_default)
        .map(|p| p.name.clone())
        .collect();
    view! {
        <div class="change-card" id=format!("change-{}", c.id)>
            <div class="card-head">
                <RelationBadge relation=c.relation />
                <span class="badge kind">{c.kind.label()}</span>
                <span class="badge service">{c.system.clone()}</span>
            </div>
            <h3>{c.summary.clone()}</h3>
            <dl class="card-facts">
                {(!c.identifier.is_empty()).then(|| view! { <div><dt>"Job / identifier"</dt><dd>{match c.link.clone() {
                    Some(link) => view! { <a href=link rel="noopener noreferrer">{c.identifier.clone()}</a> }.into_any(),
                    None => view! { <span>{c.identifier.clone()}</span> }.into_any(),
                }}</dd></div> })}
                {c.time.clone().map(|t| view! { <div><dt>"When"</dt><dd>{t}</dd></div> })}
                {(!c.started_by.is_empty()).then(|| view! { <div><dt>"Started by"</dt><dd>{c.started_by.clone()}</dd></div> })}
                {(!c.reviewer.is_empty()).then(|| view! { <div><dt>"Plan reviewed by"</dt><dd>{c.reviewer.clone()}</dd></div> })}
            </dl>
            {(!c.plan.is_empty()).then(|| view! { <p class="plan"><strong>"Plan: "</strong>{c.plan.clone()}</p> })}
            {(!defaulted.is_empty()).then(|| view! {
                <p class="callout default-callout">
                    <strong>"Took a default: "</strong>{defaulted.join(", ")}
                    " — these parameters were not set by anyone; the system's default applied."
                </p>
            })}
            {if c.parameters.is_empty() {
                view! { <p class="empty-inline">"No parameters recorded. Which settings did it run with — and which were left to their defaults?"</p> }.into_any()
            } else {
                view! { <table class="parameters">
                    <thead><tr><th>"Parameter"</th><th>"Value"</th><th>"Set by"</th></tr></thead>
                    <tbody>
                        {c.parameters.iter().map(|p| view! {
                            <tr class:defaulted=p.is_default>
                                <ParameterCells p=p.clone() />
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table> }.into_any()
            }}
            <div class="prose small" inner_html=c.rationale_html.clone()></div>
            {(!c.earlier.is_empty()).then(|| view! {
                <div class="callout earlier">
                    <p><strong>{format!("{} was involved before:", if c.identifier.is_empty() { c.system.clone() } else { format!("{} · {}", c.system, c.identifier) })}</strong></p>
                    <ul>{c.earlier.iter().map(|e| view! {
                        <li>
                            <a href=format!("/incidents/{}", e.incident.id)>{e.incident.title.clone()}</a>
                            {format!(" — {}; {}", e.relation.label().to_lowercase(), e.follow_ups.describe())}
                        </li>
                    }).collect_view()}</ul>
                    <LinkEarlier incident_id earlier=c.earlier.clone() linked flash />
                </div>
            })}
            <a class="small edit-only" href=format!("{base}/changes/{}", c.id)>"Edit change and parameters"</a>
        </div>
    }
}
