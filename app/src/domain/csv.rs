//! Comma-separated values as spreadsheets read them (RFC 4180): a field holding a comma, a
//! quote or a line break is quoted, quotes doubled; lines end with CRLF. A field that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, also after leading tabs,
//! carriage returns, line breaks or spaces, or starting with a tab or carriage return at all) is
//! prefixed with `'`, so an exported title cannot run in someone's spreadsheet.

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

/// Whether a spreadsheet could read `value` as a formula: some skip leading whitespace before
/// looking for `=`, and OWASP counts a leading tab or carriage return as a trigger of its own.
fn looks_like_formula(value: &str) -> bool {
    value.starts_with(['\t', '\r'])
        || value
            .trim_start_matches([' ', '\t', '\r', '\n'])
            .starts_with(['=', '+', '-', '@'])
}

fn field(value: &str) -> String {
    let value = if looks_like_formula(value) {
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

    #[test]
    fn a_formula_after_a_leading_tab_or_carriage_return_is_defused() {
        assert_eq!(
            to_csv([["\t=cmd|' /C calc'!A0"]]),
            "'\t=cmd|' /C calc'!A0\r\n"
        );
        assert_eq!(to_csv([["\r=cmd"]]), "\"'\r=cmd\"\r\n");
        assert_eq!(to_csv([[" \n@SUM(A1)"]]), "\"' \n@SUM(A1)\"\r\n");
        assert_eq!(to_csv([["\tplain"]]), "'\tplain\r\n");
        assert_eq!(to_csv([["a = b"]]), "a = b\r\n");
    }
}
