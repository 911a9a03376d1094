//! `~/.config/environment.d/60-modroute.conf`: variables for the systemd user manager, hence for
//! every app the desktop session starts after the next login (or `systemctl --user
//! daemon-reload` plus a restart of the app).
//!
//! The format is `KEY=VALUE` lines, but systemd's generator expands `$VAR` and `${VAR}` **even
//! inside quotes and after a backslash**; only `$$` yields a literal `$`. So each value is
//! written as `"…"` with `\` → `\\`, `"` → `\"`, `$` → `$$` (research/shells.md §4.4, and the
//! integration test `environment_d` runs systemd's own `30-systemd-environment-d-generator` on
//! adversarial values and compares its output byte for byte). Newlines cannot be represented and
//! are refused; empty values are invalid syntax for systemd and are written as absent.

use std::path::PathBuf;

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
