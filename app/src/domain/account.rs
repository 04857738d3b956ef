//! People who use Debrief: their role (what they may do), and the rules for the forms that create
//! accounts, log in and change a password.

use serde::{Deserialize, Serialize};

use crate::domain::form::{FieldErrors, MAX_SHORT_TEXT_CHARS, required_choice, required_text};

labelled_enum! {
    /// What a user may do. Each role may do everything the roles before it may.
    pub enum Role {
        /// Reads published postmortems and lessons.
        Viewer = ("viewer", "Viewer"),
        /// Writes incidents and their postmortems.
        Author = ("author", "Author"),
        /// Reviews postmortems written by others.
        Reviewer = ("reviewer", "Reviewer"),
        /// Manages users, roles and settings.
        Admin = ("admin", "Admin"),
    }
}

impl Role {
    fn rank(self) -> u8 {
        match self {
            Self::Viewer => 0,
            Self::Author => 1,
            Self::Reviewer => 2,
            Self::Admin => 3,
        }
    }

    /// Whether this role includes `needed`.
    pub fn includes(self, needed: Role) -> bool {
        self.rank() >= needed.rank()
    }

    /// What the role may do, in one line for the admin's role picker.
    pub fn description(self) -> &'static str {
        match self {
            Self::Viewer => "Reads published postmortems and lessons.",
            Self::Author => "Also writes incidents, postmortems and follow-ups.",
            Self::Reviewer => "Also reviews postmortems they did not write.",
            Self::Admin => "Also manages users and their roles.",
        }
    }
}

/// A user as the rest of the application sees them (never with their password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: i64,
    /// Lower-cased.
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// An IANA zone name ("Europe/Amsterdam").
    pub time_zone: String,
    /// Deactivated users cannot log in; what they wrote stays theirs.
    pub active: bool,
    /// The team they work in ("Platform"); empty when not set.
    pub team: String,
}

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longer passwords are refused (hashing cost grows with length).
pub const MAX_PASSWORD_CHARS: usize = 200;

/// The form that creates an account (the first admin, or one an admin adds).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub email: String,
    pub display_name: String,
    pub password: String,
    /// A [`Role::as_str`].
    pub role: String,
    /// An IANA zone name; checked by the server, which knows the zone database.
    pub time_zone: String,
}

/// A valid new account, its password still in clear (the server hashes it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub time_zone: String,
}

impl AccountForm {
    /// Checks the form.
    ///
    /// # Errors
    /// Under each field that breaks a rule.
    pub fn parse(&self) -> Result<NewAccount, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check("email", email(&self.email));
        let display_name = errors.check(
            "display_name",
            required_text(&self.display_name, "Name", MAX_SHORT_TEXT_CHARS),
        );
        let password = errors.check("password", password(&self.password));
        let role = errors.check("role", required_choice::<Role>(&self.role, "a role"));
        let time_zone = self.time_zone.trim();
        match (email, display_name, password, role) {
            (Some(email), Some(display_name), Some(password), Some(role)) if errors.is_empty() => {
                Ok(NewAccount {
                    email,
                    display_name,
                    password,
                    role,
                    time_zone: if time_zone.is_empty() {
                        "UTC"
                    } else {
                        time_zone
                    }
                    .to_owned(),
                })
            }
            _ => Err(errors),
        }
    }
}

/// The login form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
}

/// The form that changes one's own password.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
    pub confirm_password: String,
}

impl PasswordForm {
    /// Checks the new password and its confirmation (the current one is checked by the server).
    ///
    /// # Errors
    /// Under `current_password` when empty, `new_password` when too short or long,
    /// `confirm_password` when it differs.
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.current_password.is_empty() {
            errors.add("current_password", "Enter your current password.");
        }
        let new = errors.check("new_password", password(&self.new_password));
        if new.is_some() && self.confirm_password != self.new_password {
            errors.add("confirm_password", "The two new passwords differ.");
        }
        match new {
            Some(new) if errors.is_empty() => Ok(new),
            _ => Err(errors),
        }
    }
}

/// A trimmed, lower-cased email address with one `@` and something on both sides.
///
/// # Errors
/// A message saying what is wrong with it.
pub fn email(value: &str) -> Result<String, String> {
    let value = required_text(value, "Email", 254)?.to_lowercase();
    match value.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !value.contains(char::is_whitespace) =>
        {
            Ok(value)
        }
        _ => Err("Enter an email address like name@example.com.".to_owned()),
    }
}

/// A password of a sensible length (not trimmed: spaces are part of it).
///
/// # Errors
/// A message naming the limit.
pub fn password(value: &str) -> Result<String, String> {
    let chars = value.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(format!(
            "Use at least {MIN_PASSWORD_CHARS} characters; a short sentence is easy to remember."
        ))
    } else if chars > MAX_PASSWORD_CHARS {
        Err(format!("Use at most {MAX_PASSWORD_CHARS} characters."))
    } else {
        Ok(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AccountForm {
        AccountForm {
            email: "  Ada@Example.COM ".into(),
            display_name: "Ada".into(),
            password: "correct horse battery".into(),
            role: "author".into(),
            time_zone: String::new(),
        }
    }

    #[test]
    fn roles_include_the_roles_before_them() {
        assert!(Role::Admin.includes(Role::Reviewer));
        assert!(Role::Reviewer.includes(Role::Author));
        assert!(Role::Author.includes(Role::Author));
        assert!(!Role::Author.includes(Role::Reviewer));
        assert!(!Role::Viewer.includes(Role::Author));
        assert_eq!(
            Role::ALL.map(Role::as_str),
            ["viewer", "author", "reviewer", "admin"]
        );
    }

    #[test]
    fn an_account_form_lower_cases_the_email_and_defaults_the_zone() {
        let account = form().parse().unwrap();
        assert_eq!(account.email, "ada@example.com");
        assert_eq!(account.time_zone, "UTC");
        assert_eq!(account.role, Role::Author);
        assert_eq!(account.password, "correct horse battery");
    }

    #[test]
    fn an_account_form_names_every_problem() {
        let errors = AccountForm {
            email: "ada.example.com".into(),
            display_name: " ".into(),
            password: "short".into(),
            role: "owner".into(),
            time_zone: String::new(),
        }
        .parse()
        .unwrap_err();
        assert_eq!(
            errors.get("email"),
            Some("Enter an email address like name@example.com.")
        );
        assert_eq!(errors.get("display_name"), Some("Name is required."));
        assert!(errors.get("password").unwrap().contains("at least 10"));
        assert!(errors.get("role").is_some());
    }

    #[test]
    fn emails_need_one_at_and_no_spaces() {
        for bad in ["@example.com", "ada@", "a@b@c", "ada smith@example.com", ""] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
        assert_eq!(email("A@B.io").unwrap(), "a@b.io");
    }

    #[test]
    fn a_new_password_must_be_confirmed() {
        let mut change = PasswordForm {
            current_password: "old password!".into(),
            new_password: "a new long password".into(),
            confirm_password: "a new long passwort".into(),
        };
        assert_eq!(
            change.parse().unwrap_err().get("confirm_password"),
            Some("The two new passwords differ.")
        );
        change.confirm_password = change.new_password.clone();
        assert_eq!(change.parse().unwrap(), "a new long password");
        change.current_password.clear();
        assert!(
            change
                .parse()
                .unwrap_err()
                .get("current_password")
                .is_some()
        );
    }
}
