use super::*;

fn redactor() -> Redactor {
    Redactor::new([
        (
            "Grace Hopper",
            "grace@example.com",
            "the incident commander",
        ),
        ("Li Wei", "li@example.com", "a team member"),
    ])
}

#[test]
fn full_names_first_names_and_emails_become_roles() {
    let r = redactor();
    assert_eq!(
        r.redact("Grace Hopper paged the on-call; grace said it was fine. Mail grace@example.com."),
        "the incident commander paged the on-call; the incident commander said it was fine. \
         Mail the incident commander."
    );
    assert_eq!(
        r.redact("Li Wei restarted it"),
        "a team member restarted it"
    );
    assert_eq!(r.redact("Wei restarted it"), "a team member restarted it");
}

#[test]
fn only_whole_words_are_replaced() {
    let r = redactor();
    assert_eq!(
        r.redact("Graceful restarts, Hopperton, Li"),
        "Graceful restarts, Hopperton, Li"
    );
    assert_eq!(r.redact("(Grace)"), "(the incident commander)");
}

#[test]
fn every_plain_text_field_is_redacted_the_same_way() {
    let r = redactor();
    assert_eq!(
        r.redact("Grace Hopper's restart"),
        "the incident commander's restart"
    );
    assert_eq!(r.redact("Li Wei"), "a team member");
}

#[test]
fn lines_marked_internal_are_left_out() {
    let text = "Restarted the app.\nInternal: see OPS-1 for the pager rota.\n- internal: the vendor's name\nDone.";
    assert_eq!(without_internal(text), "Restarted the app.\nDone.");
    assert_eq!(
        without_internal("Internal audit found nothing."),
        "Internal audit found nothing.",
        "only the marker counts"
    );
    assert_eq!(
        redactor().redact(&without_internal("Paged.\nINTERNAL: Grace's phone")),
        "Paged."
    );
}

#[test]
fn the_internal_mark_counts_behind_markers_and_emphasis() {
    for marked in [
        "Internal: x",
        "  internal: x",
        "**Internal:** x",
        "**Internal**: x",
        "_INTERNAL:_ x",
        "> - Internal: x",
        "## Internal: x",
    ] {
        assert!(is_internal(marked), "{marked}");
    }
    for not in ["Internal audit", "internally: x", "Not internal: x", ""] {
        assert!(!is_internal(not), "{not}");
    }
}

#[test]
fn links_emails_hosts_and_ticket_keys_are_replaced() {
    let r = redactor();
    assert_eq!(
        r.redact("See https://tracker.internal/OPS-1, www.corp.com and mailto:x@y.com."),
        "See [link], [link] and [link]."
    );
    assert_eq!(
        r.redact("Mail ops@corp.example.com or grace@example.com."),
        "Mail [email] or the incident commander."
    );
    assert_eq!(
        r.redact("db-01.prod.example.com, example.com:8080, tracker.internal, ci.example.com/drills/7, 10.0.0.7 and web-prod-3 (db-01) failed"),
        "[host], [host], [host], [link], [host] and [host] ([host]) failed"
    );
    assert_eq!(
        r.redact("Filed OPS-123 and ABC-9."),
        "Filed [ticket] and [ticket]."
    );
}

#[test]
fn ordinary_words_with_dots_and_numbers_are_kept() {
    let r = redactor();
    for kept in [
        "e.g. Node.js reads config.yaml in UTF-8 with SHA-256, version 1.2.3",
        "p99 latency rose to 1.5 s",
        "utf-8 and sha-256",
    ] {
        assert_eq!(r.redact(kept), kept);
    }
}

#[test]
fn free_text_names_and_name_like_pairs_are_replaced() {
    let r = redactor().with_names(["Platform team", "Ada Lovelace"]);
    assert_eq!(
        r.redact("The Platform team and Ada asked Alan Turing"),
        "The a team member and a team member asked [name]"
    );
    assert_eq!(r.redact("Platform owns it"), "a team member owns it");
    assert_eq!(
        r.redact("the team restarted it"),
        "the team restarted it",
        "lower-case parts of a free-text name are ordinary words"
    );
}

#[test]
fn title_case_runs_and_common_openings_are_not_taken_for_names() {
    let r = redactor();
    for kept in [
        "Customer Logins Failed Across All Products",
        "The Restart went wrong",
        "On Monday the JMX rollout began",
    ] {
        assert_eq!(r.redact(kept), kept);
    }
}

#[test]
fn a_part_that_reads_like_a_title_is_not_taken_for_a_name() {
    let r = Redactor::new([(
        "Grace Hopper",
        "grace@example.com",
        "the Incident Commander",
    )]);
    assert_eq!(r.redact("Grace paged"), "the Incident Commander paged");
    assert_eq!(r.redact("Incident Commander"), "Incident Commander");
    assert_eq!(r.redact("On-Call Engineer"), "On-Call Engineer");
}

#[test]
fn a_name_after_a_word_that_opens_a_sentence_is_still_found() {
    let r = redactor();
    assert_eq!(r.redact("Ask Alan Turing"), "Ask [name]");
    assert_eq!(r.redact("The Alan Turing award"), "The [name] award");
}

#[test]
fn names_outside_ascii_are_replaced_as_written() {
    let r = Redactor::new([("Zoë Ærø", "zoe@example.com", "the on-call engineer")]);
    assert_eq!(r.redact("Zoë Ærø paged"), "the on-call engineer paged");
}
