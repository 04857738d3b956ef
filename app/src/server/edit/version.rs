//! The version an edit form was opened at, parsed once: a save without one is refused, never
//! taken as "skip the conflict check".

use crate::error::AppError;

/// How many times the record had been saved when its form was opened (the form's hidden
/// `version` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Version(i64);

impl Version {
    /// Reads a form's `version` field.
    ///
    /// # Errors
    /// BadRequest when it is missing or not a number: the save cannot be checked against what
    /// others saved meanwhile, so it is refused rather than allowed to overwrite them.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::BadRequest(
                "This save did not say which version of the record it started from, so it could \
                 overwrite someone else's. Open the edit form again and save from there."
                    .to_owned(),
            ));
        }
        text.parse()
            .map(Version)
            .map_err(|_| AppError::BadRequest(format!("{text:?} is not a version number.")))
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::Version;
    use crate::error::AppError;

    #[test]
    fn a_version_is_a_number_and_nothing_else() {
        assert_eq!(Version::parse(" 7 ").map(Version::get), Ok(7));
        assert!(matches!(
            Version::parse("seven"),
            Err(AppError::BadRequest(_))
        ));
    }

    #[test]
    fn a_missing_version_is_refused_not_taken_as_no_check() {
        let Err(AppError::BadRequest(message)) = Version::parse("  ") else {
            panic!("an empty version must be refused");
        };
        assert!(message.contains("Open the edit form again"), "{message}");
    }
}
