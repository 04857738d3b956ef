//! What an action changed, so that only the data showing it is loaded again.
//!
//! A page provides one [`Changed`] signal per kind of data it loads and tracks it in the source
//! of the resource that loads that data; a component whose action changes that kind calls
//! [`Changed::after`]. A comment added then reloads what shows comments, and a page without
//! comments reloads nothing. Without JavaScript none of this runs: the server answers a plain
//! post with a redirect and the browser loads the whole page again.

use std::marker::PhantomData;

use leptos::prelude::*;

use crate::error::AppError;

/// Data of kind `K` changed on the server. `K` is a marker type naming the data (see
/// [`Comments`], [`Participants`], [`FollowUps`]; a page names its own kinds beside it).
pub struct Changed<K> {
    version: RwSignal<u64>,
    kind: PhantomData<fn() -> K>,
}

impl<K> Clone for Changed<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K> Copy for Changed<K> {}

impl<K: 'static> Changed<K> {
    /// Provides the signal for `K` to the components below; the page tracks it, with
    /// [`Changed::track`], in the source of the resource that loads `K`.
    pub fn provide() -> Self {
        let changed = Changed {
            version: RwSignal::new(0),
            kind: PhantomData,
        };
        provide_context(changed);
        changed
    }

    /// For a resource's source: a new value each time `K` changed.
    pub fn track(self) -> u64 {
        self.version.get()
    }

    /// Marks `K` changed each time `result` (an action's latest value) turns into a success.
    /// Does nothing where no page above provides `K`: nothing there shows it.
    pub fn after<O: 'static>(
        result: impl Fn() -> Option<Result<O, AppError>> + Send + Sync + 'static,
    ) {
        if let Some(changed) = use_context::<Changed<K>>() {
            Effect::new(move |_| {
                if matches!(result(), Some(Ok(_))) {
                    changed.mark();
                }
            });
        }
    }

    /// Marks `K` changed: what tracks it loads again.
    pub fn mark(self) {
        self.version.update(|n| *n += 1);
    }
}

/// The comments on a postmortem.
pub enum Comments {}

/// The people who took part in an incident.
pub enum Participants {}

/// Follow-up actions and their states (on a postmortem, the dashboard, one's own work).
pub enum FollowUps {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marking_one_kind_changed_leaves_the_other_kinds_alone() {
        let owner = Owner::new();
        owner.with(|| {
            let comments = Changed::<Comments>::provide();
            let follow_ups = Changed::<FollowUps>::provide();
            let (comments_before, follow_ups_before) = (comments.track(), follow_ups.track());
            use_context::<Changed<Comments>>()
                .expect("the page provides comments")
                .mark();
            assert_ne!(comments.track(), comments_before, "comments load again");
            assert_eq!(
                follow_ups.track(),
                follow_ups_before,
                "follow-ups are not loaded again"
            );
        });
    }

    #[test]
    fn a_kind_no_page_provides_is_not_in_context() {
        let owner = Owner::new();
        owner.with(|| {
            Changed::<Comments>::provide();
            assert!(use_context::<Changed<Participants>>().is_none());
            // Nothing to reload: registering an action's result is a no-op, not a panic.
            Changed::<Participants>::after(|| Some(Ok::<(), AppError>(())));
        });
    }
}
