//! The categories of contributing factors (`/admin/factor-categories`, admins only): add one,
//! rename one, retire one (new factors cannot choose it; factors that have it keep it) or bring
//! it back.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, query_param, with_flash};
use crate::api::factors::{AddFactorCategory, UpdateFactorCategory, factor_categories};
use crate::domain::factor::{Category, CategoryForm};
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::{FormMessage, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;

#[component]
pub fn FactorCategoriesPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(
        move || flash.get(),
        |flash| with_flash(flash, factor_categories()),
    );
    view! {
        <Title text="Factor categories" />
        <Loaded resource=data view=|(categories, flash): (Vec<Category>, Option<FormFlash>)| view! { <Categories categories flash /> } />
    }
}

#[component]
fn Categories(categories: Vec<Category>, flash: Option<FormFlash>) -> impl IntoView {
    let saved = query_param("saved");
    let state = FormState::new(
        &CategoryForm::default(),
        flash.clone(),
        AddFactorCategory::PATH,
    );
    view! {
        <section class="narrow">
            <h1>"Factor categories"</h1>
            <p class="lead">"The categories authors sort contributing factors into. Retiring a category keeps it on the factors that have it; new factors cannot choose it."</p>
            <Show when=move || saved.get() == "1">
                <p class="notice notice-ok" role="status">"Saved."</p>
            </Show>
            <ul class="categories">
                {categories.into_iter().map(|c| view! { <CategoryRow category=c flash=flash.clone() /> }).collect_view()}
            </ul>
            <form method="post" action=AddFactorCategory::PATH class="form" id="add-category">
                <h2>"Add a category"</h2>
                <FormMessage form=state.clone() />
                <TextField form=state name="name" label="Name" required=true placeholder="Capacity and limits" />
                <div class="actions"><button type="submit">"Add category"</button></div>
            </form>
        </section>
    }
}

#[component]
fn CategoryRow(category: Category, flash: Option<FormFlash>) -> impl IntoView {
    // Every row posts to the same function: a failed post refills the row it came from.
    let id = category.id.to_string();
    let flash = flash.filter(|f| f.value("id") == Some(id.as_str()));
    let form = FormState::new(
        &CategoryForm {
            name: category.name.clone(),
        },
        flash,
        UpdateFactorCategory::PATH,
    );
    let button = if category.retired {
        "Save and bring back"
    } else {
        "Save"
    };
    let retire_id = format!("retire-{}", category.id);
    view! {
        <li class="category" class:retired=category.retired id=format!("category-{}", category.id)>
            <form method="post" action=UpdateFactorCategory::PATH class="inline-form">
                <input type="hidden" name="id" value=category.id />
                <FormMessage form=form.clone() />
                <TextField form name="name" label="Name" required=true />
                {(!category.retired).then(|| view! {
                    <label for=retire_id.clone()><input type="checkbox" id=retire_id.clone() name="retired" value="on" />" Retire"</label>
                })}
                {category.retired.then(|| view! { <span class="badge">"Retired"</span> })}
                <button type="submit" class="secondary small">{button}</button>
            </form>
        </li>
    }
}
