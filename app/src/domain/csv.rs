//! Comma-separated values as spreadsheets read them (RFC 4180): a field holding a comma, a
//! quote or a line break is quoted, quotes doubled; lines end with CRLF. A field that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`) is prefixed with `'`,
//! so an exported title cannot run in someone's spreadsheet.

/// The rows as CSV text, header first.
pub fn to_csv<R, F>(rows: R) -> String
where
    R: IntoIterator<Item = F>,
    F: IntoIterator,
    F::Item: AsRef<str>,
{
    let mut out = String::new();
    for row in rows {
        let fields: Vec<String> = row.into_iter().map(|f| field(f.as_ref())).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::to_csv;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let csv = to_csv([
            vec!["title", "owner", "note"],
            vec![
                "Default concurrency 1",
                "Platform, SRE",
                "says \"no\"\nthen yes",
            ],
        ]);
        assert_eq!(
            csv,
            "title,owner,note\r\nDefault concurrency 1,\"Platform, SRE\",\"says \"\"no\"\"\nthen yes\"\r\n"
        );
    }

    #[test]
    fn a_field_that_looks_like_a_formula_is_defused() {
        assert_eq!(
            to_csv([["=HYPERLINK(\"x\")", "-3", "ok"]]),
            "\"'=HYPERLINK(\"\"x\"\")\",'-3,ok\r\n"
        );
    }
}
