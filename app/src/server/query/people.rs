//! The people an owner or participant is picked from.

use crate::dto::people::Person;
use crate::error::AppError;

/// The active people, by name.
pub async fn people(state: &crate::server::AppState) -> Result<Vec<Person>, AppError> {
    let mut people: Vec<Person> = crate::server::repo::accounts::list(&state.db)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| Person {
            id: u.id,
            display_name: u.display_name,
        })
        .collect();
    people.sort_by_key(|p| p.display_name.to_lowercase());
    Ok(people)
}
