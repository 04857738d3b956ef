//! Password hashing with Argon2id (the `argon2` crate's defaults: 19 MiB, two passes), the
//! random tokens that identify sessions, and comparing secrets in constant time.
//!
//! Request handlers hash through [`hash_off_thread`] and [`verify_off_thread`]: Argon2 is slow on
//! purpose, and run on the async worker threads a burst of logins would stall every page. The
//! blocking work is bounded by a semaphore (one hash per core), so a burst also cannot claim
//! hundreds of blocking threads at 19 MiB each.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The PHC string of `password` with a fresh salt.
///
/// # Errors
/// Only if the hasher refuses its input (it does not for passwords the domain accepts).
pub fn hash(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("hashing a password: {e}"))
}

/// Whether `password` matches the stored PHC string (false for a malformed one).
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// How many hashes run at once: one per core (at least two).
fn hashing_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
        tokio::sync::Semaphore::new(cores)
    })
}

/// Runs `work` on tokio's blocking threads once a hashing permit is free, so the async workers
/// go on serving other requests meanwhile.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let _permit = hashing_permits()
        .acquire()
        .await
        .map_err(|e| format!("hashing permits: {e}"))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| format!("hashing thread: {e}"))
}

/// [`hash`], off the async worker threads.
///
/// # Errors
/// When the hasher refuses its input or the blocking task fails.
pub async fn hash_off_thread(password: &str) -> Result<String, String> {
    let password = password.to_owned();
    off_thread(move || hash(&password)).await?
}

/// [`verify`], off the async worker threads. Without a stored hash (no such user) it checks
/// against [`decoy_hash`] and answers false, taking as long as a wrong password would.
///
/// # Errors
/// Only when the blocking task fails (a panic in the hasher).
pub async fn verify_off_thread(password: &str, stored: Option<&str>) -> Result<bool, String> {
    let (password, stored) = (password.to_owned(), stored.map(str::to_owned));
    off_thread(move || match stored {
        Some(stored) => verify(&password, &stored),
        None => {
            // Checked only for what it costs: no password is meant to match the decoy.
            let _ = verify(&password, decoy_hash());
            false
        }
    })
    .await
}

/// Whether `given` is the secret `expected`, compared in constant time: both are reduced to
/// their SHA-256 digests (so neither the position of the first difference nor the length leaks
/// through timing) and the digests are compared with `subtle`, which looks at every byte.
pub fn same_secret(given: &str, expected: &str) -> bool {
    let (given, expected) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(expected.as_bytes()),
    );
    given.as_slice().ct_eq(expected.as_slice()).into()
}

/// A hash to verify against when there is no such user, so a login for an unknown email takes
/// as long as one with a wrong password and does not reveal which emails exist.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash("no user has this password").unwrap_or_default())
}

/// 32 random bytes as 64 hex digits: a session token or a setup token.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The SHA-256 of a token as hex: what the database keeps instead of the token itself.
pub fn token_digest(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("correct horse battery", "not a hash"));
        assert_ne!(stored, hash("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn secrets_match_only_when_every_byte_and_the_length_agree() {
        let token = random_token();
        assert!(same_secret(&token, &token));
        let mut first = token.clone().into_bytes();
        first[0] = if first[0] == b'0' { b'1' } else { b'0' };
        let mut last = token.clone().into_bytes();
        last[63] = if last[63] == b'0' { b'1' } else { b'0' };
        for other in [first, last] {
            let other = String::from_utf8(other).unwrap();
            assert!(!same_secret(&other, &token), "differs in one byte");
        }
        assert!(!same_secret(&token[..63], &token), "a prefix");
        assert!(!same_secret("", &token));
        assert!(!same_secret(&format!("{token}0"), &token), "longer");
    }

    /// The login handler awaits this while other requests are served: on a single-threaded
    /// runtime, a task beside it must get to run before the hash is done. A hash computed on the
    /// calling thread would finish within its first poll, before the other task ever ran.
    #[tokio::test(flavor = "current_thread")]
    async fn verifying_off_thread_leaves_the_async_thread_free_meanwhile() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
        let stored = hash("correct horse battery").unwrap();
        let done = Arc::new(AtomicBool::new(false));
        let ran_meanwhile = Arc::new(AtomicU32::new(0));
        let verifying = {
            let done = done.clone();
            async move {
                let ok = verify_off_thread("correct horse battery", Some(&stored)).await;
                done.store(true, Ordering::SeqCst);
                ok
            }
        };
        let beside = {
            let (done, ran) = (done.clone(), ran_meanwhile.clone());
            async move {
                while !done.load(Ordering::SeqCst) {
                    ran.fetch_add(1, Ordering::SeqCst);
                    tokio::task::yield_now().await;
                }
            }
        };
        let (ok, ()) = tokio::join!(verifying, beside);
        assert_eq!(ok, Ok(true));
        assert!(
            ran_meanwhile.load(Ordering::SeqCst) > 0,
            "another task ran while the password was verified"
        );
        assert_eq!(
            hash_off_thread("x").await.map(|h| verify("x", &h)),
            Ok(true)
        );
    }

    #[test]
    fn tokens_are_random_and_stored_as_digests() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_digest(&a), token_digest(&a));
        assert_ne!(token_digest(&a), a);
    }
}
