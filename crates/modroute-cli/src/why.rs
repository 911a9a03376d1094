//! `modroute why <module-path>`: the route `go` takes for one module — pattern matches, the
//! ordered attempts with their `,`/`|` rule and HTTP proxy, checksum verification, the steps;
//! with `--probe`, live answers and where `go` would end up. Exit 0; 2 on a malformed module
//! path or an unknown profile.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use modroute_core::check::{Options, Outcome, Route};
use modroute_core::why::{self, OnError, WhyReport};
use modroute_core::{Env, profile};

use crate::style::{Paint, colour_enabled};

/// The subcommand's arguments.
#[derive(clap::Args)]
pub struct WhyArgs {
    /// The module path (for example golang.org/x/text).
    pub module: String,
    /// Explain a profile's route instead of this environment's effective settings.
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,
    /// Print JSON (stable shape: docs/cli.md).
    #[arg(long)]
    pub json: bool,
    /// Probe each endpoint live and say where go would end up.
    #[arg(long)]
    pub probe: bool,
    /// Deadline per probed endpoint, in milliseconds.
    #[arg(long, value_name = "N")]
    pub timeout_ms: Option<u64>,
}

/// Runs the subcommand.
pub fn run(env: &Env, args: &WhyArgs) -> anyhow::Result<ExitCode> {
    let route = match &args.profile {
        Some(id) => {
            let profiles = profile::load(env)?;
            let Some(found) = profiles.get(id) else {
                let ids: Vec<&str> = profiles.list.iter().map(|p| p.id.as_str()).collect();
                bail!("no profile `{id}` (profiles: {})", ids.join(", "));
            };
            if let Some(problem) = found.problems.first() {
                bail!("profile `{id}` cannot be explained: {problem}");
            }
            Route::for_profile(env, found)
        }
        None => Route::effective(env),
    };
    let mut options = Options {
        samples: 1,
        ..Options::default()
    };
    if let Some(ms) = args.timeout_ms {
        if ms == 0 {
            bail!("--timeout-ms must be at least 1");
        }
        options.timeout = Duration::from_millis(ms);
    }
    let mut report = if args.probe {
        why::probe(&route, &args.module, &options)
    } else {
        why::explain(&route, &args.module)
    };
    report.profile = args.profile.clone();
    why::add_git_from(env, &route, &mut report);

    let out = if args.json {
        let text = serde_json::to_string_pretty(&report).context("serialising the report")?;
        modroute_core::redact::redact_lines(&text) + "\n"
    } else {
        render(&report, Paint(colour_enabled()))
    };
    std::io::stdout().write_all(out.as_bytes())?;
    // Exit 1 when go itself would fail before sending any request (a malformed module path,
    // an invalid GOPROXY): the report explains it, and scripts see go's failure.
    Ok(if report.error.is_some() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn rule(on_error: OnError) -> &'static str {
    match on_error {
        OnError::NextOnNotFound => "on 404/410 → next entry (`,`)",
        OnError::NextOnAnyError => "on any error → next entry (`|`)",
        OnError::Stop => "a failure ends the lookup",
    }
}

/// The human-readable explanation.
pub fn render(r: &WhyReport, p: Paint) -> String {
    let mut out = String::new();
    let route = match &r.profile {
        Some(id) => format!("profile {id}"),
        None => "this environment's settings".to_string(),
    };
    let _ = writeln!(
        out,
        "{}  {}",
        p.bold(&r.module),
        p.dim(&format!("({route})"))
    );
    if let Some(e) = &r.error {
        let _ = writeln!(out, "{} {e}", p.red("error:"));
    }
    let m = &r.matches;
    let derived = |name: &str, d: Option<&str>| match d {
        Some(from) => format!("{name} (from {from})"),
        None => name.to_string(),
    };
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".to_string());
    let _ = writeln!(
        out,
        "{}   GOPRIVATE {} · {} {} · {} {} · GOINSECURE {}",
        p.bold("matches"),
        shown(&m.goprivate),
        derived("GONOPROXY", r.derived.gonoproxy),
        shown(&m.gonoproxy),
        derived("GONOSUMDB", r.derived.gonosumdb),
        shown(&m.gonosumdb),
        shown(&m.goinsecure),
    );
    if !r.attempts.is_empty() {
        let _ = writeln!(out, "{}", p.bold("attempts"));
    }
    for (i, a) in r.attempts.iter().enumerate() {
        let probe = match &a.probe {
            Some(res) => {
                let text = format!("[{}]", res.outcome.name());
                match res.outcome {
                    Outcome::Ok => format!(" {}", p.green(&text)),
                    Outcome::Slow | Outcome::NotFound => format!(" {}", p.yellow(&text)),
                    _ => format!(" {}", p.red(&text)),
                }
            }
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "  {}. {}{probe}  {}",
            i + 1,
            p.bold(&a.source),
            p.dim(&format!("{} · {}", a.reason, rule(a.on_error)))
        );
        let proxy = match (&a.http_proxy, &a.no_proxy) {
            (Some(proxy), _) => Some(format!("through HTTP proxy {proxy}")),
            (None, Some(np)) if np == "loopback" => {
                Some("no HTTP proxy: loopback is never proxied".to_string())
            }
            (None, Some(np)) => Some(format!("no HTTP proxy: NO_PROXY entry {np}")),
            (None, None) => None,
        };
        if let Some(proxy) = proxy {
            let _ = writeln!(out, "     {}", p.dim(&proxy));
        }
        if let Some(source) = &a.credentials {
            let _ = writeln!(out, "     {}", p.dim(&format!("credentials from {source}")));
        }
        for request in &a.requests {
            let _ = writeln!(out, "     {}", p.dim(&format!("GET {request}")));
        }
        if let Some(res) = &a.probe {
            let _ = writeln!(out, "     {}", res.detail);
        }
    }
    if !r.ignored.is_empty() {
        let _ = writeln!(out, "{}   {}", p.bold("ignored"), r.ignored.join(", "));
    }
    let c = &r.checksum;
    let checksum = match (&c.skipped_by, &c.db) {
        (Some(by), _) => p.yellow(&format!("not verified (skipped by {by})")),
        (None, Some(db)) => {
            let mut s = format!("{db} via {}", c.via.as_deref().unwrap_or("?"));
            if c.candidates.len() > 1 {
                let _ = write!(s, " (candidates: {})", c.candidates.join(", "));
            }
            if let Some(proxy) = &c.http_proxy {
                let _ = write!(s, ", through HTTP proxy {proxy}");
            }
            s
        }
        (None, None) => p.red("cannot be verified (see below)"),
    };
    let _ = writeln!(out, "{}  {checksum}", p.bold("checksum"));
    if r.insecure {
        let _ = writeln!(
            out,
            "{}  direct fetches may use http:// and skip certificate checks (GOINSECURE)",
            p.yellow("insecure")
        );
    }
    if !r.steps.is_empty() {
        let _ = writeln!(out, "{}", p.bold("why"));
        for step in &r.steps {
            let _ = writeln!(out, "  - {step}");
        }
    }
    if let Some(outcome) = &r.outcome {
        let text = if outcome.starts_with("would fail") {
            p.red(outcome)
        } else {
            p.green(outcome)
        };
        let _ = writeln!(out, "{}   {text}", p.bold("outcome"));
    }
    out
}
