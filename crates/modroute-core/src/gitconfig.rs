//! git's own view of its configuration, read by running the real git.
//!
//! `go` fetches `direct` modules by running `git`, and git has proxy, TLS and URL-rewriting
//! settings of its own that beat the environment go passes it: `http.proxy` wins over
//! `HTTPS_PROXY`, `url.<base>.insteadOf` can turn an `https://` fetch into SSH. This module is
//! the one place that reads them:
//!
//! - [`read`] runs `git config --list --show-origin --show-scope -z` (with `-C <project>` for a
//!   repository's own config) with exactly the [`Env`]'s variables, stdin closed, no terminal
//!   prompt and a deadline. git itself decides which files count (`GIT_CONFIG_NOSYSTEM`,
//!   `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_COUNT`, includes, `includeIf` …), so nothing here
//!   re-implements its file discovery. Each [`GitEntry`] carries its scope and file as git
//!   reports them (git does not report line numbers).
//! - [`GitConfig`] answers the questions callers ask, with git's rules: the `http.<url>.*`
//!   setting that applies to a URL ([`GitConfig::http_for`], git's `urlmatch`), URL rewriting
//!   ([`GitConfig::rewrite`], longest `insteadOf` prefix), and the proxy git really uses
//!   ([`GitConfig::proxy`]: config first, then git's own environment fallback, in which the
//!   lower-case `https_proxy` beats `HTTPS_PROXY` — the reverse of Go).
//! - [`global_file`] is where `git config --global` writes, and [`set_proxy_in`] computes the
//!   new bytes of such a file by running `git config --file` on a private copy, so a switch can
//!   show and journal exact before/after bytes without git touching the real file.
//! - [`view`] is the redacted summary the status report and the app's Overview show.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::doctor::contexts::{Ran, kill_group};
use crate::env::Env;
use crate::redact::redact;

/// How long a git invocation may take before it is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Which configuration layer a value comes from (git's `--show-scope`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// `/etc/gitconfig` (or `$GIT_CONFIG_SYSTEM`).
    System,
    /// The user's file (`~/.gitconfig`, `$XDG_CONFIG_HOME/git/config`, `$GIT_CONFIG_GLOBAL`).
    Global,
    /// The repository's `.git/config`.
    Local,
    /// The worktree's `config.worktree`.
    Worktree,
    /// `git -c`, `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`.
    Command,
    /// Anything else git may print (a blob, standard input).
    Other,
}

impl Scope {
    fn parse(text: &str) -> Scope {
        match text {
            "system" => Scope::System,
            "global" => Scope::Global,
            "local" => Scope::Local,
            "worktree" => Scope::Worktree,
            "command" => Scope::Command,
            _ => Scope::Other,
        }
    }
}

/// One `key=value` line of git's configuration, with where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitEntry {
    /// The key as git prints it: section and variable lower-case, the subsection as written
    /// (`url.git@github.com:.insteadof`, `http.https://example.com/.proxy`).
    pub key: String,
    /// The value, unredacted; `None` for a bare key (`[http] sslVerify`, which means true).
    pub value: Option<String>,
    /// The layer.
    pub scope: Scope,
    /// The file, when the value comes from one (relative origins resolved).
    pub file: Option<PathBuf>,
    /// git's origin text (`file:/home/u/.gitconfig`, `command line:`).
    pub origin: String,
}

impl GitEntry {
    /// `(section, subsection, variable)`.
    pub fn parts(&self) -> (&str, Option<&str>, &str) {
        split_key(&self.key)
    }

    /// The value as git reads a boolean (`true`/`yes`/`on`/`1`/bare → true).
    pub fn as_bool(&self) -> Option<bool> {
        match self.value.as_deref() {
            None => Some(true),
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => Some(true),
                "false" | "no" | "off" | "" => Some(false),
                n => n.parse::<i64>().ok().map(|n| n != 0),
            },
        }
    }
}

/// Splits `section.sub.section.variable` at its first and last dot.
fn split_key(key: &str) -> (&str, Option<&str>, &str) {
    let Some(first) = key.find('.') else {
        return (key, None, "");
    };
    let last = key.rfind('.').unwrap_or(first);
    if first == last {
        (&key[..first], None, &key[first + 1..])
    } else {
        (&key[..first], Some(&key[first + 1..last]), &key[last + 1..])
    }
}

/// Why git's configuration could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GitConfigError {
    /// No `git` on the environment's PATH.
    #[error("git is not on PATH")]
    NotInstalled,
    /// git did not finish in time.
    #[error("`git config` did not finish within {} s", .0.as_secs_f32())]
    Timeout(Duration),
    /// git failed (its message, with private paths replaced by the file the user knows).
    #[error("{0}")]
    Git(String),
    /// A temporary file could not be used.
    #[error("{0}")]
    Io(String),
}

/// Everything git's `config --list` printed, in git's order (weakest layer first; within a
/// file, top to bottom — so the last entry of a key wins).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GitConfig {
    /// The git binary that was asked.
    pub git: PathBuf,
    /// Every entry.
    pub entries: Vec<GitEntry>,
}

/// The `git` on the environment's PATH.
pub fn find_git(env: &Env) -> Option<PathBuf> {
    let path = env.get_os("PATH")?;
    which::which_in("git", Some(path), "/").ok()
}

/// Runs git with exactly `vars`, stdin closed, output captured, killed (with its process
/// group) at `timeout`. No terminal and no new session are needed: `git config` never prompts
/// with stdin closed and `GIT_TERMINAL_PROMPT=0`, and starts no background process.
fn run(
    git: &Path,
    args: &[&str],
    vars: &[(OsString, OsString)],
    cwd: &Path,
    timeout: Duration,
) -> Ran {
    use std::process::{Command, Stdio};
    let mut command = Command::new(git);
    command
        .args(args)
        .env_clear()
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return Ran::Failed(format!("cannot start {}: {e}", git.display())),
    };
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(timeout) {
        Ok(Ok(out)) => Ran::Done(out.status.success(), out.stdout, out.stderr),
        Ok(Err(e)) => Ran::Failed(e.to_string()),
        Err(_) => {
            kill_group(pid);
            let _ = rx.recv_timeout(Duration::from_secs(2));
            Ran::TimedOut
        }
    }
}

/// The variables git runs with: the snapshot's own, never a terminal prompt.
fn git_vars(env: &Env) -> Vec<(OsString, OsString)> {
    let mut vars: Vec<(OsString, OsString)> = env
        .iter()
        .filter(|(k, _)| *k != "GIT_TERMINAL_PROMPT" && *k != "GIT_PAGER" && *k != "PAGER")
        .map(|(k, v)| (k.to_os_string(), v.to_os_string()))
        .collect();
    vars.push(("GIT_TERMINAL_PROMPT".into(), "0".into()));
    vars.push(("GIT_PAGER".into(), "cat".into()));
    vars
}

/// Reads git's configuration as git sees it with `env` (and, with `project`, that
/// repository's config too).
pub fn read(
    env: &Env,
    project: Option<&Path>,
    timeout: Duration,
) -> Result<GitConfig, GitConfigError> {
    let git = find_git(env).ok_or(GitConfigError::NotInstalled)?;
    let cwd = project
        .filter(|p| p.is_dir())
        .map(Path::to_path_buf)
        .or_else(|| env.home().filter(|h| h.is_dir()))
        .unwrap_or_else(|| PathBuf::from("/"));
    let mut args: Vec<String> = Vec::new();
    if project.is_none() {
        // Outside any repository on purpose: only the system, global and command layers.
        args.extend(["--git-dir".into(), "/nonexistent/modroute-no-repo".into()]);
    }
    args.extend(
        ["config", "--list", "--show-origin", "--show-scope", "-z"]
            .iter()
            .map(|s| (*s).to_string()),
    );
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    match run(&git, &argv, &git_vars(env), &cwd, timeout) {
        Ran::Done(true, stdout, _) => Ok(GitConfig {
            git,
            entries: parse_list(&stdout, &cwd),
        }),
        // `git config --list` exits 1 with no output when there is no configuration at all.
        Ran::Done(false, stdout, stderr) if stdout.is_empty() && stderr.is_empty() => {
            Ok(GitConfig {
                git,
                entries: Vec::new(),
            })
        }
        Ran::Done(false, _, stderr) => Err(GitConfigError::Git(
            crate::redact::redact_lines(String::from_utf8_lossy(&stderr).trim()).to_string(),
        )),
        Ran::TimedOut => Err(GitConfigError::Timeout(timeout)),
        Ran::Failed(e) => Err(GitConfigError::Git(e)),
    }
}

/// Parses `git config --list --show-origin --show-scope -z` output: per entry
/// `scope NUL origin NUL key [LF value] NUL`. Relative file origins (a repository's
/// `.git/config`) are resolved against `cwd` or the nearest ancestor where they exist.
pub fn parse_list(bytes: &[u8], cwd: &Path) -> Vec<GitEntry> {
    let mut fields = bytes.split(|&b| b == 0);
    let mut out = Vec::new();
    while let (Some(scope), Some(origin), Some(item)) =
        (fields.next(), fields.next(), fields.next())
    {
        if scope.is_empty() && origin.is_empty() && item.is_empty() {
            break;
        }
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let (key, value) = match item.iter().position(|&b| b == b'\n') {
            Some(i) => (text(&item[..i]), Some(text(&item[i + 1..]))),
            None => (text(item), None),
        };
        let origin = text(origin);
        let file = origin.strip_prefix("file:").map(|p| {
            let p = Path::new(p);
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd.ancestors()
                    .map(|dir| dir.join(p))
                    .find(|candidate| candidate.exists())
                    .unwrap_or_else(|| cwd.join(p))
            }
        });
        out.push(GitEntry {
            key,
            value,
            scope: Scope::parse(&text(scope)),
            file,
            origin,
        });
    }
    out
}

/// A URL split the way git's `urlmatch` compares URLs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct UrlParts {
    scheme: String,
    user: Option<String>,
    host: String,
    port: Option<String>,
    path: String,
}

fn split_url(url: &str) -> Option<UrlParts> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let (user, hostport) = match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            (Some(user.to_string()), &authority[at + 1..])
        }
        None => (None, authority),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
            if p.chars().all(|c| c.is_ascii_digit()) {
                (
                    h,
                    (!p.is_empty()).then(|| p.trim_start_matches('0').to_string()),
                )
            } else {
                (hostport, None)
            }
        }
        _ => (hostport, None),
    };
    let default_port = match scheme.as_str() {
        "http" => Some("80"),
        "https" => Some("443"),
        _ => None,
    };
    let port = port.filter(|p| Some(p.as_str()) != default_port);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let path = if path.is_empty() { "/" } else { path };
    Some(UrlParts {
        scheme,
        user: user.filter(|u| !u.is_empty()),
        host: host.to_ascii_lowercase(),
        port,
        path: path.to_string(),
    })
}

/// How well a `http.<url>.*` key matches a URL (git's `urlmatch` ranking): longer host
/// pattern, then longer path, then a matching user name win.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct MatchRank {
    host: usize,
    path: usize,
    user: bool,
}

fn host_matches(pattern: &str, host: &str) -> bool {
    let p: Vec<&str> = pattern.split('.').collect();
    let h: Vec<&str> = host.split('.').collect();
    p.len() == h.len() && p.iter().zip(&h).all(|(p, h)| *p == "*" || p == h)
}

fn url_match(pattern: &str, url: &UrlParts) -> Option<MatchRank> {
    let pat = split_url(pattern)?;
    if pat.scheme != url.scheme || !host_matches(&pat.host, &url.host) || pat.port != url.port {
        return None;
    }
    let user = match &pat.user {
        Some(u) => {
            if url.user.as_deref() != Some(u.as_str()) {
                return None;
            }
            true
        }
        None => false,
    };
    let path = if pat.path == "/" {
        1
    } else {
        let prefix = pat.path.trim_end_matches('/');
        let rest = url.path.strip_prefix(prefix)?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        pat.path.len()
    };
    let host = pat.host.len() + pat.port.as_ref().map_or(0, |p| p.len() + 1);
    Some(MatchRank { host, path, user })
}

/// Where the proxy git uses for a URL comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum ProxySource {
    /// A configuration key (`http.proxy`, `http.<url>.proxy`).
    Config {
        /// The key.
        key: String,
        /// Its layer.
        scope: Scope,
        /// Its file.
        file: Option<PathBuf>,
    },
    /// An environment variable git falls back to.
    Env {
        /// The variable (`https_proxy`, `HTTPS_PROXY`, `http_proxy`, `ALL_PROXY`, `all_proxy`).
        var: String,
    },
    /// No proxy at all.
    None,
}

/// The proxy git uses for one URL. An empty value means "no proxy" (git turns proxying off for
/// an empty `http.proxy`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GitProxy {
    /// The proxy, unredacted; `None` or empty: direct.
    pub value: Option<String>,
    /// Where it comes from.
    pub source: ProxySource,
}

/// A URL rewritten by `url.<base>.insteadOf` (or `pushInsteadOf`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewrite {
    /// The URL git really uses.
    pub url: String,
    /// The rule's base (`git@github.com:`).
    pub base: String,
    /// The prefix it replaced (`https://github.com/`).
    pub instead_of: String,
    /// The rule's entry.
    pub entry: GitEntry,
}

impl GitConfig {
    /// Every entry of `key` (compared without case in section and variable), in order.
    pub fn all(&self, key: &str) -> impl Iterator<Item = &GitEntry> + '_ {
        let (section, sub, var) = split_key(key);
        let (section, sub, var) = (
            section.to_string(),
            sub.map(str::to_string),
            var.to_string(),
        );
        self.entries.iter().filter(move |e| {
            let (s, b, v) = e.parts();
            s.eq_ignore_ascii_case(&section) && b == sub.as_deref() && v.eq_ignore_ascii_case(&var)
        })
    }

    /// The value git uses for a single-valued key (the last one).
    pub fn last(&self, key: &str) -> Option<&GitEntry> {
        self.all(key).last()
    }

    /// The `http.*` setting `variable` that applies to `url`: the best `http.<url>.<variable>`
    /// match, else plain `http.<variable>` (git's `urlmatch`: on equal rank the later wins).
    pub fn http_for(&self, variable: &str, url: &str) -> Option<&GitEntry> {
        let target = split_url(url);
        let mut best: Option<(MatchRank, &GitEntry)> = None;
        for e in &self.entries {
            let (section, sub, var) = e.parts();
            if !section.eq_ignore_ascii_case("http") || !var.eq_ignore_ascii_case(variable) {
                continue;
            }
            let rank = match sub {
                None => Some(MatchRank {
                    host: 0,
                    path: 0,
                    user: false,
                }),
                Some(pattern) => target.as_ref().and_then(|t| url_match(pattern, t)),
            };
            if let Some(rank) = rank
                && best.as_ref().is_none_or(|(b, _)| rank >= *b)
            {
                best = Some((rank, e));
            }
        }
        best.map(|(_, e)| e)
    }

    /// The proxy git uses for `url` with `env`: `http.<url>.proxy`/`http.proxy` when set,
    /// otherwise git's own environment fallback (for https: `HTTPS_PROXY`, then `https_proxy`
    /// overriding it; for http: `http_proxy` only; then `ALL_PROXY`/`all_proxy`).
    pub fn proxy(&self, env: &Env, url: &str) -> GitProxy {
        if let Some(e) = self.http_for("proxy", url) {
            return GitProxy {
                value: Some(e.value.clone().unwrap_or_default()),
                source: ProxySource::Config {
                    key: e.key.clone(),
                    scope: e.scope,
                    file: e.file.clone(),
                },
            };
        }
        env_proxy(env, url.to_ascii_lowercase().starts_with("https:"))
    }

    /// `url` after git's `insteadOf` rewriting (the longest matching prefix; the first rule
    /// on a tie), or `None` when no rule applies. With `push`, `pushInsteadOf` rules are tried
    /// first, as git does for push URLs.
    pub fn rewrite(&self, url: &str, push: bool) -> Option<Rewrite> {
        let pick = |variable: &str| -> Option<Rewrite> {
            // Rules are grouped by base in order of first appearance, as git stores them.
            let mut bases: Vec<&str> = Vec::new();
            for e in &self.entries {
                let (section, sub, var) = e.parts();
                if section.eq_ignore_ascii_case("url")
                    && var.eq_ignore_ascii_case(variable)
                    && let Some(base) = sub
                    && !bases.contains(&base)
                {
                    bases.push(base);
                }
            }
            let mut best: Option<Rewrite> = None;
            for base in bases {
                for e in &self.entries {
                    let (section, sub, var) = e.parts();
                    if !(section.eq_ignore_ascii_case("url")
                        && var.eq_ignore_ascii_case(variable)
                        && sub == Some(base))
                    {
                        continue;
                    }
                    let Some(prefix) = e.value.as_deref() else {
                        continue;
                    };
                    if url.starts_with(prefix)
                        && best
                            .as_ref()
                            .is_none_or(|b| b.instead_of.len() < prefix.len())
                    {
                        best = Some(Rewrite {
                            url: format!("{base}{}", &url[prefix.len()..]),
                            base: base.to_string(),
                            instead_of: prefix.to_string(),
                            entry: e.clone(),
                        });
                    }
                }
            }
            best
        };
        if push && let Some(r) = pick("pushinsteadof") {
            return Some(r);
        }
        pick("insteadof")
    }

    /// The `credential.helper` entries that apply (`credential.<url>.helper` included), in
    /// order; an empty value resets the list, as in git.
    pub fn credential_helpers(&self) -> Vec<&GitEntry> {
        let mut out: Vec<&GitEntry> = Vec::new();
        for e in &self.entries {
            let (section, _, var) = e.parts();
            if section.eq_ignore_ascii_case("credential") && var.eq_ignore_ascii_case("helper") {
                if e.value.as_deref().is_some_and(str::is_empty) {
                    out.clear();
                } else {
                    out.push(e);
                }
            }
        }
        out
    }

    /// Entries git does not read at all but users set expecting an effect: `https.proxy`
    /// (git only knows `http.proxy`, which covers https URLs too).
    pub fn ignored_proxy_keys(&self) -> Vec<&GitEntry> {
        self.entries
            .iter()
            .filter(|e| {
                let (section, _, var) = e.parts();
                section.eq_ignore_ascii_case("https") && var.eq_ignore_ascii_case("proxy")
            })
            .collect()
    }
}

/// The proxy git takes from the environment when its configuration names none.
pub fn env_proxy(env: &Env, https: bool) -> GitProxy {
    let mut found: Option<(&str, String)> = None;
    let names: &[&str] = if https {
        &["HTTPS_PROXY", "https_proxy"]
    } else {
        &["http_proxy"]
    };
    for name in names {
        if let Some(v) = env.get(name) {
            found = Some((name, v));
        }
    }
    if found.is_none() {
        for name in ["ALL_PROXY", "all_proxy"] {
            if let Some(v) = env.get(name) {
                found = Some((name, v));
            }
        }
    }
    match found {
        Some((var, value)) => GitProxy {
            value: Some(value),
            source: ProxySource::Env { var: var.into() },
        },
        None => GitProxy {
            value: None,
            source: ProxySource::None,
        },
    }
}

/// The file `git config --global` writes for `env`: `$GIT_CONFIG_GLOBAL` when set; otherwise
/// `~/.gitconfig`, unless that does not exist and the XDG file
/// (`$XDG_CONFIG_HOME/git/config`, default `~/.config/git/config`) does.
pub fn global_file(env: &Env) -> Option<PathBuf> {
    if let Some(path) = env.path("GIT_CONFIG_GLOBAL") {
        return Some(path);
    }
    let home = env.home();
    let xdg = match env.path("XDG_CONFIG_HOME") {
        Some(dir) => Some(dir.join("git/config")),
        None => home.as_ref().map(|h| h.join(".config/git/config")),
    };
    let user = home.map(|h| h.join(".gitconfig"));
    match (user, xdg) {
        (Some(user), Some(xdg)) if !exists(&user) && exists(&xdg) => Some(xdg),
        (Some(user), _) => Some(user),
        (None, xdg) => xdg,
    }
}

/// Whether git's `access(path, R_OK)` would find the file (a dangling symlink does not count).
fn exists(path: &Path) -> bool {
    std::fs::metadata(path).is_ok()
}

/// The new bytes of a git config file whose current bytes are `before` (`None`: it does not
/// exist) after setting `http.proxy` to `value` (`None`: removing every `http.proxy`), computed
/// by the real git on a private copy — so the result is exactly what `git config` writes:
/// comments, includes and every other line kept. `shown` names the real file in errors (git's
/// own message, with its line number when the file cannot be parsed).
pub fn set_proxy_in(
    env: &Env,
    before: Option<&[u8]>,
    value: Option<&str>,
    shown: &Path,
    timeout: Duration,
) -> Result<Option<Vec<u8>>, GitConfigError> {
    let git = find_git(env).ok_or(GitConfigError::NotInstalled)?;
    if before.is_none() && value.is_none() {
        return Ok(None);
    }
    let dir = tempfile::tempdir().map_err(|e| GitConfigError::Io(e.to_string()))?;
    let copy = dir.path().join("config");
    std::fs::write(&copy, before.unwrap_or_default())
        .map_err(|e| GitConfigError::Io(e.to_string()))?;
    // Only this file: no system or user layer, no repository.
    let vars: Vec<(OsString, OsString)> = vec![
        ("PATH".into(), env.get_os("PATH").unwrap_or_default().into()),
        ("HOME".into(), dir.path().into()),
        ("GIT_CONFIG_NOSYSTEM".into(), "1".into()),
        ("GIT_TERMINAL_PROMPT".into(), "0".into()),
        ("LC_ALL".into(), "C".into()),
    ];
    let copy_arg = copy.to_string_lossy().into_owned();
    let mut args = vec![
        "--git-dir",
        "/nonexistent/modroute-no-repo",
        "config",
        "--file",
        copy_arg.as_str(),
    ];
    match value {
        Some(v) => args.extend(["--replace-all", "http.proxy", v]),
        None => args.extend(["--unset-all", "http.proxy"]),
    }
    let ran = run(&git, &args, &vars, dir.path(), timeout);
    let fail = |stderr: &[u8]| {
        let text = String::from_utf8_lossy(stderr).replace(&copy_arg, &shown.to_string_lossy());
        GitConfigError::Git(crate::redact::redact_lines(text.trim()).to_string())
    };
    match ran {
        Ran::Done(true, _, _) => {}
        // Exit 5 from --unset-all: there was nothing to remove.
        Ran::Done(false, _, stderr) if value.is_none() && stderr.is_empty() => {
            return Ok(before.map(<[u8]>::to_vec));
        }
        Ran::Done(false, _, stderr) => return Err(fail(&stderr)),
        Ran::TimedOut => return Err(GitConfigError::Timeout(timeout)),
        Ran::Failed(e) => return Err(GitConfigError::Git(e)),
    }
    let after = std::fs::read(&copy).map_err(|e| GitConfigError::Io(e.to_string()))?;
    // Read back through git: the file must hold exactly the value asked for.
    let check = run(
        &git,
        &[
            "--git-dir",
            "/nonexistent/modroute-no-repo",
            "config",
            "--file",
            copy_arg.as_str(),
            "--get-all",
            "http.proxy",
        ],
        &vars,
        dir.path(),
        timeout,
    );
    let got = match check {
        Ran::Done(true, stdout, _) => Some(String::from_utf8_lossy(&stdout).into_owned()),
        Ran::Done(false, _, stderr) if stderr.is_empty() => None,
        Ran::Done(false, _, stderr) => return Err(fail(&stderr)),
        Ran::TimedOut => return Err(GitConfigError::Timeout(timeout)),
        Ran::Failed(e) => return Err(GitConfigError::Git(e)),
    };
    let want = value.map(|v| format!("{v}\n"));
    if got != want {
        return Err(GitConfigError::Git(format!(
            "{}: git did not store http.proxy as asked (it reads back {})",
            shown.display(),
            got.map_or("nothing".into(), |g| redact(g.trim_end()))
        )));
    }
    Ok(Some(after))
}

/// The proxy a profile gives git: its HTTPS proxy (git's `http.proxy` covers https URLs too),
/// else its HTTP proxy; `None` when it has neither (then `http.proxy` is removed).
pub fn profile_proxy(profile: &crate::profile::Profile) -> Option<&str> {
    use crate::setting::Setting;
    profile
        .get(Setting::HttpsProxy)
        .or_else(|| profile.get(Setting::HttpProxy))
        .filter(|v| !v.is_empty())
}

/// Adds to `plan` the change of git's global config that sets `http.proxy` to `value` (or
/// removes it), computed by git ([`set_proxy_in`]). The git target and the doctor's fix share it.
pub fn plan_global_proxy(
    env: &Env,
    value: Option<&str>,
    plan: &mut crate::plan::Plan,
) -> Result<(), crate::plan::PlanError> {
    use crate::plan::{self, PlanError, TargetKind};
    let Some(path) = global_file(env) else {
        return Err(PlanError::Value(
            "cannot tell where git's global config is (set HOME)".into(),
        ));
    };
    let planned = plan::file_change(TargetKind::Git, &path, 0o644, |before| {
        set_proxy_in(env, before, value, &path, DEFAULT_TIMEOUT)
            .map_err(|e| PlanError::Value(format!("git target: {e}")))
    })?;
    plan::push(plan, planned);
    Ok(())
}

/// Plans git as a switch target (when `prefs.git` is on): `http.proxy` in the file
/// `git config --global` writes, set to the profile's proxy or removed, with the new bytes
/// computed by git itself ([`set_proxy_in`]). Settings that would still beat it (a
/// `http.<url>.proxy`, a command-scope value) become warnings.
pub fn plan_proxy(
    env: &Env,
    profile: &crate::profile::Profile,
    prefs: &crate::targets::TargetPrefs,
    plan: &mut crate::plan::Plan,
) -> Result<(), crate::plan::PlanError> {
    use crate::plan::TargetKind;
    if !prefs.git {
        return Ok(());
    }
    let value = profile_proxy(profile);
    plan_global_proxy(env, value, plan)?;
    plan.notes.push(crate::plan::Note {
        target: TargetKind::Git,
        message: match value {
            Some(_) => "git reads its configuration at every run: go's next `direct` fetch goes through this proxy (http.proxy covers https URLs too; NO_PROXY still applies)".into(),
            None => "git reads its configuration at every run: go's next `direct` fetch uses no configured proxy (git falls back to https_proxy / HTTPS_PROXY)".into(),
        },
    });
    if let Ok(config) = read(env, None, DEFAULT_TIMEOUT) {
        for e in &config.entries {
            let (section, sub, var) = e.parts();
            if !section.eq_ignore_ascii_case("http") || !var.eq_ignore_ascii_case("proxy") {
                continue;
            }
            let beats = sub.is_some() || e.scope == Scope::Command;
            if beats {
                plan.warnings.push(crate::plan::Warning {
                    setting: None,
                    message: format!(
                        "git: {}={} ({}) still beats the http.proxy this switch writes{}",
                        e.key,
                        e.value.as_deref().map(redact).unwrap_or_default(),
                        match e.scope {
                            Scope::Command => "set on the command line or in GIT_CONFIG_*".into(),
                            _ => e
                                .file
                                .as_ref()
                                .map_or("config".to_string(), |f| f.display().to_string()),
                        },
                        sub.map(|u| format!(" for {u}")).unwrap_or_default()
                    ),
                });
            }
        }
    }
    Ok(())
}

/// One of git's settings as the status report shows it (value redacted).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ViewEntry {
    /// The key as git prints it.
    pub key: String,
    /// The value (redacted); `None` for a bare key.
    pub value: Option<String>,
    /// The layer.
    pub scope: Scope,
    /// The file.
    pub file: Option<PathBuf>,
}

impl ViewEntry {
    fn of(e: &GitEntry) -> Self {
        let (section, _, var) = e.parts();
        let helper =
            section.eq_ignore_ascii_case("credential") && var.eq_ignore_ascii_case("helper");
        let value = e.value.as_deref().map(|v| {
            if helper && v.trim_start().starts_with('!') {
                // An inline shell helper may print a token: only say what it is.
                "!(shell command)".to_string()
            } else {
                shown(v)
            }
        });
        ViewEntry {
            key: shown(&e.key),
            value,
            scope: e.scope,
            file: e.file.clone(),
        }
    }
}

/// A key or value of git's configuration as it may be shown: URL passwords masked, and user
/// names in URLs too (`https://<token>@github.com/` in an `insteadOf` base is a credential).
pub fn shown(text: &str) -> String {
    crate::doctor::scrub(text)
}

/// The proxy git uses, for the report (redacted).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ViewProxy {
    /// The proxy (redacted); `None` or empty: git connects directly.
    pub value: Option<String>,
    /// Where it comes from.
    pub source: ProxySource,
}

impl ViewProxy {
    fn of(p: &GitProxy) -> Self {
        let source = match &p.source {
            ProxySource::Config { key, scope, file } => ProxySource::Config {
                key: shown(key),
                scope: *scope,
                file: file.clone(),
            },
            other => other.clone(),
        };
        ViewProxy {
            value: p.value.as_deref().map(redact),
            source,
        }
    }
}

/// git's view, as `status` and the app's Overview show it: the settings that decide how
/// `direct` fetches travel, and whether git's proxy agrees with Go's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GitView {
    /// The git binary asked, when there is one.
    pub git: Option<PathBuf>,
    /// Why git's configuration could not be read (redacted).
    pub error: Option<String>,
    /// The proxy git uses for `https://` fetches.
    pub https_proxy: Option<ViewProxy>,
    /// The proxy Go uses for `https://` requests (HTTPS_PROXY, then https_proxy; redacted).
    pub go_https_proxy: Option<String>,
    /// git and Go use the same proxy for https.
    pub agrees: bool,
    /// `http.*proxy`, `https.proxy`, `http.*sslverify`, `http.*sslcainfo`,
    /// `url.*.insteadof`, `url.*.pushinsteadof`, `credential*.helper` — in git's order.
    pub settings: Vec<ViewEntry>,
}

/// The keys [`GitView::settings`] lists.
pub fn is_network_key(key: &str) -> bool {
    let (section, _, var) = split_key(key);
    let section = section.to_ascii_lowercase();
    let var = var.to_ascii_lowercase();
    matches!(
        (section.as_str(), var.as_str()),
        (
            "http",
            "proxy" | "sslverify" | "sslcainfo" | "proxysslcainfo"
        ) | ("https", "proxy")
            | ("url", "insteadof" | "pushinsteadof")
            | ("credential", "helper")
    )
}

/// Whether two proxy values name the same proxy: a value without a scheme is `http://` for
/// git (curl) and Go alike, and a trailing `/` changes nothing.
pub fn same_proxy(a: &str, b: &str) -> bool {
    let norm = |v: &str| {
        let v = v.trim().trim_end_matches('/');
        if v.is_empty() || v.contains("://") {
            v.to_string()
        } else {
            format!("http://{v}")
        }
    };
    norm(a) == norm(b)
}

/// The proxy Go uses for https requests in `env` (`HTTPS_PROXY` first, then `https_proxy`).
pub fn go_https_proxy(env: &Env) -> Option<String> {
    env.get_non_empty("HTTPS_PROXY")
        .or_else(|| env.get_non_empty("https_proxy"))
}

/// Reads git's configuration and summarises it (see [`GitView`]).
pub fn view(env: &Env, project: Option<&Path>, timeout: Duration) -> GitView {
    let go = go_https_proxy(env);
    match read(env, project, timeout) {
        Ok(config) => view_of(env, &config),
        Err(e) => GitView {
            git: find_git(env),
            error: Some(crate::redact::redact_lines(&e.to_string()).to_string()),
            https_proxy: None,
            go_https_proxy: go.as_deref().map(redact),
            agrees: true,
            settings: Vec::new(),
        },
    }
}

/// [`view`] of a configuration already read.
pub fn view_of(env: &Env, config: &GitConfig) -> GitView {
    let go = go_https_proxy(env);
    let proxy = config.proxy(env, "https://example.invalid/");
    let git_value = proxy.value.clone().filter(|v| !v.is_empty());
    GitView {
        git: Some(config.git.clone()),
        error: None,
        agrees: same_proxy(
            git_value.as_deref().unwrap_or_default(),
            go.as_deref().unwrap_or_default(),
        ),
        https_proxy: Some(ViewProxy::of(&proxy)),
        go_https_proxy: go.as_deref().map(redact),
        settings: config
            .entries
            .iter()
            .filter(|e| is_network_key(&e.key))
            .map(ViewEntry::of)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, value: &str) -> GitEntry {
        GitEntry {
            key: key.into(),
            value: Some(value.into()),
            scope: Scope::Global,
            file: Some(PathBuf::from("/h/.gitconfig")),
            origin: "file:/h/.gitconfig".into(),
        }
    }

    fn config(entries: &[(&str, &str)]) -> GitConfig {
        GitConfig {
            git: PathBuf::from("/usr/bin/git"),
            entries: entries.iter().map(|(k, v)| entry(k, v)).collect(),
        }
    }

    #[test]
    fn list_output_is_split_into_entries_with_scope_and_file() {
        let out = b"global\0file:/h/.gitconfig\0http.proxy\nhttp://p:3128\0local\0file:.git/config\0core.bare\nfalse\0command\0command line:\0http.sslverify\0";
        let entries = parse_list(out, Path::new("/nonexistent/repo"));
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].key, "http.proxy");
        assert_eq!(entries[0].value.as_deref(), Some("http://p:3128"));
        assert_eq!(entries[0].scope, Scope::Global);
        assert_eq!(entries[0].file.as_deref(), Some(Path::new("/h/.gitconfig")));
        assert_eq!(
            entries[1].file.as_deref(),
            Some(Path::new("/nonexistent/repo/.git/config"))
        );
        assert_eq!(entries[2].value, None);
        assert_eq!(entries[2].as_bool(), Some(true));
        assert_eq!(entries[2].scope, Scope::Command);
        assert_eq!(entries[2].file, None);
    }

    #[test]
    fn keys_split_at_first_and_last_dot() {
        assert_eq!(split_key("http.proxy"), ("http", None, "proxy"));
        assert_eq!(
            split_key("http.https://a.example/x.proxy"),
            ("http", Some("https://a.example/x"), "proxy")
        );
        assert_eq!(
            split_key("url.git@github.com:.insteadof"),
            ("url", Some("git@github.com:"), "insteadof")
        );
    }

    #[test]
    fn url_specific_settings_beat_plain_ones_by_specificity() {
        let c = config(&[
            ("http.https://*.corp.example.proxy", "http://wild:1"),
            ("http.proxy", "http://plain:1"),
            ("http.https://git.corp.example.proxy", "http://host:1"),
            ("http.https://git.corp.example/team.proxy", "http://path:1"),
        ]);
        let value = |url: &str| c.http_for("proxy", url).and_then(|e| e.value.clone());
        assert_eq!(
            value("https://git.corp.example/team/x").as_deref(),
            Some("http://path:1")
        );
        assert_eq!(
            value("https://git.corp.example/teamx").as_deref(),
            Some("http://host:1")
        );
        assert_eq!(
            value("https://other.corp.example/").as_deref(),
            Some("http://wild:1")
        );
        assert_eq!(
            value("https://a.b.corp.example/").as_deref(),
            Some("http://plain:1")
        );
        assert_eq!(
            value("http://git.corp.example/").as_deref(),
            Some("http://plain:1")
        );
    }

    #[test]
    fn git_prefers_lower_case_https_proxy_unlike_go() {
        let env = Env::from_vars([
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:1"),
        ]);
        let p = env_proxy(&env, true);
        assert_eq!(p.value.as_deref(), Some("http://lower:1"));
        assert_eq!(go_https_proxy(&env).as_deref(), Some("http://upper:1"));
        // http URLs: only the lower-case variable, then ALL_PROXY.
        let env = Env::from_vars([
            ("HTTP_PROXY", "http://upper:1"),
            ("ALL_PROXY", "http://all:1"),
        ]);
        assert_eq!(
            env_proxy(&env, false).value.as_deref(),
            Some("http://all:1")
        );
    }

    #[test]
    fn proxies_compare_as_git_and_go_read_them() {
        assert!(same_proxy("proxy:3128", "http://proxy:3128/"));
        assert!(!same_proxy("https://proxy:3128", "http://proxy:3128"));
        assert!(same_proxy("", ""));
        assert!(!same_proxy("", "http://p:1"));
    }

    #[test]
    fn config_proxy_beats_the_environment() {
        let env = Env::from_vars([("HTTPS_PROXY", "http://env:1")]);
        let c = config(&[("http.proxy", "http://u:pw@git:1")]);
        let p = c.proxy(&env, "https://golang.org/x");
        assert_eq!(p.value.as_deref(), Some("http://u:pw@git:1"));
        assert!(matches!(p.source, ProxySource::Config { .. }));
        let view = view_of(&env, &c);
        assert!(!view.agrees);
        assert_eq!(
            view.https_proxy.unwrap().value.as_deref(),
            Some("http://u:xxxxx@git:1")
        );
    }

    #[test]
    fn the_view_hides_tokens_in_keys_and_inline_helpers() {
        let c = config(&[
            (
                "url.https://ghp_tok@github.com/.insteadof",
                "https://github.com/",
            ),
            ("credential.helper", "!f() { echo password=abc; }; f"),
            ("credential.helper", "cache"),
            ("http.https://u:pw@git.example/.proxy", "http://p:1"),
        ]);
        let env = Env::from_vars([("PATH", "/bin")]);
        let view = view_of(&env, &c);
        let text = format!("{view:?}");
        assert!(
            !text.contains("ghp_tok") && !text.contains("abc") && !text.contains(":pw@"),
            "{text}"
        );
        assert_eq!(
            view.settings[0].key,
            "url.https://xxxxx@github.com/.insteadof"
        );
        assert_eq!(view.settings[1].value.as_deref(), Some("!(shell command)"));
        assert_eq!(view.settings[2].value.as_deref(), Some("cache"));
    }

    #[test]
    fn rewrite_takes_the_longest_prefix() {
        let c = config(&[
            ("url.git@github.com:.insteadof", "https://github.com/"),
            (
                "url.ssh://git@github.com/corp/.insteadof",
                "https://github.com/corp/",
            ),
            ("url.git@push.example:.pushinsteadof", "https://github.com/"),
        ]);
        let r = c.rewrite("https://github.com/corp/x", false).unwrap();
        assert_eq!(r.url, "ssh://git@github.com/corp/x");
        let r = c.rewrite("https://github.com/other/y", false).unwrap();
        assert_eq!(r.url, "git@github.com:other/y");
        let r = c.rewrite("https://github.com/other/y", true).unwrap();
        assert_eq!(r.url, "git@push.example:other/y");
        assert!(c.rewrite("https://gitlab.com/a", false).is_none());
    }

    #[test]
    fn global_file_follows_gits_order() {
        let home = tempfile::tempdir().unwrap();
        let env = Env::from_vars([("HOME", home.path().as_os_str())]);
        assert_eq!(global_file(&env), Some(home.path().join(".gitconfig")));
        std::fs::create_dir_all(home.path().join(".config/git")).unwrap();
        std::fs::write(home.path().join(".config/git/config"), "").unwrap();
        assert_eq!(
            global_file(&env),
            Some(home.path().join(".config/git/config"))
        );
        std::fs::write(home.path().join(".gitconfig"), "").unwrap();
        assert_eq!(global_file(&env), Some(home.path().join(".gitconfig")));
        let env = env.with("GIT_CONFIG_GLOBAL", "/elsewhere/cfg");
        assert_eq!(global_file(&env), Some(PathBuf::from("/elsewhere/cfg")));
    }
}
