//! sea-orm entities: one module per table, a plain mirror of the schema in `migrations/`.
//!
//! They never leave `server`: repositories in `server::repo` turn them into `domain` types.

pub mod change_parameters;
pub mod changes;
pub mod comments;
pub mod due_date_policies;
pub mod email_opt_outs;
pub mod factor_categories;
pub mod factor_links;
pub mod factors;
pub mod feed_keys;
pub mod follow_ups;
pub mod form_flashes;
pub mod history;
pub mod impact_figures;
pub mod incident_field_values;
pub mod incident_participants;
pub mod incident_relations;
pub mod incidents;
pub mod integration_tokens;
pub mod lesson_tags;
pub mod login_failures;
pub mod login_successes;
pub mod mentor_notes;
pub mod metric_exclusions;
pub mod milestones;
pub mod notice_policies;
pub mod outbox;
pub mod postmortem_templates;
pub mod published_lessons;
pub mod published_postmortems;
pub mod reading_list_items;
pub mod reading_lists;
pub mod recorded_changes;
pub mod review_group_members;
pub mod review_groups;
pub mod reviews;
pub mod scheduled_notices;
pub mod sessions;
pub mod share_links;
pub mod template_history;
pub mod timeline_entries;
pub mod users;
pub mod webhook_destinations;
