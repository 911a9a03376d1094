//! `modroute check [<profile>]`: the health check of a route, rows printed as endpoints finish
//! (on a terminal), the verdict, the ranking; exit 1 when `go` would not get modules through.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use modroute_core::check::{self, EndpointResult, Event, Kind, Options, Report, Route};
use modroute_core::{Env, profile};

use crate::style::{Paint, colour_enabled};

/// The subcommand's arguments.
#[derive(clap::Args)]
pub struct CheckArgs {
    /// A profile to check; without one, this environment's effective settings.
    pub profile: Option<String>,
    /// Print JSON (stable shape: docs/cli.md).
    #[arg(long)]
    pub json: bool,
    /// Deadline per endpoint, in milliseconds (all stages and samples).
    #[arg(long, value_name = "N")]
    pub timeout_ms: Option<u64>,
    /// The module to request (default: the profile's probe_module, else golang.org/x/text).
    #[arg(long, value_name = "PATH")]
    pub module: Option<String>,
    /// Samples per healthy endpoint (the ranking uses their median).
    #[arg(long, value_name = "N")]
    pub samples: Option<usize>,
    /// Endpoints probed at once (default 16; 1 probes one after the other).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Runs the subcommand.
pub fn run(env: &Env, args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let mut options = Options::default();
    let route = match &args.profile {
        Some(id) => {
            let profiles = profile::load(env)?;
            let Some(found) = profiles.get(id) else {
                let ids: Vec<&str> = profiles.list.iter().map(|p| p.id.as_str()).collect();
                bail!("no profile `{id}` (profiles: {})", ids.join(", "));
            };
            if let Some(problem) = found.problems.first() {
                bail!("profile `{id}` cannot be checked: {problem}");
            }
            if let Some(module) = &found.probe_module {
                options.module = module.clone();
            }
            Route::for_profile(env, found)
        }
        None => Route::effective(env),
    };
    if let Some(module) = &args.module {
        modroute_core::modpath::escape_for_url(module).map_err(anyhow::Error::msg)?;
        options.module = module.clone();
    }
    if let Some(ms) = args.timeout_ms {
        if ms == 0 {
            bail!("--timeout-ms must be at least 1");
        }
        options.timeout = Duration::from_millis(ms);
    }
    if let Some(n) = args.samples {
        options.samples = n.max(1);
    }
    if let Some(n) = args.jobs {
        options.concurrency = n.max(1);
    }

    let p = Paint(colour_enabled());
    let live = !args.json && std::io::stdout().is_terminal();
    let mut stdout = std::io::stdout().lock();
    let report = check::run(&route, args.profile.as_deref(), &options, &mut |event| {
        if !live {
            return;
        }
        let text = match event {
            Event::Planned { endpoints } => format!(
                "{}\n",
                p.dim(&format!(
                    "checking {} endpoint(s) for {} (deadline {} ms each)…",
                    endpoints.len(),
                    options.module,
                    options.timeout.as_millis()
                ))
            ),
            Event::Result { result } => row(p, result),
            Event::Stage { .. } => return,
        };
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    });
    drop(stdout);

    if let Err(e) = check::record(env, &report) {
        eprintln!("modroute: the check was not added to the history: {e}");
    }

    let mut out = String::new();
    if args.json {
        out = serde_json::to_string_pretty(&report).context("serialising the report")? + "\n";
        out = modroute_core::redact::redact_lines(&out);
    } else {
        if !live {
            for result in &report.results {
                out.push_str(&row(p, result));
            }
        }
        summary(p, &report, &mut out);
    }
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(if report.healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Goproxy => "GOPROXY",
        Kind::Sumdb => "GOSUMDB",
        Kind::HttpProxy => "proxy",
    }
}

/// One endpoint: outcome, median, kind, endpoint; then its stages and detail.
fn row(p: Paint, r: &EndpointResult) -> String {
    let name = r.outcome.name();
    let outcome = match r.outcome {
        check::Outcome::Ok => p.green(&format!("{name:<19}")),
        check::Outcome::Slow | check::Outcome::NotFound => p.yellow(&format!("{name:<19}")),
        _ => p.red(&format!("{name:<19}")),
    };
    let ms = r
        .median_ms
        .map_or_else(|| format!("{:>8}", "–"), |m| format!("{m:>5} ms"));
    let mut out = format!(
        "{outcome} {ms}  {:<7}  {}\n",
        kind_name(r.kind),
        p.bold(&r.endpoint)
    );
    let mut stages = Vec::new();
    for (label, value) in [
        ("dns", r.stages.dns_ms),
        ("connect", r.stages.connect_ms),
        ("proxy", r.stages.proxy_ms),
        ("tls", r.stages.tls_ms),
        ("ttfb", r.stages.http_ms),
        ("git", r.stages.vcs_ms),
    ] {
        if let Some(v) = value {
            stages.push(format!("{label} {v}"));
        }
    }
    if let Some(stage) = r.failed_stage {
        stages.push(p.red(&format!("failed at {}", stage.name())));
    }
    if !stages.is_empty() {
        let _ = writeln!(out, "    {}", p.dim(&stages.join(" · ")));
    }
    let _ = writeln!(out, "    {}", r.detail);
    if let Some(proxy) = &r.proxy {
        let _ = writeln!(
            out,
            "    {}",
            p.dim(&format!("via {} ({})", proxy.url, proxy.from))
        );
    }
    if let Some(np) = &r.no_proxy {
        let why = if np == "loopback" {
            "loopback is never proxied".to_string()
        } else {
            format!("NO_PROXY entry {np} matched")
        };
        let _ = writeln!(out, "    {}", p.dim(&format!("no proxy: {why}")));
    }
    if let Some(source) = &r.credentials {
        let _ = writeln!(out, "    {}", p.dim(&format!("credentials: {source}")));
    }
    if let Some(go) = &r.go_error {
        let _ = writeln!(
            out,
            "    {} {}",
            p.dim("go says:"),
            go.replace('\n', "\n    ")
        );
    }
    out
}

fn summary(p: Paint, report: &Report, out: &mut String) {
    let verdict = if report.healthy {
        p.green(&report.verdict)
    } else {
        p.red(&report.verdict)
    };
    let _ = writeln!(out, "\n{verdict}");
    if report.ranking.len() > 1 {
        let ranked: Vec<String> = report
            .ranking
            .iter()
            .enumerate()
            .map(|(i, r)| format!("{}. {} ({} ms)", i + 1, r.endpoint, r.median_ms))
            .collect();
        let _ = writeln!(out, "Fastest healthy mirrors: {}", ranked.join("  "));
    }
    if let Some(order) = &report.reorder {
        let goproxy = check::redact_goproxy(order);
        let _ = writeln!(
            out,
            "{}",
            p.dim(&format!("Fastest first would be GOPROXY={goproxy}"))
        );
    }
    let _ = writeln!(
        out,
        "{}",
        p.dim(&format!(
            "{} endpoint(s) in {} ms; probe module {}",
            report.results.len(),
            report.elapsed_ms,
            report.module
        ))
    );
}
