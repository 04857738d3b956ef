//! Adding and editing an impact figure: what was affected, how much, over how long, how it was
//! estimated, and whether customers saw it.

use leptos::prelude::*;

use super::{load_part, opened_part};
use crate::api::impact::{
    AddImpactFigure, DeleteImpactFigure, UpdateImpactFigure, impact_figure_for_edit,
};
use crate::api::incidents::incident_context;
use crate::domain::impact::ImpactForm;
use crate::dto::editing::Editing;
use crate::ui::components::fields::{CheckboxField, SelectField, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::part_form::{DeleteWords, PartFn, PartFormPage, PartPage, PartWords};
use crate::ui::options;

#[component]
pub fn ImpactFigurePage() -> impl IntoView {
    let resource = load_part(
        opened_part(),
        || 0,
        |incident| async move {
            incident_context(incident)
                .await
                .map(|context| context.with_form(ImpactForm::blank()))
        },
        impact_figure_for_edit,
    );
    let page = PartPage {
        delete: Some(DeleteImpactFigure::part_action),
        ..PartPage::new(
            WORDS,
            AddImpactFigure::part_action,
            UpdateImpactFigure::part_action,
            fields,
        )
    };
    view! { <PartFormPage resource page /> }
}

const WORDS: PartWords = PartWords {
    crumb: "Impact",
    back: "#impact",
    new_title: "Add impact figure",
    new_heading: "Add an impact figure",
    new_lead: None,
    add_button: "Add figure",
    edit_title: |_| "Edit impact figure".to_owned(),
    edit_heading: "Edit impact figure",
    save_button: "Save figure",
    edit_cancel: "Cancel",
    delete: Some(DeleteWords {
        key: "figure",
        warning: "This impact figure will be removed from the postmortem.",
        button: "Delete figure",
    }),
    new_needs_author: None,
};

fn fields(form: FormState, _editing: &Editing<ImpactForm>, _new: bool) -> AnyView {
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
    .into_any()
}
