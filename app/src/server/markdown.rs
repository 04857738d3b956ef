//! Markdown to HTML, always sanitised.
//!
//! pulldown-cmark passes raw HTML and `javascript:` links straight through, so its output goes
//! through an ammonia allow-list before anyone sees it. This is the only place Markdown becomes
//! HTML; views insert nothing else as raw HTML.

use std::sync::LazyLock;

use ammonia::Builder;
use pulldown_cmark::{Options, Parser, html};

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder
        .rm_tags(["img"])
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tags(["input"])
        // Task-list checkboxes only: any other input (a submit button) would act on the form
        // a preview is shown in.
        .add_tag_attribute_values("input", "type", ["checkbox"])
        .add_tag_attributes("input", ["checked", "disabled"]);
    builder
});

/// Renders Markdown as sanitised HTML: scripts, event handlers, `javascript:` and `data:` URLs,
/// `<style>`, `<iframe>`, `<svg>`, `<math>` and images are removed.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    SANITIZER.clean(&unsafe_html).to_string()
}

static LINKLESS: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder.rm_tags(["img", "a"]);
    builder
});

/// Sanitised HTML with its links taken out (their text stays): for a postmortem shared beyond
/// the team, where internal addresses must not travel.
pub fn without_links(html: &str) -> String {
    LINKLESS.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::{render, without_links};

    #[test]
    fn links_can_be_taken_out_keeping_their_text() {
        let html = without_links(&render(
            "See [the ticket](https://jira.internal/OPS-1) now.",
        ));
        assert!(!html.contains("href") && !html.contains("jira"), "{html}");
        assert!(html.contains("See the ticket now."), "{html}");
    }

    #[test]
    fn ordinary_markdown_is_rendered() {
        let html = render("**bold** and a [link](https://example.com)\n\n- one\n- two");
        assert!(html.contains("<strong>bold</strong>"));
        assert!(html.contains(r#"href="https://example.com""#));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn script_tags_are_removed() {
        let html = render("hello <script>alert(1)</script> world");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert(1)</script>"), "{html}");
    }

    #[test]
    fn event_handler_attributes_are_removed() {
        let html = render(
            r#"<p onclick="alert(1)">x</p><a href="https://a.b" onmouseover="alert(2)">y</a>"#,
        );
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("onmouseover"), "{html}");
    }

    #[test]
    fn javascript_links_lose_their_target() {
        for md in [
            "[click](javascript:alert(1))",
            r#"<a href="javascript:alert(1)">x</a>"#,
            r#"<a href="JaVaScRiPt:alert(1)">x</a>"#,
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        ] {
            let html = render(md);
            assert!(
                !html.to_lowercase().contains("javascript:"),
                "{md} -> {html}"
            );
            assert!(!html.contains("data:text"), "{md} -> {html}");
        }
    }

    #[test]
    fn svg_math_iframes_and_styles_are_removed() {
        let html = render(
            r#"<svg onload="alert(1)"></svg><math><mi>x</mi></math><iframe src="https://a.b"></iframe><style>*{}</style><img src=x onerror=alert(1)>"#,
        );
        for bad in [
            "<svg", "<math", "<iframe", "<style", "<img", "onerror", "onload",
        ] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
    }

    #[test]
    fn only_task_list_checkboxes_survive_as_inputs() {
        let html =
            render("- [x] done\n\n<input type=\"submit\" value=\"go\"><input type=\"text\">");
        assert!(html.contains(r#"type="checkbox""#), "{html}");
        assert!(
            !html.contains("submit") && !html.contains(r#"type="text""#),
            "{html}"
        );
    }

    #[test]
    fn links_open_without_handing_over_the_opener() {
        let html = render("[a](https://example.com)");
        assert!(html.contains("noopener"), "{html}");
    }
}
