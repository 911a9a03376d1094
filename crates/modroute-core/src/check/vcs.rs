//! The version-control step of `direct`: go runs `git ls-remote -q origin` for the repository
//! the go-get meta tag names (or, for github.com and bitbucket.org, the one it knows), and git
//! answers with *its own* configuration — `http.proxy` beats HTTPS_PROXY, `http.sslCAInfo`
//! (not SSL_CERT_FILE) decides trust for Debian's git, `url.<base>.insteadOf` can turn the
//! https URL into SSH, credential helpers and `~/.netrc` supply passwords. So the check runs the
//! real git, the way go runs it: the same environment, no terminal prompt
//! (`GIT_TERMINAL_PROMPT=0`, `GCM_INTERACTIVE=never`, ssh in batch mode), a deadline — and
//! classifies git's own message.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::net::Failure;
use super::{Outcome, Stage};
use crate::doctor::contexts::{Ran, run};
use crate::env::Env;
use crate::redact::redact_lines;

/// What go's `direct` fetches run git with.
#[derive(Clone, Debug, Default)]
pub struct Vcs {
    /// The git on PATH (`None`: not installed, and go cannot fetch from git hosts).
    pub git: Option<PathBuf>,
    /// The environment git runs with.
    pub vars: Vec<(OsString, OsString)>,
    /// Where git runs (HOME, else `/`).
    pub cwd: PathBuf,
}

impl Vcs {
    /// git as go would run it under `env`, with `overrides` replacing (`Some`) or removing
    /// (`None`) variables — a profile's proxies and CA file.
    pub fn from_env(env: &Env, overrides: &[(&str, Option<String>)]) -> Vcs {
        let mut vars: Vec<(OsString, OsString)> = env
            .iter()
            .filter(|(k, _)| !overrides.iter().any(|(name, _)| k == name))
            .map(|(k, v)| (k.to_os_string(), v.to_os_string()))
            .collect();
        for (name, value) in overrides {
            if let Some(v) = value {
                vars.push((name.into(), v.into()));
            }
        }
        let has = |vars: &[(OsString, OsString)], name: &str| {
            vars.iter().any(|(k, v)| k == name && !v.is_empty())
        };
        // cmd/go's own additions before it runs git.
        if !has(&vars, "GIT_TERMINAL_PROMPT") {
            vars.push(("GIT_TERMINAL_PROMPT".into(), "0".into()));
        }
        if !has(&vars, "GIT_SSH") && !has(&vars, "GIT_SSH_COMMAND") {
            vars.push((
                "GIT_SSH_COMMAND".into(),
                "ssh -o ControlMaster=no -o BatchMode=yes".into(),
            ));
        }
        if !has(&vars, "GCM_INTERACTIVE") {
            vars.push(("GCM_INTERACTIVE".into(), "never".into()));
        }
        Vcs {
            git: crate::gitconfig::find_git(env),
            vars,
            cwd: env
                .home()
                .filter(|h| h.is_dir())
                .unwrap_or_else(|| PathBuf::from("/")),
        }
    }

    /// Runs `git ls-remote -q <repo>` within `timeout`: the time it took, or why it failed.
    pub(crate) fn ls_remote(&self, repo: &str, timeout: Duration) -> Result<Duration, Failure> {
        let Some(git) = &self.git else {
            return Err(Failure::new(
                Stage::Vcs,
                Outcome::ProtocolError,
                format!("go runs git for {repo}, and git is not installed (not on PATH)"),
            )
            .param("reason", "no_git")
            .go("git ls-remote -q origin: exec: \"git\": executable file not found in $PATH"));
        };
        let started = Instant::now();
        let ran = run(
            git,
            &["ls-remote", "-q", repo],
            &self.vars,
            &self.cwd,
            timeout,
        );
        let took = started.elapsed();
        match ran {
            Ran::Done(true, _, _) => Ok(took),
            Ran::Done(false, _, stderr) => {
                let said = String::from_utf8_lossy(&stderr).trim().to_string();
                Err(classify(repo, &said))
            }
            Ran::TimedOut => Err(Failure::new(
                Stage::Vcs,
                Outcome::Timeout,
                format!(
                    "git ls-remote {repo} did not finish within {} ms (go gives git no deadline)",
                    timeout.as_millis()
                ),
            )
            .param("ms", timeout.as_millis().to_string())),
            Ran::Failed(e) => Err(Failure::new(Stage::Vcs, Outcome::ProtocolError, e)),
        }
    }
}

/// Whether GOVCS lets go run `vcs` for `module` (private when GOPRIVATE matches it), as cmd/go's
/// `govcsConfig.allow` decides: the user's rules first, then the default
/// `public:git|hg,private:all`; the first rule whose pattern matches decides. `Err` holds go's
/// message. (An invalid GOVCS is go's parse error, see `validate`.)
pub(crate) fn govcs_allows(
    govcs: &str,
    goprivate: &str,
    module: &str,
    vcs: &str,
) -> Result<(), String> {
    if let Err(e) = crate::validate::check(crate::Setting::GoVcs, govcs) {
        return Err(format!("{module}: {e}"));
    }
    let private = crate::modpath::matches_prefix_patterns(goprivate, module);
    let user = govcs
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .filter_map(|i| i.split_once(':'))
        .map(|(p, l)| (p.trim().to_string(), l.trim().to_string()));
    let defaults = [("public", "git|hg"), ("private", "all")]
        .into_iter()
        .map(|(p, l)| (p.to_string(), l.to_string()));
    for (pattern, list) in user.chain(defaults) {
        let matched = match pattern.as_str() {
            "private" => private,
            "public" => !private,
            p => crate::modpath::matches_prefix_patterns(p, module),
        };
        if !matched {
            continue;
        }
        if list
            .split('|')
            .map(str::trim)
            .any(|a| a == vcs || a == "all")
        {
            return Ok(());
        }
        break;
    }
    Err(format!(
        "GOVCS disallows using {vcs} for {} {module}; see 'go help vcs'",
        if private { "private" } else { "public" }
    ))
}

/// An outcome for git's message, with the message itself (redacted) as what go prints.
pub(crate) fn classify(repo: &str, said: &str) -> Failure {
    let lower = said.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
    let (outcome, what) = if has(&["could not resolve host", "could not resolve proxy"]) {
        (Outcome::Dns, "git cannot resolve the host name")
    } else if has(&[
        "received http code 407",
        "proxy authentication required",
        "proxy connect aborted",
        "received http code 403 from proxy",
    ]) {
        (
            Outcome::ProxyAuthRequired,
            "git's HTTP proxy refuses the tunnel",
        )
    } else if has(&["certificate", "ssl", "tls", "gnutls"]) {
        (
            Outcome::TlsUntrusted,
            "git does not trust the server's certificate (git reads http.sslCAInfo or GIT_SSL_CAINFO, not SSL_CERT_FILE)",
        )
    } else if has(&[
        "could not read username",
        "could not read password",
        "authentication failed",
        "terminal prompts disabled",
        "http basic: access denied",
        "permission denied (publickey",
        "returned error: 401",
        "returned error: 403",
    ]) {
        (
            Outcome::AuthRequired,
            "the repository wants credentials git does not have (a credential helper, ~/.netrc, or an SSH key)",
        )
    } else if has(&[
        "repository not found",
        "not found",
        "does not appear to be a git repository",
        "returned error: 404",
    ]) {
        (Outcome::NotFound, "the repository does not exist there")
    } else if has(&[
        "connection refused",
        "failed to connect",
        "couldn't connect",
        "connection reset",
        "connection timed out",
    ]) {
        (Outcome::Refused, "git cannot connect")
    } else {
        (Outcome::ProtocolError, "git failed")
    };
    let first = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Failure::new(
        Stage::Vcs,
        outcome,
        format!("{what}: {}", redact_lines(first.trim())),
    )
    .param("repo", crate::redact::redact(repo))
    .go(format!(
        "git ls-remote -q origin: exit status 128:\n\t{said}"
    ))
}

/// The repository the go-get meta tags in `html` name for `module`: (vcs, repo URL). As cmd/go
/// matches them, the tag whose prefix is `module` or a leading part of it.
pub(crate) fn go_import(html: &str, module: &str) -> Option<(String, String)> {
    let mut best: Option<(usize, String, String)> = None;
    let mut rest = html;
    while let Some(i) = rest.find("<meta") {
        rest = &rest[i + 5..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        rest = &rest[end..];
        if !tag.contains("go-import") {
            continue;
        }
        let Some(content) = attribute(tag, "content") else {
            continue;
        };
        let fields: Vec<&str> = content.split_whitespace().collect();
        let [prefix, vcs, repo] = fields[..] else {
            continue;
        };
        let matches = module == prefix || module.starts_with(&format!("{prefix}/"));
        if matches && best.as_ref().is_none_or(|(len, _, _)| prefix.len() > *len) {
            best = Some((prefix.len(), vcs.to_string(), repo.to_string()));
        }
    }
    best.map(|(_, vcs, repo)| (vcs, repo))
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let after = &tag[at..];
    let quote = after.chars().next()?;
    if quote == '"' || quote == '\'' {
        let inner = &after[1..];
        Some(inner[..inner.find(quote)?].to_string())
    } else {
        Some(after.split_whitespace().next()?.to_string())
    }
}

/// The repository go clones for a module on a host it knows without a meta fetch (cmd/go's
/// static `vcsPaths`: github.com and bitbucket.org map `host/owner/repo` to git at
/// `https://host/owner/repo`). `why` uses it too.
pub(crate) fn known_repo(module: &str) -> Option<String> {
    let mut parts = module.split('/');
    let host = parts.next()?;
    if !matches!(host, "github.com" | "bitbucket.org") {
        return None;
    }
    let (owner, repo) = (parts.next()?, parts.next()?);
    Some(format!("https://{host}/{owner}/{repo}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_matching_go_import_prefix_wins() {
        let html = r#"<html><head>
<meta name="go-import" content="corp.example/team git https://git.corp.example/team">
<meta name="go-import" content="corp.example/team/svc git https://git.corp.example/team/svc.git">
<meta name='go-import' content='other.example/x hg https://hg.example/x'>
</head></html>"#;
        assert_eq!(
            go_import(html, "corp.example/team/svc/sub"),
            Some(("git".into(), "https://git.corp.example/team/svc.git".into()))
        );
        assert_eq!(
            go_import(html, "corp.example/team/lib"),
            Some(("git".into(), "https://git.corp.example/team".into()))
        );
        assert_eq!(
            go_import(html, "other.example/x"),
            Some(("hg".into(), "https://hg.example/x".into()))
        );
        assert_eq!(go_import(html, "corp.example/teammate"), None);
    }

    #[test]
    fn git_messages_map_to_outcomes() {
        let cases = [
            (
                "fatal: unable to access 'https://h/r/': Could not resolve host: h",
                Outcome::Dns,
            ),
            (
                "fatal: unable to access 'https://h/r/': server certificate verification failed. CAfile: none CRLfile: none",
                Outcome::TlsUntrusted,
            ),
            (
                "fatal: could not read Username for 'https://h': terminal prompts disabled",
                Outcome::AuthRequired,
            ),
            (
                "remote: Repository not found.\nfatal: repository 'https://h/r/' not found",
                Outcome::NotFound,
            ),
            (
                "fatal: unable to access 'https://h/r/': Failed to connect to h port 443 after 0 ms: Couldn't connect to server",
                Outcome::Refused,
            ),
            (
                "fatal: unable to access 'https://h/r/': Received HTTP code 407 from proxy after CONNECT",
                Outcome::ProxyAuthRequired,
            ),
            ("fatal: something else", Outcome::ProtocolError),
        ];
        for (said, outcome) in cases {
            let f = classify("https://h/r", said);
            assert_eq!((f.outcome, f.stage), (outcome, Stage::Vcs), "{said}");
        }
        let f = classify(
            "https://u:pw@h/r",
            "fatal: unable to access 'https://u:pw@h/r/': Could not resolve host: h",
        );
        assert!(!f.detail.contains(":pw@") && !f.go_error.unwrap().contains(":pw@"));
    }

    #[test]
    fn known_hosts_skip_the_meta_fetch() {
        assert_eq!(
            known_repo("github.com/Azure/go-autorest/autorest"),
            Some("https://github.com/Azure/go-autorest".into())
        );
        assert_eq!(known_repo("gitlab.com/a/b"), None);
    }

    #[test]
    fn go_s_own_variables_are_added_unless_set() {
        let env = Env::from_vars([
            ("HOME", "/nonexistent"),
            ("PATH", ""),
            ("HTTPS_PROXY", "http://old:1"),
        ]);
        let vcs = Vcs::from_env(
            &env,
            &[
                ("HTTPS_PROXY", Some("http://new:2".into())),
                ("https_proxy", None),
            ],
        );
        let get = |name: &str| {
            vcs.vars
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(get("HTTPS_PROXY"), ["http://new:2"]);
        assert_eq!(get("GIT_TERMINAL_PROMPT"), ["0"]);
        assert_eq!(get("GCM_INTERACTIVE"), ["never"]);
        assert_eq!(
            get("GIT_SSH_COMMAND"),
            ["ssh -o ControlMaster=no -o BatchMode=yes"]
        );
        let env = env.with("GIT_SSH", "/usr/bin/plink");
        assert!(
            Vcs::from_env(&env, &[])
                .vars
                .iter()
                .all(|(k, _)| k != "GIT_SSH_COMMAND")
        );
    }
}
