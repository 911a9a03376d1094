//! The doctor's Docker context: what go sees inside `docker build` and `docker run`, what the
//! daemon pulls images through, and (with a project) Dockerfiles that keep GOPROXY out.
//!
//! - `docker-client`: the docker CLI's `config.json` proxies for the daemon it talks to. They
//!   are the only settings a build or a container receives from the host: HTTP_PROXY,
//!   HTTPS_PROXY and NO_PROXY. No Go setting is carried, so go there uses its image's
//!   `$GOROOT/go.env` ([`IMAGE_GO_ENV`], the file every official Go release ships).
//! - `docker-daemon` / `docker-daemon-rootless`: the daemon's own proxy (systemd drop-ins,
//!   `daemon.json`), used for pulls and pushes only — never by go in a build.
//! - Dockerfiles under the project whose build stages run module-downloading go commands
//!   without `ARG GOPROXY`.
//!
//! Each context has cells only for what it carries (the daemon: the three proxy settings), and
//! explains its differences in findings of its own.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::contexts::{Context, ContextKind, ContextStatus, Observation, ResolvedCell, Seen};
use super::{Finding, Severity};
use crate::docker::{self, client, daemon, dockerfile};
use crate::env::Env;
use crate::goenv::GoEnvFile;
use crate::redact::redact;
use crate::resolve::{self, Resolution};
use crate::setting::Setting;

/// `$GOROOT/go.env` as Go releases (and so the official `golang` images) ship it.
pub const IMAGE_GO_ENV: &str =
    "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n";

/// The proxy settings Docker carries, as (setting, variable docker sets).
const CARRIED: [(Setting, &str); 3] = [
    (Setting::HttpProxy, "HTTP_PROXY"),
    (Setting::HttpsProxy, "HTTPS_PROXY"),
    (Setting::NoProxy, "NO_PROXY"),
];

/// What go resolves inside a container whose environment is exactly `vars`.
pub fn in_image(vars: &[(&str, &str)]) -> Vec<Resolution> {
    let env = Env::from_vars(vars.iter().copied());
    let file = GoEnvFile::parse(IMAGE_GO_ENV.as_bytes());
    let path = PathBuf::from("/usr/local/go/go.env");
    resolve::resolve(&resolve::Inputs {
        env: &env,
        goenv: None,
        goroot: Some(resolve::FileLayer {
            path: &path,
            file: &file,
        }),
        go_version: None,
    })
}

/// The Docker contexts that exist here: the client (when docker is on PATH or its config
/// exists) and each daemon with proxy configuration files.
pub fn observe(env: &Env) -> Vec<Observation> {
    let mut out = Vec::new();
    if let Some(client) = client_context(env) {
        out.push(client);
    }
    for flavor in [daemon::Flavor::System, daemon::Flavor::Rootless] {
        let started = Instant::now();
        let Some(read) = daemon::read(env, flavor) else {
            continue;
        };
        let (id, label) = match flavor {
            daemon::Flavor::System => ("docker-daemon", "Docker daemon (image pulls)"),
            daemon::Flavor::Rootless => (
                "docker-daemon-rootless",
                "rootless Docker daemon (image pulls)",
            ),
        };
        let mut context = Context::new(id, ContextKind::Docker, label);
        context.file = read.files.first().cloned();
        context.elapsed_ms = Some(elapsed(started));
        context.note = Some(format!(
            "the daemon's own proxy ({}); only pulls and pushes use it, never go in a build or a container",
            read.files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if !read.errors.is_empty() {
            context.error = Some(crate::redact::redact_lines(&read.errors.join("; ")));
        }
        let cells = CARRIED
            .iter()
            .map(|(setting, var)| {
                let found = read.values.iter().find(|v| v.var == *var);
                ResolvedCell {
                    setting: *setting,
                    value: found.map(|v| v.value.clone()),
                    effective: found.map(|v| v.value.clone()).unwrap_or_default(),
                    file: found.map(|v| v.file.clone()),
                    line: found.map(|v| v.line),
                }
            })
            .collect();
        out.push(Observation {
            context,
            seen: Seen::Resolved(cells),
        });
    }
    out
}

fn elapsed(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn client_context(env: &Env) -> Option<Observation> {
    let started = Instant::now();
    let path = docker::client_config_path(env)?;
    let on_path = env
        .get_os("PATH")
        .is_some_and(|p| which::which_in("docker", Some(p), "/").is_ok());
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            let context = Context::new("docker-client", ContextKind::Docker, "docker build / run")
                .with_status(
                    ContextStatus::Error,
                    Some(format!("{}: {e}", path.display())),
                );
            return Some(Observation {
                context,
                seen: Seen::Nothing,
            });
        }
    };
    if bytes.is_none() && !on_path {
        return None;
    }
    let mut context = Context::new("docker-client", ContextKind::Docker, "docker build / run");
    context.file = Some(path.clone());
    let config = match bytes.as_deref().map(|b| client::read(b, &path)) {
        None => client::ClientConfig::default(),
        Some(Ok(config)) => config,
        Some(Err(e)) => {
            return Some(Observation {
                context: context.with_status(ContextStatus::Error, Some(e.to_string())),
                seen: Seen::Nothing,
            });
        }
    };
    let host = docker::daemon_host(env);
    let block = config.for_host(&host);
    let carried: Vec<(&str, &str)> = block
        .map(|b| b.values.iter().map(|v| (v.var, v.value.as_str())).collect())
        .unwrap_or_default();
    let image = in_image(&carried);
    let cells = image
        .into_iter()
        // The image's go version is unknown: settings only some versions read (GOAUTH) are
        // left out rather than guessed.
        .filter(|r| r.setting.since().is_none())
        .map(|r| {
            let found = CARRIED
                .iter()
                .find(|(s, _)| *s == r.setting)
                .and_then(|(_, var)| block.and_then(|b| b.get(var)));
            ResolvedCell {
                setting: r.setting,
                value: found.map(|v| v.value.clone()),
                effective: r.value,
                file: found.map(|_| path.clone()),
                line: found.map(|v| v.line),
            }
        })
        .collect();
    context.elapsed_ms = Some(elapsed(started));
    context.note = Some(match block {
        Some(b) => format!(
            "`docker build` passes proxies.{} (line {}) as build arguments and `docker run` as environment variables; no Go setting is carried: go there uses its image's defaults",
            b.key, b.line
        ),
        None => "config.json sets no proxies for this daemon: builds and containers get none; no Go setting is carried either: go there uses its image's defaults".into(),
    });
    Some(Observation {
        context,
        seen: Seen::Resolved(cells),
    })
}

/// The Docker findings: proxies a build or a container does not get, Go settings Docker never
/// carries, the daemon's proxy, and (with `project`) Dockerfiles without `ARG GOPROXY`.
pub fn findings(
    env: &Env,
    project: Option<&Path>,
    reference: &[Resolution],
    observations: &[Observation],
) -> Vec<Finding> {
    let reference_of = |s: Setting| reference.iter().find(|r| r.setting == s);
    let mut out = Vec::new();
    let image_defaults = in_image(&[]);
    let image_value = |s: Setting| {
        image_defaults
            .iter()
            .find(|r| r.setting == s)
            .map(|r| r.value.clone())
            .unwrap_or_default()
    };
    let prefs_on = crate::targets::load(env).is_ok_and(|p| p.docker);
    for obs in observations {
        let ctx = &obs.context;
        if ctx.kind != ContextKind::Docker || ctx.status != ContextStatus::Ok {
            continue;
        }
        let Seen::Resolved(cells) = &obs.seen else {
            continue;
        };
        let proxies: Vec<&ResolvedCell> = cells
            .iter()
            .filter(|c| CARRIED.iter().any(|(s, _)| *s == c.setting))
            .filter(|c| reference_of(c.setting).is_some_and(|r| r.value != c.effective))
            .collect();
        let describe = |c: &ResolvedCell| {
            let name = c.setting.name();
            let reference = reference_of(c.setting)
                .map(|r| r.value.as_str())
                .unwrap_or("");
            let have = match &c.value {
                Some(v) => format!("{name}={}", redact(v)),
                None => format!("no {name}"),
            };
            let want = if reference.is_empty() {
                "none".to_string()
            } else {
                redact(reference)
            };
            let at = c.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            format!("{have}{at} instead of {want}")
        };
        if !proxies.is_empty() {
            let list = proxies
                .iter()
                .map(|c| describe(c))
                .collect::<Vec<_>>()
                .join(", ");
            let first = proxies.iter().find(|c| c.line.is_some()).copied();
            if ctx.id == "docker-client" {
                let path = ctx.file.clone();
                out.push(Finding {
                    id: "docker-client-proxy".into(),
                    severity: Severity::Warning,
                    var: proxies.first().map(|c| c.setting.name().to_string()),
                    context: ctx.id.clone(),
                    file: path.clone(),
                    line: first.and_then(|c| c.line),
                    message: format!(
                        "docker build and docker run pass {list}: go inside a build or a container uses that, not this process's proxy."
                    ),
                    fix: Some(if prefs_on {
                        "switch profiles again (`modroute use <profile>`): the Docker target is on and rewrites proxies.default".into()
                    } else {
                        format!(
                            "turn on the Docker switch target (Settings → Switch targets, or `docker = true` in targets.toml) and switch again, or set proxies.default in {}",
                            path.as_deref().map(|p| p.display().to_string()).unwrap_or_else(|| "~/.docker/config.json".into())
                        )
                    }),
                    fix_action: None,
                });
            } else {
                out.push(Finding {
                    id: "docker-daemon-proxy".into(),
                    severity: Severity::Info,
                    var: proxies.first().map(|c| c.setting.name().to_string()),
                    context: ctx.id.clone(),
                    file: first.and_then(|c| c.file.clone()).or_else(|| ctx.file.clone()),
                    line: first.and_then(|c| c.line),
                    message: format!(
                        "{} pulls and pushes images with {list}; builds and containers do not use it (they get the client's proxies).",
                        ctx.label
                    ),
                    fix: Some(if ctx.id.ends_with("-rootless") {
                        "edit that file, then `systemctl --user daemon-reload && systemctl --user restart docker`".into()
                    } else {
                        "edit that file (as root), then `sudo systemctl daemon-reload && sudo systemctl restart docker`".into()
                    }),
                    fix_action: None,
                });
            }
        }
        if ctx.id == "docker-client" {
            let not_carried: Vec<String> = cells
                .iter()
                .filter(|c| !CARRIED.iter().any(|(s, _)| *s == c.setting))
                .filter_map(|c| {
                    let r = reference_of(c.setting)?;
                    (r.value != c.effective)
                        .then(|| format!("{}={}", c.setting.name(), redact(&r.value)))
                })
                .collect();
            if !not_carried.is_empty() {
                out.push(Finding {
                    id: "docker-go-settings-not-carried".into(),
                    severity: Severity::Info,
                    var: None,
                    context: ctx.id.clone(),
                    file: None,
                    line: None,
                    message: format!(
                        "Docker's proxy configuration carries only HTTP_PROXY, HTTPS_PROXY and NO_PROXY: docker build and docker run do not pass {}, so go there uses its image's defaults (GOPROXY={}).",
                        not_carried.join(", "),
                        image_value(Setting::GoProxy)
                    ),
                    fix: Some("pass them as build arguments — `docker build $(modroute env --format docker-build-args) .` — and declare them in each build stage that runs go (`ARG GOPROXY`; `modroute doctor --project DIR` lists the stages that lack it)".into()),
                    fix_action: None,
                });
            }
        }
    }
    if let Some(project) = project {
        out.extend(dockerfile_findings(
            project,
            reference,
            &image_value(Setting::GoProxy),
        ));
    }
    out
}

/// The Go settings a build should receive (those this process resolves differently from the
/// image), GOPROXY always first.
fn build_args(reference: &[Resolution]) -> Vec<&'static str> {
    let image = in_image(&[]);
    let mut names = vec![Setting::GoProxy.name()];
    for r in reference {
        if r.setting.kind() != crate::SettingKind::Go || r.setting == Setting::GoProxy {
            continue;
        }
        let stock = image
            .iter()
            .find(|i| i.setting == r.setting)
            .map(|i| i.value.as_str());
        if !r.value.is_empty() && Some(r.value.as_str()) != stock && r.derived_from.is_none() {
            names.push(r.setting.name());
        }
    }
    names
}

fn dockerfile_findings(
    project: &Path,
    reference: &[Resolution],
    image_goproxy: &str,
) -> Vec<Finding> {
    let goproxy = reference
        .iter()
        .find(|r| r.setting == Setting::GoProxy)
        .map(|r| r.value.clone())
        .unwrap_or_default();
    let differs = goproxy != image_goproxy;
    let lines = dockerfile::fix_lines(&build_args(reference));
    let mut out = Vec::new();
    for file in dockerfile::find(project, 50) {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        for u in dockerfile::scan(&String::from_utf8_lossy(&bytes), &file) {
            let stage = match &u.stage {
                Some(name) => format!("build stage `{name}`"),
                None => "a build stage".into(),
            };
            let yours = if differs {
                format!(", not yours ({})", redact(&goproxy))
            } else {
                String::new()
            };
            out.push(Finding {
                id: "dockerfile-without-arg-goproxy".into(),
                severity: if differs { Severity::Warning } else { Severity::Info },
                var: Some("GOPROXY".into()),
                context: "dockerfile".into(),
                file: Some(u.file.clone()),
                line: Some(u.line),
                message: format!(
                    "{} line {} runs `{}` in {stage} (FROM at line {}) without `ARG GOPROXY`: that stage ignores `--build-arg GOPROXY=…` and uses the image's GOPROXY ({image_goproxy}){yours}.",
                    u.file.display(),
                    u.line,
                    u.command,
                    u.from_line
                ),
                fix: Some(format!(
                    "add after line {} (the stage's FROM):\n{lines}\nthen build with `docker build $(modroute env --format docker-build-args) .`",
                    u.from_line
                )),
                fix_action: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_in_an_image_sees_only_the_carried_proxies() {
        let seen = in_image(&[("HTTPS_PROXY", "http://p:1")]);
        let get = |s: Setting| seen.iter().find(|r| r.setting == s).unwrap().value.clone();
        assert_eq!(get(Setting::GoProxy), "https://proxy.golang.org,direct");
        assert_eq!(get(Setting::GoSumDb), "sum.golang.org");
        assert_eq!(get(Setting::HttpsProxy), "http://p:1");
        assert_eq!(get(Setting::GoPrivate), "");
    }
}
