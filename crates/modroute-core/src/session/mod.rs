//! The desktop-session layer: how apps started from the desktop (not from a shell) get the
//! network variables, per OS. Everything here is pure data — file text and argv plans — that the
//! apply engine executes; no process is spawned and no file is touched in this module.
//!
//! - Linux: [`environment_d`] (`~/.config/environment.d/60-modroute.conf`, read by the systemd
//!   user manager at login) and [`systemd`] (`systemctl --user set-environment` /
//!   `unset-environment` for an immediate effect on apps launched afterwards).
//! - macOS: [`launchd`] (`launchctl setenv` / `unsetenv` now, a LaunchAgent that re-applies at
//!   login).
//! - Windows: [`registry`] (`HKCU\Environment` values, then a `WM_SETTINGCHANGE` broadcast).
//!
//! Input is the same assignment list the shells get ([`crate::shell::network_assignments`]),
//! validated by [`crate::shell::validate`]. An empty value is treated as unset in this layer:
//! systemd rejects empty assignments in environment.d, and for the proxy variables empty and
//! unset mean the same (no proxy). Already-running processes never change: only the apps
//! started after a switch see it.

pub mod environment_d;
pub mod launchd;
pub mod registry;
pub mod systemd;

use crate::shell::{Assignment, QuoteError};

/// The assignments with empty values turned into unsets (see the module docs).
pub(crate) fn non_empty<'a>(vars: &[Assignment<'a>]) -> Vec<Assignment<'a>> {
    vars.iter()
        .map(|&(n, v)| (n, v.filter(|v| !v.is_empty())))
        .collect()
}

/// What systemd accepts on top of [`crate::shell::validate`]: its UTF-8 check
/// (`unichar_is_valid`) rejects the Unicode noncharacters, and in an environment.d file such a
/// line is worse than ignored — systemd 252's generator then aborts (double free), so the session
/// gets none of the environment.d variables at all. Refused before any text is written.
pub(crate) fn validate_for_systemd(vars: &[Assignment<'_>]) -> Result<(), QuoteError> {
    for &(name, value) in vars {
        let noncharacter = value.and_then(|v| {
            v.chars()
                .map(u32::from)
                .find(|&c| (0xfdd0..=0xfdef).contains(&c) || c & 0xfffe == 0xfffe)
        });
        if let Some(code) = noncharacter {
            return Err(QuoteError::Noncharacter {
                name: name.to_owned(),
                code,
            });
        }
    }
    Ok(())
}
