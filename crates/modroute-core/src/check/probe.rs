//! Probing one endpoint: what to request, what a correct answer looks like, samples.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::client::WebPkiServerVerifier;
use tokio::sync::mpsc::UnboundedSender;
use url::Url;

use super::net::{Failure, Net, Response, Trace};
use super::{Endpoint, EndpointResult, Event, Options, Outcome, Route, Stage, Target, roots, vcs};
use crate::modpath;
use crate::redact::redact;

/// What the probes of one check share.
pub(crate) struct Ctx {
    net: Net,
    vcs: super::Vcs,
    govcs: String,
    goprivate: String,
    module: String,
    escaped: Result<String, String>,
    timeout: Duration,
    samples: usize,
    slow: Duration,
}

impl Ctx {
    pub fn new(route: &Route, options: &Options) -> Ctx {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = roots::load(
            route.ssl_cert_file.as_deref(),
            route.ssl_cert_dir.as_deref(),
        );
        let roots_from = roots.sources.clone();
        let verifier = if roots.store.is_empty() {
            Err(match &route.ssl_cert_file {
                Some(f) if !roots::readable(f) => format!(
                    "no trusted certificates: SSL_CERT_FILE={f} cannot be read and no certificate directory has any"
                ),
                Some(f) => format!("no trusted certificates: SSL_CERT_FILE={f} holds none"),
                None => "no trusted certificates found on this system".to_string(),
            })
        } else {
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots.store), provider.clone())
                .build()
                .map_err(|e| e.to_string())
        };
        let public = WebPkiServerVerifier::builder_with_provider(
            Arc::new(roots::public()),
            provider.clone(),
        )
        .build()
        .expect("Mozilla's root list is not empty");
        Ctx {
            net: Net {
                proxies: route.proxies.clone(),
                verifier,
                public,
                provider,
                body_cap: options.body_cap,
                roots_from: if roots_from.is_empty() {
                    "none".to_string()
                } else {
                    roots_from.join(", ")
                },
                credentials: route.credentials.clone(),
            },
            vcs: route.vcs.clone(),
            govcs: route.govcs.clone(),
            goprivate: route.goprivate.clone(),
            module: options.module.clone(),
            escaped: modpath::escape_for_url(&options.module),
            timeout: options.timeout,
            samples: options.samples.max(1),
            slow: options.slow,
        }
    }
}

/// A successful first sample.
struct Success {
    /// Wall time of the request that later samples repeat.
    sample: Duration,
    detail: String,
    params: Vec<(&'static str, String)>,
    via: Option<String>,
    /// What later samples request (`None`: repeat the proxy handshake).
    repeat: Option<Url>,
}

/// Probes one endpoint: a first sample stage by stage (streamed), then more samples of the
/// main request while the deadline allows.
pub(crate) async fn endpoint(
    ctx: &Ctx,
    ep: &Endpoint,
    tx: &UnboundedSender<Event>,
) -> EndpointResult {
    let started = Instant::now();
    let deadline = started + ctx.timeout;
    let mut trace = Trace::new(deadline, Some((tx, ep.index)));
    let first = match &ep.target {
        Target::Proxy { url, .. } => goproxy(ctx, url, &mut trace).await,
        Target::Direct => direct(ctx, &mut trace).await,
        Target::SumDb { name, url, proxies } => {
            sumdb(ctx, name, url.as_ref(), proxies, &mut trace).await
        }
        Target::HttpProxy { proxy, via_target } => {
            let t = Instant::now();
            ctx.net
                .through_proxy(proxy, via_target.as_ref(), &mut trace)
                .await
                .map(|()| Success {
                    sample: t.elapsed(),
                    detail: match via_target {
                        Some(t) => format!(
                            "the proxy answers and tunnels to {}",
                            t.host_str().unwrap_or_default()
                        ),
                        None => "the proxy accepts connections; no endpoint on this route uses it (NO_PROXY or loopback)".to_string(),
                    },
                    params: Vec::new(),
                    via: None,
                    repeat: None,
                })
        }
    };
    let total_ms = started.elapsed().as_millis() as u64;
    let mut result = EndpointResult {
        index: ep.index,
        endpoint: ep.label.clone(),
        kind: ep.kind,
        outcome: Outcome::Ok,
        failed_stage: None,
        stages: trace.stages.clone(),
        total_ms,
        samples_ms: Vec::new(),
        median_ms: None,
        detail: String::new(),
        go_error: None,
        params: Default::default(),
        http_status: trace.http_status,
        addresses: trace.addresses.clone(),
        proxy: trace.proxy.clone(),
        no_proxy: trace.no_proxy.clone(),
        tls: trace.tls.clone(),
        via: None,
        fall_back_on_error: match &ep.target {
            Target::Proxy {
                fall_back_on_error, ..
            } => Some(*fall_back_on_error),
            _ => None,
        },
        credentials: trace.credentials.clone(),
    };
    match first {
        Err(f) => {
            result.outcome = f.outcome;
            result.failed_stage = Some(f.stage);
            result.detail = f.detail;
            result.go_error = f.go_error;
            result.params = f.params;
            if let Target::SumDb { .. } = ep.target {
                result.via = result.params.get("via").cloned();
            }
        }
        Ok(mut success) => {
            let mut samples = vec![success.sample];
            while samples.len() < ctx.samples && Instant::now() < deadline {
                let mut again = Trace::new(deadline, None);
                let t = Instant::now();
                let ok = match (&success.repeat, &ep.target) {
                    (Some(url), _) => ctx
                        .net
                        .get(url, &mut again)
                        .await
                        .is_ok_and(|r| r.status == 200),
                    (None, Target::HttpProxy { proxy, via_target }) => ctx
                        .net
                        .through_proxy(proxy, via_target.as_ref(), &mut again)
                        .await
                        .is_ok(),
                    (None, _) => false,
                };
                if !ok {
                    break;
                }
                samples.push(t.elapsed());
            }
            result.samples_ms = samples.iter().map(|d| d.as_millis() as u64).collect();
            let median = median(&result.samples_ms);
            result.median_ms = Some(median);
            result.via = success.via;
            result.params = success.params.into_iter().collect();
            result.params.insert("ms", median.to_string());
            if let Some(tls) = result.tls.as_ref().filter(|t| !t.public_ca) {
                let issuer = super::net::common_name(&tls.issuer);
                result.params.insert("issuer", issuer.clone());
                result.params.insert("private_ca", "true".into());
                success.detail = format!(
                    "{}; its certificate is issued by {issuer}, not a public CA: a private CA or TLS interception that this machine trusts (tools with their own CA list may not)",
                    success.detail
                );
            }
            if median > ctx.slow.as_millis() as u64 {
                result.outcome = Outcome::Slow;
                result.detail = format!(
                    "answers, but slowly: median {median} ms over {} samples (slow above {} ms); {}",
                    result.samples_ms.len(),
                    ctx.slow.as_millis(),
                    success.detail
                );
            } else {
                result.detail = success.detail;
            }
        }
    }
    result
}

fn median(samples: &[u64]) -> u64 {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    match sorted.len() {
        0 => 0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

fn join(base: &Url, tail: &str) -> Result<Url, Failure> {
    let text = format!("{}/{tail}", base.as_str().trim_end_matches('/'));
    Url::parse(&text)
        .map_err(|e| Failure::new(Stage::Http, Outcome::ProtocolError, format!("{text}: {e}")))
}

/// Any status but the expected one, as cmd/go reports it.
fn status_failure(r: &Response) -> Failure {
    let outcome = match r.status {
        404 | 410 => Outcome::NotFound,
        407 => Outcome::ProxyAuthRequired,
        401 | 403 => Outcome::AuthRequired,
        _ => Outcome::HttpError,
    };
    if r.url.scheme() == "file" {
        // cmd/go names the file and the operating system's reason, with no status.
        let outcome = if r.status == 404 {
            Outcome::NotFound
        } else {
            Outcome::HttpError
        };
        return Failure::new(
            Stage::Http,
            outcome,
            format!("cannot read {}: {}", r.shown_url(), r.reason),
        )
        .param("status", r.status.to_string())
        .go(format!("reading {}: {}", r.shown_url(), r.reason));
    }
    let mut go = format!("reading {}: {}", r.shown_url(), r.status_line());
    if let Some(server) = r.server_response() {
        go.push_str("\n\tserver response: ");
        go.push_str(&server);
    }
    let mut detail = match outcome {
        Outcome::NotFound => format!("answered {} for {}", r.status_line(), r.shown_url()),
        Outcome::AuthRequired => {
            format!("answered {}: {}", r.status_line(), r.auth_note)
        }
        _ => format!("answered {} where 200 was expected", r.status_line()),
    };
    if let Some(broken) = &r.body_error {
        detail.push_str(&format!(
            " (then the body broke off: {broken}; go judges the answer by its status)"
        ));
    }
    let mut failure = Failure::new(Stage::Http, outcome, detail)
        .param("status", r.status.to_string())
        .go(go);
    if outcome == Outcome::AuthRequired {
        failure = failure.param("auth", r.auth_note.clone());
    }
    failure
}

fn looks_like_html(r: &Response) -> bool {
    r.content_type
        .as_deref()
        .is_some_and(|c| c.contains("html"))
        || r.body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

fn protocol(detail: impl Into<String>, reason: &'static str) -> Failure {
    Failure::new(Stage::Protocol, Outcome::ProtocolError, detail).param("reason", reason)
}

/// A GOPROXY URL entry: `@v/list` (the versions) then `@latest` (optional for a proxy).
async fn goproxy(ctx: &Ctx, base: &Url, trace: &mut Trace<'_>) -> Result<Success, Failure> {
    let escaped = ctx.escaped.clone().map_err(|e| protocol(e, "module"))?;
    let list_url = join(base, &format!("{escaped}/@v/list"))?;
    let started = Instant::now();
    let list = ctx.net.get(&list_url, trace).await?;
    let sample = started.elapsed();
    if list.status != 200 {
        return Err(status_failure(&list).param("module", &ctx.module));
    }
    let shown_base = redact(base.as_str());
    if looks_like_html(&list) {
        return Err(protocol(
            "answered 200 with an HTML page where a module version list was expected (a captive portal or login page?)",
            "html",
        )
        .go(format!(
            "invalid response from proxy {shown_base:?}: invalid character '<' looking for beginning of value"
        )));
    }
    let Ok(text) = std::str::from_utf8(&list.body).or_else(|e| {
        // A capped body may end inside a character.
        if list.truncated {
            std::str::from_utf8(&list.body[..e.valid_up_to()])
        } else {
            Err(e)
        }
    }) else {
        return Err(protocol("the version list is not text", "binary"));
    };
    let mut lines: Vec<&str> = text.lines().collect();
    if list.truncated {
        lines.pop(); // possibly cut in the middle
    }
    let mut versions = Vec::new();
    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let version = line.split_whitespace().next().unwrap_or_default();
        let ok = version.starts_with('v') && version[1..].starts_with(|c: char| c.is_ascii_digit());
        if !ok {
            return Err(protocol(
                format!(
                    "the version list has a line that is not a version: {:?}",
                    line.chars().take(60).collect::<String>()
                ),
                "list",
            ));
        }
        versions.push(version);
    }
    let latest_url = join(base, &format!("{escaped}/@latest"))?;
    let mut side = Trace::new(trace.deadline, None);
    let latest = ctx.net.get(&latest_url, &mut side).await?;
    let mut latest_version = versions.last().map(|v| v.to_string());
    match latest.status {
        200 => {
            if looks_like_html(&latest) {
                return Err(protocol("@latest answered with an HTML page, not JSON", "html").go(format!(
                    "invalid response from proxy {shown_base:?}: invalid character '<' looking for beginning of value"
                )));
            }
            let info: serde_json::Value = serde_json::from_slice(&latest.body).map_err(|e| {
                protocol(format!("@latest is not JSON ({e})"), "json")
                    .go(format!("invalid response from proxy {shown_base:?}: {e}"))
            })?;
            match info.get("Version").and_then(|v| v.as_str()) {
                Some(v) => latest_version = Some(v.to_string()),
                None => return Err(protocol("@latest has no Version field", "json")),
            }
        }
        // @latest is optional: go falls back to the list.
        404 | 410 if !versions.is_empty() => {}
        _ => return Err(status_failure(&latest).param("module", &ctx.module)),
    }
    let mut params = vec![
        ("module", ctx.module.clone()),
        ("versions", versions.len().to_string()),
    ];
    let detail = match &latest_version {
        Some(v) => {
            params.push(("latest", v.clone()));
            format!(
                "serves {} ({} versions, latest {v})",
                ctx.module,
                versions.len()
            )
        }
        None => format!("answers for {} (no versions listed)", ctx.module),
    };
    Ok(Success {
        sample,
        detail,
        params,
        via: None,
        repeat: Some(list_url),
    })
}

/// `direct`: the go-get meta fetch cmd/go starts with for a path it does not know statically.
async fn direct(ctx: &Ctx, trace: &mut Trace<'_>) -> Result<Success, Failure> {
    let started = Instant::now();
    // github.com and bitbucket.org: go knows the repository without asking the origin.
    let (found, meta) = match vcs::known_repo(&ctx.module) {
        Some(repo) => (("git".to_string(), repo), None),
        None => {
            let url = Url::parse(&format!("https://{}?go-get=1", ctx.module))
                .map_err(|e| protocol(format!("{}: {e}", ctx.module), "module"))?;
            let r = ctx.net.get(&url, trace).await.map_err(|f| {
                let go = f.go_error.clone().unwrap_or_default();
                f.go(format!(
                    "unrecognized import path {:?}: https fetch: {go}",
                    ctx.module
                ))
            })?;
            if r.status != 200 {
                return Err(status_failure(&r));
            }
            let body = String::from_utf8_lossy(&r.body);
            let Some(found) = vcs::go_import(&body, &ctx.module) else {
                return Err(protocol(
                    format!(
                        "https://{}?go-get=1 has no <meta name=\"go-import\"> tag for it",
                        ctx.module
                    ),
                    "meta",
                ));
            };
            (found, Some(url))
        }
    };
    let (tool, repo) = found;
    let shown_repo = redact(&repo);
    if tool != "git" {
        return Ok(Success {
            sample: started.elapsed(),
            detail: format!(
                "the origin of {} answers with its go-import tag; go would run {tool} on {shown_repo}, which the check does not run",
                ctx.module
            ),
            params: vec![("module", ctx.module.clone()), ("vcs", tool)],
            via: None,
            repeat: meta,
        });
    }
    // GOVCS decides whether go may run the tool at all.
    if let Err(said) = vcs::govcs_allows(&ctx.govcs, &ctx.goprivate, &ctx.module, &tool) {
        return Err(Failure::new(
            Stage::Vcs,
            Outcome::ProtocolError,
            format!("go refuses to run {tool} for {}: {said}", ctx.module),
        )
        .param("reason", "govcs")
        .go(said));
    }
    // The version control step, as go runs it, within what is left of the deadline.
    let left = trace.deadline.saturating_duration_since(Instant::now());
    let runner = ctx.vcs.clone();
    let target = repo.clone();
    let git_started = Instant::now();
    let ran = tokio::task::spawn_blocking(move || runner.ls_remote(&target, left)).await;
    trace.record_stage(Stage::Vcs, git_started.elapsed());
    match ran {
        Ok(Ok(_)) => Ok(Success {
            sample: started.elapsed(),
            detail: format!(
                "{}git ls-remote {shown_repo} answers, with git's own proxy, trust and credential settings",
                if meta.is_some() {
                    "the origin names its repository and "
                } else {
                    ""
                }
            ),
            params: vec![
                ("module", ctx.module.clone()),
                ("vcs", tool),
                ("repo", shown_repo),
            ],
            via: None,
            repeat: meta,
        }),
        Ok(Err(f)) => Err(f.param("module", ctx.module.clone())),
        Err(e) => Err(Failure::new(
            Stage::Vcs,
            Outcome::ProtocolError,
            format!("running git failed: {e}"),
        )),
    }
}

/// The checksum DB: through the first GOPROXY entry that supports it (cmd/go's
/// `dbClient.initBase`), else directly; then its signed tree head (`/latest`).
async fn sumdb(
    ctx: &Ctx,
    name: &str,
    explicit: Option<&Url>,
    proxies: &[(Url, bool)],
    trace: &mut Trace<'_>,
) -> Result<Success, Failure> {
    let base = match explicit {
        Some(u) => u.clone(),
        None => {
            let mut chosen = None;
            for (proxy, fall_back_on_error) in proxies {
                let supported = join(proxy, &format!("sumdb/{name}/supported"))?;
                let via = redact(proxy.as_str());
                trace.reset();
                match ctx.net.get(&supported, trace).await {
                    Ok(r) if r.status == 200 => {
                        chosen = Some(join(proxy, &format!("sumdb/{name}"))?);
                        break;
                    }
                    Ok(r) if matches!(r.status, 404 | 410) => continue,
                    _ if *fall_back_on_error => continue,
                    Ok(r) => {
                        let f = status_failure(&r);
                        return Err(Failure {
                            detail: format!(
                                "{via} answered {} to /sumdb/{name}/supported, and the `,` after it stops go from trying elsewhere",
                                r.status_line()
                            ),
                            ..f
                        }
                        .param("via", via));
                    }
                    Err(f) => return Err(f.param("via", via)),
                }
            }
            match chosen {
                Some(u) => u,
                None => Url::parse(&format!("https://{name}"))
                    .map_err(|e| protocol(format!("{name}: {e}"), "sumdb"))?,
            }
        }
    };
    let via = redact(base.as_str().trim_end_matches('/'));
    let latest = join(&base, "latest")?;
    trace.reset();
    let started = Instant::now();
    let r = ctx
        .net
        .get(&latest, trace)
        .await
        .map_err(|f| f.param("via", &via))?;
    let sample = started.elapsed();
    if r.status != 200 {
        return Err(status_failure(&r).param("via", via));
    }
    let body = String::from_utf8_lossy(&r.body);
    let mut lines = body.lines();
    if lines.next() != Some("go.sum database tree") {
        let what = if looks_like_html(&r) {
            "an HTML page"
        } else {
            "something else"
        };
        return Err(protocol(
            format!("{via}/latest is not a signed tree head (it is {what})"),
            "sumdb",
        )
        .param("via", via));
    }
    let size = lines.next().unwrap_or_default().trim().to_string();
    Ok(Success {
        sample,
        detail: format!("the checksum database {name} answers (tree size {size}) via {via}"),
        params: vec![("size", size), ("name", name.to_string())],
        via: Some(via),
        repeat: Some(latest),
    })
}
