//! People (`/admin/users`, admins only): every account with its role, deactivating and
//! reactivating, and adding someone.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::{flash_id, with_flash};
use crate::api::users::{AddUser, UpdateUser, list_users};
use crate::domain::account::{AccountForm, Role, User};
use crate::dto::forms::FormFlash;
use crate::ui::components::fields::{FormMessage, SelectField, TextField};
use crate::ui::components::form_state::FormState;
use crate::ui::components::loaded::Loaded;
use crate::ui::options;

#[component]
pub fn UsersPage() -> impl IntoView {
    let flash = flash_id();
    let data = Resource::new(move || flash.get(), |flash| with_flash(flash, list_users()));
    view! {
        <Title text="People" />
        <Loaded resource=data view=|(users, flash): (Vec<User>, Option<FormFlash>)| view! { <People users flash /> } />
    }
}

#[component]
fn People(users: Vec<User>, flash: Option<FormFlash>) -> impl IntoView {
    let refused = flash
        .as_ref()
        .filter(|f| f.action == UpdateUser::PATH)
        .and_then(|f| {
            f.error
                .field("role")
                .or_else(|| f.error.field("team"))
                .map(str::to_owned)
        });
    view! {
        <h1>"People"</h1>
        <p class="lead">"Who can use this Debrief, and what each may do. Deactivated people cannot log in; what they wrote stays theirs."</p>
        {refused.map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
        <table class="people">
            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role, team and access"</th></tr></thead>
            <tbody>{users.into_iter().map(|user| view! { <PersonRow user /> }).collect_view()}</tbody>
        </table>
        <AddPerson flash />
    }
}

#[component]
fn PersonRow(user: User) -> impl IntoView {
    view! {
        <tr class:inactive=!user.active id=format!("user-{}", user.id)>
            <td>{user.display_name.clone()}{(!user.active).then(|| view! { " " <span class="badge">"Deactivated"</span> })}</td>
            <td>{user.email.clone()}</td>
            <td>
                <form method="post" action=UpdateUser::PATH class="person-form">
                    <input type="hidden" name="id" value=user.id />
                    <label class="visually-hidden" for=format!("role-{}", user.id)>"Role"</label>
                    <select name="role" id=format!("role-{}", user.id)>
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == user.role>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    <label class="visually-hidden" for=format!("team-{}", user.id)>"Team"</label>
                    <input type="text" name="team" id=format!("team-{}", user.id) value=user.team.clone()
                        placeholder="Team" maxlength="200" class="team-input" />
                    <label class="checkbox">
                        <input type="checkbox" name="active" checked=user.active />
                        " Active"
                    </label>
                    <button type="submit" class="secondary small">"Save"</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn AddPerson(flash: Option<FormFlash>) -> impl IntoView {
    let blank = AccountForm {
        role: Role::Author.as_str().to_owned(),
        ..Default::default()
    };
    let form = FormState::new(&blank, flash, AddUser::PATH);
    view! {
        <form method="post" action=AddUser::PATH class="form" id="add-person">
            <h2>"Add someone"</h2>
            <FormMessage form=form.clone() />
            <div class="row">
                <TextField form=form.clone() name="display_name" label="Name" required=true />
                <TextField form=form.clone() name="email" label="Email" kind="email" required=true />
            </div>
            <div class="row">
                <TextField form=form.clone() name="password" label="First password" kind="password" required=true
                    hint="At least 10 characters. Pass it on privately; they can change it under Your account." />
                <TextField form=form.clone() name="time_zone" label="Time zone" placeholder="UTC" />
            </div>
            <SelectField form name="role" label="Role" options=options::roles() />
            <button type="submit">"Add person"</button>
        </form>
    }
}
