//! `modroute exec <profile> -- <command> [args…]`: run one command with a profile's settings.
//!
//! Exit status: the command's own. modroute's failures before the command starts use the codes
//! env(1) uses: 125 for modroute's own (unknown or unusable profile, unreadable profiles file),
//! 126 when the command cannot be executed, 127 when it is not found.

use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, ExitCode};

use modroute_core::redact::redact_lines;
use modroute_core::{Env, exec};

/// modroute could not prepare the command (like env(1)'s own failures).
const FAILED: u8 = 125;

/// Runs `command` with `profile`'s settings; on Unix this does not return unless the command
/// could not be started.
pub fn run(env: &Env, profile: &str, command: &[OsString]) -> ExitCode {
    let mut stderr = std::io::stderr();
    let prepared = match exec::prepare(env, profile) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(stderr, "modroute: {}", redact_lines(&e.to_string()));
            return ExitCode::from(FAILED);
        }
    };
    for shadow in &prepared.shadows {
        let _ = writeln!(stderr, "modroute: note: {shadow}");
    }
    let Some((program, args)) = command.split_first() else {
        let _ = writeln!(stderr, "modroute: exec needs a command after `--`");
        return ExitCode::from(2);
    };
    let mut cmd = Command::new(program);
    cmd.args(args);
    for var in &prepared.changes {
        match &var.value {
            Some(value) => cmd.env(&var.name, value),
            None => cmd.env_remove(&var.name),
        };
    }
    let error = start(&mut cmd);
    let code = match error.kind() {
        std::io::ErrorKind::NotFound => 127,
        _ => 126,
    };
    let _ = writeln!(
        stderr,
        "modroute: cannot run `{}`: {error}",
        program.to_string_lossy()
    );
    ExitCode::from(code)
}

/// Unix: become the command (no shell; stdio, signals and the exit status are its own).
/// Returns only on failure.
#[cfg(unix)]
fn start(cmd: &mut Command) -> std::io::Error {
    use std::os::unix::process::CommandExt;
    cmd.exec()
}

/// Elsewhere: spawn, wait, exit with the command's code. Returns only on failure to start.
#[cfg(not(unix))]
fn start(cmd: &mut Command) -> std::io::Error {
    match cmd.status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => e,
    }
}
