//! The redacted postmortem, as shared beyond the team and as its authors preview it.

use leptos::prelude::*;

use crate::dto::share::SharedView;
use crate::ui::components::badges::{RelationBadge, SeverityBadge, StateBadge};

#[component]
pub fn SharedPostmortem(view: SharedView) -> impl IntoView {
    let v = view;
    view! {
        <article class="shared">
            <header class="pm-header">
                <h1>{v.title.clone()}</h1>
                <div class="card-head">
                    <SeverityBadge severity=v.severity />
                    {v.services.iter().map(|s| view! { <span class="badge service">{s.clone()}</span> }).collect_view()}
                </div>
                <div class="prose" inner_html=v.summary_html.clone()></div>
                <div class="pm-facts">
                    <dl class="durations">
                        {v.durations.iter().map(|d| view! {
                            <div><dt>{d.label.clone()}</dt><dd class="big">{d.value.clone().unwrap_or_else(|| "—".to_owned())}</dd></div>
                        }).collect_view()}
                    </dl>
                </div>
                {(!v.parts.is_empty()).then(|| view! {
                    <p class="muted small">"Who took part, by role: "{v.parts.join(", ")}"."</p>
                })}
                <p class="muted small">"Times in "{v.zone.clone()}"."</p>
            </header>
            <section>
                <h2>"Impact"</h2>
                <ul class="impact-list">{v.impact.iter().map(|f| view! { <li><p class="impact-sentence">{f.sentence.clone()}</p></li> }).collect_view()}</ul>
            </section>
            <section>
                <h2>"The change"</h2>
                {v.changes.iter().map(|c| {
                    let defaulted = c.defaulted.clone();
                    view! {
                        <div class="change-card">
                            <div class="card-head"><RelationBadge relation=c.relation /><span class="badge kind">{c.kind.label()}</span><span class="badge service">{c.system.clone()}</span></div>
                            <h3>{c.summary.clone()}</h3>
                            {(!c.identifier.is_empty()).then(|| view! { <p class="small">"Job: "{c.identifier.clone()}</p> })}
                            {(!defaulted.is_empty()).then(|| view! {
                                <p class="callout default-callout"><strong>"Took a default: "</strong>{defaulted.join(", ")}" — nobody set these; the system's default applied."</p>
                            })}
                            <div class="prose small" inner_html=c.rationale_html.clone()></div>
                        </div>
                    }
                }).collect_view()}
            </section>
            {(!v.related.is_empty()).then(|| view! {
                <section class="shared-related">
                    <h2>"Related incidents"</h2>
                    <ul>{v.related.iter().map(|r| view! {
                        <li>{r.wording.clone()}{(!r.note.is_empty()).then(|| format!(" — {}", r.note))}</li>
                    }).collect_view()}</ul>
                </section>
            })}
            <section>
                <h2>"Timeline"</h2>
                <ol class="timeline">
                    {v.timeline.iter().map(|e| view! {
                        <li class="entry">
                            <div class="when"><strong>{e.t_offset.clone().unwrap_or_default()}</strong><br /><span class="muted small">{e.time.clone()}</span></div>
                            <div class="what"><span class="badge kind">{e.kind.label()}</span>" "<strong>{e.actor.clone()}</strong><div class="prose" inner_html=e.body_html.clone()></div></div>
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <section>
                <h2>"Lessons"</h2>
                <h3>"What went well"</h3><div class="prose" inner_html=v.went_well_html.clone()></div>
                <h3>"What went wrong"</h3><div class="prose" inner_html=v.went_wrong_html.clone()></div>
                <h3>"Where we got lucky"</h3><div class="prose" inner_html=v.lucky_html.clone()></div>
            </section>
            {(!v.factors.is_empty()).then(|| view! {
                <section>
                    <h2>"Contributing factors"</h2>
                    <ul class="shared-factors">
                        {v.factors.iter().map(|f| view! {
                            <li><span class="badge">{f.role.label()}</span>" "<span class="badge kind">{f.category.clone()}</span>" "{f.statement.clone()}</li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section>
                <h2>"Follow-up actions"</h2>
                <ul class="shared-follow-ups">
                    {v.follow_ups.iter().map(|f| view! {
                        <li><StateBadge state=f.state />" "<span class="badge">{f.priority.label()}</span>" "<span class="badge kind">{f.action_type.label()}</span>" "{f.title.clone()}</li>
                    }).collect_view()}
                </ul>
            </section>
            {(!v.fields.is_empty()).then(|| view! {
                <section class="shared-fields">
                    <h2>"Details"</h2>
                    <dl class="custom-fields">
                        {v.fields.iter().map(|(label, value)| view! { <div><dt>{label.clone()}</dt><dd>{value.clone()}</dd></div> }).collect_view()}
                    </dl>
                </section>
            })}
            {(!v.mentor_notes.is_empty()).then(|| view! {
                <section class="shared-mentor-notes">
                    <h2>"Mentor notes"</h2>
                    <ul class="mentor-notes">
                        {v.mentor_notes.iter().map(|n| view! {
                            <li class="mentor-note"><p class="small muted">{format!("On: {}", n.on)}</p><div class="prose" inner_html=n.html.clone()></div></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}
