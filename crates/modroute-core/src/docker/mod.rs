//! Docker: where builds run that inherit none of the shells' settings.
//!
//! - [`client`]: the docker CLI's `config.json` (`$DOCKER_CONFIG/config.json`, else
//!   `~/.docker/config.json`). Its `proxies` are what `docker build` passes as build arguments
//!   and `docker run` as environment variables — HTTP_PROXY, HTTPS_PROXY, NO_PROXY (and
//!   FTP_PROXY, ALL_PROXY), never GOPROXY, GOSUMDB or any other Go setting. An opt-in switch
//!   target ([`crate::plan`]) and a doctor context.
//! - [`daemon`]: the daemon's own proxy (systemd drop-ins' `Environment=` lines, `daemon.json`
//!   `proxies`), which only its pulls and pushes use — a doctor context.
//! - [`dockerfile`]: Dockerfiles whose build stages download modules without `ARG GOPROXY` —
//!   doctor findings with the lines to add.

pub mod client;
pub mod daemon;
pub mod dockerfile;

use std::path::PathBuf;

use crate::env::Env;
use crate::plan::{self, Note, Plan, PlanError, Planned, Refusal, TargetKind, Warning};
use crate::profile::Profile;
use crate::targets::TargetPrefs;

/// The docker CLI's configuration file: `$DOCKER_CONFIG/config.json` when DOCKER_CONFIG is set,
/// else `config.json` in `.docker` under the home directory (as the CLI finds it).
pub fn client_config_path(env: &Env) -> Option<PathBuf> {
    let dir = match env
        .path("DOCKER_CONFIG")
        .filter(|p| !p.as_os_str().is_empty())
    {
        Some(dir) => dir,
        None => env.home()?.join(".docker"),
    };
    Some(dir.join("config.json"))
}

/// The daemon the CLI talks to when neither `--host` nor a context says otherwise: DOCKER_HOST,
/// else the local socket. It picks the `proxies.<host>` block of the client configuration.
pub fn daemon_host(env: &Env) -> String {
    match env.get_non_empty("DOCKER_HOST") {
        Some(host) => host,
        None => match env.os() {
            crate::TargetOs::Windows => "npipe:////./pipe/docker_engine".into(),
            _ => "unix:///var/run/docker.sock".into(),
        },
    }
}

/// Whether a switch to `profile` writes Docker's client configuration: the profile's own
/// `docker = true|false`, else the global switch.
pub fn target_on(profile: &Profile, prefs: &TargetPrefs) -> bool {
    profile.targets.docker.unwrap_or(prefs.docker)
}

/// Plans Docker's client configuration for a switch to `profile`, when the target is on:
/// `proxies.default` gets the profile's HTTP_PROXY, HTTPS_PROXY and NO_PROXY (a proxy the
/// profile leaves unset is removed), every other byte stays. A file docker could not read is
/// a refusal naming file, line and column (the plan then does not apply). The diff masks
/// registry credentials; a new file is 0600 (docker's own mode: it will hold credentials), an
/// existing one keeps its mode unless a proxy password goes in (then 0600).
pub fn plan_client(
    env: &Env,
    profile: &Profile,
    prefs: &TargetPrefs,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    if !target_on(profile, prefs) {
        return Ok(());
    }
    let Some(path) = client_config_path(env) else {
        return Err(PlanError::Value(
            "cannot locate Docker's config.json: set HOME or DOCKER_CONFIG".into(),
        ));
    };
    let wanted: client::Wanted = client::WRITTEN.map(|(_, setting)| {
        profile
            .get(setting)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    });
    let snippet = manual_snippet(&wanted);
    let mut refused = None;
    let planned =
        plan::file_change(
            TargetKind::Docker,
            &path,
            0o600,
            |before| match client::set_default(before, &path, &wanted) {
                Ok(after) => Ok(after),
                Err(e) => {
                    refused = Some(e.to_string());
                    Ok(before.map(<[u8]>::to_vec))
                }
            },
        )?;
    if let Some(reason) = refused {
        plan.refusals.push(Refusal {
            target: TargetKind::Docker,
            path,
            reason,
            manual: Some(snippet),
        });
        return Ok(());
    }
    match planned {
        Planned::Change(mut change) => {
            change.diff = client::mask_registry_secrets(&change.diff);
            if let Some(after) = &change.after
                && let Ok(config) = client::read(after, &path)
                && let Some(block) = config.for_host(&daemon_host(env))
                && block.key != "default"
            {
                plan.warnings.push(Warning {
                    setting: None,
                    message: format!(
                        "{} has proxies for `{}`, the daemon docker talks to here (DOCKER_HOST), which docker uses instead of `default`",
                        path.display(),
                        block.key
                    ),
                });
            }
            if !change.is_noop() {
                plan.notes.push(Note {
                    target: TargetKind::Docker,
                    message: "docker reads config.json at every command: the next `docker build` and `docker run` pass the new HTTP_PROXY, HTTPS_PROXY and NO_PROXY (never GOPROXY: see `modroute env --format docker-build-args`); the daemon's own proxy, used for pulls, is not changed".into(),
                });
            }
            plan.files.push(change);
        }
        Planned::Refused(mut refusal) => {
            refusal.manual = Some(snippet);
            plan.refusals.push(refusal);
        }
    }
    Ok(())
}

/// What to put in config.json by hand when modroute may not (passwords masked).
fn manual_snippet(wanted: &client::Wanted) -> String {
    let fields: Vec<String> = client::WRITTEN
        .iter()
        .zip(wanted)
        .filter_map(|((field, _), value)| {
            let value = crate::redact::redact(value.as_deref()?);
            Some(format!("\"{field}\": {}", serde_json::Value::String(value)))
        })
        .collect();
    if fields.is_empty() {
        return "remove httpProxy, httpsProxy and noProxy from \"proxies\" → \"default\"".into();
    }
    format!(
        "\"proxies\": {{ \"default\": {{ {} }} }}",
        fields.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_config_follows_docker_config() {
        let env = Env::from_vars([("HOME", "/h")]);
        assert_eq!(
            client_config_path(&env).unwrap(),
            PathBuf::from("/h/.docker/config.json")
        );
        let env = env.with("DOCKER_CONFIG", "/etc/dc");
        assert_eq!(
            client_config_path(&env).unwrap(),
            PathBuf::from("/etc/dc/config.json")
        );
        assert_eq!(daemon_host(&env), "unix:///var/run/docker.sock");
        assert_eq!(
            daemon_host(&env.with("DOCKER_HOST", "tcp://b:2376")),
            "tcp://b:2376"
        );
    }
}
