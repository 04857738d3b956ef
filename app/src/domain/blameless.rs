//! The blameless-language check: phrases that blame people rather than describe the system
//! ("X forgot", "human error", "should have", "careless", a person as the subject of a failure),
//! each with why it blames and a reframing to try. Advisory, never blocking. Every rule lives
//! in [`RULES`]; the check runs as people type (in the browser) and when a postmortem is
//! submitted for review.

use serde::{Deserialize, Serialize};

/// One kind of blaming phrase.
pub struct Rule {
    /// The phrases, lower case, matched as whole words and ignoring case.
    pub phrases: &'static [&'static str],
    /// Why it blames.
    pub why: &'static str,
    /// How to say it instead.
    pub try_instead: &'static str,
}

/// Every rule, in the order findings are explained.
pub const RULES: &[Rule] = &[
    Rule {
        phrases: &[
            "forgot",
            "forgotten",
            "forgetting",
            "neglected",
            "didn't bother",
            "failed to notice",
            "failed to check",
            "failed to follow",
            "overlooked",
        ],
        why: "It says a person failed, which invites blame and hides why it was easy to miss.",
        try_instead: "Describe what made it easy to miss: “the runbook had no step for …”, “nothing showed …”.",
    },
    Rule {
        phrases: &[
            "human error",
            "operator error",
            "user error",
            "people error",
            "pebkac",
        ],
        why: "“Human error” ends the inquiry where it should start.",
        try_instead: "Name the condition that let an ordinary slip have impact: “the job ran on every server with no confirmation”.",
    },
    Rule {
        phrases: &[
            "should have",
            "should've",
            "shouldn't have",
            "ought to have",
            "could have prevented",
            "could have avoided",
            "would have known",
        ],
        why: "Hindsight: it judges a decision by what was only known afterwards.",
        try_instead: "Say what the person knew and saw at the time, and what would have helped them.",
    },
    Rule {
        phrases: &[
            "careless",
            "carelessly",
            "careless mistake",
            "sloppy",
            "negligent",
            "negligence",
            "lazy",
            "reckless",
            "incompetent",
            "stupid",
            "dumb",
        ],
        why: "It judges a person instead of describing an action.",
        try_instead: "Describe the action and its context: what was done, with which tool, under what pressure.",
    },
    Rule {
        phrases: &[
            "fault of",
            "at fault",
            "to blame",
            "blame",
            "blamed",
            "his fault",
            "her fault",
            "their fault",
            "screwed up",
            "messed up",
        ],
        why: "It looks for someone to blame rather than something to fix.",
        try_instead: "Ask what in the system made the outcome likely, and write that down.",
    },
];

/// Verbs of failure that make a preceding name the subject of a failure ("Sam forgot").
const FAILURE_VERBS: &[&str] = &[
    "forgot",
    "missed",
    "broke",
    "failed",
    "ignored",
    "skipped",
    "overlooked",
    "didn't",
    "neglected",
    "messed",
    "screwed",
    "botched",
];

/// Capitalised words that are not people: sentence openers, pronouns and the like.
const NOT_NAMES: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "it", "we", "they", "he", "she", "i",
    "you", "our", "their", "nobody", "someone", "somebody", "everyone", "no", "one", "and", "but",
    "then", "so", "also", "when", "if", "who", "which", "what", "there", "here",
];

/// Why naming a person as the subject of a failure blames, and what to write instead.
pub const NAME_AS_SUBJECT: Rule = Rule {
    phrases: &[],
    why: "It makes a person the subject of the failure; readers remember the name, not the cause.",
    try_instead: "Make the system the subject and name the role: “the deploy job restarted every server”, “the on-call engineer saw …”.",
};

/// A phrase found in a text, where it is (byte offsets) and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The phrase as written.
    pub phrase: String,
    pub start: usize,
    pub end: usize,
    pub why: String,
    pub try_instead: String,
}

/// The blaming phrases in `text`, in the order they appear (overlapping matches keep the
/// first and longest).
pub fn check(text: &str) -> Vec<Finding> {
    let lower = text.to_ascii_lowercase();
    let mut found: Vec<Finding> = Vec::new();
    for rule in RULES {
        for phrase in rule.phrases {
            for (start, _) in lower.match_indices(phrase) {
                let end = start + phrase.len();
                if is_word_at(&lower, start, end) {
                    found.push(finding(text, start, end, rule));
                }
            }
        }
    }
    found.extend(names_as_subjects(text));
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Finding> = Vec::new();
    for f in found {
        if kept.last().is_none_or(|last| f.start >= last.end) {
            kept.push(f);
        }
    }
    kept
}

fn finding(text: &str, start: usize, end: usize, rule: &Rule) -> Finding {
    Finding {
        phrase: text[start..end].to_owned(),
        start,
        end,
        why: rule.why.to_owned(),
        try_instead: rule.try_instead.to_owned(),
    }
}

/// Whether `start..end` of `lower` is a whole word or phrase (not part of a longer word).
fn is_word_at(lower: &str, start: usize, end: usize) -> bool {
    let before = lower[..start].chars().next_back();
    let after = lower[end..].chars().next();
    !before.is_some_and(|c| c.is_alphanumeric() || c == '\'')
        && !after.is_some_and(char::is_alphanumeric)
}

/// "Sam forgot", "Priya didn't": a capitalised word that is not a pronoun or an opener,
/// followed by a verb of failure.
fn names_as_subjects(text: &str) -> Vec<Finding> {
    words(text)
        .windows(2)
        .filter_map(|pair| {
            let ((start, name), (verb_at, verb)) = (pair[0], pair[1]);
            let capitalised = name.chars().next().is_some_and(char::is_uppercase)
                && name.chars().skip(1).all(|c| c.is_lowercase() || c == '\'');
            let verb = verb.to_ascii_lowercase();
            (capitalised
                && !NOT_NAMES.contains(&name.to_ascii_lowercase().as_str())
                && FAILURE_VERBS.contains(&verb.as_str()))
            .then(|| finding(text, start, verb_at + verb.len(), &NAME_AS_SUBJECT))
        })
        .collect()
}

/// The words of a text (letters, digits and apostrophes) with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let in_word = c.is_alphanumeric() || c == '\'' || c == '’';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(text: &str) -> Vec<String> {
        check(text).into_iter().map(|f| f.phrase).collect()
    }

    #[test]
    fn the_classic_blaming_phrases_are_found() {
        assert_eq!(
            phrases("The engineer forgot to set the concurrency."),
            ["forgot"]
        );
        assert_eq!(phrases("Root cause: Human Error."), ["Human Error"]);
        assert_eq!(
            phrases("They should have checked the default."),
            ["should have"]
        );
        assert_eq!(phrases("A careless change to production."), ["careless"]);
        assert_eq!(
            phrases("Whose fault of it was it? Nobody's to blame."),
            ["fault of", "to blame"]
        );
    }

    #[test]
    fn a_person_as_the_subject_of_a_failure_is_found() {
        assert_eq!(phrases("Sam forgot the flag."), ["Sam forgot"]);
        assert_eq!(phrases("Then Priya missed the alert."), ["Priya missed"]);
        assert_eq!(
            phrases("It failed at 10:27. The job failed too."),
            Vec::<String>::new()
        );
        assert_eq!(
            phrases("Jenkins restarted every server."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn only_whole_words_count() {
        assert!(phrases("Unforgotten lessons; blameless culture; shoulder surfing.").is_empty());
        assert!(phrases("The job ran with its default concurrency.").is_empty());
    }

    #[test]
    fn findings_say_where_they_are_why_and_what_to_try() {
        let text = "Because of human error, logins failed.";
        let found = check(text);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(&text[f.start..f.end], "human error");
        assert!(f.why.contains("ends the inquiry"));
        assert!(f.try_instead.contains("condition"));
    }

    #[test]
    fn overlapping_phrases_are_reported_once() {
        assert_eq!(phrases("A careless mistake."), ["careless mistake"]);
        assert_eq!(phrases("Sam forgot."), ["Sam forgot"], "not also “forgot”");
    }

    #[test]
    fn every_rule_explains_itself() {
        for rule in RULES.iter().chain([&NAME_AS_SUBJECT]) {
            assert!(!rule.why.is_empty() && !rule.try_instead.is_empty());
        }
        for rule in RULES {
            for phrase in rule.phrases {
                assert_eq!(
                    *phrase,
                    phrase.to_ascii_lowercase(),
                    "phrases are lower case"
                );
            }
        }
    }
}
