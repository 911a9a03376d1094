//! Credential redaction for every value modroute shows, logs or reports.
//!
//! A proxy URL may carry `user:password@`. Like Go's `url.URL.Redacted`, the password becomes
//! `xxxxx` and the user name and host stay, so a report still says which account and which host.
//! Lists (`GOPROXY`'s `,`/`|`, `NO_PROXY`'s `,`, `GOSUMDB`'s space) are redacted entry by entry,
//! and scheme-less proxy values (`user:pw@host:3128`, which Go 1.23 reads as `http://`) too.

/// What replaces a password.
pub const MASK: &str = "xxxxx";

/// `value` with the password of every URL-like entry replaced by [`MASK`].
pub fn redact(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut entry = String::new();
    for c in value.chars() {
        if matches!(c, ',' | '|' | ' ' | '\t') {
            out.push_str(&redact_entry(&entry));
            out.push(c);
            entry.clear();
        } else {
            entry.push(c);
        }
    }
    out.push_str(&redact_entry(&entry));
    out
}

fn redact_entry(entry: &str) -> String {
    let (prefix, rest) = match entry.find("://") {
        Some(i) => entry.split_at(i + 3),
        None => ("", entry),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some(at) = authority.rfind('@') else {
        return entry.to_string();
    };
    let (userinfo, host) = authority.split_at(at);
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{prefix}{user}:{MASK}{host}{tail}"),
        None => entry.to_string(),
    }
}

/// Whether `value` holds a password that [`redact`] would hide.
pub fn has_credentials(value: &str) -> bool {
    redact(value) != value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_everywhere() {
        for (input, want) in [
            (
                "http://user:s3cret@proxy:3128",
                "http://user:xxxxx@proxy:3128",
            ),
            (
                "https://a:b@x.example/go,direct",
                "https://a:xxxxx@x.example/go,direct",
            ),
            (
                "https://u:p@one|https://v:q@two",
                "https://u:xxxxx@one|https://v:xxxxx@two",
            ),
            ("user:pw@proxy.corp:8080", "user:xxxxx@proxy.corp:8080"),
            ("http://u:p:still@h", "http://u:xxxxx@h"),
            ("http://u:p@ss@h/path@x", "http://u:xxxxx@h/path@x"),
            (
                "sum.golang.org https://u:p@sum.corp",
                "sum.golang.org https://u:xxxxx@sum.corp",
            ),
        ] {
            assert_eq!(redact(input), want, "{input}");
            assert!(!redact(input).contains("s3cret"));
        }
    }

    #[test]
    fn values_without_passwords_are_untouched() {
        for input in [
            "",
            "https://goproxy.cn,direct",
            "off",
            "git@github.com",
            "https://user@host",
            "*.corp,10.0.0.0/8",
        ] {
            assert_eq!(redact(input), input);
            assert!(!has_credentials(input));
        }
    }
}

/// [`redact`] applied to each line of a text (diffs, reports), keeping the line structure.
pub fn redact_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| redact_bare_userinfo(&redact_url_spans(line)))
        .collect()
}

/// Redacts scheme-less `user:password@host` words (Go reads `HTTPS_PROXY=user:pw@proxy:3128`
/// as `http://`), as they stand in env files, diffs and JSON: a word ends at whitespace, a
/// quote, a list separator or shell punctuation; `NAME=user:pw@host` keeps `NAME=user`.
/// Words holding `://` were handled by [`redact_url_spans`].
fn redact_bare_userinfo(line: &str) -> String {
    let boundary = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '"' | '\'' | '`' | ',' | '|' | ';' | '(' | ')' | '<' | '>' | '[' | ']' | '{' | '}'
            )
    };
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        let end = rest.find(boundary).unwrap_or(rest.len());
        let (word, tail) = rest.split_at(end);
        if word.contains('@') && !word.contains("://") {
            out.push_str(&redact_entry(word));
        } else {
            out.push_str(word);
        }
        let sep = tail.chars().next().map_or(0, char::len_utf8);
        out.push_str(&tail[..sep]);
        rest = &tail[sep..];
    }
    out
}

/// Redacts URL passwords inside free text: each `scheme://user:pw@` span, wherever it stands.
fn redact_url_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '/' | '"' | '\'' | ',' | '|' | '?' | '#')
            })
            .unwrap_or(tail.len());
        let (authority, after) = tail.split_at(end);
        match authority.rfind('@').map(|at| authority.split_at(at)) {
            Some((userinfo, host)) if userinfo.contains(':') => {
                let user = userinfo.split(':').next().unwrap_or_default();
                out.push_str(&format!("{user}:{MASK}{host}"));
            }
            _ => out.push_str(authority),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod text_tests {
    use super::*;

    #[test]
    fn scheme_less_proxies_are_redacted_in_free_text() {
        for (input, want) in [
            (
                "+export HTTPS_PROXY='bob:hunter2@proxy:3128'\n",
                "+export HTTPS_PROXY='bob:xxxxx@proxy:3128'\n",
            ),
            (
                "+HTTPS_PROXY=bob:hunter2@proxy:3128\n",
                "+HTTPS_PROXY=bob:xxxxx@proxy:3128\n",
            ),
            (
                "  \"HTTP_PROXY\": \"bob:hunter2@proxy:3128\",\n",
                "  \"HTTP_PROXY\": \"bob:xxxxx@proxy:3128\",\n",
            ),
            (
                "set-environment A=u:p@h:1 B=x,v:q@w|http://s:t@r\n",
                "set-environment A=u:xxxxx@h:1 B=x,v:xxxxx@w|http://s:xxxxx@r\n",
            ),
        ] {
            assert_eq!(redact_lines(input), want, "{input}");
        }
        for kept in [
            "@@ -1,3 +1,4 @@\n",
            "go: example.com/m@v1.2.3: reading https://proxy.example/m/@v/list: 404\n",
            "git@github.com:org/repo.git and user@host\n",
            "GOPRIVATE=*.corp.example,github.com/org/*\n",
            "中文 🦀 @ : ü\n",
        ] {
            assert_eq!(redact_lines(kept), kept);
        }
    }

    #[test]
    fn free_text_is_redacted_span_by_span() {
        assert_eq!(
            redact_lines(
                "+export HTTPS_PROXY='http://bob:hunter2@proxy:3128'\n x https://a:b@h/p\n"
            ),
            "+export HTTPS_PROXY='http://bob:xxxxx@proxy:3128'\n x https://a:xxxxx@h/p\n"
        );
    }
}

/// Every string inside a JSON value redacted — for payloads that leave the process (IPC, CLI
/// JSON) whatever their shape.
pub fn redact_json(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) => Value::String(redact_lines(&s)),
        Value::Array(items) => Value::Array(items.into_iter().map(redact_json).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, redact_json(v))).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod json_tests {
    #[test]
    fn nested_strings_are_redacted() {
        let v = serde_json::json!({"argv": ["systemctl", "HTTPS_PROXY=http://u:pw@p:1"], "n": 1});
        assert_eq!(
            super::redact_json(v),
            serde_json::json!({"argv": ["systemctl", "HTTPS_PROXY=http://u:xxxxx@p:1"], "n": 1})
        );
    }
}
