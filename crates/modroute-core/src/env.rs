//! The environment snapshot every computation in this crate reads instead of the process.
//!
//! `Env` is a plain value: the process's variables (as raw `OsString`s, so a non-UTF-8 `HOME`
//! survives) and the operating system whose rules apply. Binaries build one from
//! `std::env::vars_os()`; tests build one from a map pointing at a temporary HOME. The crate's
//! `clippy.toml` forbids `std::env::var*` so nothing can bypass it.

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// The operating system whose conventions (config dirs, path rules) apply to a snapshot.
///
/// Kept separate from `cfg!(target_os)` so the rules of every OS can be tested on any OS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetOs {
    /// Linux, the BSDs and other Unix systems that follow the XDG base-directory convention.
    Unix,
    /// macOS (`~/Library/Application Support`).
    MacOs,
    /// Windows (`%AppData%`).
    Windows,
}

impl TargetOs {
    /// The OS this binary was compiled for.
    pub const fn current() -> Self {
        if cfg!(target_os = "macos") || cfg!(target_os = "ios") {
            TargetOs::MacOs
        } else if cfg!(windows) {
            TargetOs::Windows
        } else {
            TargetOs::Unix
        }
    }
}

/// A snapshot of a process environment.
#[derive(Clone, Debug)]
pub struct Env {
    vars: BTreeMap<OsString, OsString>,
    os: TargetOs,
}

impl Env {
    /// A snapshot of the given variables, under the rules of the OS this binary targets.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        Self::from_vars_on(TargetOs::current(), vars)
    }

    /// A snapshot of the given variables under the rules of `os`.
    pub fn from_vars_on<I, K, V>(os: TargetOs, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<OsString>,
        V: Into<OsString>,
    {
        let vars = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Env { vars, os }
    }

    /// The OS whose rules apply.
    pub fn os(&self) -> TargetOs {
        self.os
    }

    /// The raw value of a variable, if it is set (possibly to the empty string).
    pub fn get_os(&self, name: &str) -> Option<&OsStr> {
        self.vars.get(OsStr::new(name)).map(OsString::as_os_str)
    }

    /// The value of a variable as text (lossy for non-UTF-8 bytes, as Go's `string` would show
    /// them), if it is set.
    pub fn get(&self, name: &str) -> Option<String> {
        self.get_os(name).map(|v| v.to_string_lossy().into_owned())
    }

    /// The value of a variable if it is set and non-empty — how cmd/go's `os.Getenv(k) != ""`
    /// tests behave.
    pub fn get_non_empty(&self, name: &str) -> Option<String> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// A variable as a path, if set and non-empty.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        self.get_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    }

    /// The user's home directory as the OS would report it from this environment.
    pub fn home(&self) -> Option<PathBuf> {
        match self.os {
            TargetOs::Windows => self.path("USERPROFILE"),
            TargetOs::Unix | TargetOs::MacOs => self.path("HOME"),
        }
    }

    /// All variables, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&OsStr, &OsStr)> {
        self.vars
            .iter()
            .map(|(k, v)| (k.as_os_str(), v.as_os_str()))
    }

    /// A copy with one variable set (for tests and for computing "what a child would see").
    pub fn with(mut self, name: &str, value: impl Into<OsString>) -> Self {
        self.vars.insert(name.into(), value.into());
        self
    }

    /// A copy with one variable removed.
    pub fn without(mut self, name: &str) -> Self {
        self.vars.remove(OsStr::new(name));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_are_set_but_not_non_empty() {
        let env = Env::from_vars([("GOPROXY", ""), ("HOME", "/h")]);
        assert_eq!(env.get("GOPROXY").as_deref(), Some(""));
        assert_eq!(env.get_non_empty("GOPROXY"), None);
        assert_eq!(env.home(), Some(PathBuf::from("/h")));
    }

    #[test]
    fn windows_home_is_userprofile() {
        let env = Env::from_vars_on(
            TargetOs::Windows,
            [("USERPROFILE", r"C:\Users\u"), ("HOME", "/x")],
        );
        assert_eq!(env.home(), Some(PathBuf::from(r"C:\Users\u")));
    }
}
