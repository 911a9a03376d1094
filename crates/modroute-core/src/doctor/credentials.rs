//! Lints about the credentials go sends to private module proxies: the netrc file and GOAUTH.
//!
//! Rules (ids):
//! - `netrc-readable-by-others` — the netrc holds passwords and other users may read it.
//! - `netrc-machine-without-port` — an https GOPROXY entry has a port, and the netrc names the
//!   host without it: go looks up `machine host:port`, so it sends nothing.
//! - `netrc-ignored-by-goauth` — GOAUTH (Go 1.24+) leaves out `netrc` while the netrc has a
//!   machine for a GOPROXY host: go sends none of it.
//! - `goauth-command-not-found` — a GOAUTH command whose program is not on PATH (go prints the
//!   error only with `-x` and then sends no credentials).
//!
//! Every message names files and lines, never a login or password.

use std::path::Path;

use url::Url;

use super::lints::CONTEXT_PROCESS;
use super::{Finding, Severity};
use crate::check::Credentials;
use crate::env::Env;
use crate::netrc::Netrc;
use crate::resolve::Resolution;
use crate::setting::Setting;
use crate::validate::{ProxyEntry, parse_goproxy};

/// The credential lints for `env`, whose settings resolve to `resolutions`.
pub fn findings(env: &Env, resolutions: &[Resolution]) -> Vec<Finding> {
    let credentials = Credentials::resolved(env, resolutions);
    let goproxy = resolutions
        .iter()
        .find(|r| r.setting == Setting::GoProxy)
        .map(|r| r.value.clone())
        .unwrap_or_default();
    let hosts: Vec<Url> = parse_goproxy(&goproxy)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|e| match e {
            ProxyEntry::Url { url, .. } => Url::parse(&url).ok(),
            _ => None,
        })
        .filter(|u| u.scheme() == "https")
        .collect();
    let mut out = Vec::new();
    let netrc = match &credentials.netrc {
        Some(n) => Some(n.clone()),
        // GOAUTH may have turned the netrc off; the file can still matter to the lints.
        None => crate::netrc::load(env).ok().flatten(),
    };
    if let Some(netrc) = &netrc {
        readable_by_others(netrc, &mut out);
        for url in &hosts {
            machine_without_port(netrc, url, credentials.prefixes, &mut out);
        }
        if credentials.netrc.is_none()
            && let Some(goauth) = &credentials.goauth
        {
            ignored_by_goauth(netrc, goauth, &hosts, credentials.prefixes, &mut out);
        }
    }
    if let Some(goauth) = &credentials.goauth {
        commands_on_path(env, goauth, &mut out);
    }
    out
}

fn finding(id: &str, severity: Severity, file: Option<&Path>, line: Option<usize>) -> Finding {
    Finding {
        id: id.to_string(),
        severity,
        var: None,
        context: CONTEXT_PROCESS.to_string(),
        file: file.map(Path::to_path_buf),
        line,
        message: String::new(),
        fix: None,
        fix_action: None,
    }
}

fn readable_by_others(netrc: &Netrc, out: &mut Vec<Finding>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(meta) = std::fs::metadata(&netrc.path) else {
            return;
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 && !netrc.entries.is_empty() {
            let mut f = finding(
                "netrc-readable-by-others",
                Severity::Warning,
                Some(&netrc.path),
                None,
            );
            f.message = format!(
                "{} holds passwords and is readable by other users (mode {mode:04o})",
                netrc.path.display()
            );
            f.fix = Some(format!("chmod 600 {}", netrc.path.display()));
            out.push(f);
        }
    }
    #[cfg(not(unix))]
    let _ = (netrc, out);
}

fn host_port(url: &Url) -> Option<(String, String)> {
    let host = url.host_str()?.to_string();
    let with_port = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.clone(),
    };
    Some((host, with_port))
}

fn machine_without_port(netrc: &Netrc, url: &Url, prefixes: bool, out: &mut Vec<Finding>) {
    let Some((host, with_port)) = host_port(url) else {
        return;
    };
    if host == with_port || netrc.lookup(&with_port, url.path(), prefixes).is_some() {
        return;
    }
    let Some(entry) = netrc.entries.iter().find(|e| e.machine == host) else {
        return;
    };
    let mut f = finding(
        "netrc-machine-without-port",
        Severity::Error,
        Some(&netrc.path),
        Some(entry.line),
    );
    f.var = Some("GOPROXY".into());
    f.message = format!(
        "{} line {} names `machine {host}`, but GOPROXY's {} has a port: go looks up \
         `machine {with_port}` and sends no credentials, so the proxy answers 401/403",
        netrc.path.display(),
        entry.line,
        crate::redact::redact(url.as_str().trim_end_matches('/'))
    );
    f.fix = Some(format!(
        "Write `machine {with_port}` on line {} of {}",
        entry.line,
        netrc.path.display()
    ));
    out.push(f);
}

fn ignored_by_goauth(
    netrc: &Netrc,
    goauth: &str,
    hosts: &[Url],
    prefixes: bool,
    out: &mut Vec<Finding>,
) {
    for url in hosts {
        let Some((_, with_port)) = host_port(url) else {
            continue;
        };
        if let Some(entry) = netrc.lookup(&with_port, url.path(), prefixes) {
            let mut f = finding(
                "netrc-ignored-by-goauth",
                Severity::Warning,
                Some(&netrc.path),
                Some(entry.line),
            );
            f.var = Some("GOAUTH".into());
            f.message = format!(
                "GOAUTH={goauth} leaves out netrc, so go (1.24+) does not send the credentials \
                 of {} line {} to {with_port}",
                netrc.path.display(),
                entry.line
            );
            f.fix = Some(if goauth.trim() == "off" {
                "Unset GOAUTH (its default is netrc)".to_string()
            } else {
                format!("Add netrc to GOAUTH: GOAUTH=\"{goauth};netrc\"")
            });
            out.push(f);
            return;
        }
    }
}

fn commands_on_path(env: &Env, goauth: &str, out: &mut Vec<Finding>) {
    for (i, method) in goauth.split(';').map(str::trim).enumerate() {
        let Some(program) = method.split_whitespace().next() else {
            continue;
        };
        if matches!(program, "off" | "netrc" | "git") {
            continue;
        }
        let found = if Path::new(program).is_absolute() {
            Path::new(program).is_file()
        } else {
            let path = env.get("PATH").unwrap_or_default();
            which::which_in(program, Some(path), "/").is_ok()
        };
        if !found {
            let mut f = finding("goauth-command-not-found", Severity::Error, None, None);
            f.var = Some("GOAUTH".into());
            f.message = format!(
                "GOAUTH command {} runs `{program}`, which is not on PATH: go sends no \
                 credentials from it (the error shows only with `go … -x`)",
                i + 1
            );
            f.fix = Some(format!(
                "Install {program} or give its absolute path in GOAUTH"
            ));
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolutions(env: &Env) -> Vec<Resolution> {
        crate::status::resolutions(env)
    }

    fn ids(fs: &[Finding]) -> Vec<&str> {
        fs.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn a_machine_without_the_proxy_port_is_named_with_its_line() {
        let home = tempfile::tempdir().unwrap();
        let netrc = home.path().join(".netrc");
        std::fs::write(
            &netrc,
            "machine other login a password b\nmachine athens.corp login u password s3cret\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let env = Env::from_vars([
            ("HOME", home.path().as_os_str()),
            ("GOENV", "off".as_ref()),
            ("PATH", "".as_ref()),
            ("GOPROXY", "https://athens.corp:8443,direct".as_ref()),
        ]);
        let fs = findings(&env, &resolutions(&env));
        assert_eq!(ids(&fs), ["netrc-machine-without-port"]);
        assert_eq!(fs[0].line, Some(2));
        assert!(
            fs[0].message.contains("`machine athens.corp:8443`"),
            "{}",
            fs[0].message
        );
        assert!(!format!("{fs:?}").contains("s3cret"));

        // The right machine: nothing to say.
        std::fs::write(&netrc, "machine athens.corp:8443 login u password s3cret\n").unwrap();
        assert!(findings(&env, &resolutions(&env)).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_netrc_others_can_read_is_flagged() {
        use std::os::unix::fs::PermissionsExt;
        let home = tempfile::tempdir().unwrap();
        let netrc = home.path().join(".netrc");
        std::fs::write(&netrc, "machine h login u password p\n").unwrap();
        std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o644)).unwrap();
        let env = Env::from_vars([
            ("HOME", home.path().as_os_str()),
            ("GOENV", "off".as_ref()),
            ("PATH", "".as_ref()),
        ]);
        let fs = findings(&env, &resolutions(&env));
        assert_eq!(ids(&fs), ["netrc-readable-by-others"]);
        assert_eq!(
            fs[0].fix.as_deref(),
            Some(format!("chmod 600 {}", netrc.display()).as_str())
        );
    }

    #[test]
    fn goauth_off_and_missing_commands_are_flagged() {
        let home = tempfile::tempdir().unwrap();
        let netrc = home.path().join(".netrc");
        std::fs::write(&netrc, "machine athens.corp login u password p\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&netrc, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        // No go on PATH: the newest behaviour (GOAUTH read) is assumed.
        let env = Env::from_vars([
            ("HOME", home.path().as_os_str()),
            ("GOENV", "off".as_ref()),
            ("PATH", "".as_ref()),
            ("GOPROXY", "https://athens.corp".as_ref()),
            ("GOAUTH", "off".as_ref()),
        ]);
        let fs = findings(&env, &resolutions(&env));
        assert_eq!(ids(&fs), ["netrc-ignored-by-goauth"]);
        assert_eq!(
            fs[0].fix.as_deref(),
            Some("Unset GOAUTH (its default is netrc)")
        );

        let env = env.with("GOAUTH", "no-such-helper-xyz --token; netrc");
        let fs = findings(&env, &resolutions(&env));
        assert_eq!(ids(&fs), ["goauth-command-not-found"]);
        assert!(fs[0].message.contains("`no-such-helper-xyz`"));
    }
}
