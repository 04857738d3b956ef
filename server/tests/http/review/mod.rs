//! The review of a postmortem, over HTTP against the real server: draft → in review → changes
//! requested or approved → published → corrected as the next revision; who may take each step
//! (a reviewer who wrote no part of it, for approving and requesting changes); steps out of
//! order; what viewers see; "my work"; the decisions on the review page; and the history.

mod history;
mod my_work;
mod plain_forms;
mod reviewers;
mod steps;
mod support;
mod viewers;
mod workflow;
