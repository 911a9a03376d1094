//! Module paths as cmd/go treats them: the GOPRIVATE-style pattern lists
//! (`module.MatchPrefixPatterns`) and the case-encoding of paths on the proxy wire
//! (`module.EscapePath`).

/// Whether any comma-separated glob in `globs` matches a leading part of `target`, exactly as
/// `golang.org/x/mod/module.MatchPrefixPatterns`: entries are not trimmed, one trailing `/` is
/// ignored, each glob is matched (with `path.Match`) against as many leading path elements of
/// the target as it has itself, malformed globs never match, and matching is case-sensitive.
pub fn matches_prefix_patterns(globs: &str, target: &str) -> bool {
    matching_pattern(globs, target).is_some()
}

/// The first glob of `globs` that matches `target` (see [`matches_prefix_patterns`]).
pub fn matching_pattern<'a>(globs: &'a str, target: &str) -> Option<&'a str> {
    for raw in globs.split(',') {
        let glob = raw.strip_suffix('/').unwrap_or(raw);
        if glob.is_empty() {
            continue;
        }
        let elements = glob.matches('/').count() + 1;
        let prefix = match target.match_indices('/').nth(elements - 1) {
            Some((i, _)) => &target[..i],
            None if target.split('/').count() >= elements => target,
            None => continue,
        };
        if path_match(glob, prefix) == Some(true) {
            return Some(raw);
        }
    }
    None
}

/// Go's `path.Match`: `Some(matched)`, or `None` for a malformed pattern.
///
/// `*` matches any run of characters other than `/`, `?` one such character, `[...]` a class
/// (`^` negates, `a-z` ranges), `\` escapes the next character.
pub fn path_match(pattern: &str, name: &str) -> Option<bool> {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // Validate the whole pattern first: Go reports ErrBadPattern even when an early mismatch
    // would have decided the answer (since Go 1.16 the whole pattern is checked).
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            '\\' => {
                if i + 1 >= pattern.len() {
                    return None;
                }
                i += 2;
            }
            '[' => i = class_end(&pattern, i)?,
            _ => i += 1,
        }
    }
    Some(match_from(&pattern, &name))
}

/// The index just past the `]` closing the class that starts at `start`, if well formed.
fn class_end(pattern: &[char], start: usize) -> Option<usize> {
    let mut i = start + 1;
    if pattern.get(i) == Some(&'^') {
        i += 1;
    }
    let mut first = true;
    loop {
        let c = *pattern.get(i)?;
        if c == ']' && !first {
            return Some(i + 1);
        }
        first = false;
        // lo
        i = class_char_end(pattern, i)?;
        if pattern.get(i) == Some(&'-') {
            i = class_char_end(pattern, i + 1)?;
        }
    }
}

fn class_char_end(pattern: &[char], i: usize) -> Option<usize> {
    match *pattern.get(i)? {
        '-' | ']' => None,
        '\\' => pattern.get(i + 1).map(|_| i + 2),
        _ => Some(i + 1),
    }
}

fn class_char(pattern: &[char], i: usize) -> (char, usize) {
    if pattern[i] == '\\' {
        (pattern[i + 1], i + 2)
    } else {
        (pattern[i], i + 1)
    }
}

fn match_from(pattern: &[char], name: &[char]) -> bool {
    if pattern.is_empty() {
        return name.is_empty();
    }
    match pattern[0] {
        '*' => {
            // `*` never crosses a `/`.
            let rest = &pattern[1..];
            for taken in 0..=name.len() {
                if taken > 0 && name[taken - 1] == '/' {
                    break;
                }
                if match_from(rest, &name[taken..]) {
                    return true;
                }
            }
            false
        }
        '?' => !name.is_empty() && name[0] != '/' && match_from(&pattern[1..], &name[1..]),
        '[' => {
            let Some(&c) = name.first() else { return false };
            let end = class_end(pattern, 0).unwrap_or(pattern.len());
            let mut i = 1;
            let negated = pattern.get(1) == Some(&'^');
            if negated {
                i += 1;
            }
            let mut hit = false;
            while i < end - 1 {
                let (lo, next) = class_char(pattern, i);
                i = next;
                let mut hi = lo;
                if pattern.get(i) == Some(&'-') {
                    let (h, next) = class_char(pattern, i + 1);
                    hi = h;
                    i = next;
                }
                if lo <= c && c <= hi {
                    hit = true;
                }
            }
            hit != negated && c != '/' && match_from(&pattern[end..], &name[1..])
        }
        '\\' => !name.is_empty() && name[0] == pattern[1] && match_from(&pattern[2..], &name[1..]),
        literal => !name.is_empty() && name[0] == literal && match_from(&pattern[1..], &name[1..]),
    }
}

/// Checks a module path with cmd/go's rules (`module.CheckPath`, the parts that matter for
/// probing) and returns it case-encoded for a proxy URL: every upper-case letter becomes `!`
/// and its lower-case form, and the `!` is sent percent-encoded (`%21`), as `url.PathEscape`
/// does in cmd/go.
pub fn escape_for_url(path: &str) -> Result<String, String> {
    check_path(path).map_err(|why| format!("malformed module path {path:?}: {why}"))?;
    let mut out = String::with_capacity(path.len() + 8);
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push_str("%21");
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty string".into());
    }
    if path.contains("//") {
        return Err("double slash".into());
    }
    if path.starts_with('/') || path.ends_with('/') {
        return Err("leading or trailing slash".into());
    }
    let first = path.split('/').next().unwrap_or_default();
    if !first.contains('.') {
        return Err("missing dot in first path element".into());
    }
    if first.starts_with('-') {
        return Err("leading dash in first path element".into());
    }
    if let Some(c) = first
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        return Err(format!("invalid char {c:?} in first path element"));
    }
    if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/' | '+')))
    {
        return Err(format!("invalid char {c:?}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_patterns_follow_the_go_table() {
        let cases = [
            ("example.com", "example.com", true),
            ("example.com", "example.com/m", true),
            ("example.com", "example.com/a/b", true),
            ("example.com", "example.com.evil/x", false),
            ("example.com", "sub.example.com/x", false),
            ("*.corp.example.com", "git.corp.example.com/x/y", true),
            ("*.corp.example.com", "corp.example.com/x", false),
            ("*.com", "example.com/m", true),
            ("*.com", "example.org/m", false),
            ("github.com/myorg", "github.com/myorg/repo/sub", true),
            ("github.com/myorg", "github.com/myorg2/repo", false),
            ("github.com/myorg/*", "github.com/myorg/repo", true),
            ("github.com/myorg/*", "github.com/myorg/repo/sub", true),
            ("github.com/myorg/*", "github.com/myorg", false),
            ("example.com/m/sub", "example.com/m", false),
            ("example.com/", "example.com/m", true),
            // No whitespace trimming, no schemes, case-sensitive, empty entries skipped.
            ("foo.example, example.com", "example.com/m", false),
            ("foo.example,example.com", "example.com/m", true),
            ("https://example.com", "example.com/m", false),
            ("Example.com", "example.com/m", false),
            (",,example.com,", "example.com/m", true),
            ("none", "example.com/m", false),
            ("", "example.com/m", false),
            // Malformed globs never match.
            ("[", "[", false),
            ("example.com/[a-", "example.com/a", false),
            // Classes and escapes.
            ("git[0-9].corp.test", "git7.corp.test/x", true),
            ("git[^0-9].corp.test", "git7.corp.test/x", false),
            ("ex\\ample.com", "example.com/x", true),
            ("?xample.com", "example.com", true),
            ("*", "anything/at/all", true),
        ];
        for (globs, target, want) in cases {
            assert_eq!(
                matches_prefix_patterns(globs, target),
                want,
                "{globs:?} vs {target:?}"
            );
        }
        assert_eq!(
            matching_pattern("a.test,*.corp.test/", "git.corp.test/x"),
            Some("*.corp.test/")
        );
    }

    #[test]
    fn path_match_rejects_bad_patterns_and_never_crosses_slashes() {
        assert_eq!(path_match("a*", "ab/c"), Some(false));
        assert_eq!(path_match("a*/c", "ab/c"), Some(true));
        assert_eq!(path_match("a\\", "a"), None);
        assert_eq!(path_match("[]a]", "]"), None);
        assert_eq!(path_match("[\\]a]", "]"), Some(true));
        assert_eq!(path_match("a?b", "a/b"), Some(false));
        // The whole pattern is validated even after a mismatch.
        assert_eq!(path_match("x[", "y"), None);
    }

    #[test]
    fn paths_are_case_encoded_for_the_wire() {
        assert_eq!(
            escape_for_url("github.com/Azure/azure-sdk").unwrap(),
            "github.com/%21azure/azure-sdk"
        );
        assert_eq!(
            escape_for_url("golang.org/x/text").unwrap(),
            "golang.org/x/text"
        );
        assert_eq!(
            escape_for_url("foo/bar").unwrap_err(),
            "malformed module path \"foo/bar\": missing dot in first path element"
        );
        assert!(escape_for_url("Example.com/x").unwrap_err().contains("'E'"));
        assert!(
            escape_for_url("example.com/a//b")
                .unwrap_err()
                .contains("double slash")
        );
    }
}
