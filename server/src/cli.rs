//! The server binary's one subcommand: `create-admin`, which creates an admin account from the
//! command line (the first one, or another when every admin has lost their password).
//!
//! `server create-admin --email you@example.com --name "Your Name"` reads the password from
//! `DEBRIEF_ADMIN_PASSWORD`, or else from the first line of standard input. There is no default
//! password.

use app::domain::account::{AccountForm, Role};
use app::server::repo::accounts;
use sea_orm::DatabaseConnection;

/// What `create-admin` was asked for.
#[derive(Debug, PartialEq, Eq)]
pub struct CreateAdmin {
    pub email: String,
    pub name: String,
    pub zone: String,
}

impl CreateAdmin {
    /// Reads `--email`, `--name` and optional `--zone` from the arguments after the subcommand.
    ///
    /// # Errors
    /// A one-line usage message naming what is missing or unknown.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let usage = "usage: server create-admin --email <email> --name <name> [--zone <IANA zone>] (password from DEBRIEF_ADMIN_PASSWORD or standard input)";
        let mut parsed = CreateAdmin {
            email: String::new(),
            name: String::new(),
            zone: String::new(),
        };
        let mut rest = args.iter();
        while let Some(flag) = rest.next() {
            let value = rest
                .next()
                .ok_or_else(|| format!("{flag} needs a value; {usage}"))?;
            match flag.as_str() {
                "--email" => parsed.email.clone_from(value),
                "--name" => parsed.name.clone_from(value),
                "--zone" => parsed.zone.clone_from(value),
                other => return Err(format!("unknown option {other}; {usage}")),
            }
        }
        if parsed.email.is_empty() || parsed.name.is_empty() {
            return Err(usage.to_owned());
        }
        Ok(parsed)
    }

    /// Creates the admin.
    ///
    /// # Errors
    /// A one-line message: what is wrong with the input, or that the email is taken.
    pub async fn run(&self, db: &DatabaseConnection, password: &str) -> Result<String, String> {
        let zone = if self.zone.is_empty() {
            "UTC"
        } else {
            &self.zone
        };
        if app::server::zone::NamedZone::parse(zone).is_none() {
            return Err(format!(
                "--zone: {zone:?} is not a time zone name, e.g. Europe/London"
            ));
        }
        let account = AccountForm {
            email: self.email.clone(),
            display_name: self.name.clone(),
            password: password.to_owned(),
            role: Role::Admin.as_str().to_owned(),
            time_zone: zone.to_owned(),
        }
        .parse()
        .map_err(|errors| {
            errors
                .0
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        })?;
        if accounts::find_by_email(db, &account.email)
            .await
            .map_err(|e| format!("database: {e}"))?
            .is_some()
        {
            return Err(format!(
                "an account with the email {} already exists",
                account.email
            ));
        }
        let hash = app::server::password::hash(&account.password)?;
        accounts::create(db, &account, &hash)
            .await
            .map_err(|e| format!("database: {e}"))?;
        Ok(format!(
            "Created the admin {} <{}>.",
            account.display_name, account.email
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn email_and_name_are_required_and_unknown_options_named() {
        let ok = CreateAdmin::parse(&args(&["--email", "a@b.io", "--name", "Ada"])).unwrap();
        assert_eq!(ok.email, "a@b.io");
        assert!(CreateAdmin::parse(&args(&["--email", "a@b.io"])).is_err());
        assert!(
            CreateAdmin::parse(&args(&["--mail", "a@b.io"]))
                .unwrap_err()
                .starts_with("--mail needs a value")
                || CreateAdmin::parse(&args(&["--mail", "x", "--name", "y"]))
                    .unwrap_err()
                    .starts_with("unknown option --mail")
        );
        assert!(
            CreateAdmin::parse(&args(&["--email"]))
                .unwrap_err()
                .starts_with("--email needs a value")
        );
    }
}
