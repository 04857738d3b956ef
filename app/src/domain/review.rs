//! The review of a postmortem: draft → in review → changes requested / approved → published,
//! and a correction that starts the next revision. A reviewer must be uninvolved (none of the
//! postmortem's authors), and approving records the reviewer's checklist.

use serde::{Deserialize, Serialize};

use super::form::{FieldErrors, MAX_MARKDOWN_CHARS, checkbox, optional_text, required_text};
use super::incident::IncidentStatus;

labelled_enum! {
    /// What can happen to a postmortem in its review.
    pub enum ReviewStep {
        /// An author asks for a review.
        Submit = ("submit", "submitted for review"),
        /// A reviewer approves it, with the checklist.
        Approve = ("approve", "approved"),
        /// A reviewer sends it back with comments.
        RequestChanges = ("request_changes", "requested changes"),
        /// It is shared with everyone who reads postmortems.
        Publish = ("publish", "published"),
        /// A published postmortem is reopened as its next revision.
        StartCorrection = ("start_correction", "started a correction"),
    }
}

impl ReviewStep {
    /// The status a postmortem in `from` moves to with this step.
    ///
    /// # Errors
    /// A sentence saying why the step does not apply now.
    pub fn apply(self, from: IncidentStatus) -> Result<IncidentStatus, String> {
        use IncidentStatus::*;
        match (self, from) {
            (Self::Submit, Draft | ChangesRequested) => Ok(InReview),
            (Self::Approve | Self::RequestChanges, InReview) => Ok(if self == Self::Approve {
                Approved
            } else {
                ChangesRequested
            }),
            (Self::Publish, Approved) => Ok(Published),
            (Self::StartCorrection, Published) => Ok(Draft),
            (step, status) => Err(format!(
                "A postmortem that is {} cannot be {}; {}",
                status.label().to_lowercase(),
                step.label(),
                match status {
                    Draft | ChangesRequested => "submit it for review first.",
                    InReview => "a reviewer decides on it first.",
                    Approved => "it can be published.",
                    Published => "start a correction to change it.",
                }
            )),
        }
    }

    /// What the history says of the step, after who took it: "approved the postmortem".
    pub fn sentence(self, revision: i32) -> String {
        match self {
            Self::Submit => format!("submitted revision {revision} of the postmortem for review"),
            Self::Approve => format!("approved revision {revision} of the postmortem"),
            Self::RequestChanges => format!("requested changes to revision {revision}"),
            Self::Publish => format!("published revision {revision} of the postmortem"),
            Self::StartCorrection => format!("started a correction: revision {revision}"),
        }
    }

    /// Whether only a reviewer (uninvolved in writing it) may take this step.
    pub fn is_a_review(self) -> bool {
        matches!(self, Self::Approve | Self::RequestChanges)
    }
}

labelled_enum! {
    /// What a reviewer checks before approving.
    pub enum ChecklistItem {
        TimelineComplete = ("timeline_complete", "The timeline is complete: detection, diagnosis and repair are there, in order."),
        ImpactQuantified = ("impact_quantified", "The impact is quantified: how many, how long, who noticed."),
        TriggerIdentified = ("trigger_identified", "The trigger is identified, with evidence."),
        FollowUpsAddressTrigger = ("follow_ups_address_trigger", "The follow-ups address the trigger and the missing safeguards, not people."),
        Blameless = ("blameless", "The language is blameless: roles and systems, not people's failings."),
    }
}

/// The approval form as the browser sends it: a checkbox per checklist item, and a comment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalForm {
    pub timeline_complete: String,
    pub impact_quantified: String,
    pub trigger_identified: String,
    pub follow_ups_address_trigger: String,
    pub blameless: String,
    pub comments: String,
}

/// The form that sends a postmortem back.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangesForm {
    pub comments: String,
}

/// A reviewer's decision, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub step: ReviewStep,
    /// The checklist items the reviewer ticked (all of them, for an approval).
    pub checked: Vec<ChecklistItem>,
    /// Markdown.
    pub comments: String,
}

impl ChecklistItem {
    /// Whether Debrief also checks the item itself: that a follow-up addresses every
    /// contributing factor ([`crate::domain::factor::check`]), refusing an approval until it
    /// does. The reviewer still ticks it for what no computation sees (that the follow-ups
    /// target safeguards, not people).
    pub fn is_computed(self) -> bool {
        self == Self::FollowUpsAddressTrigger
    }
}

impl ApprovalForm {
    fn ticked(&self, item: ChecklistItem) -> bool {
        checkbox(match item {
            ChecklistItem::TimelineComplete => &self.timeline_complete,
            ChecklistItem::ImpactQuantified => &self.impact_quantified,
            ChecklistItem::TriggerIdentified => &self.trigger_identified,
            ChecklistItem::FollowUpsAddressTrigger => &self.follow_ups_address_trigger,
            ChecklistItem::Blameless => &self.blameless,
        })
    }

    /// An approval needs every item ticked (the computed one is also checked by the caller);
    /// one that does not hold is a reason to request changes instead.
    ///
    /// # Errors
    /// Each unticked item, under its own field.
    pub fn parse(&self) -> Result<Decision, FieldErrors> {
        let mut errors = FieldErrors::new();
        for item in ChecklistItem::ALL {
            if !self.ticked(item) {
                errors.add(
                    item.as_str(),
                    "Tick this once you have checked it. If it does not hold, request changes instead.",
                );
            }
        }
        let comments = optional_text(&self.comments, "Comments", MAX_MARKDOWN_CHARS)
            .unwrap_or_else(|message| {
                errors.add("comments", message);
                String::new()
            });
        errors.into_result(Decision {
            step: ReviewStep::Approve,
            checked: ChecklistItem::ALL.to_vec(),
            comments,
        })
    }
}

impl ChangesForm {
    /// Sending a postmortem back needs comments that say what to change.
    ///
    /// # Errors
    /// Under `comments` when there are none or they are too long.
    pub fn parse(&self) -> Result<Decision, FieldErrors> {
        let mut errors = FieldErrors::new();
        let comments = required_text(&self.comments, "Comments", MAX_MARKDOWN_CHARS)
            .unwrap_or_else(|message| {
                errors.add(
                    "comments",
                    if self.comments.trim().is_empty() {
                        "Say what should change, so the authors know what to do.".to_owned()
                    } else {
                        message
                    },
                );
                String::new()
            });
        errors.into_result(Decision {
            step: ReviewStep::RequestChanges,
            checked: Vec::new(),
            comments,
        })
    }
}

/// The uninvolved-reviewer rule: whoever wrote any part of a postmortem does not review it.
///
/// # Errors
/// A sentence saying why, and what to do instead.
pub fn check_uninvolved(reviewer: i64, authors: &[i64]) -> Result<(), String> {
    if authors.contains(&reviewer) {
        Err(
            "You wrote part of this postmortem, so someone uninvolved must review it. \
             Ask another reviewer."
                .to_owned(),
        )
    } else {
        Ok(())
    }
}

/// A recorded review decision, as the review page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewRecord {
    pub revision: i32,
    pub reviewer: String,
    /// When, in the reader's zone.
    pub at: String,
    pub decision: Decision,
}

#[cfg(test)]
mod tests {
    use super::*;
    use IncidentStatus::*;

    #[test]
    fn the_review_moves_through_its_statuses_in_order() {
        assert_eq!(ReviewStep::Submit.apply(Draft), Ok(InReview));
        assert_eq!(ReviewStep::Submit.apply(ChangesRequested), Ok(InReview));
        assert_eq!(
            ReviewStep::RequestChanges.apply(InReview),
            Ok(ChangesRequested)
        );
        assert_eq!(ReviewStep::Approve.apply(InReview), Ok(Approved));
        assert_eq!(ReviewStep::Publish.apply(Approved), Ok(Published));
        assert_eq!(ReviewStep::StartCorrection.apply(Published), Ok(Draft));
    }

    #[test]
    fn steps_out_of_order_are_refused_with_what_to_do_instead() {
        let error = ReviewStep::Publish.apply(Draft).unwrap_err();
        assert!(error.contains("draft cannot be published"), "{error}");
        assert!(error.contains("submit it for review first"), "{error}");
        assert!(
            ReviewStep::Approve.apply(Approved).is_err(),
            "no approving twice"
        );
        assert!(
            ReviewStep::Submit.apply(InReview).is_err(),
            "no submitting twice"
        );
        assert!(ReviewStep::StartCorrection.apply(Draft).is_err());
        let error = ReviewStep::Submit.apply(Published).unwrap_err();
        assert!(error.contains("start a correction"), "{error}");
    }

    #[test]
    fn only_approving_and_requesting_changes_are_reviews() {
        let reviews: Vec<ReviewStep> = ReviewStep::ALL
            .into_iter()
            .filter(|s| s.is_a_review())
            .collect();
        assert_eq!(reviews, [ReviewStep::Approve, ReviewStep::RequestChanges]);
    }

    fn all_ticked() -> ApprovalForm {
        ApprovalForm {
            timeline_complete: "on".into(),
            impact_quantified: "on".into(),
            trigger_identified: "on".into(),
            follow_ups_address_trigger: "on".into(),
            blameless: "on".into(),
            comments: "Clear and blameless.".into(),
        }
    }

    #[test]
    fn an_approval_records_the_whole_checklist() {
        let decision = all_ticked().parse().expect("valid");
        assert_eq!(decision.step, ReviewStep::Approve);
        assert_eq!(decision.checked, ChecklistItem::ALL.to_vec());
        assert_eq!(decision.comments, "Clear and blameless.");
    }

    #[test]
    fn an_approval_with_an_unticked_item_names_that_item() {
        let form = ApprovalForm {
            blameless: String::new(),
            impact_quantified: String::new(),
            ..all_ticked()
        };
        let errors = form.parse().unwrap_err();
        assert!(errors.get("blameless").is_some());
        assert!(errors.get("impact_quantified").is_some());
        assert!(errors.get("timeline_complete").is_none());
        assert!(
            errors
                .get("blameless")
                .unwrap()
                .contains("request changes instead")
        );
    }

    #[test]
    fn only_the_follow_ups_item_is_also_computed() {
        assert!(ChecklistItem::FollowUpsAddressTrigger.is_computed());
        assert!(!ChecklistItem::Blameless.is_computed());
    }

    #[test]
    fn requesting_changes_needs_comments() {
        let errors = ChangesForm {
            comments: "  ".into(),
        }
        .parse()
        .unwrap_err();
        assert!(
            errors
                .get("comments")
                .unwrap()
                .contains("Say what should change")
        );
        let decision = ChangesForm {
            comments: "Quantify the impact.".into(),
        }
        .parse()
        .expect("valid");
        assert_eq!(decision.step, ReviewStep::RequestChanges);
        assert!(decision.checked.is_empty());
    }

    #[test]
    fn authors_cannot_review_their_own_postmortem() {
        assert!(check_uninvolved(3, &[1, 2]).is_ok());
        let error = check_uninvolved(2, &[1, 2]).unwrap_err();
        assert!(error.contains("someone uninvolved"), "{error}");
    }
}
