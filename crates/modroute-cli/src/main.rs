//! `modroute`: the command line over modroute-core.
//!
//! Each subcommand is thin: parse arguments, build an [`Env`] from the process, call the core,
//! render text or JSON. Exit codes (the CLI contract in docs/cli.md): 0 ok, 1 findings or
//! unhealthy, 2 usage or input error; `exec` exits with its command's status (125, 126, 127
//! when it cannot start the command, as env(1) does).

mod check;
mod doctor;
mod exec;
mod export;
mod profiles;
mod status;
mod style;
mod switch;
mod why;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use modroute_core::Env;

/// See and switch where Go modules come from.
#[derive(Parser)]
#[command(name = "modroute", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show each Go network setting's effective value, its source and the values that lose.
    Status {
        /// Print the report as JSON (stable shape: docs/cli.md).
        #[arg(long)]
        json: bool,
        /// Also show git's own proxy, TLS and insteadOf settings (what `direct` fetches use);
        /// runs `git config`.
        #[arg(long)]
        git: bool,
    },
    /// List the built-in and your own profiles; the active one is marked with *.
    Profiles {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Switch to a profile: preview the changes, confirm, apply to every target.
    Use(switch::UseArgs),
    /// Check every endpoint of a route (GOPROXY entries, the checksum DB, HTTP proxies), stage
    /// by stage; exit 1 when `go` would not get modules through it.
    Check(check::CheckArgs),
    /// Explain the route `go` takes for a module: pattern matches, the attempts in order with
    /// their `,`/`|` rule and HTTP proxy, and how its checksum is verified.
    Why(why::WhyArgs),
    /// Compare what every context sees (shells, IDEs, the desktop session, each `go` on PATH,
    /// running IDE processes) with this process, lint the settings, and suggest fixes; exit 1
    /// on any error or warning.
    Doctor(doctor::DoctorArgs),
    /// Run one command with a profile's settings, switching nothing: GO* settings as
    /// environment variables (they beat every go env file), proxies in both spellings, every
    /// setting the profile leaves out removed. Exit status: the command's; 125 when modroute
    /// fails, 126 when the command cannot run, 127 when it is not found.
    Exec {
        /// The profile id (see `modroute profiles`).
        profile: String,
        /// The command and its arguments, after `--`.
        #[arg(
            required = true,
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "COMMAND",
            value_parser = clap::value_parser!(std::ffi::OsString)
        )]
        command: Vec<std::ffi::OsString>,
    },
    /// Print a profile (or, without one, the effective settings) for another tool: a shell,
    /// Docker, a CI system. Real values, passwords included.
    Env {
        /// The profile id; without one, this environment's effective settings.
        profile: Option<String>,
        /// The output format.
        #[arg(long, short, default_value = "sh", value_parser = clap::builder::PossibleValuesParser::new(
            modroute_core::export::Format::ALL.map(|f| f.name())
        ))]
        format: String,
    },
    /// Revert the last switch, restoring every file byte for byte.
    Undo {
        /// Undo without asking.
        #[arg(long, short)]
        yes: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let env = Env::from_vars(std::env::vars_os());
    let result = match cli.command {
        Command::Status { json, git } => status::run(&env, json, git),
        Command::Profiles { json } => profiles::run(&env, json),
        Command::Use(args) => switch::run_use(&env, &args),
        Command::Exec { profile, command } => return exec::run(&env, &profile, &command),
        Command::Env { profile, format } => export::run(&env, profile.as_deref(), &format),
        Command::Undo { yes, json } => switch::run_undo(&env, yes, json),
        Command::Doctor(args) => doctor::run(&env, &args),
        Command::Check(args) => check::run(&env, &args),
        Command::Why(args) => why::run(&env, &args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // An error may quote a value (a refused profile setting, a parser's line).
            let message = modroute_core::redact::redact_lines(&format!("{e:#}"));
            let _ = writeln!(std::io::stderr(), "modroute: {message}");
            ExitCode::from(2)
        }
    }
}
