//! `~/.config/environment.d/60-modroute.conf`: variables for the systemd user manager, hence for
//! every app the desktop session starts after the next login (or `systemctl --user
//! daemon-reload` plus a restart of the app).
//!
//! The format is `KEY=VALUE` lines, but systemd's generator expands `$VAR` and `${VAR}` **even
//! inside quotes and after a backslash**; only `$$` yields a literal `$`. So each value is
//! written as `"…"` with `\` → `\\`, `"` → `\"`, `$` → `$$` (systemd's environment.d(5), and the
//! integration test `environment_d` runs systemd's own `30-systemd-environment-d-generator` on
//! adversarial values and compares its output byte for byte). Newlines cannot be represented and
//! are refused, and so are Unicode noncharacters (systemd rejects them as invalid UTF-8, and its
//! generator then drops the whole session environment); empty values are invalid syntax for
//! systemd and are written as absent.

use std::path::{Path, PathBuf};

use crate::env::Env;
use crate::shell::{Assignment, HEADER, QuoteError, validate};

/// The file's name: `60-` sorts after distribution files (`50-…`) and before most user files.
pub const FILE_NAME: &str = "60-modroute.conf";

/// `${XDG_CONFIG_HOME:-~/.config}/environment.d/60-modroute.conf` (XDG only when absolute).
pub fn path(env: &Env) -> Option<PathBuf> {
    let base = match env.path("XDG_CONFIG_HOME").filter(|p| p.is_absolute()) {
        Some(p) => p,
        None => env.home()?.join(".config"),
    };
    Some(base.join("environment.d").join(FILE_NAME))
}

/// The user's `environment.d` directory: `${XDG_CONFIG_HOME:-~/.config}/environment.d`.
pub fn user_dir(env: &Env) -> Option<PathBuf> {
    path(env).and_then(|p| p.parent().map(Path::to_path_buf))
}

/// The `*.conf` files of the user's `environment.d`, in the order systemd reads them (by name).
pub fn user_files(env: &Env) -> Vec<PathBuf> {
    let Some(dir) = user_dir(env) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "conf") && p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    files
}

/// One assignment read from an environment.d file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The variable.
    pub name: String,
    /// Its value after unquoting and expansion.
    pub value: String,
    /// 1-based line number.
    pub line: usize,
}

/// Reads an environment.d file as systemd's generator does: `KEY=VALUE` lines, `#`/`;` comments,
/// blanks around the key and value trimmed, `"…"` (with `\\`, `\"`, `` \` ``, `\$`) and `'…'`
/// quotes removed, a backslash escaping the next character outside quotes, then `$VAR`,
/// `${VAR}`, `${VAR:-default}` and `${VAR:+alternate}` expanded against `vars` — **even inside
/// quotes**, with `$$` as a literal `$`. Each assignment is also stored in `vars`, so later lines
/// and files see it. Lines that are not assignments are skipped.
pub fn parse(text: &str, vars: &mut std::collections::BTreeMap<String, String>) -> Vec<Parsed> {
    let mut out = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.trim_end_matches('\r').trim_start();
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        let Some((key, rest)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        let valid = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            continue;
        }
        let value = expand(&unquote(rest.trim()), vars);
        vars.insert(key.to_string(), value.clone());
        out.push(Parsed {
            name: key.to_string(),
            value,
            line: index + 1,
        });
    }
    out
}

/// Quote removal: mixed `"…"`, `'…'` and bare segments are concatenated.
fn unquote(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some(n @ ('"' | '\\' | '`')) => out.push(n),
                            // `\$` does not protect: the expansion still sees a `$`.
                            Some('$') => out.push('$'),
                            Some(n) => {
                                out.push('\\');
                                out.push(n);
                            }
                            None => {}
                        },
                        c => out.push(c),
                    }
                }
            }
            '\'' => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// `$$`, `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR:+a}` expansion against `vars` (unset: empty).
fn expand(text: &str, vars: &std::collections::BTreeMap<String, String>) -> String {
    let get = |name: &str| vars.get(name).cloned().unwrap_or_default();
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('{') {
            let Some(end) = inner.find('}') else {
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let body = &inner[..end];
            let value = if let Some((name, default)) = body.split_once(":-") {
                Some(get(name))
                    .filter(|v| !v.is_empty())
                    .unwrap_or_else(|| default.to_string())
            } else if let Some((name, alternate)) = body.split_once(":+") {
                if get(name).is_empty() {
                    String::new()
                } else {
                    alternate.to_string()
                }
            } else {
                get(body)
            };
            out.push_str(&value);
            rest = &inner[end + 1..];
        } else {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if len == 0 {
                out.push('$');
            } else {
                out.push_str(&get(&after[..len]));
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    out
}

/// `v` as a double-quoted environment.d value that systemd reads back as exactly `v`.
pub fn quote(v: &str) -> String {
    let mut s = String::with_capacity(v.len() + 2);
    s.push('"');
    for c in v.chars() {
        match c {
            '\\' => s.push_str(r"\\"),
            '"' => s.push_str("\\\""),
            '$' => s.push_str("$$"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// The file's contents: a header, then one line per variable that has a non-empty value.
/// Variables without one are simply absent (the file is the complete state).
pub fn render(vars: &[Assignment<'_>]) -> Result<String, QuoteError> {
    validate(vars)?;
    super::validate_for_systemd(vars)?;
    let mut out = format!("# {HEADER}\n");
    for (name, value) in super::non_empty(vars) {
        if let Some(v) = value {
            out.push_str(&format!("{name}={}\n", quote(v)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::TargetOs;

    #[test]
    fn dollars_are_doubled_and_quotes_escaped() {
        assert_eq!(quote(r#"a$b\c"d'e"#), r#""a$$b\\c\"d'e""#);
        let text = render(&[("A", Some("${HOME}")), ("B", None), ("C", Some(""))]).unwrap();
        assert_eq!(text, format!("# {HEADER}\nA=\"$${{HOME}}\"\n"));
        assert!(render(&[("A", Some("x\ny"))]).is_err());
        assert_eq!(
            render(&[("NO_PROXY", Some("a\u{fffe}b"))]),
            Err(QuoteError::Noncharacter {
                name: "NO_PROXY".into(),
                code: 0xfffe
            })
        );
    }

    #[test]
    fn parse_reads_back_what_render_writes_and_expands_like_systemd() {
        for v in [
            "https://u:p$w@proxy:3128",
            r#"a"b\c'd"#,
            "x # y",
            "${HOME}",
            "$$",
        ] {
            let text = render(&[("HTTPS_PROXY", Some(v))]).unwrap();
            let mut vars = std::collections::BTreeMap::new();
            let parsed = parse(&text, &mut vars);
            assert_eq!(parsed.len(), 1, "{text}");
            assert_eq!(parsed[0].value, v, "{text}");
            assert_eq!(parsed[0].line, 2);
        }
        let mut vars = std::collections::BTreeMap::from([("HOME".to_string(), "/h".to_string())]);
        let text =
            "# c\n  GOPROXY = 'https://a$HOME' \nA=${HOME}/x\nB=${NOPE:-d}${HOME:+y}\nnot a line\n";
        let parsed = parse(text, &mut vars);
        let got: Vec<_> = parsed
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str(), p.line))
            .collect();
        assert_eq!(
            got,
            [
                ("GOPROXY", "https://a/h", 2),
                ("A", "/h/x", 3),
                ("B", "dy", 4)
            ]
        );
    }

    #[test]
    fn path_respects_absolute_xdg_config_home() {
        let env = Env::from_vars_on(TargetOs::Unix, [("HOME", "/h")]);
        assert_eq!(
            path(&env),
            Some(PathBuf::from("/h/.config/environment.d/60-modroute.conf"))
        );
        let env = env.with("XDG_CONFIG_HOME", "/x");
        assert_eq!(
            path(&env),
            Some(PathBuf::from("/x/environment.d/60-modroute.conf"))
        );
    }
}
