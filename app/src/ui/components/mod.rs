//! Small, prop-driven components shared by pages.

pub mod badges;
pub mod chart;
pub mod comments;
pub mod confirm;
pub mod factors;
pub mod feed_keys;
pub mod fields;
pub mod flash_notice;
pub mod follow_up_card;
pub mod form_state;
pub mod layout;
pub mod loaded;
pub mod mentor_notes;
pub mod pager;
pub mod parameter_cells;
pub mod part_form;
pub mod participants;
pub mod related;
pub mod session;
pub mod shared_view;
