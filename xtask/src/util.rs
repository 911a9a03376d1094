//! Running child processes, and the small facts about the workspace every command needs.
//!
//! Every command xtask runs goes through [`run`] (inherits stdout/stderr, fails on a non-zero
//! exit) or [`capture`] (returns stdout). Both print the command first as `$ program args…`,
//! quoted so it can be pasted into a shell. Nothing here decides *which* commands to run.
//!
//! [`test_env`] is the one place that defines the environment of test and benchmark children:
//! the developer's own Go and proxy settings must not change a test's result.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Variables removed from every test child's environment: a developer's proxy, checksum-database
/// or `go env` file location would otherwise leak into what the tests observe. Upper and lower
/// case, because curl-style tools (and Go, for the proxy ones) read both.
pub const SCRUBBED_VARS: &[&str] = &[
    "GOPROXY",
    "GOSUMDB",
    "GOPRIVATE",
    "GONOPROXY",
    "GONOSUMDB",
    "GOINSECURE",
    "GOENV",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
];

/// Variables set in every test child's environment.
pub const FIXED_VARS: &[(&str, &str)] = &[
    // A newer `go` line in some go.mod must never make go download a toolchain.
    ("GOTOOLCHAIN", "local"),
    ("GOTELEMETRY", "off"),
    ("GOFLAGS", "-mod=mod"),
    // WebKitGTK and GTK try to reach the accessibility bus and warn when there is none.
    ("NO_AT_BRIDGE", "1"),
    // npm would ask the registry for a newer npm and print a notice into the test output.
    ("NPM_CONFIG_UPDATE_NOTIFIER", "false"),
    // Setup installs every shell and tool the tests use: a missing one is a failure, not a skip.
    ("MODROUTE_REQUIRE_ALL_TOOLS", "1"),
];

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// The `cargo` that started us (`$CARGO`), so nested builds use the same toolchain.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")))
}

/// Applies the test environment to `cmd`: [`FIXED_VARS`] set, [`SCRUBBED_VARS`] removed, and the
/// variables `cargo run` set for xtask itself removed (they describe xtask, not the child).
pub fn test_env(cmd: &mut Command) -> &mut Command {
    for var in SCRUBBED_VARS {
        cmd.env_remove(var);
    }
    without_cargo_vars(cmd);
    for (key, value) in FIXED_VARS {
        cmd.env(key, value);
    }
    cmd
}

/// Removes the variables `cargo run` set for xtask itself from `cmd`'s environment: they describe
/// xtask, not the child.
pub fn without_cargo_vars(cmd: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_MANIFEST_")
            || matches!(
                &*key,
                "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE"
            )
        {
            cmd.env_remove(&*key);
        }
    }
    cmd
}

/// Runs `cmd` with inherited stdio; an error names the command and its exit status.
pub fn run(cmd: &mut Command) -> Result<()> {
    let shown = show(cmd);
    println!("$ {shown}");
    let status = cmd
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` quietly and returns its stdout; an error carries its stderr.
pub fn capture(cmd: &mut Command) -> Result<String> {
    let shown = show(cmd);
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("could not start `{shown}`"))?;
    if !out.status.success() {
        bail!(
            "`{shown}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Like [`capture`], for probes: `None` if the program is missing or fails.
pub fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The first executable called `name` on `$PATH`.
pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// Whether `path` is a file that may be executed.
pub fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// `$CARGO_HOME/bin`, or `~/.cargo/bin`: where `cargo install` puts binaries.
pub fn cargo_bin_dir() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| home_dir().map(|home| home.join(".cargo")))
        .map(|cargo_home| cargo_home.join("bin"))
}

/// `$HOME`, if set and not empty.
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|home| !home.is_empty())
        .map(PathBuf::from)
}

/// `$PATH` with `dirs` put in front (skipping ones already present), for a child's environment.
pub fn path_with(dirs: &[PathBuf]) -> OsString {
    let current: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    let mut all: Vec<PathBuf> = dirs
        .iter()
        .filter(|d| !current.contains(d))
        .cloned()
        .collect();
    all.extend(current);
    std::env::join_paths(all).unwrap_or_default()
}

/// Cargo's target directory for this workspace (honours `CARGO_TARGET_DIR` and
/// `build.target-dir`), as `cargo metadata` reports it.
pub fn target_dir() -> Result<PathBuf> {
    let json = capture(
        cargo()
            .args([
                "metadata",
                "--format-version",
                "1",
                "--no-deps",
                "--offline",
            ])
            .current_dir(workspace_root()),
    )?;
    json_string_field(&json, "target_directory")
        .map(PathBuf::from)
        .context("`cargo metadata` printed no target_directory")
}

/// The value of the first `"field": "…"` string in `json` (enough for `cargo metadata`'s
/// top-level paths; avoids a JSON dependency).
pub fn json_string_field(json: &str, field: &str) -> Option<String> {
    let key = format!("\"{field}\"");
    let after_key = &json[json.find(&key)? + key.len()..];
    let after_colon = after_key.trim_start().strip_prefix(':')?.trim_start();
    let mut chars = after_colon.strip_prefix('"')?.chars();
    let mut value = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

/// `cmd` as a shell command line (environment overrides and directory left out; `$CARGO`
/// shown as `cargo`).
pub fn show(cmd: &Command) -> String {
    let program = cmd.get_program();
    let program = if std::env::var_os("CARGO").is_some_and(|cargo| cargo == program) {
        OsStr::new("cargo")
    } else {
        program
    };
    std::iter::once(program)
        .chain(cmd.get_args())
        .map(|arg| quote(arg).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotes `arg` for a POSIX shell when it needs it.
pub fn quote(arg: &OsStr) -> Cow<'_, str> {
    let s = arg.to_string_lossy();
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c));
    if plain {
        s
    } else {
        Cow::Owned(format!("'{}'", s.replace('\'', r"'\''")))
    }
}

/// A duration for people: `0.4s`, `12.3s`, `4m 05s`.
pub fn human(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        let whole = d.as_secs();
        format!("{}m {:02}s", whole / 60, whole % 60)
    }
}

/// Prints `==> what …`, runs `f`, and prints how long it took (or that it failed).
pub fn timed<T>(what: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    println!("==> {what} …");
    let start = Instant::now();
    let result = f();
    let took = human(start.elapsed());
    match &result {
        Ok(_) => println!("    {what}: done in {took}"),
        Err(_) => println!("    {what}: FAILED after {took}"),
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_field_is_found_and_unescaped() {
        let json = r#"{"packages":[],"target_directory":"/w/a \"b\"\\c\u00e9","version":1}"#;
        assert_eq!(
            json_string_field(json, "target_directory").as_deref(),
            Some("/w/a \"b\"\\cé")
        );
        assert_eq!(json_string_field(json, "workspace_root"), None);
        assert_eq!(json_string_field(r#"{"x": "unterminated"#, "x"), None);
    }

    #[test]
    fn quoting_only_when_needed() {
        assert_eq!(quote(OsStr::new("npm")), "npm");
        assert_eq!(
            quote(OsStr::new("-o=Dir::Cache=/tmp/x")),
            "-o=Dir::Cache=/tmp/x"
        );
        assert_eq!(quote(OsStr::new("a b")), "'a b'");
        assert_eq!(quote(OsStr::new("it's")), r"'it'\''s'");
        assert_eq!(quote(OsStr::new("")), "''");
        assert_eq!(quote(OsStr::new("${Status}")), "'${Status}'");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(human(Duration::from_millis(420)), "0.4s");
        assert_eq!(human(Duration::from_secs(245)), "4m 05s");
    }

    #[test]
    fn test_env_sets_and_scrubs() {
        let mut cmd = Command::new("true");
        cmd.env("GOPROXY", "https://example.invalid");
        test_env(&mut cmd);
        let envs: Vec<_> = cmd.get_envs().collect();
        assert!(envs.contains(&(OsStr::new("GOPROXY"), None)));
        assert!(envs.contains(&(OsStr::new("https_proxy"), None)));
        assert!(envs.contains(&(OsStr::new("GOTOOLCHAIN"), Some(OsStr::new("local")))));
        assert!(envs.contains(&(OsStr::new("NO_AT_BRIDGE"), Some(OsStr::new("1")))));
    }
}
