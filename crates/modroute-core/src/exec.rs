//! `modroute exec <profile> -- <command>`: one command with a profile's settings, nothing
//! switched.
//!
//! The child's environment is the caller's with [`changes`] applied: every GO* setting the
//! profile sets becomes an environment variable (the OS layer beats every go env file), every
//! network setting is set in both spellings (`HTTPS_PROXY` and `https_proxy`), and every
//! variable of a setting the profile leaves out is removed. The CLI executes: on Unix it
//! replaces itself with the command (no shell, stdio and signals untouched, the exit status is
//! the command's); elsewhere it spawns, waits and passes the code through.
//!
//! One thing an environment cannot express: "unset, and ignore the go env file". A GO* setting
//! the profile leaves out is removed from the environment, so `go` falls back to the user's go
//! env file for it. [`prepare`] reports each such value ([`Shadow`]) so the CLI can say so.

use std::path::PathBuf;

use crate::env::Env;
use crate::export::{self, ExportError, Var};
use crate::goenv::{self, ReadOutcome};
use crate::profile::Profile;
use crate::redact::redact;
use crate::setting::{Setting, SettingKind};

/// The environment changes for `profile`: `Some` sets, `None` removes. Pure.
pub fn changes(profile: &Profile) -> Vec<Var> {
    export::for_profile(profile)
}

/// A GO* setting the profile leaves out that the user's go env file sets: the command sees the
/// file's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shadow {
    /// The setting.
    pub setting: Setting,
    /// The go env file.
    pub file: PathBuf,
    /// Its 1-based line.
    pub line: usize,
    /// The value there (redacted).
    pub value: String,
}

impl std::fmt::Display for Shadow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is not in the profile, so go reads it from {}:{} ({}); add it to the profile to \
             override",
            self.setting,
            self.file.display(),
            self.line,
            self.value
        )
    }
}

/// Which GO* settings `profile` leaves out that `file` (the user's go env file) sets. Pure.
pub fn shadows(profile: &Profile, path: &std::path::Path, file: &goenv::GoEnvFile) -> Vec<Shadow> {
    Setting::ALL
        .into_iter()
        .filter(|s| s.kind() == SettingKind::Go && profile.get(*s).is_none())
        .filter_map(|s| {
            let entry = file.get(s.name()).filter(|e| !e.value.is_empty())?;
            Some(Shadow {
                setting: s,
                file: path.to_path_buf(),
                line: entry.line,
                value: redact(&entry.value),
            })
        })
        .collect()
}

/// Everything `exec` needs before it starts the command.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The environment changes.
    pub changes: Vec<Var>,
    /// Go env file values the command will still see.
    pub shadows: Vec<Shadow>,
}

/// Loads profile `id` and reads the user's go env file (for [`Shadow`]s).
pub fn prepare(env: &Env, id: &str) -> Result<Prepared, ExportError> {
    let chosen = &export::usable_profile(env, id)?;
    let shadows = match goenv::locate(env, None) {
        goenv::Location::File { path, .. } => match goenv::read(&path) {
            ReadOutcome::Read(file) => shadows(chosen, &path, &file),
            ReadOutcome::Missing | ReadOutcome::Unreadable(_) => Vec::new(),
        },
        _ => Vec::new(),
    };
    Ok(Prepared {
        changes: changes(chosen),
        shadows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn changes_set_the_profile_and_remove_the_rest() {
        let official = crate::profile::builtins().remove(1);
        let c = changes(&official);
        let get = |n: &str| c.iter().find(|v| v.name == n).map(|v| v.value.clone());
        assert_eq!(
            get("GOPROXY"),
            Some(Some("https://proxy.golang.org,direct".into()))
        );
        assert_eq!(get("GOSUMDB"), Some(Some("sum.golang.org".into())));
        for removed in [
            "GOPRIVATE",
            "GOFLAGS",
            "HTTPS_PROXY",
            "https_proxy",
            "no_proxy",
        ] {
            assert_eq!(get(removed), Some(None), "{removed}");
        }
        assert_eq!(c.len(), 19);
    }

    #[test]
    fn shadows_are_go_settings_the_profile_leaves_out() {
        let official = crate::profile::builtins().remove(1);
        let file = goenv::GoEnvFile::parse(
            b"GOPROXY=https://other\nGOFLAGS=-mod=mod\nGOPRIVATE=\nHTTPS_PROXY=http://u:p@x\nGOINSECURE=http://u:pw@h\n",
        );
        let s = shadows(&official, Path::new("/h/go/env"), &file);
        let names: Vec<Setting> = s.iter().map(|s| s.setting).collect();
        assert_eq!(names, [Setting::GoInsecure, Setting::GoFlags]);
        assert_eq!(s[1].line, 2);
        assert_eq!(s[0].value, "http://u:xxxxx@h");
        assert!(s[1].to_string().contains("/h/go/env:2"));
    }
}
