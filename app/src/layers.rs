//! The layering rules of ARCHITECTURE.md, checked on the source: a test fails the moment a file
//! imports across a line it must not cross. It reads the files as text (every `use` and every
//! path written inline), so it needs no tooling and runs with the unit tests.

use std::path::{Path, PathBuf};

/// The workspace root (this crate lives in `app/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                found.push((path, text));
            }
        }
    }
    found.sort();
    found
}

/// The code of a file without its comments (a doc comment may name any layer).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `line` names `word` as a path of its own (`axum::` but not `leptos_axum::`).
fn mentions(line: &str, word: &str) -> bool {
    line.match_indices(word).any(|(at, _)| {
        !line[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Each place under `dir` (relative to the workspace) whose code mentions one of `forbidden`.
fn offences(dir: &str, forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources(&root().join(dir)) {
        for (n, line) in code(&text).lines().enumerate() {
            for word in forbidden {
                if mentions(line, word) {
                    found.push(format!(
                        "{}:{}: `{word}` in `{}`",
                        path.strip_prefix(root()).unwrap_or(&path).display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    found
}

fn assert_none(rule: &str, found: Vec<String>) {
    assert!(found.is_empty(), "{rule}:\n{}", found.join("\n"));
}

#[test]
fn the_domain_is_pure_and_imports_no_other_layer_or_framework() {
    assert_none(
        "app/src/domain must not import leptos, sea-orm, axum, http or another layer",
        offences(
            "app/src/domain",
            &[
                "leptos",
                "sea_orm",
                "axum",
                "http::",
                "crate::server",
                "crate::api",
                "crate::ui",
                "crate::dto",
            ],
        ),
    );
}

#[test]
fn dtos_are_plain_data_that_import_only_the_domain() {
    assert_none(
        "app/src/dto must not import leptos, sea-orm or another layer",
        offences(
            "app/src/dto",
            &[
                "leptos",
                "sea_orm",
                "crate::server",
                "crate::api",
                "crate::ui",
            ],
        ),
    );
}

#[test]
fn pages_never_reach_server_code() {
    assert_none(
        "app/src/ui must not import server-side code",
        offences("app/src/ui", &["crate::server", "sea_orm", "axum"]),
    );
}

#[test]
fn server_code_never_imports_endpoints_or_pages() {
    assert_none(
        "app/src/server must not import api or ui",
        offences("app/src/server", &["crate::api", "crate::ui"]),
    );
    assert_none(
        "the server binary must not import app::api or app::ui",
        offences("server/src", &["app::api", "app::ui"]),
    );
}

/// The names `api/mod.rs` re-exports from `server` for its endpoint files.
const MACHINERY: &[&str] = &[
    "access",
    "edit",
    "state",
    "zone",
    "checked_zone",
    "form_zone",
    "session_token",
    "set_session_cookie",
    "client_address",
    "internal",
    "unless_taken",
    "redirect",
    "show_once",
    "today",
    "page_number",
    "ZONE_COOKIE",
];

#[test]
fn endpoint_files_import_machinery_never_each_other() {
    let mut found = Vec::new();
    for (path, text) in sources(&root().join("app/src/api")) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "mod.rs" {
            continue;
        }
        let code = code(&text);
        for (n, line) in code.lines().enumerate() {
            if line.contains("crate::api") {
                found.push(format!("{name}:{}: `{}`", n + 1, line.trim()));
            }
            for (at, _) in line.match_indices("super::") {
                let rest = &line[at + "super::".len()..];
                let item: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                // A file's own test module reaches its parent with `super::`.
                let own_tests = code.lines().take(n).any(|l| l.contains("mod tests"));
                if !item.is_empty() && !MACHINERY.contains(&item.as_str()) && !own_tests {
                    found.push(format!("{name}:{}: `super::{item}`", n + 1));
                }
            }
        }
    }
    assert_none(
        "an endpoint file in app/src/api may use the machinery api/mod.rs re-exports, DTOs and \
         server::query, never another endpoint file",
        found,
    );
}

#[test]
fn the_rules_catch_what_they_forbid() {
    // A rule that matches nothing would pass forever: check the matcher on a known line.
    let text = "use crate::server::repo; // crate::api in a comment is fine";
    assert!(code(text).contains("crate::server"));
    assert!(!code(text).contains("crate::api"));
    assert!(mentions("use axum::Router;", "axum"));
    assert!(!mentions(
        "use_context::<leptos_axum::ResponseOptions>()",
        "axum"
    ));
}
