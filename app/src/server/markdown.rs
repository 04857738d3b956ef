//! Markdown to HTML, always sanitised.
//!
//! pulldown-cmark passes raw HTML and `javascript:` links straight through, so its output goes
//! through an ammonia allow-list before anyone sees it. This is the only place Markdown becomes
//! HTML; views insert nothing else as raw HTML. [`render_shared`] renders the version shared
//! beyond the team, redacted on the Markdown's structure.

use std::sync::LazyLock;

use ammonia::Builder;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::domain::share::{Redactor, is_internal};

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(sanitizer);

/// [`SANITIZER`], also keeping the class that marks a mention ([`render_comment`]).
static WITH_MENTIONS: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = sanitizer();
    builder.add_allowed_classes("span", ["mention"]);
    builder
});

fn sanitizer() -> Builder<'static> {
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
}

/// Renders Markdown as sanitised HTML: scripts, event handlers, `javascript:` and `data:` URLs,
/// `<style>`, `<iframe>`, `<svg>`, `<math>` and images are removed.
///
/// The same text always renders the same, so what was rendered lately is kept ([`Rendered`]): a
/// page read again costs no parsing or sanitising of the texts it shows.
pub fn render(markdown: &str) -> String {
    if let Some(html) = RENDERED.get(markdown) {
        return html;
    }
    let html = render_now(markdown);
    RENDERED.keep(markdown, &html);
    html
}

fn render_now(markdown: &str) -> String {
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options()));
    SANITIZER.clean(&unsafe_html).to_string()
}

/// Renders a comment as [`render`] does, with each mention (`@[Name]`, see
/// `domain::notify::mention`) shown as a highlighted name: `<span class="mention">@Name</span>`,
/// its text escaped like any other (not inside code).
pub fn render_comment(markdown: &str) -> String {
    if crate::domain::notify::mention::find(markdown).is_empty() {
        return render(markdown);
    }
    // A key no plain text can have, so the plain rendering of the same text keeps its own.
    let key = format!("\u{0}mentions\u{0}{markdown}");
    if let Some(html) = RENDERED.get(&key) {
        return html;
    }
    let mut joined: Vec<Event> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match (joined.last_mut(), event) {
            (Some(Event::Text(before)), Event::Text(more)) => {
                *before = CowStr::from(format!("{before}{more}"));
            }
            (_, event) => joined.push(event),
        }
    }
    let mut in_code = false;
    let mut events: Vec<Event> = Vec::with_capacity(joined.len());
    for event in joined {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = true;
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Text(text) if !in_code => {
                let mut from = 0;
                for m in crate::domain::notify::mention::find(&text) {
                    events.push(Event::Text(CowStr::from(text[from..m.start].to_owned())));
                    events.push(Event::InlineHtml(CowStr::from("<span class=\"mention\">")));
                    events.push(Event::Text(CowStr::from(format!("@{}", m.name))));
                    events.push(Event::InlineHtml(CowStr::from("</span>")));
                    from = m.end;
                }
                events.push(Event::Text(CowStr::from(text[from..].to_owned())));
            }
            event => events.push(event),
        }
    }
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events.into_iter());
    let html = WITH_MENTIONS.clean(&unsafe_html).to_string();
    RENDERED.keep(&key, &html);
    html
}

static RENDERED: LazyLock<Rendered> = LazyLock::new(|| Rendered::new(RENDERED_BYTES));

/// How much Markdown and HTML the cache of rendered texts holds at most, in bytes (twice this,
/// counting the generation before).
const RENDERED_BYTES: usize = 4 * 1024 * 1024;

/// Texts rendered lately, by their Markdown, in two generations: what is read is kept in the
/// current one; when it is full, it becomes the previous one and the one before is dropped. So
/// memory stays bounded and texts read again and again stay, with no bookkeeping per read.
struct Rendered {
    limit: usize,
    generations: std::sync::Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    current: std::collections::HashMap<String, String>,
    current_bytes: usize,
    previous: std::collections::HashMap<String, String>,
}

impl Rendered {
    fn new(limit: usize) -> Self {
        Self {
            limit,
            generations: std::sync::Mutex::new(Generations::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generations> {
        // The maps hold no invariant a panic elsewhere could break.
        self.generations
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, markdown: &str) -> Option<String> {
        let mut g = self.lock();
        if let Some(html) = g.current.get(markdown) {
            return Some(html.clone());
        }
        let (markdown, html) = g.previous.remove_entry(markdown)?;
        let found = html.clone();
        Self::insert(&mut g, self.limit, markdown, html);
        Some(found)
    }

    fn keep(&self, markdown: &str, html: &str) {
        let mut g = self.lock();
        Self::insert(&mut g, self.limit, markdown.to_owned(), html.to_owned());
    }

    fn insert(g: &mut Generations, limit: usize, markdown: String, html: String) {
        let bytes = markdown.len() + html.len();
        if bytes > limit {
            return;
        }
        if g.current_bytes + bytes > limit {
            g.previous = std::mem::take(&mut g.current);
            g.current_bytes = 0;
        }
        g.current_bytes += bytes;
        g.current.insert(markdown, html);
    }

    #[cfg(test)]
    fn holds(&self, markdown: &str) -> bool {
        let g = self.lock();
        g.current.contains_key(markdown) || g.previous.contains_key(markdown)
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

static LINKLESS: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut builder = Builder::default();
    builder.rm_tags(["img", "a"]);
    builder
});

/// Markdown as shared beyond the team, as sanitised HTML without links or images:
/// - a paragraph, list item, heading, quote or footnote whose text starts with "Internal:"
///   (in any case, also inside bold or emphasis) is left out whole, with all it contains; a
///   table cell so marked is left empty;
/// - a line inside a paragraph that starts with "Internal:" leaves out the rest of that
///   paragraph, its continuation lines included;
/// - a link becomes its text, or nothing when its text is its address (an autolink); an image
///   becomes its alternative text; raw HTML and footnote labels are left out;
/// - every remaining piece of text (code included) goes through `redactor`, after adjacent
///   pieces are joined, so a name or an address split by the parser is still seen whole.
pub fn render_shared(markdown: &str, redactor: &Redactor) -> String {
    let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
    let kept = without_internal_blocks(&events);
    let mut joined: Vec<Event> = Vec::with_capacity(kept.len());
    for event in kept {
        let event = match event {
            // A line break inside a paragraph reads as a space; joining across it lets a
            // name split over two lines be seen whole.
            Event::SoftBreak => Event::Text(CowStr::Borrowed(" ")),
            other => other,
        };
        match (joined.last_mut(), event) {
            (Some(Event::Text(before)), Event::Text(text)) => {
                *before = CowStr::from(format!("{before}{text}"));
            }
            (_, event) => joined.push(event),
        }
    }
    let redacted = joined.into_iter().map(|event| match event {
        Event::Text(text) => Event::Text(redactor.redact(&text).into()),
        Event::Code(text) => Event::Code(redactor.redact(&text).into()),
        Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => Event::Start(Tag::CodeBlock(
            CodeBlockKind::Fenced(redactor.redact(&info).into()),
        )),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, redacted);
    LINKLESS.clean(&unsafe_html).to_string()
}

/// Blocks that an internal mark at their start leaves out whole.
fn is_markable_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Item
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::TableCell
    )
}

/// The text a block or line starts with: its text up to the first line break or the end of
/// the first block inside it, through any emphasis or link.
fn leading_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => break,
            Event::End(end) if is_block_end(end) => break,
            _ => {}
        }
        if text.len() > 200 {
            break;
        }
    }
    text
}

/// The index of the event that ends the tag started at `start`.
fn end_of(events: &[Event], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// The events with what is marked internal, links, images, raw HTML and footnote labels
/// taken out.
fn without_internal_blocks<'a>(events: &[Event<'a>]) -> Vec<Event<'a>> {
    let mut kept = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(tag) if is_markable_block(tag) => {
                if is_internal(&leading_text(&events[i + 1..])) {
                    i = end_of(events, i) + 1;
                    continue;
                }
                kept.push(events[i].clone());
            }
            Event::Start(Tag::TableCell) if is_internal(&leading_text(&events[i + 1..])) => {
                let end = end_of(events, i);
                kept.push(events[i].clone());
                kept.push(events[end].clone());
                i = end + 1;
                continue;
            }
            Event::SoftBreak | Event::HardBreak if is_internal(&leading_text(&events[i + 1..])) => {
                i = skip_rest_of_block(events, i + 1, &mut kept);
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let end = end_of(events, i);
                let text = leading_text(&events[i + 1..end]);
                let text = text.trim();
                if text == dest_url.as_ref() || format!("mailto:{text}") == dest_url.as_ref() {
                    i = end + 1;
                    continue;
                }
            }
            Event::Start(Tag::HtmlBlock | Tag::Image { .. })
            | Event::End(TagEnd::HtmlBlock | TagEnd::Link | TagEnd::Image)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_) => {}
            other => kept.push(other.clone()),
        }
        i += 1;
    }
    kept
}

/// Leaves out everything from `from` to the end of the block it is in, keeping only the ends
/// of the tags that were open (bold around the line break, the paragraph itself); returns the
/// index after that block's end.
fn skip_rest_of_block<'a>(events: &[Event<'a>], from: usize, kept: &mut Vec<Event<'a>>) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate().skip(from) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth > 0 => depth -= 1,
            Event::End(end) => {
                if !matches!(end, TagEnd::Link | TagEnd::Image) {
                    kept.push(event.clone());
                }
                if is_block_end(end) {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    events.len()
}

#[cfg(test)]
mod tests {
    use super::{Rendered, render, render_comment, render_now, render_shared};
    use crate::domain::share::Redactor;

    #[test]
    fn a_text_rendered_again_comes_from_the_cache_sanitised_the_same() {
        let text = "Hello <script>alert(1)</script> **team** [x](javascript:alert(1))";
        let first = render(text);
        assert_eq!(render(text), first);
        assert_eq!(first, render_now(text));
        assert!(
            !first.contains("script") && !first.contains("javascript"),
            "{first}"
        );
    }

    #[test]
    fn the_rendered_cache_keeps_what_is_read_again_and_stays_within_its_bound() {
        let cache = Rendered::new(100);
        cache.keep("read often", "<p>read often</p>");
        for n in 0..20 {
            let text = format!("text number {n}");
            cache.keep(&text, &format!("<p>{text}</p>"));
            // Read again, it moves to the current generation and survives.
            assert!(cache.get("read often").is_some(), "after {n} others");
        }
        assert!(!cache.holds("text number 0"), "the oldest is dropped");
        let g = cache.lock();
        let bytes: usize = g
            .current
            .iter()
            .chain(g.previous.iter())
            .map(|(m, h)| m.len() + h.len())
            .sum();
        assert!(bytes <= 200, "{bytes} bytes held");
        drop(g);
        cache.keep(&"x".repeat(101), "too big");
        assert!(!cache.holds(&"x".repeat(101)));
    }

    fn shared(markdown: &str) -> String {
        let redactor = Redactor::new([(
            "Grace Hopper",
            "grace@example.com",
            "the incident commander",
        )])
        .with_names(["Ada Lovelace"]);
        render_shared(markdown, &redactor)
    }

    fn assert_hidden(markdown: &str, secrets: &[&str], kept: &str) {
        let html = shared(markdown);
        for secret in secrets {
            assert!(
                !html.contains(secret),
                "{secret} survived {markdown:?}: {html}"
            );
        }
        assert!(
            html.contains(kept),
            "{kept} is lost from {markdown:?}: {html}"
        );
    }

    #[test]
    fn a_list_item_marked_internal_is_left_out_whole() {
        assert_hidden(
            "- Restarted the app.\n- Internal: the pager rota is\n  in the vault.\n  - nested 555-0100\n- Done.",
            &["pager", "vault", "555-0100"],
            "Done.",
        );
        assert_hidden(
            "1. **Internal:** 555-0100\n2. Done.",
            &["555-0100"],
            "Done.",
        );
    }

    #[test]
    fn a_heading_or_quote_marked_internal_is_left_out() {
        assert_hidden("# Internal: the vendor\n\nDone.", &["vendor"], "Done.");
        assert_hidden(
            "> Internal: the vendor\n> said so\n\nDone.",
            &["vendor", "said so"],
            "Done.",
        );
    }

    #[test]
    fn the_mark_counts_inside_bold_or_emphasis() {
        for md in [
            "**Internal:** 555-0100\n\nDone.",
            "**Internal**: 555-0100\n\nDone.",
            "_internal:_ 555-0100\n\nDone.",
            "INTERNAL: 555-0100\n\nDone.",
        ] {
            assert_hidden(md, &["555-0100"], "Done.");
        }
    }

    #[test]
    fn a_wrapped_internal_paragraph_is_left_out_with_its_continuation_lines() {
        assert_hidden(
            "Internal: the on-call phone is\n555-0100, ask for\nthe vendor.\n\nDone.",
            &["555-0100", "vendor"],
            "Done.",
        );
    }

    #[test]
    fn an_internal_line_inside_a_paragraph_leaves_out_the_rest_of_it() {
        assert_hidden(
            "Restarted the app.\nInternal: the on-call phone is\n555-0100.\n\nDone.",
            &["555-0100", "on-call phone"],
            "Restarted the app.",
        );
        assert_hidden(
            "Restarted *the app\nInternal: 555-0100* quickly.\n\nDone.",
            &["555-0100", "quickly"],
            "Done.",
        );
    }

    #[test]
    fn the_word_internal_without_the_colon_is_kept() {
        assert_hidden(
            "Internal audit found nothing.",
            &[],
            "Internal audit found nothing.",
        );
    }

    #[test]
    fn links_become_their_text_and_autolinks_nothing() {
        assert_hidden(
            "See [the runbook](https://wiki.corp/runbook) and <https://tracker.corp/OPS-1> now.",
            &["href", "wiki.corp", "tracker.corp", "OPS-1", "runbook)"],
            "See the runbook and",
        );
        assert_hidden(
            "Mail <someone@corp.example.com>.",
            &["someone", "corp.example"],
            "Mail",
        );
        assert_hidden(
            "[https://tracker.corp/OPS-1](https://tracker.corp/OPS-1) ![db-01.prod](https://img.corp/x.png)",
            &["tracker.corp", "img.corp", "db-01", "<img"],
            "[host]",
        );
    }

    #[test]
    fn bare_urls_emails_hosts_and_tickets_are_redacted() {
        assert_hidden(
            "Paged via https://pager.corp/x?id=1, mailed ops@corp.example.com, restarted db-01.prod.example.com and 10.0.0.7 (see OPS-123).",
            &[
                "pager.corp",
                "ops@",
                "corp.example",
                "db-01",
                "10.0.0.7",
                "OPS-123",
            ],
            "Paged via [link], mailed [email], restarted [host] and [host] (see [ticket]).",
        );
        assert_hidden("`ssh db-01.prod`", &["db-01"], "<code>ssh [host]</code>");
        assert_hidden(
            "```\ncurl https://api.corp/v1\n```",
            &["api.corp"],
            "curl [link]",
        );
    }

    #[test]
    fn names_are_replaced_in_every_text_node() {
        assert_hidden(
            "**Grace** asked _Ada Lovelace_ and Alan Turing; grace@example.com replied.",
            &["Grace", "Ada", "Lovelace", "Alan", "Turing", "grace@"],
            "<strong>the incident commander</strong> asked <em>a team member</em> and [name]; the incident commander replied.",
        );
        assert_hidden(
            "Alan\nTuring restarted it.",
            &["Alan", "Turing"],
            "[name] restarted it.",
        );
    }

    #[test]
    fn raw_html_is_left_out_of_the_shared_version() {
        assert_hidden(
            r#"Hi <span title="db-01.prod">there</span>.\n\n<div data-x="OPS-9">block</div>"#,
            &["db-01", "OPS-9", "title="],
            "Hi there.",
        );
    }

    #[test]
    fn links_can_be_taken_out_keeping_their_text() {
        let html = render_shared(
            "See [the ticket](https://jira.internal/OPS-1) now.",
            &crate::domain::share::Redactor::default(),
        );
        assert!(!html.contains("href") && !html.contains("jira"), "{html}");
        assert!(html.contains("See the ticket now."), "{html}");
    }

    #[test]
    fn a_mention_is_a_highlighted_name_and_its_text_stays_text() {
        let html = render_comment("Thanks @[Ada & Co] and @[bo@example.com], not `@[code]`");
        assert!(
            html.contains(r#"<span class="mention">@Ada &amp; Co</span>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<span class="mention">@bo@example.com</span>"#),
            "{html}"
        );
        assert!(html.contains("<code>@[code]</code>"), "{html}");
        assert!(
            !render_comment("<span class=\"mention\" onclick=\"x()\">hi</span>")
                .contains("onclick")
        );
        assert_eq!(render_comment("no mentions"), render("no mentions"));
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
