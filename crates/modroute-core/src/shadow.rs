//! Shadows: lines in the user's own shell start-up files that export a Go setting.
//!
//! An `export GOPROXY=…` in `~/.bashrc` (or fish's `set -gx GOPROXY …`, tcsh's `setenv`) makes
//! every `go` started from that shell ignore the go env file — the classic "I switched but
//! nothing changed". [`scan`] finds them (file, line, setting); [`comment_out`] turns each into a
//! comment that names modroute, keeping the original text after the marker so the user can see
//! and restore it (`modroute undo` restores the file byte for byte). Lines inside modroute's own
//! managed blocks are never touched. Bytes are kept as they are (CRLF, non-UTF-8).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::env::Env;
use crate::setting::{Setting, SettingKind};

/// What a disabled line starts with.
pub const MARKER: &str = "# disabled by modroute (it overrides the go env file): ";

/// One shadowing assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shadow {
    /// The file.
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// The setting it assigns.
    pub setting: Setting,
    /// The line's text (lossy UTF-8, redacted, without the line break).
    pub text: String,
}

/// The start-up files whose assignments reach shells, in the order shells read them.
pub fn candidate_files(env: &Env) -> Vec<PathBuf> {
    let Some(home) = env.home() else {
        return Vec::new();
    };
    let zdot = env.path("ZDOTDIR").unwrap_or_else(|| home.clone());
    let config = env
        .path("XDG_CONFIG_HOME")
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| home.join(".config"));
    let mut files: Vec<PathBuf> = [
        ".profile",
        ".bash_profile",
        ".bash_login",
        ".bashrc",
        ".tcshrc",
        ".cshrc",
        ".login",
    ]
    .iter()
    .map(|f| home.join(f))
    .collect();
    files.extend(
        [".zshenv", ".zprofile", ".zshrc", ".zlogin"]
            .iter()
            .map(|f| zdot.join(f)),
    );
    files.push(config.join("fish/config.fish"));
    if let Ok(dir) = std::fs::read_dir(config.join("fish/conf.d")) {
        let mut conf: Vec<PathBuf> = dir
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|e| e == "fish")
                    && !p.ends_with(crate::shell::FISH_CONF_D_FILE)
            })
            .collect();
        conf.sort();
        files.extend(conf);
    }
    files
}

/// Every shadowing assignment in the user's start-up files.
pub fn scan(env: &Env) -> Vec<Shadow> {
    let mut out = Vec::new();
    for file in candidate_files(env) {
        if let Ok(bytes) = std::fs::read(&file) {
            out.extend(find(&bytes, &file));
        }
    }
    out
}

/// The shadowing assignments in one file's bytes.
pub fn find(bytes: &[u8], file: &Path) -> Vec<Shadow> {
    find_where(bytes, file, |s| s.kind() == SettingKind::Go)
}

/// Every assignment of any of the 16 settings in one file's bytes — network settings too, in
/// either spelling (`export https_proxy=…`). These do not shadow the go env file, but they do
/// override what modroute's env files give shells, so the doctor names them when a shell's value
/// differs.
pub fn find_any(bytes: &[u8], file: &Path) -> Vec<Shadow> {
    find_where(bytes, file, |_| true)
}

/// [`find_any`] over the user's start-up files ([`candidate_files`]).
pub fn scan_any(env: &Env) -> Vec<Shadow> {
    let mut out = Vec::new();
    for file in candidate_files(env) {
        if let Ok(bytes) = std::fs::read(&file) {
            out.extend(find_any(&bytes, &file));
        }
    }
    out
}

fn find_where(bytes: &[u8], file: &Path, keep: impl Fn(Setting) -> bool) -> Vec<Shadow> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let text = String::from_utf8_lossy(raw);
        let trimmed = text.trim();
        if trimmed.starts_with("# >>> modroute") || trimmed.starts_with("#region modroute") {
            in_block = true;
        } else if trimmed.starts_with("# <<< modroute")
            || trimmed.starts_with("#endregion modroute")
        {
            in_block = false;
        } else if !in_block && let Some(setting) = assigned_setting(trimmed).filter(|s| keep(*s)) {
            out.push(Shadow {
                file: file.to_path_buf(),
                line: index + 1,
                setting,
                text: crate::redact::redact_lines(text.trim_end_matches('\r')),
            });
        }
    }
    out
}

/// The setting a shell line assigns (by any of its variable names), if any: `[export|declare -x|typeset -x] NAME=…`,
/// fish's `set [-flags…] NAME …`, csh's `setenv NAME …`.
fn assigned_setting(line: &str) -> Option<Setting> {
    if line.starts_with('#') {
        return None;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let name = match words.as_slice() {
        ["set", rest @ ..] => rest.iter().find(|w| !w.starts_with('-')).copied()?,
        ["setenv", name, ..] => name,
        [
            "export" | "declare" | "typeset" | "local" | "readonly",
            rest @ ..,
        ] => rest
            .iter()
            .find(|w| !w.starts_with('-'))?
            .split('=')
            .next()?,
        [first, ..] if first.contains('=') => first.split('=').next()?,
        _ => return None,
    };
    Setting::ALL
        .into_iter()
        .find(|s| s.env_names().contains(&name))
}

/// `bytes` with the given 1-based lines turned into comments that start with [`MARKER`].
pub fn comment_out(bytes: &[u8], lines: &[usize]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + lines.len() * MARKER.len());
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        if index > 0 {
            out.push(b'\n');
        }
        if lines.contains(&(index + 1)) {
            out.extend_from_slice(MARKER.as_bytes());
        }
        out.extend_from_slice(raw);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_assignments_in_every_shell_syntax_but_not_comments_or_blocks() {
        let text = b"# export GOPROXY=x\nexport GOPROXY=https://a.example\n  GOFLAGS=-mod=mod\ndeclare -x GOPRIVATE=corp\nset -gx GONOSUMDB corp.example\nset --export --global GOSUMDB off\nsetenv GOINSECURE x\nexport HTTPS_PROXY=http://p:1\nexport PATH=$PATH:/go/bin\n# >>> modroute >>>\nexport GOPROXY=inside\n# <<< modroute <<<\nexport GOTOOLCHAIN=local\r\n";
        let found: Vec<_> = find(text, Path::new("/h/.bashrc"))
            .into_iter()
            .map(|s| (s.line, s.setting))
            .collect();
        use Setting::*;
        assert_eq!(
            found,
            [
                (2, GoProxy),
                (3, GoFlags),
                (4, GoPrivate),
                (5, GoNoSumDb),
                (6, GoSumDb),
                (7, GoInsecure),
                (13, GoToolchain)
            ]
        );
    }

    #[test]
    fn find_any_includes_network_settings_in_both_spellings() {
        let text =
            b"export https_proxy=http://p:1\nexport GOPROXY=x\nHTTP_PROXY=y\nexport PATH=z\n";
        let found: Vec<_> = find_any(text, Path::new("/h/.bashrc"))
            .into_iter()
            .map(|s| (s.line, s.setting))
            .collect();
        use Setting::*;
        assert_eq!(found, [(1, HttpsProxy), (2, GoProxy), (3, HttpProxy)]);
        assert_eq!(find(text, Path::new("/x")).len(), 1);
    }

    #[test]
    fn comment_out_keeps_every_other_byte() {
        let text = b"a\nexport GOPROXY=x\r\n\xff\nexport GOFLAGS=y";
        let out = comment_out(text, &[2, 4]);
        let want = [
            b"a\n".as_slice(),
            MARKER.as_bytes(),
            b"export GOPROXY=x\r\n\xff\n",
            MARKER.as_bytes(),
            b"export GOFLAGS=y",
        ]
        .concat();
        assert_eq!(out, want);
        assert_eq!(comment_out(text, &[]), text);
        assert!(
            find(&out, Path::new("/x")).is_empty(),
            "a disabled line is no longer a shadow"
        );
    }

    #[test]
    fn passwords_in_shadow_text_are_masked() {
        let found = find(b"export GOPROXY=https://u:pw@p.example\n", Path::new("/x"));
        assert_eq!(found[0].text, "export GOPROXY=https://u:xxxxx@p.example");
    }
}
