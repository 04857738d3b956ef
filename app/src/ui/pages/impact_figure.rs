//! Adding and editing an impact figure: what was affected, how much, over how long, how it was
//! estimated, and whether customers saw it.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{bad_address, flash_id, id_param, is_new_item, with_flash};
use crate::api::impact::{
    AddImpactFigure, DeleteImpactFigure, UpdateImpactFigure, impact_figure_for_edit,
};
use crate::api::incidents::incident_context;
use crate::domain::impact::ImpactForm;
use crate::dto::editing::Editing;
use crate::dto::forms::FormFlash;
use crate::ui::components::confirm::ConfirmDelete;
use crate::ui::components::fields::{
    CheckboxField, FormMessage, SelectField, TextField, VersionField,
};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;
use crate::ui::options;

#[component]
pub fn ImpactFigurePage() -> impl IntoView {
    let incident = id_param("id");
    let item = id_param("item");
    let is_new = is_new_item();
    let flash = flash_id();
    let data = Resource::new(
        move || (incident.get(), item.get(), is_new.get(), flash.get()),
        |(incident, item, is_new, flash)| {
            with_flash(flash, async move {
                match (incident, item, is_new) {
                    (Some(i), _, true) => incident_context(i)
                        .await
                        .map(|e| Editing {
                            version: e.version,
                            zone: e.zone,
                            incident_id: e.incident_id,
                            incident_title: e.incident_title,
                            form: ImpactForm {
                                quantity_kind: "approximate".into(),
                                customer_visible: "on".into(),
                                ..Default::default()
                            },
                        })
                        .map(|e| (e, None)),
                    (Some(_), Some(id), false) => {
                        impact_figure_for_edit(id).await.map(|e| (e, Some(id)))
                    }
                    _ => Err(bad_address()),
                }
            })
        },
    );
    view! {
        <Loaded resource=data view=|((editing, id), flash): ((Editing<ImpactForm>, Option<i64>), Option<FormFlash>)| match id {
            None => view! { <NewFigure editing flash /> }.into_any(),
            Some(id) => view! { <EditFigure editing flash id /> }.into_any(),
        } />
    }
}

#[component]
fn NewFigure(editing: Editing<ImpactForm>, flash: Option<FormFlash>) -> impl IntoView {
    let action = ServerAction::<AddImpactFigure>::new();
    let form = FormState::new(&editing.form, flash, AddImpactFigure::PATH, move || {
        action.value().get()
    });
    let back = format!("/incidents/{}#impact", editing.incident_id);
    view! {
        <Title text="Add impact figure" />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Impact"</p>
        <h1>"Add an impact figure"</h1>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="incident_id" value=editing.incident_id />
            <FormMessage form=form.clone() />
            <FigureFields form />
            <div class="actions">
                <button type="submit">"Add figure"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
fn EditFigure(editing: Editing<ImpactForm>, flash: Option<FormFlash>, id: i64) -> impl IntoView {
    let action = ServerAction::<UpdateImpactFigure>::new();
    let delete = ServerAction::<DeleteImpactFigure>::new();
    let form = FormState::new(&editing.form, flash, UpdateImpactFigure::PATH, move || {
        action.value().get()
    });
    let back = format!("/incidents/{}#impact", editing.incident_id);
    view! {
        <Title text="Edit impact figure" />
        <p class="crumbs"><a href=back.clone()>{editing.incident_title.clone()}</a>" / Impact"</p>
        <h1>"Edit impact figure"</h1>
        <ActionForm action=action attr:class="form">
            <input type="hidden" name="id" value=id />
            <VersionField form=form.clone() version=editing.version />
            <FormMessage form=form.clone() />
            <FigureFields form />
            <div class="actions">
                <button type="submit">"Save figure"</button>
                <a class="button secondary" href=back>"Cancel"</a>
            </div>
        </ActionForm>
        <section class="danger-zone">
            <ConfirmDelete key="figure".to_owned() warning="This impact figure will be removed from the postmortem.".to_owned()>
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id />
                    <button type="submit" class="danger">"Delete figure"</button>
                </ActionForm>
            </ConfirmDelete>
        </section>
    }
}

#[component]
fn FigureFields(form: FormState) -> impl IntoView {
    view! {
        <TextField form=form.clone() name="affected" label="What was affected" required=true
            placeholder="customer logins failed" hint="Read as a sentence after the number: “≈500 customer logins failed”." />
        <div class="row">
            <SelectField form=form.clone() name="quantity_kind" label="Quantity is" options=options::quantity_kinds() />
            <TextField form=form.clone() name="quantity" label="Quantity (or low end)" kind="number" required=true />
            <TextField form=form.clone() name="quantity_high" label="High end (for a range)" kind="number" />
            <TextField form=form.clone() name="unit" label="Unit" placeholder="%" hint="Optional, e.g. % or requests." />
        </div>
        <div class="row">
            <TextField form=form.clone() name="window" label="Over (duration)" placeholder="1 min"
                hint="e.g. 90s, 1 min, 1h 30m. Leave empty if it is not about a window." />
            <CheckboxField form=form.clone() name="window_approx" label="The duration is approximate" />
        </div>
        <TextField form=form.clone() name="estimation" label="How it was estimated"
            placeholder="count of failed login requests in load-balancer logs" />
        <CheckboxField form name="customer_visible" label="Customers saw this" />
    }
}
