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
    Use {
        /// The profile id (see `modroute profiles`).
        profile: String,
        /// Only print the plan.
        #[arg(long)]
        dry_run: bool,
        /// Apply without asking (needed when there is no terminal). This also consents to
        /// commenting out lines in your rc files that export a Go setting (listed in the plan).
        #[arg(long, short)]
        yes: bool,
        /// Leave lines in your rc files that export a Go setting as they are.
        #[arg(long)]
        keep_shadows: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Also write the Go Modules environment of this JetBrains project (GoLand, IntelliJ
        /// IDEA) in its .idea/workspace.xml; repeatable. Projects listed in targets.toml
        /// always follow.
        #[arg(long, value_name = "DIR")]
        project: Vec<std::path::PathBuf>,
    },
    /// Check every endpoint of a route (GOPROXY entries, the checksum DB, HTTP proxies), stage
    /// by stage; exit 1 when `go` would not get modules through it.
    Check {
        /// A profile to check; without one, this environment's effective settings.
        profile: Option<String>,
        /// Print JSON (stable shape: docs/cli.md).
        #[arg(long)]
        json: bool,
        /// Deadline per endpoint, in milliseconds (all stages and samples).
        #[arg(long, value_name = "N")]
        timeout_ms: Option<u64>,
        /// The module to request (default: the profile's probe_module, else golang.org/x/text).
        #[arg(long, value_name = "PATH")]
        module: Option<String>,
        /// Samples per healthy endpoint (the ranking uses their median).
        #[arg(long, value_name = "N")]
        samples: Option<usize>,
        /// Endpoints probed at once (default 16; 1 probes one after the other).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
    },
    /// Explain the route `go` takes for a module: pattern matches, the attempts in order with
    /// their `,`/`|` rule and HTTP proxy, and how its checksum is verified.
    Why {
        /// The module path (for example golang.org/x/text).
        module: String,
        /// Explain a profile's route instead of this environment's effective settings.
        #[arg(long, value_name = "P")]
        profile: Option<String>,
        /// Print JSON (stable shape: docs/cli.md).
        #[arg(long)]
        json: bool,
        /// Probe each endpoint live and say where go would end up.
        #[arg(long)]
        probe: bool,
        /// Deadline per probed endpoint, in milliseconds.
        #[arg(long, value_name = "N")]
        timeout_ms: Option<u64>,
    },
    /// Compare what every context sees (shells, IDEs, the desktop session, each `go` on PATH,
    /// running IDE processes) with this process, lint the settings, and suggest fixes; exit 1
    /// on any error or warning.
    Doctor {
        /// Print the report as JSON (stable shape, see the contract).
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print a redacted Markdown report to paste into a ticket.
        #[arg(long)]
        markdown: bool,
        /// The project whose .vscode/settings.json, .idea/workspace.xml, .envrc and
        /// Dockerfiles are read (default: the current directory when it has one of them).
        #[arg(long, value_name = "DIR")]
        project: Option<std::path::PathBuf>,
    },
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
        Command::Use {
            profile,
            dry_run,
            yes,
            keep_shadows,
            json,
            project,
        } => switch::run_use(
            &env,
            &switch::UseArgs {
                id: profile,
                dry_run,
                yes,
                keep_shadows,
                json,
                projects: project,
            },
        ),
        Command::Exec { profile, command } => return exec::run(&env, &profile, &command),
        Command::Env { profile, format } => export::run(&env, profile.as_deref(), &format),
        Command::Undo { yes, json } => switch::run_undo(&env, yes, json),
        Command::Doctor {
            json,
            markdown,
            project,
        } => doctor::run(
            &env,
            &doctor::DoctorArgs {
                json,
                markdown,
                project,
            },
        ),
        Command::Check {
            profile,
            json,
            timeout_ms,
            module,
            samples,
            jobs,
        } => check::run(
            &env,
            &check::CheckArgs {
                profile,
                json,
                timeout_ms,
                module,
                samples,
                jobs,
            },
        ),
        Command::Why {
            module,
            profile,
            json,
            probe,
            timeout_ms,
        } => why::run(
            &env,
            &why::WhyArgs {
                module,
                profile,
                json,
                probe,
                timeout_ms,
            },
        ),
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
