//! Finding the GOROOT whose `go.env` supplies the toolchain's defaults — without running `go`.
//!
//! cmd/go's `findGOROOT` takes, in order: a `GOROOT` line in the user's go env file, the
//! `GOROOT` OS variable, then the directory two (or three) levels above its own executable when
//! that directory has `pkg/tool`. modroute does the same for the `go` that `PATH` resolves to,
//! resolving symlinks first on Linux because `os.Executable` reads `/proc/self/exe`. Only when
//! none of that works does it fall back to asking `go env GOROOT` (the toolchain's built-in
//! default, e.g. for gccgo or unusual layouts).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::env::{Env, TargetOs};
use crate::goenv::{GoEnvFile, clean_unix};

/// How the GOROOT was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// A `GOROOT=` line in the user's go env file.
    Goenv,
    /// The `GOROOT` OS variable.
    Env,
    /// The location of the `go` executable found on `PATH`.
    Path,
    /// `go env GOROOT` (the fallback that spawns a process).
    GoEnvCommand,
}

/// A located GOROOT.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoRoot {
    /// The directory.
    pub path: PathBuf,
    /// How it was found.
    pub found_by: FoundBy,
    /// The `go` executable on `PATH`, when one was found.
    pub go_binary: Option<PathBuf>,
}

impl GoRoot {
    /// `$GOROOT/go.env`.
    pub fn go_env_path(&self) -> PathBuf {
        self.path.join("go.env")
    }

    /// The version from `$GOROOT/VERSION` (`go1.23.5`), if the file says.
    pub fn version(&self) -> Option<GoVersion> {
        read_version(&self.path)
    }
}

/// A Go release version (`go1.21.3` → 1, 21, 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct GoVersion {
    /// Major version (1).
    pub major: u32,
    /// Minor version.
    pub minor: u32,
    /// Patch release (0 for release candidates and `go1.21`).
    pub patch: u32,
}

impl GoVersion {
    /// Parses `go1.23.5`, `go1.21rc2`, `go1.22`.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix("go")?;
        let numeric: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let mut parts = numeric.split('.').map(|p| p.parse::<u32>());
        let major = parts.next()?.ok()?;
        let minor = parts.next()?.ok()?;
        let patch = parts.next().and_then(Result::ok).unwrap_or(0);
        Some(GoVersion {
            major,
            minor,
            patch,
        })
    }

    /// Whether this release reads `$GOROOT/go.env` (Go 1.21 and later). Older releases compile
    /// their GOPROXY and GOSUMDB defaults in.
    pub fn has_go_env(self) -> bool {
        (self.major, self.minor) >= (1, 21)
    }
}

impl std::fmt::Display for GoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "go{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The `go` binary `PATH` resolves to, and what its location says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toolchain {
    /// The executable as found on `PATH`.
    pub binary: PathBuf,
    /// The GOROOT it lives in (`bin/go` two or three levels below a tree with `pkg/tool`).
    pub root: Option<PathBuf>,
    /// Its version from that tree's `VERSION` file. Behaviour compiled into cmd/go — how it
    /// finds the user config dir, whether it reads `go.env` — follows this binary, whatever
    /// `$GOROOT` says.
    pub version: Option<GoVersion>,
}

/// Finds the `go` on `env`'s `PATH` without starting it.
pub fn find_toolchain(env: &Env) -> Option<Toolchain> {
    let binary = find_go(env)?;
    let root = from_executable(&binary, env.os());
    let version = root.as_deref().and_then(read_version);
    Some(Toolchain {
        binary,
        root,
        version,
    })
}

fn read_version(root: &Path) -> Option<GoVersion> {
    let text = std::fs::read_to_string(root.join("VERSION")).ok()?;
    GoVersion::parse(text.lines().next()?)
}

/// Locates the GOROOT whose `go.env` `go` reads, given the user's go env file (if read) and the
/// toolchain on `PATH` (if any).
pub fn locate(
    env: &Env,
    user_file: Option<&GoEnvFile>,
    toolchain: Option<&Toolchain>,
) -> Option<GoRoot> {
    let go_binary = toolchain.map(|t| t.binary.clone());
    let explicit = |path: String, found_by| GoRoot {
        path: PathBuf::from(clean(&path, env.os())),
        found_by,
        go_binary: go_binary.clone(),
    };
    if let Some(value) = user_file
        .and_then(|f| f.get("GOROOT"))
        .filter(|e| !e.value.is_empty())
    {
        return Some(explicit(value.value, FoundBy::Goenv));
    }
    if let Some(value) = env.get_non_empty("GOROOT") {
        return Some(explicit(value, FoundBy::Env));
    }
    let toolchain = toolchain?;
    if let Some(path) = &toolchain.root {
        return Some(GoRoot {
            path: path.clone(),
            found_by: FoundBy::Path,
            go_binary,
        });
    }
    let path = ask_go(&toolchain.binary, env)?;
    Some(GoRoot {
        path,
        found_by: FoundBy::GoEnvCommand,
        go_binary,
    })
}

fn clean(path: &str, os: TargetOs) -> String {
    match os {
        TargetOs::Windows => path.to_string(),
        TargetOs::Unix | TargetOs::MacOs => clean_unix(path),
    }
}

/// The `go` executable `PATH` resolves to in `env`.
pub fn find_go(env: &Env) -> Option<PathBuf> {
    let path = env.get_os("PATH")?;
    let cwd = env.path("PWD").unwrap_or_else(|| PathBuf::from("/"));
    which::which_in("go", Some(path), cwd).ok()
}

/// `findGOROOT`'s executable-relative search: `exe/../..` or `exe/../../..` containing `pkg/tool`.
fn from_executable(binary: &Path, os: TargetOs) -> Option<PathBuf> {
    let resolved = std::fs::canonicalize(binary).ok();
    // On Linux `os.Executable` is already symlink-free; elsewhere Go tries the path as invoked
    // before resolving it.
    let mut candidates = Vec::new();
    if os != TargetOs::Unix {
        candidates.push(binary.to_path_buf());
    }
    candidates.extend(resolved);
    candidates.iter().find_map(|exe| {
        [exe.parent()?.parent()?, exe.parent()?.parent()?.parent()?]
            .into_iter()
            .find(|dir| dir.join("pkg").join("tool").is_dir())
            .map(Path::to_path_buf)
    })
}

/// The last resort: `go env GOROOT`, run with exactly `env`'s variables.
fn ask_go(binary: &Path, env: &Env) -> Option<PathBuf> {
    let output = Command::new(binary)
        .args(["env", "GOROOT"])
        .env_clear()
        .envs(env.iter())
        .env("GOTOOLCHAIN", "local")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let line = text.trim();
    (output.status.success() && !line.is_empty()).then(|| PathBuf::from(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        let v = |s| GoVersion::parse(s);
        assert_eq!(
            v("go1.23.5"),
            Some(GoVersion {
                major: 1,
                minor: 23,
                patch: 5
            })
        );
        assert_eq!(
            v("go1.21rc2"),
            Some(GoVersion {
                major: 1,
                minor: 21,
                patch: 0
            })
        );
        assert_eq!(v("devel go1.24-abc"), None);
        assert!(v("go1.21.0").unwrap().has_go_env());
        assert!(!v("go1.19.8").unwrap().has_go_env());
    }

    #[test]
    fn goroot_from_user_file_beats_env_and_is_cleaned() {
        let file = GoEnvFile::parse(b"GOROOT=/opt/go/\n");
        let env = Env::from_vars_on(TargetOs::Unix, [("GOROOT", "/usr/local/go"), ("PATH", "")]);
        let root = locate(&env, Some(&file), None).unwrap();
        assert_eq!(
            (root.path, root.found_by),
            (PathBuf::from("/opt/go"), FoundBy::Goenv)
        );
        let empty = GoEnvFile::parse(b"GOROOT=\n");
        let root = locate(&env, Some(&empty), None).unwrap();
        assert_eq!(
            (root.path, root.found_by),
            (PathBuf::from("/usr/local/go"), FoundBy::Env)
        );
    }

    #[test]
    fn goroot_from_a_symlinked_go_on_path() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("sdk/go1.99");
        std::fs::create_dir_all(root.join("bin")).unwrap();
        std::fs::create_dir_all(root.join("pkg/tool/linux_amd64")).unwrap();
        std::fs::write(root.join("bin/go"), "#!/bin/sh\nexit 1\n").unwrap();
        let bin = tmp.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(root.join("bin/go"), std::fs::Permissions::from_mode(0o755))
                .unwrap();
            std::os::unix::fs::symlink(root.join("bin/go"), bin.join("go")).unwrap();
            let env = Env::from_vars_on(TargetOs::Unix, [("PATH", bin.as_os_str())]);
            let toolchain = find_toolchain(&env).unwrap();
            let found = locate(&env, None, Some(&toolchain)).unwrap();
            assert_eq!(found.found_by, FoundBy::Path);
            assert_eq!(found.path, std::fs::canonicalize(&root).unwrap());
            assert_eq!(found.go_binary, Some(bin.join("go")));
        }
    }

    #[test]
    fn no_go_no_goroot() {
        let env = Env::from_vars_on(TargetOs::Unix, [("PATH", "/nonexistent")]);
        assert_eq!(find_toolchain(&env), None);
        assert_eq!(locate(&env, None, None), None);
    }
}
