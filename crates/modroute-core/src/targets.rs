//! Which places besides the go env file, the shells and the desktop session a switch writes to.
//!
//! The go env file, the shells and the session are always targets. IDEs, Docker's client
//! configuration and git's own proxy settings are *optional* targets: the user turns them on in
//! the app's Settings or by editing `<config>/modroute/targets.toml` by hand:
//!
//! ```toml
//! # absent = automatic: on when the Go extension's settings exist in a VS Code flavour
//! vscode = true
//! # also write VS Code's own `http.proxy` (off unless asked for)
//! vscode_http_proxy = false
//! # JetBrains projects whose `.idea/workspace.xml` Go Modules environment follows switches
//! jetbrains_projects = ["/home/me/src/acme"]
//! # ~/.docker/config.json proxies.default
//! docker = false
//! # git's http.proxy (git config --global)
//! git = false
//! ```
//!
//! A file that cannot be parsed is an error naming file, line and column; nothing is written
//! over it. Saving rewrites only the keys that changed and keeps every comment
//! ([`toml_edit`]).

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic::{self, Mode};
use crate::env::Env;
use crate::paths;
use crate::profile::{Position, position};

/// The optional targets' switches. `Default` is what a user who never opened Settings gets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetPrefs {
    /// VS Code flavours' user `settings.json` (`go.toolsEnvVars`). `None`: automatic — on when
    /// a flavour's settings already configure the Go extension.
    pub vscode: Option<bool>,
    /// Also write VS Code's `http.proxy` from the profile's HTTPS proxy.
    pub vscode_http_proxy: bool,
    /// JetBrains projects (their root directories) whose Go Modules environment follows
    /// switches.
    pub jetbrains_projects: Vec<PathBuf>,
    /// Docker's client configuration (`~/.docker/config.json` `proxies.default`).
    pub docker: bool,
    /// git's own proxy (`git config --global http.proxy`).
    pub git: bool,
}

/// Why `targets.toml` cannot be read. Nothing is written when this happens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TargetsError {
    /// No HOME / config directory in the environment.
    #[error("no configuration directory: set HOME")]
    NoConfigDir,
    /// The file exists but cannot be read.
    #[error("cannot read {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The file is not UTF-8 TOML, or a key has the wrong type.
    #[error("{position}: {message}")]
    Invalid {
        /// Where.
        position: Position,
        /// What.
        message: String,
    },
    /// A choice that cannot be stored (a JetBrains project that is not an absolute path).
    #[error("{0}")]
    Rejected(String),
    /// Writing the file failed.
    #[error("cannot write {}: {message}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// `<config>/modroute/targets.toml`.
pub fn file(env: &Env) -> Option<PathBuf> {
    Some(paths::config_dir(env)?.join("targets.toml"))
}

/// The user's choices; defaults when the file does not exist.
pub fn load(env: &Env) -> Result<TargetPrefs, TargetsError> {
    let path = file(env).ok_or(TargetsError::NoConfigDir)?;
    match std::fs::read(&path) {
        Ok(bytes) => parse(&bytes, &path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(TargetPrefs::default()),
        Err(error) => Err(TargetsError::Read { path, error }),
    }
}

/// Parses `targets.toml`'s bytes (`path` only names the file in errors).
pub fn parse(bytes: &[u8], path: &Path) -> Result<TargetPrefs, TargetsError> {
    let text = std::str::from_utf8(bytes).map_err(|e| TargetsError::Invalid {
        position: position(&String::from_utf8_lossy(bytes), path, e.valid_up_to()),
        message: "not valid UTF-8; TOML files must be UTF-8".into(),
    })?;
    let invalid = |span: Option<Range<usize>>, message: String| TargetsError::Invalid {
        position: position(text, path, span.map_or(0, |s| s.start)),
        message,
    };
    let doc = toml_edit::Document::parse(text)
        .map_err(|e| invalid(e.span(), e.message().trim().to_string()))?;
    let mut prefs = TargetPrefs::default();
    for (key, item) in doc.iter() {
        let span = item.span().or_else(|| doc.key(key).and_then(|k| k.span()));
        let boolean = || {
            item.as_bool()
                .ok_or_else(|| invalid(span.clone(), format!("`{key}` must be true or false")))
        };
        match key {
            "vscode" => prefs.vscode = Some(boolean()?),
            "vscode_http_proxy" => prefs.vscode_http_proxy = boolean()?,
            "docker" => prefs.docker = boolean()?,
            "git" => prefs.git = boolean()?,
            "jetbrains_projects" => {
                let array = item.as_array().ok_or_else(|| {
                    invalid(
                        span.clone(),
                        "`jetbrains_projects` must be an array of directory paths".into(),
                    )
                })?;
                for value in array.iter() {
                    let dir = value.as_str().filter(|s| Path::new(s).is_absolute());
                    let dir = dir.ok_or_else(|| {
                        invalid(
                            value.span(),
                            "each JetBrains project must be an absolute directory path".into(),
                        )
                    })?;
                    prefs.jetbrains_projects.push(PathBuf::from(dir));
                }
            }
            other => {
                return Err(invalid(
                    doc.key(other).and_then(|k| k.span()),
                    format!(
                        "unknown key `{other}`; targets.toml takes vscode, vscode_http_proxy, \
                         jetbrains_projects, docker and git"
                    ),
                ));
            }
        }
    }
    Ok(prefs)
}

/// The new text of `targets.toml` holding `prefs`: keys that did not change keep their lines
/// and comments; keys at their default are removed only when `prefs` no longer sets them.
pub fn render(current: &str, path: &Path, prefs: &TargetPrefs) -> Result<String, TargetsError> {
    parse(current.as_bytes(), path)?;
    let mut doc = current
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| TargetsError::Invalid {
            position: position(current, path, e.span().map_or(0, |s| s.start)),
            message: e.message().trim().to_string(),
        })?;
    let mut set_bool = |key: &str, value: Option<bool>| match value {
        Some(v) if doc.get(key).and_then(toml_edit::Item::as_bool) != Some(v) => {
            doc[key] = toml_edit::value(v);
        }
        Some(_) => {}
        None => {
            doc.remove(key);
        }
    };
    set_bool("vscode", prefs.vscode);
    set_bool("vscode_http_proxy", Some(prefs.vscode_http_proxy));
    set_bool("docker", Some(prefs.docker));
    set_bool("git", Some(prefs.git));
    let projects: Vec<String> = prefs
        .jetbrains_projects
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let stored: Option<Vec<String>> = doc
        .get("jetbrains_projects")
        .and_then(toml_edit::Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        });
    if stored.as_ref() != Some(&projects) {
        if projects.is_empty() {
            doc.remove("jetbrains_projects");
        } else {
            doc["jetbrains_projects"] =
                toml_edit::value(projects.iter().collect::<toml_edit::Array>());
        }
    }
    Ok(doc.to_string())
}

/// Stores `prefs` in `targets.toml` (atomically; comments kept).
pub fn save(env: &Env, prefs: &TargetPrefs) -> Result<(), TargetsError> {
    let path = file(env).ok_or(TargetsError::NoConfigDir)?;
    let current = match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(TargetsError::Read { path, error }),
    };
    let text = match &current {
        Some(bytes) => {
            parse(bytes, &path)?;
            String::from_utf8_lossy(bytes).into_owned()
        }
        None => String::new(),
    };
    let new = render(&text, &path, prefs)?;
    let write_err = |message: String| TargetsError::Write {
        path: path.clone(),
        message,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| write_err(e.to_string()))?;
    }
    atomic::write_atomic(
        &path,
        new.as_bytes(),
        Mode::KeepOr(0o644),
        Some(current.as_deref()),
    )
    .map_err(|e| write_err(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<TargetPrefs, TargetsError> {
        parse(text.as_bytes(), Path::new("/c/targets.toml"))
    }

    #[test]
    fn absent_keys_are_the_defaults_and_vscode_stays_automatic() {
        let prefs = parsed("").unwrap();
        assert_eq!(prefs, TargetPrefs::default());
        assert_eq!(prefs.vscode, None);
        let prefs =
            parsed("vscode = false\ndocker = true\njetbrains_projects = [\"/p\"]\n").unwrap();
        assert_eq!(prefs.vscode, Some(false));
        assert!(prefs.docker && !prefs.git);
        assert_eq!(prefs.jetbrains_projects, vec![PathBuf::from("/p")]);
    }

    #[test]
    fn mistakes_name_file_line_and_column() {
        let err = parsed("docker = true\ngit = \"yes\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "/c/targets.toml:2:7: `git` must be true or false");
        let err = parsed("\n\nvscdoe = true\n").unwrap_err().to_string();
        assert!(
            err.starts_with("/c/targets.toml:3:1: unknown key `vscdoe`"),
            "{err}"
        );
        let err = parsed("jetbrains_projects = [\"rel/dir\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("/c/targets.toml:1:23: each JetBrains"),
            "{err}"
        );
        let err = parsed("docker = \n").unwrap_err().to_string();
        assert!(err.starts_with("/c/targets.toml:1:"), "{err}");
    }

    #[test]
    fn render_keeps_comments_and_untouched_lines() {
        let current = "# mine\nvscode = true # keep\ndocker = false\n";
        let mut prefs = parsed(current).unwrap();
        prefs.docker = true;
        let new = render(current, Path::new("/c/t.toml"), &prefs).unwrap();
        assert!(new.starts_with("# mine\nvscode = true # keep\n"), "{new}");
        assert_eq!(parsed(&new).unwrap(), prefs);
        prefs.vscode = None;
        let new = render(&new, Path::new("/c/t.toml"), &prefs).unwrap();
        assert!(!new.contains("vscode ="), "{new}");
        assert_eq!(parsed(&new).unwrap(), prefs);
    }

    #[test]
    fn save_round_trips_and_refuses_a_broken_file() {
        let home = tempfile::tempdir().unwrap();
        let env = Env::from_vars([("HOME", home.path().as_os_str())]);
        assert_eq!(load(&env).unwrap(), TargetPrefs::default());
        let prefs = TargetPrefs {
            vscode: Some(true),
            jetbrains_projects: vec![PathBuf::from("/src/acme")],
            git: true,
            ..TargetPrefs::default()
        };
        save(&env, &prefs).unwrap();
        assert_eq!(load(&env).unwrap(), prefs);

        let path = file(&env).unwrap();
        std::fs::write(&path, "git = [\n").unwrap();
        assert!(save(&env, &TargetPrefs::default()).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"git = [\n");
    }
}
