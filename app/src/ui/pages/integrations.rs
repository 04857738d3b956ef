//! Integrations (`/admin/integrations`, admins only): tokens for the CI systems and deploy tools
//! that record changes through the change API, shown once when made, revocable; and how to call
//! the API.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, secret_shown_once, with_flash};
use crate::api::integrations::{CreateIntegrationToken, RevokeIntegrationToken, list_integrations};
use crate::dto::forms::FormFlash;
use crate::dto::integrations::TokenRow;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::FormMessage;
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct TokenForm {
    name: String,
}

#[component]
pub fn IntegrationsPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(
        move || flash.get(),
        |flash| with_flash(flash, list_integrations()),
    );
    let shown = secret_shown_once();
    view! {
        <Title text="Integrations" />
        <h1>"Integrations"</h1>
        <p class="lead">"CI systems and deploy tools can record each change as it happens, so it is there before anyone writes a postmortem. Give each one its own token; revoke it when the integration goes."</p>
        <Loaded resource=data view=move |(tokens, flash): (Vec<TokenRow>, Option<FormFlash>)| view! { <Tokens tokens flash shown /> } />
        <ApiHelp />
    }
}

#[component]
fn Tokens(
    tokens: Vec<TokenRow>,
    flash: Option<FormFlash>,
    /// A token made by a plain form, shown once.
    shown: Resource<Option<String>>,
) -> impl IntoView {
    let form = FormState::new(&TokenForm::default(), flash, CreateIntegrationToken::PATH);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                shown.await.map(|token| view! {
                    <p class="notice notice-ok" role="status">"The new token — copy it now, it is not shown again: "<code class="token">{token}</code></p>
                })
            })}
        </Suspense>
        {if tokens.is_empty() {
            view! { <p class="muted">"No integration yet. Make a token below for the first one."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="counts tokens">
                    <thead><tr><th scope="col">"Integration"</th><th scope="col">"May"</th><th scope="col">"Made"</th><th scope="col">"Last used"</th><th scope="col">""</th></tr></thead>
                    <tbody>{tokens.into_iter().map(|t| view! { <TokenLine token=t /> }).collect_view()}</tbody>
                </table></div>
            }.into_any()
        }}
        <form method="post" action=CreateIntegrationToken::PATH class="form" id="new-token">
            <h2>"Make a token"</h2>
            <FormMessage form=form.clone() />
            <TokenFields form />
            <button type="submit">"Make token"</button>
        </form>
    }
}

/// The new token's name and scopes, posted under the server function's own argument names
/// (`name`, `read`, `write_changes`, `write_follow_ups`; it takes no `form[…]` struct). A new
/// form ticks "record changes", what every token did before scopes; after a refused post the
/// boxes come back as they were sent (`scopes_offered` says a post came from this form).
#[component]
fn TokenFields(form: FormState) -> impl IntoView {
    let posted = !form.value("scopes_offered").is_empty();
    let name_error = form.field_error("name");
    let scope_error = form.field_error("read");
    let name = form.value("name");
    let ticked = |field: &str, fresh: bool| {
        if posted {
            crate::domain::form::checkbox(&form.value(field))
        } else {
            fresh
        }
    };
    let boxes = [
        (
            "read",
            ticked("read", false),
            "Read published postmortems, follow-ups and changes (read)",
        ),
        (
            "write_changes",
            ticked("write_changes", true),
            "Record changes (write:changes)",
        ),
        (
            "write_follow_ups",
            ticked("write_follow_ups", false),
            "Move follow-ups to committed, in progress or done (write:follow-ups)",
        ),
    ];
    view! {
        <div class="field" class:invalid=move || name_error.get().is_some()>
            <label for="f-name">"Integration"<span class="req" title="required">" *"</span></label>
            <input type="text" id="f-name" name="name" value=name placeholder="Jenkins on build-01"
                aria-invalid=move || name_error.get().is_some().then_some("true") aria-describedby="e-name" />
            <p class="hint">"What will use it, so you know which token to revoke."</p>
            <p class="field-error" id="e-name" role="alert">{move || name_error.get()}</p>
        </div>
        <fieldset class="scopes" class:invalid=move || scope_error.get().is_some() aria-describedby="e-scopes">
            <legend>"It may"</legend>
            <input type="hidden" name="scopes_offered" value="on" />
            {boxes.into_iter().map(|(field, checked, label)| view! {
                <div class="field checkbox">
                    <input type="checkbox" id=format!("f-{field}") name=field checked=checked />
                    <label for=format!("f-{field}")>{label}</label>
                </div>
            }).collect_view()}
            <p class="field-error" id="e-scopes" role="alert">{move || scope_error.get()}</p>
        </fieldset>
    }
}

#[component]
fn TokenLine(token: TokenRow) -> impl IntoView {
    view! {
        <tr>
            <th scope="row">{token.name.clone()}</th>
            <td class="scopes">{token.scopes.join(", ")}</td>
            <td>{token.created.clone()}</td>
            <td>{token.last_used.clone().unwrap_or_else(|| "never".to_owned())}</td>
            <td>{match token.revoked.clone() {
                Some(at) => view! { <span class="badge">{format!("Revoked {at}")}</span> }.into_any(),
                None => view! {
                    <ConfirmDelete key=format!("token-{}", token.id) label="Revoke…" warning="The integration's next call will be refused.".to_owned()>
                        <form method="post" action=RevokeIntegrationToken::PATH>
                            <input type="hidden" name="id" value=token.id />
                            <button type="submit" class="danger small">"Revoke token"</button>
                        </form>
                    </ConfirmDelete>
                }.into_any(),
            }}</td>
        </tr>
    }
}

#[component]
fn ApiHelp() -> impl IntoView {
    let example = r#"curl -X POST http://127.0.0.1:3000/api/v1/changes \
  -H "Authorization: Bearer $DEBRIEF_TOKEN" \
  -H "Content-Type: application/json" \
  -d '{"kind": "job_run", "system": "Jenkins",
       "identifier": "generic run-command job",
       "summary": "Restart the Java applications",
       "at": "2020-03-23T10:27:00Z",
       "parameters": [{"name": "concurrency", "value": "", "is_default": true}]}'"#;
    view! {
        <section class="api-help">
            <h2>"Recording a change"</h2>
            <p>"POST the change as JSON to "<code>"/api/v1/changes"</code>" with the token. Debrief answers 201 with the change's id; 401 for a missing or revoked token; 400 for a body that is not the JSON expected; 422 naming each field at fault. Changes recorded this way are listed under Changes, where authors add them to a postmortem."</p>
            <pre><code>{example}</code></pre>
            <p class="small">"Kinds: deploy, configuration, job_run, feature_flag, infrastructure, database, manual_operation. Also accepted: link (http or https), started_by (a role). Mark a parameter that was left unset with is_default: true."</p>
            <h2>"Reading and moving follow-ups"</h2>
            <p>"A token with the read scope reads what a viewer reads — published postmortems only — from "<code>"/api/v1/incidents"</code>", "<code>"/api/v1/follow-ups"</code>" and "<code>"/api/v1/changes"</code>"; with write:follow-ups a tracker moves a follow-up to committed, in progress or done at "<code>"/api/v1/follow-ups/{id}/state"</code>". Every route is described in "<a href="/api/v1/openapi.json">"the OpenAPI document"</a>"."</p>
        </section>
    }
}
