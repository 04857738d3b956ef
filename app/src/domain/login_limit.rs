//! How many wrong passwords Debrief checks before it refuses to check more, and from whom.
//!
//! Three counts over the last [`WINDOW_MINUTES`], of attempts whose password was wrong (or is
//! still being checked):
//! - one account from one address: [`MAX_PAIR_FAILURES`], then that address must wait;
//! - one address over all accounts: [`MAX_ADDRESS_FAILURES`], then that address must wait;
//! - one account from anywhere: after [`ACCOUNT_SLOWDOWN_AFTER`], attempts on it are spaced
//!   by a wait that doubles with each further failure, up to [`MAX_BACKOFF_SECONDS`]. An address
//!   the account logged in from successfully within [`KNOWN_ADDRESS_DAYS`] skips this wait.
//!
//! So a stranger cannot lock the owner out: their failures stop at their own address, and even
//! many strangers together only slow other new addresses down, never the owner's usual one.

/// The window the counts cover.
pub const WINDOW_MINUTES: i64 = 15;
/// Wrong passwords for one account from one address.
pub const MAX_PAIR_FAILURES: u64 = 5;
/// Wrong passwords from one address, over all accounts.
pub const MAX_ADDRESS_FAILURES: u64 = 20;
/// Wrong passwords for one account from anywhere before attempts on it are spaced out.
pub const ACCOUNT_SLOWDOWN_AFTER: u64 = 10;
/// The longest wait between attempts on an account under attack from many addresses.
pub const MAX_BACKOFF_SECONDS: i64 = 60;
/// How long an address one logged in from counts as one's own.
pub const KNOWN_ADDRESS_DAYS: i64 = 30;
/// Wrong current passwords when changing one's password.
pub const MAX_PASSWORD_CHANGE_FAILURES: u64 = 5;

/// What the ledger says about an attempt about to be made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attempts {
    /// Failures for this account from this address.
    pub pair: u64,
    /// Failures from this address, any account.
    pub address: u64,
    /// Failures for this account, any address.
    pub account: u64,
    /// Seconds since the latest failure for this account, if any.
    pub seconds_since_account_failure: Option<i64>,
    /// Whether the account logged in successfully from this address recently.
    pub known_address: bool,
}

/// Why a password is not checked now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// This account from this address failed too often.
    AccountFromHere,
    /// This address failed too often.
    FromHere,
    /// This account failed too often from many places; try again after the wait.
    AccountElsewhere { retry_in_seconds: i64 },
    /// Too many wrong current passwords while changing the password.
    PasswordChange,
}

impl Refusal {
    /// What the person is told.
    pub fn message(&self) -> String {
        match self {
            Refusal::AccountFromHere => format!(
                "Too many failed logins for this account from here. Wait {WINDOW_MINUTES} minutes and try again, or ask an admin to reset your password."
            ),
            Refusal::FromHere => format!(
                "Too many failed logins from here. Wait {WINDOW_MINUTES} minutes and try again."
            ),
            Refusal::AccountElsewhere { retry_in_seconds } => format!(
                "Too many failed logins for this account from elsewhere. Try again in {retry_in_seconds} seconds, or from where you last logged in."
            ),
            Refusal::PasswordChange => format!(
                "Too many wrong current passwords. Wait {WINDOW_MINUTES} minutes and try again."
            ),
        }
    }
}

/// The wait between attempts on an account with `failures` recent failures from anywhere:
/// none up to [`ACCOUNT_SLOWDOWN_AFTER`], then 1, 2, 4 … seconds, at most [`MAX_BACKOFF_SECONDS`].
pub fn account_backoff_seconds(failures: u64) -> i64 {
    match failures.checked_sub(ACCOUNT_SLOWDOWN_AFTER) {
        None => 0,
        Some(beyond) => 1_i64
            .checked_shl(u32::try_from(beyond).unwrap_or(u32::MAX))
            .filter(|wait| *wait > 0)
            .map_or(MAX_BACKOFF_SECONDS, |wait| wait.min(MAX_BACKOFF_SECONDS)),
    }
}

/// Whether a login may check its password now.
///
/// # Errors
/// The [`Refusal`] when a limit is reached.
pub fn check_login(attempts: &Attempts) -> Result<(), Refusal> {
    if attempts.pair >= MAX_PAIR_FAILURES {
        return Err(Refusal::AccountFromHere);
    }
    if attempts.address >= MAX_ADDRESS_FAILURES {
        return Err(Refusal::FromHere);
    }
    if attempts.known_address {
        return Ok(());
    }
    let wait = account_backoff_seconds(attempts.account);
    match attempts.seconds_since_account_failure {
        Some(since) if since < wait => Err(Refusal::AccountElsewhere {
            retry_in_seconds: (wait - since).max(1),
        }),
        _ => Ok(()),
    }
}

/// Whether a password change may check the current password, after `failures` wrong ones.
///
/// # Errors
/// [`Refusal::PasswordChange`] at the limit.
pub fn check_password_change(failures: u64) -> Result<(), Refusal> {
    if failures >= MAX_PASSWORD_CHANGE_FAILURES {
        Err(Refusal::PasswordChange)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_from_one_address_stop_that_address_for_that_account() {
        let four = Attempts {
            pair: 4,
            account: 4,
            address: 4,
            ..Attempts::default()
        };
        assert_eq!(check_login(&four), Ok(()));
        let five = Attempts { pair: 5, ..four };
        assert_eq!(check_login(&five), Err(Refusal::AccountFromHere));
        assert_eq!(
            check_login(&Attempts {
                known_address: true,
                ..five
            }),
            Err(Refusal::AccountFromHere),
            "a known address still has its own limit"
        );
    }

    #[test]
    fn a_strangers_failures_elsewhere_do_not_stop_the_owner() {
        let after_a_stranger = Attempts {
            pair: 0,
            address: 0,
            account: 5,
            seconds_since_account_failure: Some(0),
            known_address: false,
        };
        assert_eq!(check_login(&after_a_stranger), Ok(()));
    }

    #[test]
    fn twenty_failures_from_one_address_stop_it_for_every_account() {
        let attempts = Attempts {
            address: 20,
            ..Attempts::default()
        };
        assert_eq!(check_login(&attempts), Err(Refusal::FromHere));
    }

    #[test]
    fn many_places_failing_space_out_attempts_except_from_a_known_address() {
        assert_eq!(account_backoff_seconds(9), 0);
        assert_eq!(account_backoff_seconds(10), 1);
        assert_eq!(account_backoff_seconds(12), 4);
        assert_eq!(account_backoff_seconds(16), MAX_BACKOFF_SECONDS);
        assert_eq!(account_backoff_seconds(u64::MAX), MAX_BACKOFF_SECONDS);
        let under_attack = Attempts {
            account: 12,
            seconds_since_account_failure: Some(1),
            ..Attempts::default()
        };
        assert_eq!(
            check_login(&under_attack),
            Err(Refusal::AccountElsewhere {
                retry_in_seconds: 3
            })
        );
        assert_eq!(
            check_login(&Attempts {
                seconds_since_account_failure: Some(4),
                ..under_attack
            }),
            Ok(()),
            "after the wait"
        );
        assert_eq!(
            check_login(&Attempts {
                known_address: true,
                ..under_attack
            }),
            Ok(()),
            "the owner's usual address does not wait"
        );
    }

    #[test]
    fn password_changes_stop_after_five_wrong_current_passwords() {
        assert_eq!(check_password_change(4), Ok(()));
        assert_eq!(check_password_change(5), Err(Refusal::PasswordChange));
        assert!(Refusal::PasswordChange.message().contains("Too many"));
    }
}
