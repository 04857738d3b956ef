//! The people who took part in an incident, picked from the accounts, each with the part they
//! played, named as a role ("incident commander", "on-call engineer").

use serde::{Deserialize, Serialize};

use super::form::{FieldErrors, MAX_SHORT_TEXT_CHARS, required_text};

/// The form that adds someone to an incident.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParticipantForm {
    /// The person's user id, picked from the list.
    pub user_id: String,
    /// The part they played.
    pub part: String,
}

/// A valid participant, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewParticipant {
    pub user_id: i64,
    pub part: String,
}

impl ParticipantForm {
    /// Checks the form.
    ///
    /// # Errors
    /// Under `user_id` when nobody was picked; under `part` when it is missing or too long.
    pub fn parse(&self) -> Result<NewParticipant, FieldErrors> {
        let mut errors = FieldErrors::new();
        let user_id = match self.user_id.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errors.add("user_id", "Pick a person from the list.");
                None
            }
        };
        let part = errors.check(
            "part",
            required_text(&self.part, "The part they played", MAX_SHORT_TEXT_CHARS),
        );
        match (user_id, part) {
            (Some(user_id), Some(part)) if errors.is_empty() => {
                Ok(NewParticipant { user_id, part })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_participant_is_a_picked_person_with_a_part() {
        let form = ParticipantForm {
            user_id: "4".into(),
            part: " incident commander ".into(),
        };
        assert_eq!(
            form.parse(),
            Ok(NewParticipant {
                user_id: 4,
                part: "incident commander".into()
            })
        );
    }

    #[test]
    fn nobody_picked_or_no_part_is_reported_under_its_field() {
        let errors = ParticipantForm::default().parse().unwrap_err();
        assert!(errors.get("user_id").is_some());
        assert!(errors.get("part").is_some());
        let errors = ParticipantForm {
            user_id: "x".into(),
            part: "on-call".into(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(errors.get("user_id"), Some("Pick a person from the list."));
    }
}
