//! Adding and editing an impact figure: what was affected, how much (a count, a share, a rate,
//! money, or not measured and why), over how long, how it was estimated, and whether customers
//! saw it. Every quantity field is on the page, without JavaScript too; the kind chosen says
//! which of them are read, and each field's hint says when it is.

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
            <SelectField form=form.clone() name="quantity_kind" label="Quantity is" options=options::quantity_kinds()
                hint="Choose “Not measured” when nobody counted it; the number is then not needed." />
            <TextField form=form.clone() name="quantity" label="Number" kind="number"
                hint="The count, the low end of a range, the percent of a share (0–100), the rate, or the amount of money." />
            <TextField form=form.clone() name="quantity_high" label="High end (for a range)" kind="number" />
            <TextField form=form.clone() name="unit" label="Unit" placeholder="requests"
                hint="Optional: what is counted (requests, errors), or for a share what it is a share of. Not read for money." />
        </div>
        <div class="row">
            <CheckboxField form=form.clone() name="quantity_approx" label="The share, rate or amount is an estimate (≈)" />
            <SelectField form=form.clone() name="rate_per" label="Per (for a rate)" options=options::rate_pers() />
            <TextField form=form.clone() name="currency" label="Currency (for money)" placeholder="USD"
                hint="Its three-letter code: USD, EUR, GBP…" />
        </div>
        <TextField form=form.clone() name="not_measured_reason" label="Why it was not measured"
            placeholder="no request logs for the window"
            hint="Required when the quantity is “Not measured”; shown after the sentence." />
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
