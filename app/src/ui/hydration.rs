//! What a page's data carries into the browser for hydration. HTML the server rendered from
//! Markdown is already in the page, and hydration does not set an element's inner HTML again,
//! so the copy in the hydration data would be sent twice for nothing: it is left out, and so is
//! what the page's views never read. Plain text the views show as a text node (a factor's
//! statement, where a time comes from) is left out the same way: hydration keeps the text the
//! server put in the page (`tachys` sets a text node's content only when it renders anew).
//!
//! Only for resources whose value the browser first gets from the page: a value the browser
//! loads itself later (after an action) comes whole from its server function.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::dto::postmortem::PostmortemView;

/// What stands in for server-rendered HTML in hydration data: not empty, so a view that shows a
/// hint for an empty section makes the same choice in the browser as on the server.
pub const STAND_IN: &str = "<!---->";

/// Page data holding HTML rendered on the server.
pub trait ServerHtml {
    /// Replaces each piece of server-rendered HTML that is not blank with [`STAND_IN`], and
    /// empties fields the page's views do not read.
    fn leave_out_html(&mut self);
}

/// Page data that leaves out its server-rendered HTML when serialised for hydration.
#[derive(Clone, Debug, PartialEq)]
pub struct Hydrated<T>(pub T);

impl<T: ServerHtml + Clone + Serialize> Serialize for Hydrated<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut lean = self.0.clone();
        lean.leave_out_html();
        lean.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Hydrated<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Hydrated)
    }
}

fn stand_in(html: &mut String) {
    if !html.trim().is_empty() {
        STAND_IN.clone_into(html);
    }
}

impl ServerHtml for PostmortemView {
    fn leave_out_html(&mut self) {
        stand_in(&mut self.header.summary_html);
        for change in &mut self.changes {
            stand_in(&mut change.rationale_html);
        }
        for entry in &mut self.timeline {
            stand_in(&mut entry.body_html);
            // Shown as text, which hydration takes from the page as it is.
            stand_in(&mut entry.time_source);
        }
        for factor in &mut self.factors {
            stand_in(&mut factor.statement);
            if let Some(reason) = &mut factor.accepted_reason {
                stand_in(reason);
            }
        }
        stand_in(&mut self.lessons.went_well_html);
        stand_in(&mut self.lessons.went_wrong_html);
        stand_in(&mut self.lessons.lucky_html);
        for follow_up in &mut self.follow_ups {
            stand_in(&mut follow_up.description_html);
            // Its card names the incident only in the cross-incident list.
            follow_up.incident_title.clear();
        }
        for comment in &mut self.comments {
            stand_in(&mut comment.body_html);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Page {
        title: String,
        shown: String,
        blank: String,
    }

    impl ServerHtml for Page {
        fn leave_out_html(&mut self) {
            stand_in(&mut self.shown);
            stand_in(&mut self.blank);
        }
    }

    fn page() -> Page {
        Page {
            title: "<b>kept</b>".to_owned(),
            shown: "<p>A long paragraph rendered from Markdown</p>".to_owned(),
            blank: " \n".to_owned(),
        }
    }

    #[test]
    fn hydration_data_leaves_out_rendered_html_but_keeps_everything_else() {
        let json = serde_json::to_string(&Hydrated(page())).expect("serialises");
        assert!(!json.contains("long paragraph"), "{json}");
        let back: Hydrated<Page> = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back.0.title, "<b>kept</b>");
        assert_eq!(back.0.shown, STAND_IN);
    }

    #[test]
    fn blank_html_stays_blank_so_views_choose_the_same_branch() {
        let json = serde_json::to_string(&Hydrated(page())).expect("serialises");
        let back: Hydrated<Page> = serde_json::from_str(&json).expect("deserialises");
        assert!(back.0.blank.trim().is_empty());
        assert!(!back.0.shown.trim().is_empty());
    }

    #[test]
    fn the_value_rendered_on_the_server_keeps_its_html() {
        let hydrated = Hydrated(page());
        let _ = serde_json::to_string(&hydrated).expect("serialises");
        assert_eq!(hydrated.0, page());
    }
}
