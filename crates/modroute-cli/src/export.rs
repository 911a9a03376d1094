//! `modroute env [<profile>] --format <f>`: a profile (or the effective settings) written for
//! another tool. The output carries real values, passwords included: it is what the user asked
//! for. Nothing else modroute prints does.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use modroute_core::Env;
use modroute_core::export::{self, Format};
use modroute_core::redact::has_credentials;

/// Runs the subcommand.
pub fn run(env: &Env, profile: Option<&str>, format: &str) -> anyhow::Result<ExitCode> {
    let format =
        Format::from_name(format).ok_or_else(|| anyhow::anyhow!("unknown format `{format}`"))?;
    let text = export::export(env, profile, format)?;
    let mut stdout = std::io::stdout();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    if stdout.is_terminal() && has_credentials(&text) {
        let _ = writeln!(
            std::io::stderr(),
            "modroute: note: this output contains passwords (it is meant for another tool)"
        );
    }
    Ok(ExitCode::SUCCESS)
}
