//! modroute's own directories, derived from the [`Env`] snapshot.
//!
//! Config (profiles, the env files shells source) follows the platform convention the `dirs`
//! crate uses: `$XDG_CONFIG_HOME` when absolute, else `~/.config` on Linux;
//! `~/Library/Application Support` on macOS; `%APPDATA%` on Windows. State (the journal of
//! switches and its backups) goes to `$XDG_STATE_HOME` or `~/.local/state` on Linux and next to
//! the config elsewhere.

use std::path::PathBuf;

use crate::env::{Env, TargetOs};

const APP: &str = "modroute";

/// `<config>/modroute`.
pub fn config_dir(env: &Env) -> Option<PathBuf> {
    let base = match env.os() {
        TargetOs::Unix => {
            absolute(env, "XDG_CONFIG_HOME").or_else(|| Some(env.home()?.join(".config")))
        }
        TargetOs::MacOs => Some(env.home()?.join("Library/Application Support")),
        TargetOs::Windows => env.path("APPDATA"),
    };
    Some(base?.join(APP))
}

/// `<state>/modroute`: the journal and backups.
pub fn state_dir(env: &Env) -> Option<PathBuf> {
    match env.os() {
        TargetOs::Unix => {
            let base = absolute(env, "XDG_STATE_HOME")
                .or_else(|| Some(env.home()?.join(".local/state")))?;
            Some(base.join(APP))
        }
        TargetOs::MacOs => config_dir(env),
        TargetOs::Windows => Some(env.path("LOCALAPPDATA")?.join(APP)),
    }
}

/// The user's profiles file.
pub fn profiles_file(env: &Env) -> Option<PathBuf> {
    Some(config_dir(env)?.join("profiles.toml"))
}

fn absolute(env: &Env, name: &str) -> Option<PathBuf> {
    env.path(name).filter(|p| p.is_absolute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linux_dirs_follow_xdg_only_when_absolute() {
        let env = Env::from_vars_on(TargetOs::Unix, [("HOME", "/h"), ("XDG_CONFIG_HOME", "rel")]);
        assert_eq!(config_dir(&env), Some(PathBuf::from("/h/.config/modroute")));
        assert_eq!(
            state_dir(&env),
            Some(PathBuf::from("/h/.local/state/modroute"))
        );
        let env = env
            .with("XDG_CONFIG_HOME", "/x")
            .with("XDG_STATE_HOME", "/s");
        assert_eq!(
            profiles_file(&env),
            Some(PathBuf::from("/x/modroute/profiles.toml"))
        );
        assert_eq!(state_dir(&env), Some(PathBuf::from("/s/modroute")));
        assert_eq!(
            config_dir(&Env::from_vars_on(TargetOs::Unix, [("X", "1")])),
            None
        );
    }
}
