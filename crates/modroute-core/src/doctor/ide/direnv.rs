//! direnv's `<project>/.envrc`, scanned statically — never executed (that would run the
//! project's code and need `direnv allow`).
//!
//! Lines `export VAR=value` and `VAR=value` for the 16 settings are reported with their line;
//! quotes are removed (`'…'` literally, `"…"` with backslash escapes); a value that still holds
//! `$` or a backquote depends on the shell at run time and is marked dynamic. Everything else
//! direnv can do (`source_env`, `dotenv`, functions) is beyond a static scan.

use std::path::{Path, PathBuf};

use super::setting_of;
use crate::env::Env;
use crate::setting::Setting;

/// `<project>/.envrc`.
pub fn envrc_path(project: &Path) -> PathBuf {
    project.join(".envrc")
}

/// One assignment found in `.envrc`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirenvEntry {
    /// The setting.
    pub setting: Setting,
    /// The variable as written.
    pub var: String,
    /// The value with quotes removed.
    pub value: String,
    /// 1-based line.
    pub line: usize,
    /// Whether the value depends on expansions at run time (`$…`, backquotes).
    pub dynamic: bool,
}

/// Every assignment of the 16 settings, in file order.
pub fn scan(text: &str) -> Vec<DirenvEntry> {
    let mut out = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.trim_end_matches('\r').trim();
        if line.starts_with('#') {
            continue;
        }
        let rest = line
            .strip_prefix("export")
            .filter(|r| r.starts_with([' ', '\t']))
            .map_or(line, str::trim_start);
        let Some((name, value)) = rest.split_once('=') else {
            continue;
        };
        let Some(setting) = setting_of(name) else {
            continue;
        };
        let (value, dynamic) = unquote(value);
        out.push(DirenvEntry {
            setting,
            var: name.to_string(),
            value,
            line: index + 1,
            dynamic,
        });
    }
    out
}

/// Shell quote removal for one word (up to unquoted blank or `;`/`#` comment), and whether an
/// expansion is left in it.
fn unquote(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut dynamic = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    out.push(c);
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some(n @ ('"' | '\\' | '$' | '`')) => out.push(n),
                            Some(n) => {
                                out.push('\\');
                                out.push(n);
                            }
                            None => {}
                        },
                        '$' | '`' => {
                            dynamic = true;
                            out.push(c);
                        }
                        c => out.push(c),
                    }
                }
            }
            '\\' => out.extend(chars.next()),
            ' ' | '\t' | ';' => break,
            '$' | '`' => {
                dynamic = true;
                out.push(c);
            }
            c => out.push(c),
        }
    }
    (out, dynamic)
}

/// The `direnv` program on `env`'s PATH, if installed (without it `.envrc` has no effect).
pub fn on_path(env: &Env) -> Option<PathBuf> {
    let path = env.get_os("PATH")?;
    which::which_in("direnv", Some(path), "/").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_with_lines_and_quotes() {
        let text = "# proxy for this repo\nexport GOPROXY='https://a.example,direct'\nGOFLAGS=\"-mod=mod\" # c\nexport GONOSUMDB=$CORP\nexport PATH=$PATH:bin\nexport https_proxy=http://p:1;\n  # export GOSUMDB=off\n";
        let got: Vec<_> = scan(text)
            .into_iter()
            .map(|e| (e.var, e.value, e.line, e.dynamic))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "GOPROXY".to_string(),
                    "https://a.example,direct".to_string(),
                    2,
                    false
                ),
                ("GOFLAGS".into(), "-mod=mod".into(), 3, false),
                ("GONOSUMDB".into(), "$CORP".into(), 4, true),
                ("https_proxy".into(), "http://p:1".into(), 6, false),
            ]
        );
    }
}
