//! The health check: every endpoint `go` would use on a route — each GOPROXY entry, the
//! checksum database (directly or through a proxy's `/sumdb/<name>/`), the HTTP(S) proxies —
//! probed stage by stage (DNS, connect, proxy, TLS, HTTP, protocol), concurrently, with results
//! streamed as they arrive.
//!
//! - [`Route`] is what to check: the effective settings of an environment or a profile's values.
//! - [`plan`] turns it into endpoints (pure); [`run`] probes them and assesses the route the way
//!   cmd/go walks its GOPROXY list (`,` vs `|`), so "healthy" means "`go` would get the probe
//!   module through this route".
//! - Credentials never leave this module unredacted: every endpoint, URL and error text in a
//!   [`Report`] or [`Event`] has passed through [`crate::redact`].

mod history;
mod net;
mod probe;
mod roots;
mod route;
mod time;
mod vcs;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::{Semaphore, mpsc};

pub use history::{HealthState, History, HistoryError, HistoryRun, MAX_RUNS, load_history, record};
pub use route::{CredentialSource, Credentials, Route};
pub use vcs::Vcs;
pub(crate) use vcs::known_repo;

use crate::modpath;
use crate::redact::redact;
use crate::validate::{ProxyEntry, parse_goproxy};

/// The module probed when a profile names none: public, small and served by every mirror.
pub const DEFAULT_MODULE: &str = "golang.org/x/text";

/// How a check runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// The module whose list and latest version are requested.
    pub module: String,
    /// The deadline per endpoint: every stage and every sample must fit in it.
    pub timeout: Duration,
    /// Samples per healthy endpoint (the ranking uses their median).
    pub samples: usize,
    /// A healthy endpoint whose median is above this is reported as slow.
    pub slow: Duration,
    /// Endpoints probed at once.
    pub concurrency: usize,
    /// Bytes of a response body read at most (the rest is never read: memory stays flat). A
    /// version list of 256 KiB holds over 20 000 versions.
    pub body_cap: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            module: DEFAULT_MODULE.to_string(),
            timeout: Duration::from_secs(5),
            samples: 3,
            slow: Duration::from_millis(1000),
            concurrency: 16,
            body_cap: 256 << 10,
        }
    }
}

/// What an endpoint is on the route.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A GOPROXY entry (a proxy URL, or `direct`).
    Goproxy,
    /// The checksum database.
    Sumdb,
    /// An HTTP(S) forward proxy from HTTPS_PROXY / HTTP_PROXY.
    HttpProxy,
}

/// A stage of a probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Name resolution (local; through a proxy the proxy resolves the target).
    Dns,
    /// TCP connect.
    Connect,
    /// The forward proxy: CONNECT (or SOCKS5, or TLS to an https proxy).
    Proxy,
    /// The TLS handshake with the endpoint.
    Tls,
    /// The HTTP exchange: status, first byte, body.
    Http,
    /// The body is not what a Go module proxy / checksum DB answers.
    Protocol,
    /// `direct`: the version control tool go runs (`git ls-remote`), with git's own
    /// configuration (http.proxy, sslCAInfo, insteadOf, credential helpers).
    Vcs,
}

impl Stage {
    /// The stage's name in JSON and text.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Dns => "dns",
            Stage::Connect => "connect",
            Stage::Proxy => "proxy",
            Stage::Tls => "tls",
            Stage::Http => "http",
            Stage::Protocol => "protocol",
            Stage::Vcs => "vcs",
        }
    }
}

/// How an endpoint did: a closed set (docs/cli.md lists it; it only ever grows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Works.
    Ok,
    /// Works, but its median is above the slow threshold.
    Slow,
    /// 404/410 for the probe module: `go` falls through to the next entry on `,` and `|`.
    NotFound,
    /// Any other unexpected HTTP status (or a redirect loop).
    HttpError,
    /// The forward proxy wants (other) credentials: 407.
    ProxyAuthRequired,
    /// The module proxy or origin wants credentials it did not get, or refuses the ones go
    /// sent: 401 or 403.
    AuthRequired,
    /// The certificate chain does not lead to a trusted root (or has expired).
    TlsUntrusted,
    /// The certificate is for another name.
    TlsHostname,
    /// A stage did not finish within the deadline.
    Timeout,
    /// The connection was refused or reset.
    Refused,
    /// The name does not resolve.
    Dns,
    /// The answer is not what a Go module proxy (or checksum DB, or HTTP server) sends.
    ProtocolError,
}

impl Outcome {
    /// Whether `go` gets an answer it can use.
    pub fn is_healthy(self) -> bool {
        matches!(self, Outcome::Ok | Outcome::Slow)
    }

    /// The outcome's name in JSON and text.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Slow => "slow",
            Outcome::NotFound => "not_found",
            Outcome::HttpError => "http_error",
            Outcome::ProxyAuthRequired => "proxy_auth_required",
            Outcome::AuthRequired => "auth_required",
            Outcome::TlsUntrusted => "tls_untrusted",
            Outcome::TlsHostname => "tls_hostname",
            Outcome::Timeout => "timeout",
            Outcome::Refused => "refused",
            Outcome::Dns => "dns",
            Outcome::ProtocolError => "protocol_error",
        }
    }
}

/// Milliseconds per stage of the first sample; `None` = the stage did not run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stages {
    /// Name resolution.
    pub dns_ms: Option<u64>,
    /// TCP connect.
    pub connect_ms: Option<u64>,
    /// Proxy handshake (CONNECT, SOCKS5, TLS to the proxy).
    pub proxy_ms: Option<u64>,
    /// TLS handshake with the endpoint.
    pub tls_ms: Option<u64>,
    /// Request sent → first byte of the response (time to first byte).
    pub http_ms: Option<u64>,
    /// `direct`: the `git ls-remote` go runs.
    pub vcs_ms: Option<u64>,
}

/// The proxy a probe went through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProxyUsed {
    /// The proxy URL, redacted.
    pub url: String,
    /// The variable it came from (`HTTPS_PROXY`, `https_proxy`, …).
    pub from: &'static str,
}

/// The certificate an endpoint presented.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TlsInfo {
    /// `TLSv1.3` or `TLSv1.2`; empty when the handshake failed.
    pub version: String,
    /// The leaf's subject.
    pub subject: String,
    /// The leaf's issuer.
    pub issuer: String,
    /// The leaf's expiry (RFC 3339, UTC).
    pub not_after: String,
    /// The chain verifies against Mozilla's public CA list alone. `false` on a chain Go accepts
    /// means a private CA or TLS interception trusted on this machine.
    pub public_ca: bool,
    /// Subjects of the certificates presented, leaf first.
    pub chain: Vec<String>,
}

/// One endpoint's result.
#[derive(Clone, Debug, Serialize)]
pub struct EndpointResult {
    /// Position on the route (input order).
    pub index: usize,
    /// The endpoint: a GOPROXY URL, `direct`, the checksum DB's name, a proxy URL — redacted.
    pub endpoint: String,
    /// What it is.
    pub kind: Kind,
    /// How it did.
    pub outcome: Outcome,
    /// The stage that failed (none when healthy).
    pub failed_stage: Option<Stage>,
    /// Stage timings of the first sample.
    pub stages: Stages,
    /// Wall time of the first sample.
    pub total_ms: u64,
    /// Wall time of each successful sample.
    pub samples_ms: Vec<u64>,
    /// The median of the successful samples.
    pub median_ms: Option<u64>,
    /// One English line for people.
    pub detail: String,
    /// What `go` would print for this failure, when it prints something.
    pub go_error: Option<String>,
    /// The values the detail is built from, for translations (`status`, `issuer`, `host`, …).
    pub params: BTreeMap<&'static str, String>,
    /// The last HTTP status received.
    pub http_status: Option<u16>,
    /// The addresses resolved locally (none when a proxy resolves the name).
    pub addresses: Vec<String>,
    /// The forward proxy used.
    pub proxy: Option<ProxyUsed>,
    /// Why no proxy was used although one is configured: `loopback` or the NO_PROXY entry.
    pub no_proxy: Option<String>,
    /// The endpoint's certificate.
    pub tls: Option<TlsInfo>,
    /// For the checksum DB: the base URL its traffic goes to.
    pub via: Option<String>,
    /// For GOPROXY URL entries: whether the separator after it is `|`.
    pub fall_back_on_error: Option<bool>,
    /// Where the credentials go sends to this endpoint come from ("~/.netrc line 4", "the
    /// URL's user info"); never the secret.
    pub credentials: Option<CredentialSource>,
}

/// A mirror in the ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// The GOPROXY entry (redacted).
    pub endpoint: String,
    /// Its median.
    pub median_ms: u64,
}

/// The whole check.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The profile checked, or `None` for the environment's effective settings.
    pub profile: Option<String>,
    /// The probe module.
    pub module: String,
    /// When the check started (unix seconds).
    pub checked_at: u64,
    /// Wall time of the whole check.
    pub elapsed_ms: u64,
    /// The deadline per endpoint.
    pub timeout_ms: u64,
    /// `go` would get the probe module (and its checksum) through this route.
    pub healthy: bool,
    /// One English sentence saying where modules and checksums come from, or what breaks.
    pub verdict: String,
    /// Every endpoint, in route order.
    pub results: Vec<EndpointResult>,
    /// Healthy GOPROXY URL entries, fastest median first.
    pub ranking: Vec<Ranked>,
    /// The GOPROXY value with the healthy mirrors fastest first, when that differs (unredacted
    /// only in memory: serialised redacted).
    #[serde(serialize_with = "serialize_redacted")]
    pub reorder: Option<String>,
}

fn serialize_redacted<S: serde::Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&redact_goproxy(v)),
        None => s.serialize_none(),
    }
}

/// Redacts every entry of a GOPROXY list.
pub fn redact_goproxy(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while !rest.is_empty() {
        let (entry, sep, next) = match rest.find([',', '|']) {
            Some(i) => (&rest[..i], &rest[i..=i], &rest[i + 1..]),
            None => (rest, "", ""),
        };
        out.push_str(&redact(entry));
        out.push_str(sep);
        rest = next;
    }
    out
}

/// An endpoint announced before probing.
#[derive(Clone, Debug, Serialize)]
pub struct Planned {
    /// Position on the route.
    pub index: usize,
    /// The endpoint, redacted.
    pub endpoint: String,
    /// What it is.
    pub kind: Kind,
}

/// Progress, streamed in completion order.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// The endpoints about to be probed (first event).
    Planned {
        /// In route order.
        endpoints: Vec<Planned>,
    },
    /// A stage of an endpoint's first sample finished.
    Stage {
        /// The endpoint.
        index: usize,
        /// The stage.
        stage: Stage,
        /// Its duration.
        ms: u64,
    },
    /// An endpoint is done.
    Result {
        /// Its result.
        result: Box<EndpointResult>,
    },
}

/// What to probe for one endpoint.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// A GOPROXY URL entry.
    Proxy {
        url: url::Url,
        fall_back_on_error: bool,
    },
    /// `direct`: the go-get meta fetch of the module.
    Direct,
    /// The checksum DB, reached through the first proxy that supports it, else directly.
    SumDb {
        name: String,
        /// From GOSUMDB's second field: used as-is, bypassing proxies.
        url: Option<url::Url>,
        /// GOPROXY URL entries (with their `|` flag), in order, before `direct`/`off`.
        proxies: Vec<(url::Url, bool)>,
    },
    /// A forward proxy; `via_target` is an endpoint URL that uses it (CONNECT is tried to it).
    HttpProxy {
        proxy: crate::httpproxy::Proxy,
        via_target: Option<url::Url>,
    },
}

/// One endpoint to probe.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    pub index: usize,
    pub label: String,
    pub kind: Kind,
    pub target: Target,
}

/// The endpoints of a route, in route order: GOPROXY entries (and `direct` when GONOPROXY
/// sends the probe module there), the checksum DB, then the configured HTTP(S) proxies.
pub(crate) fn plan(route: &Route, options: &Options) -> Vec<Endpoint> {
    let mut out: Vec<Endpoint> = Vec::new();
    let push = |out: &mut Vec<Endpoint>, label: String, kind, target| {
        let index = out.len();
        out.push(Endpoint {
            index,
            label,
            kind,
            target,
        });
    };
    let entries = parse_goproxy(&route.goproxy).unwrap_or_default();
    let mut proxies = Vec::new();
    let mut has_direct = false;
    for entry in &entries {
        match entry {
            ProxyEntry::Url {
                url,
                fall_back_on_error,
            } => {
                let Ok(parsed) = url::Url::parse(url) else {
                    continue;
                };
                // A file:// entry is read from disk (no network stages); it never serves the
                // checksum database here.
                if parsed.scheme() != "file" {
                    proxies.push((parsed.clone(), *fall_back_on_error));
                }
                push(
                    &mut out,
                    redact(url),
                    Kind::Goproxy,
                    Target::Proxy {
                        url: parsed,
                        fall_back_on_error: *fall_back_on_error,
                    },
                );
            }
            ProxyEntry::Direct => has_direct = true,
            ProxyEntry::Off => {}
        }
    }
    if has_direct || route.private_match(&options.module) {
        push(&mut out, "direct".into(), Kind::Goproxy, Target::Direct);
    }
    if let Some(sumdb) = route.sumdb()
        && let Ok((name, url)) = sumdb
    {
        let label = match &url {
            Some(u) => format!("{name} {}", redact(u.as_str())),
            None => name.clone(),
        };
        push(
            &mut out,
            label,
            Kind::Sumdb,
            Target::SumDb {
                name,
                url,
                proxies: proxies.clone(),
            },
        );
    }
    let targets: Vec<url::Url> = out
        .iter()
        .filter_map(|e| match &e.target {
            Target::Proxy { url, .. } => (url.scheme() != "file").then(|| url.clone()),
            Target::SumDb { name, url, .. } => url
                .clone()
                .or_else(|| url::Url::parse(&format!("https://{name}/")).ok()),
            Target::Direct => url::Url::parse(&format!("https://{}", options.module)).ok(),
            Target::HttpProxy { .. } => None,
        })
        .collect();
    for proxy in route.proxies.configured() {
        let via_target = targets
            .iter()
            .find(|t| {
                matches!(route.proxies.decide(t), crate::httpproxy::Decision::Proxy(p) if p.url == proxy.url)
            })
            .cloned();
        push(
            &mut out,
            redact(proxy.url.as_str().trim_end_matches('/')),
            Kind::HttpProxy,
            Target::HttpProxy { proxy, via_target },
        );
    }
    out
}

/// Probes every endpoint of `route` concurrently, calling `on_event` as results arrive (on
/// the calling thread), and returns the report in route order.
pub fn run(
    route: &Route,
    profile: Option<&str>,
    options: &Options,
    on_event: &mut dyn FnMut(&Event),
) -> Report {
    let started = Instant::now();
    let checked_at = time::unix_now();
    let endpoints = plan(route, options);
    on_event(&Event::Planned {
        endpoints: endpoints
            .iter()
            .map(|e| Planned {
                index: e.index,
                endpoint: e.label.clone(),
                kind: e.kind,
            })
            .collect(),
    });
    let ctx = Arc::new(probe::Ctx::new(route, options));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread tokio runtime builds");
    let mut results: Vec<EndpointResult> = runtime.block_on(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let gate = Arc::new(Semaphore::new(options.concurrency.max(1)));
        let count = endpoints.len();
        for endpoint in endpoints {
            let (tx, ctx, gate) = (tx.clone(), ctx.clone(), gate.clone());
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await;
                let result = probe::endpoint(&ctx, &endpoint, &tx).await;
                let _ = tx.send(Event::Result {
                    result: Box::new(result),
                });
            });
        }
        drop(tx);
        let mut done = Vec::with_capacity(count);
        while let Some(event) = rx.recv().await {
            on_event(&event);
            if let Event::Result { result } = event {
                done.push(*result);
            }
        }
        done
    });
    // Probes that gave up on a hanging DNS lookup leave a blocking thread behind: do not wait.
    runtime.shutdown_background();
    results.sort_by_key(|r| r.index);
    let (healthy, verdict) = assess(route, options, &results);
    let ranking = rank(&results);
    let reorder = reorder(route, &results);
    Report {
        profile: profile.map(str::to_string),
        module: options.module.clone(),
        checked_at,
        elapsed_ms: started.elapsed().as_millis() as u64,
        timeout_ms: options.timeout.as_millis() as u64,
        healthy,
        verdict,
        results,
        ranking,
        reorder,
    }
}

fn find<'a>(results: &'a [EndpointResult], kind: Kind, label: &str) -> Option<&'a EndpointResult> {
    results
        .iter()
        .find(|r| r.kind == kind && r.endpoint == label)
}

fn describe_failure(r: &EndpointResult) -> String {
    match r.failed_stage {
        Some(stage) => format!(
            "{} failed at the {} stage ({}): {}",
            r.endpoint,
            stage.name(),
            r.outcome.name(),
            r.detail
        ),
        None => format!("{}: {}", r.endpoint, r.detail),
    }
}

/// Walks the route as cmd/go does for the probe module and says whether it gets through.
fn assess(route: &Route, options: &Options, results: &[EndpointResult]) -> (bool, String) {
    let module = &options.module;
    let modules: Result<String, String> = (|| {
        if route.private_match(module) {
            let r = find(results, Kind::Goproxy, "direct").ok_or("direct was not probed")?;
            return if r.outcome.is_healthy() {
                Ok(format!(
                    "{module} matches GONOPROXY, so it comes directly from its origin"
                ))
            } else {
                Err(format!(
                    "{module} matches GONOPROXY, so go fetches it directly, and {}",
                    describe_failure(r)
                ))
            };
        }
        let entries =
            parse_goproxy(&route.goproxy).map_err(|e| format!("GOPROXY is invalid: {e}"))?;
        let mut not_found = Vec::new();
        for entry in &entries {
            match entry {
                ProxyEntry::Url {
                    url,
                    fall_back_on_error,
                } => {
                    let Some(r) = find(results, Kind::Goproxy, &redact(url)) else {
                        return Ok(format!("modules come from {} (not probed)", redact(url)));
                    };
                    if r.outcome.is_healthy() {
                        return Ok(format!(
                            "modules come from {} ({} ms)",
                            r.endpoint,
                            r.median_ms.unwrap_or(r.total_ms)
                        ));
                    }
                    if r.outcome == Outcome::NotFound {
                        not_found.push(r.endpoint.clone());
                        continue;
                    }
                    if !fall_back_on_error {
                        return Err(format!(
                            "{}, and the `,` after it stops go from trying the next entry (use `|` to fall through on any error)",
                            describe_failure(r)
                        ));
                    }
                }
                ProxyEntry::Direct => {
                    let r =
                        find(results, Kind::Goproxy, "direct").ok_or("direct was not probed")?;
                    return if r.outcome.is_healthy() {
                        Ok("modules come directly from their origin (direct)".to_string())
                    } else {
                        Err(describe_failure(r))
                    };
                }
                ProxyEntry::Off => {
                    return Err(format!(
                        "the route reaches `off`: module lookup disabled by GOPROXY=off{}",
                        if not_found.is_empty() {
                            String::new()
                        } else {
                            format!(" ({} answered not found)", not_found.join(", "))
                        }
                    ));
                }
            }
        }
        Err(format!(
            "every entry answered not found for {module}: {}",
            not_found.join(", ")
        ))
    })();
    let checksums: Result<String, String> = match route.sumdb() {
        None => Ok("checksum verification is off (GOSUMDB=off)".to_string()),
        Some(Err(e)) => Err(format!("GOSUMDB is invalid: {e}")),
        Some(Ok(_)) if modpath::matches_prefix_patterns(&route.gonosumdb, module) => Ok(format!(
            "{module} matches GONOSUMDB, so its checksum is not looked up"
        )),
        Some(Ok(_)) => match results.iter().find(|r| r.kind == Kind::Sumdb) {
            Some(r) if r.outcome.is_healthy() => Ok(format!(
                "checksums come from {} via {}",
                r.endpoint,
                r.via.as_deref().unwrap_or("?")
            )),
            Some(r) => Err(format!(
                "the checksum database is unreachable: {}",
                describe_failure(r)
            )),
            None => Err("the checksum database was not probed".to_string()),
        },
    };
    match (modules, checksums) {
        (Ok(m), Ok(c)) => (true, format!("Healthy: {m}; {c}.")),
        (Err(m), Ok(_)) => (false, format!("Unhealthy: {m}.")),
        (Ok(_), Err(c)) => (false, format!("Unhealthy: {c}.")),
        (Err(m), Err(c)) => (false, format!("Unhealthy: {m}; {c}.")),
    }
}

/// Healthy GOPROXY URL entries by median, fastest first.
fn rank(results: &[EndpointResult]) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = results
        .iter()
        .filter(|r| {
            r.kind == Kind::Goproxy
                && r.endpoint != "direct"
                && !r.endpoint.starts_with("file:")
                && r.outcome.is_healthy()
        })
        .filter_map(|r| {
            Some(Ranked {
                endpoint: r.endpoint.clone(),
                median_ms: r.median_ms?,
            })
        })
        .collect();
    ranked.sort_by_key(|r| r.median_ms);
    ranked
}

/// GOPROXY with the healthy mirrors fastest first and the others after them in their order;
/// the separators stay where they were (`A|B,C` keeps "`|` then `,`"), `direct`/`off` stays
/// last. `None` when that is the current order.
fn reorder(route: &Route, results: &[EndpointResult]) -> Option<String> {
    let entries = parse_goproxy(&route.goproxy).ok()?;
    let mut urls: Vec<(String, Option<u64>)> = Vec::new();
    let mut separators = Vec::new();
    let mut tail = None;
    for entry in entries {
        match entry {
            ProxyEntry::Url {
                url,
                fall_back_on_error,
            } => {
                let median = find(results, Kind::Goproxy, &redact(&url))
                    .filter(|r| r.outcome.is_healthy())
                    .and_then(|r| r.median_ms);
                urls.push((url, median));
                separators.push(if fall_back_on_error { '|' } else { ',' });
            }
            ProxyEntry::Direct => tail = Some("direct"),
            ProxyEntry::Off => tail = Some("off"),
        }
    }
    let mut sorted = urls.clone();
    // Stable: healthy by median, then the rest in their order.
    sorted.sort_by_key(|(_, m)| m.map_or((1, 0), |m| (0, m)));
    if sorted.iter().map(|u| &u.0).eq(urls.iter().map(|u| &u.0)) {
        return None;
    }
    let mut out = String::new();
    for (i, (url, _)) in sorted.iter().enumerate() {
        out.push_str(url);
        if i + 1 < sorted.len() || tail.is_some() {
            out.push(separators[i]);
        }
    }
    if let Some(t) = tail {
        out.push_str(t);
    }
    Some(out)
}

#[cfg(test)]
mod tests;
