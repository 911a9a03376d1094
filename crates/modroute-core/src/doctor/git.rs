//! The git context: `direct` fetches run git, and git picks its proxy its own way.
//!
//! git's `http.proxy` (and `http.<url>.proxy`) beats `HTTPS_PROXY`; without one git falls back
//! to the environment, preferring the lower-case `https_proxy` where Go prefers `HTTPS_PROXY`,
//! and `NO_PROXY` likewise (`no_proxy` wins in git). So modules fetched `direct` (GOPRIVATE,
//! GONOPROXY, `direct` in GOPROXY) can travel another route than go's own requests. The matrix
//! column shows git's proxy for the proxy rows; the findings cover a disagreeing proxy,
//! `http.sslVerify=false`, the `https.proxy` key git does not have, and `insteadOf` rules that
//! turn private modules' https fetches into SSH.

use std::path::Path;
use std::time::{Duration, Instant};

use super::contexts::{Context, ContextKind, ContextStatus, Observation, ResolvedCell, Seen};
use super::{Finding, Severity};
use crate::env::Env;
use crate::gitconfig::{self, GitConfig, GitConfigError, ProxySource};
use crate::redact::redact;
use crate::resolve::Resolution;
use crate::setting::Setting;

/// The context's id in the matrix.
pub const CONTEXT_ID: &str = "git";

/// The git context for `env` (and `project`'s repository config).
pub fn observe(env: &Env, project: Option<&Path>, timeout: Duration) -> Observation {
    let started = Instant::now();
    let mut context = Context::new(CONTEXT_ID, ContextKind::Git, "git (direct fetches)");
    let config = match gitconfig::read(env, project, timeout) {
        Ok(config) => config,
        Err(GitConfigError::NotInstalled) => {
            context.status = ContextStatus::Skipped;
            context.note = Some("git is not installed: go cannot fetch `direct` modules".into());
            return Observation {
                context,
                seen: Seen::Nothing,
            };
        }
        Err(e @ GitConfigError::Timeout(_)) => {
            return Observation {
                context: context.with_status(ContextStatus::Timeout, Some(e.to_string())),
                seen: Seen::Nothing,
            };
        }
        Err(e) => {
            return Observation {
                context: context.with_status(ContextStatus::Error, Some(e.to_string())),
                seen: Seen::Nothing,
            };
        }
    };
    context.file = gitconfig::global_file(env);
    context.elapsed_ms = Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
    context.note = Some(format!(
        "{}: http.proxy beats HTTPS_PROXY for git; go runs it for `direct` fetches",
        config.git.display()
    ));
    Observation {
        context,
        seen: Seen::Resolved(cells(env, &config)),
    }
}

/// git's proxy rows: HTTPS_PROXY (an `https://` fetch), HTTP_PROXY (`http://`) and NO_PROXY.
/// A proxy that is the same as go's but spelled differently (`proxy:3128` for
/// `http://proxy:3128`) is shown in go's spelling, so it is no mismatch.
pub fn cells(env: &Env, config: &GitConfig) -> Vec<ResolvedCell> {
    let reference = crate::status::resolutions(env);
    let go_value = |s: Setting| {
        reference
            .iter()
            .find(|r| r.setting == s)
            .map(|r| r.value.clone())
            .unwrap_or_default()
    };
    let proxy_cell = |setting: Setting, url: &str| {
        let p = config.proxy(env, url);
        let (value, file) = match &p.source {
            ProxySource::Config { file, .. } => (p.value.clone(), file.clone()),
            _ => (None, None),
        };
        let mut effective = p.value.unwrap_or_default();
        let go = go_value(setting);
        if effective != go && gitconfig::same_proxy(&effective, &go) {
            effective = go;
        }
        ResolvedCell {
            setting,
            value,
            effective,
            file,
            line: None,
        }
    };
    // curl reads NO_PROXY, then no_proxy over it.
    let no_proxy = env.get("no_proxy").or_else(|| env.get("NO_PROXY"));
    vec![
        proxy_cell(Setting::HttpsProxy, "https://example.invalid/"),
        proxy_cell(Setting::HttpProxy, "http://example.invalid/"),
        ResolvedCell {
            setting: Setting::NoProxy,
            value: None,
            effective: no_proxy.unwrap_or_default(),
            file: None,
            line: None,
        },
    ]
}

/// Whether go fetches anything `direct` (through git) with these settings.
fn uses_direct(reference: &[Resolution]) -> bool {
    let value = |s: Setting| {
        reference
            .iter()
            .find(|r| r.setting == s)
            .map(|r| r.value.as_str())
            .unwrap_or_default()
    };
    value(Setting::GoProxy)
        .split([',', '|'])
        .any(|e| e.trim() == "direct")
        || !value(Setting::GoNoProxy).is_empty()
        || !value(Setting::GoPrivate).is_empty()
}

fn place(file: Option<&Path>) -> String {
    file.map(|f| format!(" in {}", f.display()))
        .unwrap_or_default()
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        "nothing (direct)".into()
    } else {
        redact(value)
    }
}

/// The git findings for an already-read configuration.
pub fn findings_for(env: &Env, config: &GitConfig, reference: &[Resolution]) -> Vec<Finding> {
    let mut out = Vec::new();
    let finding = |id: &str,
                   severity,
                   var: Option<&str>,
                   file: Option<&Path>,
                   message: String,
                   fix: String| {
        Finding {
            id: id.into(),
            severity,
            var: var.map(str::to_string),
            context: CONTEXT_ID.into(),
            file: file.map(Path::to_path_buf),
            line: None,
            message,
            fix: Some(fix),
            fix_action: None,
        }
    };
    let go_value = |s: Setting| {
        reference
            .iter()
            .find(|r| r.setting == s)
            .map(|r| r.value.clone())
            .unwrap_or_default()
    };
    let direct = uses_direct(reference);
    let go_https = go_value(Setting::HttpsProxy);
    let git = config.proxy(env, "https://example.invalid/");
    let git_https = git.value.clone().unwrap_or_default();
    if !gitconfig::same_proxy(&git_https, &go_https) {
        let severity = if direct {
            Severity::Warning
        } else {
            Severity::Info
        };
        let (what, file, fix) = match &git.source {
            ProxySource::Config { key, scope, file } => (
                format!(
                    "git's {key}={} ({}{})",
                    shown(&git_https),
                    scope_label(*scope),
                    place(file.as_deref())
                ),
                file.clone(),
                if go_https.is_empty() {
                    format!("remove it (`git config --{} --unset-all {key}`), or turn on git as a switch target so switching profiles keeps it in step", scope_flag(*scope))
                } else {
                    format!(
                        "set it to go's proxy (`git config --{} {key} {}`), or turn on git as a switch target (Settings → Switch targets, or `git = true` in targets.toml) so every switch writes it",
                        scope_flag(*scope),
                        redact(&go_https)
                    )
                },
            ),
            ProxySource::Env { var } => (
                format!("git's {var}={} from the environment", shown(&git_https)),
                None,
                "export one value under both spellings (HTTPS_PROXY and https_proxy): git prefers the lower-case one, go the upper-case one".into(),
            ),
            ProxySource::None => (
                "git uses no proxy".to_string(),
                None,
                "turn on git as a switch target so switching profiles writes http.proxy".into(),
            ),
        };
        let mut differs = finding(
            "git-proxy-differs",
            severity,
            Some("HTTPS_PROXY"),
            file.as_deref(),
            format!(
                "{what}, but go's own requests use {}: modules go fetches `direct` (GOPRIVATE, GONOPROXY, `direct` in GOPROXY) go through git and take that other route.",
                shown(&go_https)
            ),
            fix,
        );
        // One click, when the global file decides and no password would travel through the
        // UI (it only ever sees the redacted value).
        let global = match &git.source {
            ProxySource::Config { scope, .. } => *scope == gitconfig::Scope::Global,
            ProxySource::None => true,
            ProxySource::Env { .. } => false,
        };
        if global && !crate::redact::has_credentials(&go_https) {
            differs.fix_action = Some(super::Fix::SetGitProxy {
                value: (!go_https.is_empty()).then(|| go_https.clone()),
            });
        }
        out.push(differs);
    }
    for e in config
        .all("http.sslverify")
        .chain(config.entries.iter().filter(|e| {
            let (s, sub, v) = e.parts();
            s == "http" && sub.is_some() && v == "sslverify"
        }))
    {
        if e.as_bool() == Some(false) {
            out.push(finding(
                "git-ssl-verify-off",
                Severity::Warning,
                None,
                e.file.as_deref(),
                format!(
                    "{}=false{}: git does not check TLS certificates, so anyone on the path can serve the code go fetches `direct`.",
                    e.key,
                    place(e.file.as_deref())
                ),
                format!(
                    "remove it (`git config --{} --unset {}`) and point http.sslCAInfo at your company's CA bundle instead",
                    scope_flag(e.scope),
                    e.key
                ),
            ));
        }
    }
    if env.get_non_empty("GIT_SSL_NO_VERIFY").is_some() {
        out.push(finding(
            "git-ssl-verify-off",
            Severity::Warning,
            None,
            None,
            "GIT_SSL_NO_VERIFY is set in this environment: git does not check TLS certificates, so anyone on the path can serve the code go fetches `direct`.".into(),
            "unset GIT_SSL_NO_VERIFY and point http.sslCAInfo at your company's CA bundle instead".into(),
        ));
    }
    // go trusts SSL_CERT_FILE; git (libcurl) never reads it: only GIT_SSL_CAINFO, which beats
    // http.sslCAInfo, or http.sslCAInfo.
    let go_cert = go_value(Setting::SslCertFile);
    if !go_cert.is_empty() {
        let https = "https://example.invalid/";
        let git_ca = match env.get_non_empty("GIT_SSL_CAINFO") {
            Some(v) => Some((v, "GIT_SSL_CAINFO".to_string(), None)),
            None => config
                .http_for("sslcainfo", https)
                .and_then(|e| Some((e.value.clone()?, e.key.clone(), e.file.clone()))),
        };
        if git_ca.as_ref().map(|(v, _, _)| v.as_str()) != Some(go_cert.as_str()) {
            let what = match &git_ca {
                Some((v, key, file)) => {
                    format!("git trusts {key}={v}{}", place(file.as_deref()))
                }
                None => "git trusts its own default CA bundle".into(),
            };
            out.push(finding(
                "git-ignores-ssl-cert-file",
                if direct {
                    Severity::Warning
                } else {
                    Severity::Info
                },
                Some("SSL_CERT_FILE"),
                git_ca.as_ref().and_then(|(_, _, f)| f.as_deref()),
                format!(
                    "go trusts the CAs in SSL_CERT_FILE={go_cert}, but git does not read SSL_CERT_FILE ({what}): modules go fetches `direct` fail TLS verification behind a private CA."
                ),
                format!("git config --global http.sslCAInfo {go_cert}"),
            ));
        }
    }
    for e in config.ignored_proxy_keys() {
        out.push(finding(
            "git-https-proxy-ignored",
            Severity::Info,
            None,
            e.file.as_deref(),
            format!(
                "{}={}{} has no effect: git has no https.proxy setting; http.proxy covers https URLs too.",
                e.key,
                shown(e.value.as_deref().unwrap_or_default()),
                place(e.file.as_deref())
            ),
            format!(
                "remove it (`git config --{} --unset {}`); set http.proxy if git needs a proxy",
                scope_flag(e.scope),
                e.key
            ),
        ));
    }
    // insteadOf rules that send private modules over SSH.
    let private = [go_value(Setting::GoPrivate), go_value(Setting::GoNoProxy)]
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(",");
    let mut reported: Vec<String> = Vec::new();
    for pattern in private.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let pattern = pattern.trim_end_matches('/');
        let probes: Vec<String> = if pattern.contains(['*', '?', '[']) {
            // A glob: the rules whose https prefix it matches.
            config
                .entries
                .iter()
                .filter(|e| {
                    let (s, _, v) = e.parts();
                    s == "url" && v == "insteadof"
                })
                .filter_map(|e| e.value.as_deref())
                .filter_map(|v| v.strip_prefix("https://"))
                .map(|v| v.trim_end_matches('/'))
                .filter(|v| crate::modpath::matches_prefix_patterns(pattern, v))
                .map(|v| format!("https://{v}/"))
                .collect()
        } else {
            vec![format!("https://{pattern}/")]
        };
        for url in probes {
            let Some(rewrite) = config.rewrite(&url, false) else {
                continue;
            };
            let ssh = rewrite.url.starts_with("ssh://")
                || rewrite.url.starts_with("git+ssh://")
                || (!rewrite.url.contains("://") && rewrite.url.contains(':'));
            if !ssh || reported.contains(&rewrite.entry.key) {
                continue;
            }
            reported.push(rewrite.entry.key.clone());
            out.push(finding(
                "git-insteadof-ssh",
                Severity::Info,
                Some("GOPRIVATE"),
                rewrite.entry.file.as_deref(),
                gitconfig::shown(&format!(
                    "{}={}{} makes git fetch {url} as {}: private modules ({pattern}) travel over SSH, which ignores http.proxy and HTTPS_PROXY and needs your SSH key (ssh-agent) instead.",
                    rewrite.entry.key,
                    rewrite.instead_of,
                    place(rewrite.entry.file.as_deref()),
                    rewrite.url
                )),
                "nothing to do if SSH reaches that host; behind an HTTP-only proxy, remove the rule and use a token over https (credential.helper)".into(),
            ));
        }
    }
    out
}

fn scope_label(scope: gitconfig::Scope) -> &'static str {
    match scope {
        gitconfig::Scope::System => "system config",
        gitconfig::Scope::Global => "global config",
        gitconfig::Scope::Local => "repository config",
        gitconfig::Scope::Worktree => "worktree config",
        gitconfig::Scope::Command => "command-line config",
        gitconfig::Scope::Other => "config",
    }
}

fn scope_flag(scope: gitconfig::Scope) -> &'static str {
    match scope {
        gitconfig::Scope::System => "system",
        gitconfig::Scope::Local => "local",
        gitconfig::Scope::Worktree => "worktree",
        _ => "global",
    }
}

/// The git findings, when the git context was read.
pub fn findings(
    env: &Env,
    project: Option<&Path>,
    timeout: Duration,
    reference: &[Resolution],
    observations: &[Observation],
) -> Vec<Finding> {
    let read = observations
        .iter()
        .any(|o| o.context.kind == ContextKind::Git && o.context.status == ContextStatus::Ok);
    if !read {
        return Vec::new();
    }
    match gitconfig::read(env, project, timeout) {
        Ok(config) => findings_for(env, &config, reference),
        Err(_) => Vec::new(),
    }
}
