//! `why`: the route `go` takes for one module path — which pattern lists match it, the ordered
//! attempts with their `,`/`|` fall-through, `direct`/`off`, the HTTP proxy each request uses,
//! and how its checksum is verified — decided exactly as cmd/go decides it
//! (`modfetch.proxyList`, `TryProxies`, `lookup`, `useSumDB`, `dbClient.initBase` in
//! `src/cmd/go/internal/modfetch` of the Go source tree).
//!
//! - [`explain`] is pure: it reads only the [`Route`] and the module path.
//! - [`probe`] adds live answers: it runs the health check ([`check::run`]) for the module,
//!   puts each endpoint's result on its attempt and walks the attempts as cmd/go would to say
//!   where the module would come from.
//! - Everything in a [`WhyReport`] is redacted: passwords in URLs never leave this module.

use serde::Serialize;
use url::Url;

use crate::check::{self, EndpointResult, Kind, Options, Outcome, Route, known_repo};
use crate::httpproxy::{Bypass, Decision};
use crate::modpath;
use crate::redact::redact;
use crate::validate::{ProxyEntry, parse_goproxy};

/// What `go` does when an attempt fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnError {
    /// `,` after the entry: only 404/410 (not found) go on to the next entry.
    NextOnNotFound,
    /// `|` after the entry: any error goes on to the next entry.
    NextOnAnyError,
    /// The last entry, `direct` or `off`: the lookup ends here.
    Stop,
}

/// The pattern of each list that matches the module (`None`: no pattern matches).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Matches {
    /// GOPRIVATE.
    #[serde(rename = "GOPRIVATE")]
    pub goprivate: Option<String>,
    /// GONOPROXY (as used: GOPRIVATE when GONOPROXY is empty).
    #[serde(rename = "GONOPROXY")]
    pub gonoproxy: Option<String>,
    /// GONOSUMDB (as used: GOPRIVATE when GONOSUMDB is empty).
    #[serde(rename = "GONOSUMDB")]
    pub gonosumdb: Option<String>,
    /// GOINSECURE.
    #[serde(rename = "GOINSECURE")]
    pub goinsecure: Option<String>,
}

/// Which lists took their value from GOPRIVATE (because they are empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Derived {
    /// `Some("GOPRIVATE")` when GONOPROXY's value came from GOPRIVATE.
    #[serde(rename = "GONOPROXY")]
    pub gonoproxy: Option<&'static str>,
    /// `Some("GOPRIVATE")` when GONOSUMDB's value came from GOPRIVATE.
    #[serde(rename = "GONOSUMDB")]
    pub gonosumdb: Option<&'static str>,
}

/// One place `go` asks for the module, in order.
#[derive(Clone, Debug, Serialize)]
pub struct Attempt {
    /// The proxy URL (redacted), `direct` or `off`.
    pub source: String,
    /// What a failure here leads to.
    pub on_error: OnError,
    /// The HTTP proxy the requests go through (redacted); for `direct`, the go-get fetch's.
    pub http_proxy: Option<String>,
    /// Why no proxy is used although one is configured: `loopback` or the NO_PROXY entry.
    pub no_proxy: Option<String>,
    /// Example requests (case-encoded, redacted): the version list and `@latest`, or the
    /// go-get meta fetch.
    pub requests: Vec<String>,
    /// Where the credentials go sends with these requests come from (a netrc line); `None`
    /// when it sends none.
    pub credentials: Option<check::CredentialSource>,
    /// Why this attempt is on the route: `GOPROXY entry N` or the GONOPROXY match.
    pub reason: String,
    /// The live answer (with `--probe`).
    pub probe: Option<EndpointResult>,
}

/// How the module's checksum is verified.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Checksum {
    /// `go` looks the checksum up in a checksum database.
    pub verified: bool,
    /// The database's name.
    pub db: Option<String>,
    /// Where its traffic goes: `<proxy>/sumdb/<db>`, an explicit GOSUMDB URL, or `direct`
    /// (`https://<db>`). Static: the first candidate; with a probe: the one that answered.
    pub via: Option<String>,
    /// GOPROXY URL entries asked `/sumdb/<db>/supported`, in order (redacted).
    pub candidates: Vec<String>,
    /// What turns verification off for this module: `GONOSUMDB`, `GOPRIVATE` (GONOSUMDB
    /// derived from it) or `GOSUMDB=off`.
    pub skipped_by: Option<String>,
    /// The HTTP proxy the checksum requests go through (redacted).
    pub http_proxy: Option<String>,
}

/// The route explanation for one module.
#[derive(Clone, Debug, Serialize)]
pub struct WhyReport {
    /// The module path as given.
    pub module: String,
    /// The profile explained, or `None` for the environment's effective settings.
    pub profile: Option<String>,
    /// Why `go` fails before any request: a malformed module path or an invalid GOPROXY.
    pub error: Option<String>,
    /// The matching pattern of each list.
    pub matches: Matches,
    /// Which lists came from GOPRIVATE.
    pub derived: Derived,
    /// Where `go` asks, in order.
    pub attempts: Vec<Attempt>,
    /// GOPROXY entries after `direct`/`off`, which `go` never uses.
    pub ignored: Vec<String>,
    /// GOINSECURE matches: direct fetches may use http and skip TLS verification.
    pub insecure: bool,
    /// Checksum verification.
    pub checksum: Checksum,
    /// Each decision as an English sentence.
    pub steps: Vec<String>,
    /// With a probe: where `go` would end up.
    pub outcome: Option<String>,
    /// For a `direct` attempt: what git does with the repository ([`add_git`]); `None` when
    /// git's configuration was not read.
    pub git: Option<GitStep>,
}

/// What git does with the repository of a `direct` fetch: git's own configuration decides,
/// not Go's variables.
#[derive(Clone, Debug, Serialize)]
pub struct GitStep {
    /// The repository URL go hands git (redacted).
    pub repo: String,
    /// Whether go knows it without asking the origin (github.com, bitbucket.org); otherwise it
    /// is the one the go-import tag names, assumed here to be `https://<module path>`.
    pub known: bool,
    /// The URL git really fetches after `url.<base>.insteadOf` (redacted), when a rule applies.
    pub rewritten: Option<String>,
    /// The rule that rewrote it (`url.<base>.insteadof`).
    pub rewritten_by: Option<String>,
    /// The file holding that rule, as git reports it.
    pub rewritten_in: Option<String>,
    /// The proxy git uses (redacted); `None` for none.
    pub proxy: Option<String>,
    /// Where that proxy comes from, in English: a git key and its file, or an environment
    /// variable.
    pub proxy_from: String,
    /// The same as data (`{"from": "config", "key", "scope", "file"}`, `{"from": "env",
    /// "var"}` or `{"from": "none"}`), for renderers that translate.
    pub proxy_source: crate::gitconfig::ProxySource,
    /// `http.sslCAInfo` for that URL, when set (git reads it, not SSL_CERT_FILE).
    pub ca_info: Option<String>,
    /// How many credential helpers git asks.
    pub credential_helpers: usize,
}

impl WhyReport {
    fn new(module: &str) -> WhyReport {
        WhyReport {
            module: module.to_string(),
            profile: None,
            error: None,
            matches: Matches::default(),
            derived: Derived::default(),
            attempts: Vec::new(),
            ignored: Vec::new(),
            insecure: false,
            checksum: Checksum::default(),
            steps: Vec::new(),
            outcome: None,
            git: None,
        }
    }
}

/// The route as cmd/go reads it: GONOPROXY and GONOSUMDB default to GOPRIVATE when empty
/// ([`Route::effective`] already does this; a hand-built route may not have).
fn with_defaults(route: &Route) -> Route {
    let mut r = route.clone();
    if r.gonoproxy.is_empty() {
        r.gonoproxy = r.goprivate.clone();
    }
    if r.gonosumdb.is_empty() {
        r.gonosumdb = r.goprivate.clone();
    }
    r
}

/// The HTTP proxy decision for one request URL, as data and as a sentence.
struct Via {
    http_proxy: Option<String>,
    no_proxy: Option<String>,
    sentence: Option<String>,
}

fn via(route: &Route, request: &str) -> Via {
    let none = Via {
        http_proxy: None,
        no_proxy: None,
        sentence: None,
    };
    let Ok(url) = Url::parse(request) else {
        return none;
    };
    let host = url
        .host_str()
        .map(|h| match url.port() {
            Some(p) => format!("{h}:{p}"),
            None => h.to_string(),
        })
        .unwrap_or_default();
    match route.proxies.decide(&url) {
        Decision::Proxy(p) => {
            let proxy = redact(p.url.as_str().trim_end_matches('/'));
            Via {
                sentence: Some(format!(
                    "requests to {host} go through the HTTP proxy {proxy} (from {})",
                    p.from
                )),
                http_proxy: Some(proxy),
                no_proxy: None,
            }
        }
        Decision::Direct(Bypass::Loopback) => Via {
            http_proxy: None,
            no_proxy: Some("loopback".into()),
            sentence: (!route.proxies.configured().is_empty()).then(|| {
                format!("{host} is a loopback address, which Go never sends through a proxy")
            }),
        },
        Decision::Direct(Bypass::NoProxy { entry }) => Via {
            http_proxy: None,
            sentence: Some(format!(
                "NO_PROXY entry {entry} matches {host}, so go connects to it without a proxy"
            )),
            no_proxy: Some(entry),
        },
        Decision::Direct(Bypass::NotSet) => {
            let (wanted, other) = match url.scheme() {
                "https" => ("HTTPS_PROXY", route.proxies.http_proxy.as_ref()),
                _ => ("HTTP_PROXY", route.proxies.https_proxy.as_ref()),
            };
            Via {
                sentence: other.map(|(_, from)| {
                    format!(
                        "{host} is reached without a proxy: {} URLs use only {wanted}, which is not set ({from} does not apply to them)",
                        url.scheme()
                    )
                }),
                ..none
            }
        }
        Decision::Direct(Bypass::NotHttp) => none,
        Decision::CgiRefused => Via {
            sentence: Some(format!(
                "REQUEST_METHOD is set (a CGI environment), so go refuses to send the http:// request to {host} through HTTP_PROXY: \"refusing to use HTTP_PROXY value in CGI environment; see golang.org/s/cgihttpproxy\""
            )),
            ..none
        },
    }
}

/// GOPROXY entries after the first `direct`/`off`, from the raw value (go never reads them).
fn ignored_entries(goproxy: &str) -> Vec<String> {
    let entries: Vec<&str> = goproxy
        .split([',', '|'])
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    match entries.iter().position(|e| matches!(*e, "direct" | "off")) {
        Some(i) => entries[i + 1..]
            .iter()
            .map(|e| format!("{} (after {})", redact(e), entries[i]))
            .collect(),
        None => Vec::new(),
    }
}

fn direct_attempt(route: &Route, module: &str, insecure: bool, reason: String) -> (Attempt, Via) {
    if let Some(repo) = known_repo(module) {
        let attempt = Attempt {
            source: "direct".into(),
            on_error: OnError::Stop,
            http_proxy: None,
            no_proxy: None,
            requests: vec![repo],
            reason,
            probe: None,
            credentials: None,
        };
        // git, not Go, makes these requests: Go's proxy rules do not apply.
        let none = Via {
            http_proxy: None,
            no_proxy: None,
            sentence: None,
        };
        return (attempt, none);
    }
    let go_get = format!("https://{module}?go-get=1");
    let v = via(route, &go_get);
    let mut requests = vec![go_get];
    if insecure {
        requests.push(format!("http://{module}?go-get=1"));
    }
    let credentials = requests
        .first()
        .and_then(|r| url::Url::parse(r).ok())
        .and_then(|u| route.credentials.for_url(&u))
        .map(|(_, source)| source);
    let attempt = Attempt {
        source: "direct".into(),
        on_error: OnError::Stop,
        http_proxy: v.http_proxy.clone(),
        no_proxy: v.no_proxy.clone(),
        requests,
        reason,
        probe: None,
        credentials,
    };
    (attempt, v)
}

fn direct_sentence(module: &str, insecure: bool) -> String {
    const GIT: &str = "reads its own proxy settings (git's http.proxy, or https_proxy/HTTPS_PROXY and no_proxy as curl reads them), not Go's";
    if let Some(repo) = known_repo(module) {
        return format!(
            "direct: the host is one go knows, so it skips the go-get fetch and runs git on {repo}, which {GIT}"
        );
    }
    format!(
        "direct: go fetches https://{module}?go-get=1 to find the repository{}, then runs its version control tool (git …), which {GIT}",
        if insecure {
            ", falling back to http:// because GOINSECURE matches"
        } else {
            ""
        }
    )
}

/// Adds git's part of a `direct` attempt to `report`, from git's configuration as read by
/// [`crate::gitconfig::read`]: the URL after `insteadOf`, the proxy git uses (its own
/// `http.proxy` before the environment, which for a profile holds the profile's proxies), its
/// CA file and credential helpers. Pure; nothing happens when no attempt is `direct`.
pub fn add_git(report: &mut WhyReport, route: &Route, git: &crate::gitconfig::GitConfig) {
    if !report.attempts.iter().any(|a| a.source == "direct") {
        return;
    }
    let module = report.module.clone();
    let (repo, known) = match known_repo(&module) {
        Some(r) => (r, true),
        None => (format!("https://{module}"), false),
    };
    let rewrite = git.rewrite(&repo, false);
    let fetched = rewrite.as_ref().map_or(repo.clone(), |r| r.url.clone());
    let env =
        crate::env::Env::from_vars(route.vcs.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    let proxy = git.proxy(&env, &fetched);
    let proxy_from = match &proxy.source {
        crate::gitconfig::ProxySource::Config { key, file, .. } => match file {
            Some(f) => format!("git's {key} in {}", f.display()),
            None => format!("git's {key}"),
        },
        crate::gitconfig::ProxySource::Env { var } => format!("the environment ({var})"),
        crate::gitconfig::ProxySource::None => "no proxy is configured".to_string(),
    };
    let proxy_value = proxy.value.filter(|v| !v.is_empty()).map(|v| redact(&v));
    let step = GitStep {
        repo: redact(&repo),
        known,
        rewritten: rewrite.as_ref().map(|r| redact(&r.url)),
        rewritten_by: rewrite.as_ref().map(|r| r.entry.key.clone()),
        rewritten_in: rewrite
            .as_ref()
            .and_then(|r| r.entry.file.as_ref().map(|f| f.display().to_string())),
        proxy: proxy_value.clone(),
        proxy_from: proxy_from.clone(),
        proxy_source: proxy.source.clone(),
        ca_info: git
            .http_for("sslcainfo", &fetched)
            .and_then(|e| e.value.clone()),
        credential_helpers: git.credential_helpers().len(),
    };
    let mut sentence = format!(
        "For direct, go runs git on {}{}",
        step.repo,
        if known {
            ""
        } else {
            " (the repository the go-import tag names; assumed to be under https://<module path>)"
        }
    );
    if let (Some(url), Some(by)) = (&step.rewritten, &step.rewritten_by) {
        let file = step
            .rewritten_in
            .as_ref()
            .map(|f| format!(" in {f}"))
            .unwrap_or_default();
        sentence.push_str(&format!(", which {by}{file} rewrites to {url}"));
    }
    match &proxy_value {
        Some(p) => sentence.push_str(&format!("; git connects through {p}, from {proxy_from}")),
        None => sentence.push_str(&format!("; git connects directly ({proxy_from})")),
    }
    if let Some(ca) = &step.ca_info {
        sentence.push_str(&format!("; it trusts the CA file {ca} (http.sslCAInfo)"));
    }
    sentence.push('.');
    report.steps.push(sentence);
    report.git = Some(step);
}

/// [`add_git`] with git's configuration as `env` has it, read (by running git) only when the
/// report has a `direct` attempt; a git that is missing or fails leaves the report as it is.
pub fn add_git_from(env: &crate::env::Env, route: &Route, report: &mut WhyReport) {
    if !report.attempts.iter().any(|a| a.source == "direct") {
        return;
    }
    if let Ok(git) = crate::gitconfig::read(env, None, crate::gitconfig::DEFAULT_TIMEOUT) {
        add_git(report, route, &git);
    }
}

/// Explains, without any I/O, where `go` looks for `module` on `route` and how its checksum
/// is verified.
pub fn explain(route: &Route, module: &str) -> WhyReport {
    let mut report = WhyReport::new(module);
    let escaped = match modpath::escape_for_url(module) {
        Ok(e) => e,
        Err(e) => {
            report.steps.push(format!(
                "go rejects the module path before sending any request: {e}"
            ));
            report.error = Some(e);
            return report;
        }
    };
    let route = &with_defaults(route);
    let steps = &mut report.steps;

    // The pattern lists.
    let from_private = |list: &str| !route.goprivate.is_empty() && list == route.goprivate;
    report.derived.gonoproxy = from_private(&route.gonoproxy).then_some("GOPRIVATE");
    report.derived.gonosumdb = from_private(&route.gonosumdb).then_some("GOPRIVATE");
    let find = |list: &str| modpath::matching_pattern(list, module).map(str::to_string);
    report.matches = Matches {
        goprivate: find(&route.goprivate),
        gonoproxy: find(&route.gonoproxy),
        gonosumdb: find(&route.gonosumdb),
        goinsecure: find(&route.goinsecure),
    };
    report.insecure = report.matches.goinsecure.is_some();
    let gonoproxy_name = if report.derived.gonoproxy.is_some() {
        "GONOPROXY (from GOPRIVATE)"
    } else {
        "GONOPROXY"
    };
    if let Some(p) = &report.matches.goprivate {
        steps.push(format!("{module} matches GOPRIVATE pattern {p}."));
    }
    if let Some(p) = &report.matches.goinsecure {
        steps.push(format!(
            "{module} matches GOINSECURE pattern {p}: direct fetches (go-get, git) may use http:// and skip certificate checks; proxies and checksum verification are unaffected."
        ));
    }

    // The GOPROXY list.
    let entries = parse_goproxy(&route.goproxy);
    report.ignored = ignored_entries(&route.goproxy);
    match &entries {
        Err(e) => {
            steps.push(format!(
                "GOPROXY={} is invalid, so every lookup fails before any request: {e}",
                check::redact_goproxy(&route.goproxy)
            ));
            report.error = Some(e.clone());
        }
        Ok(entries) if route.private_match(module) => {
            let pattern = report.matches.gonoproxy.clone().unwrap_or_default();
            let off = entries.first() == Some(&ProxyEntry::Off);
            steps.push(format!(
                "{module} matches {gonoproxy_name} pattern {pattern}, so go fetches it directly from its origin and never asks a GOPROXY entry{}.",
                if off { " (not even GOPROXY=off stops this)" } else { "" }
            ));
            let reason = format!("{gonoproxy_name} matches (pattern {pattern})");
            let (attempt, v) = direct_attempt(route, module, report.insecure, reason);
            steps.push(format!(
                "Attempt 1, {}; a failure here ends the lookup.",
                direct_sentence(module, report.insecure)
            ));
            steps.extend(v.sentence.map(|s| format!("For attempt 1, {s}.")));
            report.attempts.push(attempt);
        }
        Ok(entries) => {
            if let Some(p) = &report.matches.gonoproxy {
                steps.push(format!(
                    "{module} matches {gonoproxy_name} pattern {p}, but GOPROXY=direct sends every module to its origin anyway."
                ));
            } else if !route.gonoproxy.is_empty() {
                let idiom = if route.gonoproxy == "none" {
                    " (the idiom that keeps private modules on the proxies)"
                } else {
                    ""
                };
                steps.push(format!(
                    "{module} does not match {gonoproxy_name}={}{idiom}, so go walks the GOPROXY list.",
                    route.gonoproxy
                ));
            }
            for (i, entry) in entries.iter().enumerate() {
                let n = i + 1;
                let last = n == entries.len();
                let reason = format!("GOPROXY entry {n}");
                match entry {
                    ProxyEntry::Url {
                        url,
                        fall_back_on_error,
                    } => {
                        let on_error = match (last, fall_back_on_error) {
                            (true, _) => OnError::Stop,
                            (false, true) => OnError::NextOnAnyError,
                            (false, false) => OnError::NextOnNotFound,
                        };
                        let list = format!("{url}/{escaped}/@v/list");
                        let v = via(route, &list);
                        let shown = redact(url);
                        steps.push(format!(
                            "Attempt {n}, {shown}: {}",
                            match on_error {
                                OnError::Stop =>
                                    "the last entry, so any failure (even 404/410) ends the lookup.",
                                OnError::NextOnAnyError =>
                                    "the `|` after it sends go to the next entry on any error.",
                                OnError::NextOnNotFound =>
                                    "the `,` after it sends go to the next entry only on 404/410; any other error (5xx, 403, timeout, TLS, refused) ends the lookup.",
                            }
                        ));
                        steps.extend(v.sentence.map(|s| format!("For attempt {n}, {s}.")));
                        let credentials = url::Url::parse(&list)
                            .ok()
                            .and_then(|u| route.credentials.for_url(&u))
                            .map(|(_, source)| source);
                        if let Some(source) = &credentials {
                            steps.push(format!(
                                "For attempt {n}, go sends the credentials of {source}."
                            ));
                        }
                        report.attempts.push(Attempt {
                            credentials,
                            source: shown,
                            on_error,
                            http_proxy: v.http_proxy,
                            no_proxy: v.no_proxy,
                            requests: vec![
                                redact(&list),
                                redact(&format!("{url}/{escaped}/@latest")),
                            ],
                            reason,
                            probe: None,
                        });
                    }
                    ProxyEntry::Direct => {
                        let (attempt, v) = direct_attempt(route, module, report.insecure, reason);
                        steps.push(format!(
                            "Attempt {n}, {}; a failure here ends the lookup.",
                            direct_sentence(module, report.insecure)
                        ));
                        steps.extend(v.sentence.map(|s| format!("For attempt {n}, {s}.")));
                        report.attempts.push(attempt);
                    }
                    ProxyEntry::Off => {
                        steps.push(format!(
                            "Attempt {n}, off: the lookup ends with \"module lookup disabled by GOPROXY=off\"."
                        ));
                        report.attempts.push(Attempt {
                            source: "off".into(),
                            on_error: OnError::Stop,
                            http_proxy: None,
                            no_proxy: None,
                            requests: Vec::new(),
                            reason,
                            probe: None,
                            credentials: None,
                        });
                    }
                }
            }
        }
    }
    if !report.ignored.is_empty() {
        report.steps.push(format!(
            "go ignores everything after `direct`/`off` in GOPROXY: {}.",
            report.ignored.join(", ")
        ));
    }

    report.checksum = checksum(route, module, entries.as_deref().ok(), &mut report.steps);
    report
}

/// Checksum verification for `module`: `useSumDB`, then `dbDial` and the proxies asked for
/// `/sumdb/<db>/supported` (GONOPROXY never routes sumdb traffic).
fn checksum(
    route: &Route,
    module: &str,
    entries: Option<&[ProxyEntry]>,
    steps: &mut Vec<String>,
) -> Checksum {
    let mut out = Checksum::default();
    let private = modpath::matching_pattern(&route.gonosumdb, module);
    let (name, explicit) = match route.sumdb() {
        None => {
            out.skipped_by = Some("GOSUMDB=off".into());
            steps.push(
                "GOSUMDB=off: no checksum database is consulted; only go.sum protects against changed modules."
                    .into(),
            );
            return out;
        }
        Some(_) if private.is_some() => {
            let derived = !route.goprivate.is_empty() && route.gonosumdb == route.goprivate;
            let (by, list) = if derived {
                ("GOPRIVATE", "GONOSUMDB (from GOPRIVATE)")
            } else {
                ("GONOSUMDB", "GONOSUMDB")
            };
            steps.push(format!(
                "{module} matches {list} pattern {}, so its checksum is not looked up in a checksum database (only go.sum).",
                private.unwrap_or_default()
            ));
            out.skipped_by = Some(by.into());
            return out;
        }
        Some(Err(e)) => {
            steps.push(format!(
                "GOSUMDB={} is invalid: go fails with \"verifying go.mod: {e}\" whenever it has to verify a checksum.",
                redact(&route.gosumdb)
            ));
            return out;
        }
        Some(Ok(db)) => db,
    };
    out.verified = true;
    out.db = Some(name.clone());
    let first = entries.and_then(|entries| {
        entries.iter().find_map(|e| match e {
            ProxyEntry::Url { url, .. } => Some(url),
            _ => None,
        })
    });
    let request = if let Some(url) = explicit {
        let shown = redact(url.as_str().trim_end_matches('/'));
        steps.push(format!(
            "Checksums come from the checksum database {name} at {shown}, the URL GOSUMDB names (no proxy is asked for it)."
        ));
        out.via = Some(shown);
        url.to_string()
    } else if entries.is_none() {
        steps.push(format!(
            "Checksums would come from the checksum database {name}, but with GOPROXY invalid go cannot reach it."
        ));
        return out;
    } else if let Some(first) = first {
        for entry in entries.unwrap_or_default() {
            if let ProxyEntry::Url { url, .. } = entry {
                out.candidates.push(redact(url));
            }
        }
        out.via = Some(format!("{}/sumdb/{name}", redact(first)));
        steps.push(format!(
            "Checksums come from the checksum database {name}: go asks {} for /sumdb/{name}/supported in order; the first that answers 200 carries all checksum traffic (probably {}, but that depends on its answer). 404/410 (or any error after `|`) moves on; any other error after `,` makes verification fail; if none supports it, go connects to https://{name} directly.",
            out.candidates.join(", "),
            out.candidates[0]
        ));
        format!("{first}/sumdb/{name}/supported")
    } else {
        out.via = Some("direct".into());
        steps.push(format!(
            "Checksums come from the checksum database {name}, directly at https://{name} (GOPROXY has no URL entry that could serve it)."
        ));
        format!("https://{name}/")
    };
    let v = via(route, &request);
    out.http_proxy = v.http_proxy;
    steps.extend(
        v.sentence
            .map(|s| format!("For the checksum database, {s}.")),
    );
    out
}

/// [`explain`], then the live answers: every attempt (and the checksum database) is probed
/// with the health check's probes for `module` (`options.module` is replaced), each result is
/// put on its attempt, and the attempts are walked as cmd/go walks them to fill `outcome`.
pub fn probe(route: &Route, module: &str, options: &Options) -> WhyReport {
    let mut report = explain(route, module);
    if let Some(e) = &report.error {
        report.outcome = Some(format!("would fail: {e}"));
        return report;
    }
    let mut probed = with_defaults(route);
    if !report.checksum.verified {
        probed.gosumdb = "off".into(); // nothing to probe
    }
    let options = Options {
        module: module.to_string(),
        ..options.clone()
    };
    let check = check::run(&probed, None, &options, &mut |_| {});
    for attempt in &mut report.attempts {
        attempt.probe = check
            .results
            .iter()
            .find(|r| r.kind == Kind::Goproxy && r.endpoint == attempt.source)
            .cloned();
    }
    let sumdb = check.results.iter().find(|r| r.kind == Kind::Sumdb);
    if let (Some(r), Some(name)) = (sumdb, &report.checksum.db)
        && let Some(v) = &r.via
    {
        let direct = format!("https://{name}");
        let explicit = matches!(route.sumdb(), Some(Ok((_, Some(_)))));
        report.checksum.via = Some(if *v == direct && !explicit {
            "direct".into()
        } else {
            v.clone()
        });
    }

    let modules = walk(&report.attempts);
    let checksums = match sumdb {
        Some(r) if report.checksum.verified && !r.outcome.is_healthy() => {
            Err(format!("verifying the checksum: {}", failure(r)))
        }
        _ => Ok(()),
    };
    let outcome = match (modules, checksums) {
        (Err(e), _) => format!("would fail: {e}"),
        (Ok(_), Err(e)) => format!("would fail: {e}"),
        (Ok(from), Ok(())) => format!("would be fetched from {from}"),
    };
    report.steps.push(format!("Probed: {module} {outcome}."));
    report.outcome = Some(outcome);
    report
}

fn failure(r: &EndpointResult) -> String {
    match &r.go_error {
        Some(go) => format!("{} ({go})", r.detail),
        None => r.detail.clone(),
    }
}

/// cmd/go's `TryProxies` over probed attempts: where the module comes from, or why not.
fn walk(attempts: &[Attempt]) -> Result<String, String> {
    let mut not_found = Vec::new();
    for a in attempts {
        if a.source == "off" {
            let mut e = "module lookup disabled by GOPROXY=off".to_string();
            if !not_found.is_empty() {
                e.push_str(&format!(" ({} answered not found)", not_found.join(", ")));
            }
            return Err(e);
        }
        let Some(r) = &a.probe else {
            return Ok(format!("{} (not probed)", a.source));
        };
        let name = if a.source == "direct" {
            "its origin (direct)".to_string()
        } else {
            a.source.clone()
        };
        if r.outcome.is_healthy() {
            return Ok(name);
        }
        let next = match a.on_error {
            OnError::Stop => false,
            OnError::NextOnAnyError => true,
            OnError::NextOnNotFound => r.outcome == Outcome::NotFound,
        };
        if r.outcome == Outcome::NotFound {
            not_found.push(a.source.clone());
        }
        if !next {
            if r.outcome == Outcome::NotFound && a.source != "direct" {
                return Err(format!(
                    "every entry answered not found ({})",
                    not_found.join(", ")
                ));
            }
            return Err(format!("{name}: {}", failure(r)));
        }
    }
    Err(if not_found.is_empty() {
        "no entry answered".to_string()
    } else {
        format!("every entry answered not found ({})", not_found.join(", "))
    })
}

#[cfg(test)]
mod tests;
