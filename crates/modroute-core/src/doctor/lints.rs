//! Lints: rules over the effective settings and the user's go env file, each finding naming the
//! exact value (redacted), what `go` does with it (in cmd/go's own words where it has any), and
//! a fix.
//!
//! [`lint`] is pure: it takes the resolved settings ([`crate::status::resolutions`]), the go env
//! file's bytes and what is known about the toolchain. [`lint_env`] gathers those for an [`Env`]
//! and calls it.
//!
//! Rules of the house:
//! - **Severity** — `error`: go will fail; `warning`: likely wrong or insecure; `info`: worth
//!   knowing. The built-in profiles (`domestic`, `official`) never produce a warning or an error.
//! - **Where** — a value from the go env file is reported in context `goenv` with its file and
//!   line; anything else in context `process` (file and line still point at `$GOROOT/go.env`
//!   when that is where the value lives).
//! - **Fix actions** are offered only when writing the go env file really changes what go sees:
//!   never for a value from the OS environment (it beats the file; the fix text says where to
//!   change it instead), never under `GOENV=off`, and never when the new value would carry
//!   credentials (a [`Fix`] crosses IPC, and it must not hold a password).
//! - **No secret in a message**: values are shown through [`redact`], and every message and fix
//!   text passes [`redact_lines`] once more before it leaves.

use std::net::IpAddr;
use std::path::Path;

use url::{Host, Url};

use super::{Finding, Fix, Severity};
use crate::env::Env;
use crate::goenv::{self, GoEnvFile, Note, NoteCode};
use crate::goroot::GoVersion;
use crate::httpproxy::{Decision, ProxyEnv};
use crate::modpath;
use crate::redact::{has_credentials, redact, redact_lines};
use crate::resolve::{LayerValues, Resolution, Source};
use crate::setting::Setting;
use crate::status::{self, FileState};
use crate::validate::{self, ProxyEntry};

/// Everything the lints look at. All of it is data; [`lint`] does no I/O.
#[derive(Clone, Copy, Debug)]
pub struct LintInput<'a> {
    /// The OS environment `go` would run with (for `GOENV` and names go does not know).
    pub env: &'a Env,
    /// Every setting resolved, values unredacted ([`crate::status::resolutions`]).
    pub resolutions: &'a [Resolution],
    /// The user's go env file — its path and bytes — when it exists. Under `GOENV=off` this is
    /// the file `go env -w` would still write (the default location), which go does not read.
    pub goenv_file: Option<(&'a Path, &'a [u8])>,
    /// `$GOROOT/go.env`, when one was read.
    pub goroot_go_env: Option<&'a Path>,
    /// The version of the `go` on PATH, when known.
    pub go_version: Option<GoVersion>,
}

/// The lints for the environment `env`: reads the go env file (and, through
/// [`status`], `$GOROOT/go.env`), then runs [`lint`].
pub fn lint_env(env: &Env) -> Vec<Finding> {
    let (report, resolutions) = status::gather_with_resolutions(env);
    let go_version = report.goroot.version.as_deref().and_then(GoVersion::parse);
    let goenv_path = match report.goenv_file.state {
        // cmd/go reads nothing, but `go env -w` still writes the default file under GOENV=off
        // (seen with the real go): that is the file worth looking at.
        FileState::Off => {
            let without = env.clone().without("GOENV");
            goenv::locate(&without, go_version)
                .path()
                .map(Path::to_path_buf)
        }
        FileState::Read => report.goenv_file.path.clone(),
        _ => None,
    };
    let bytes = goenv_path
        .as_ref()
        .and_then(|p| std::fs::read(p).ok().map(|b| (p.clone(), b)));
    let goroot_go_env = match report.goroot.go_env_file.state {
        FileState::Read => report.goroot.go_env_file.path.clone(),
        _ => None,
    };
    lint(&LintInput {
        env,
        resolutions: &resolutions,
        goenv_file: bytes.as_ref().map(|(p, b)| (p.as_path(), b.as_slice())),
        goroot_go_env: goroot_go_env.as_deref(),
        go_version,
    })
}

/// Runs every rule. Pure.
pub fn lint(input: &LintInput<'_>) -> Vec<Finding> {
    let mut l = Linter::new(*input);
    l.goproxy();
    l.dead_mirrors();
    l.patterns();
    l.private_without_sumdb();
    l.gosumdb();
    l.goinsecure();
    l.goflags();
    l.gotoolchain_valid();
    l.credentials();
    l.proxy_routing();
    l.http_proxy_unused();
    l.toolchain_downloads();
    l.goenv_file();
    l.unknown_names();
    l.out
        .into_iter()
        .map(|mut f| {
            f.message = redact_lines(&f.message);
            f.fix = f.fix.map(|t| redact_lines(&t));
            f
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Tables

/// Hosts of public module mirrors (a host or any subdomain of it). A GOPROXY host on this list
/// is never called private; one on neither this list nor any private marker is "unknown".
const PUBLIC_MIRRORS: &[&str] = &[
    "proxy.golang.org",
    "goproxy.cn",
    "goproxy.io",
    "proxy.golang.com.cn",
    "mirrors.aliyun.com",
    "mirrors.cloud.tencent.com",
    "mirrors.tencent.com",
    "repo.huaweicloud.com",
];

/// Domain suffixes that never resolve on the public internet.
const PRIVATE_SUFFIXES: &[&str] = &[
    "corp",
    "internal",
    "local",
    "lan",
    "intranet",
    "home.arpa",
    "localdomain",
];

/// GOPROXY hosts that are known not to work, each with why. Conservative on purpose: only
/// entries documented as shut down, or that are not module proxies at all. `goproxy.io` is alive;
/// `https://mirrors.aliyun.com/goproxy` works with or without the trailing slash.
const KNOWN_BAD: &[(&str, &str)] = &[
    // JFrog announced the GoCenter sunset in February 2021; the service was shut down on
    // 1 May 2021 ("As of May 1, 2021, the GoCenter central repository has been sunset").
    (
        "gocenter.io",
        "JFrog GoCenter, which was shut down on 1 May 2021",
    ),
    // The checksum databases serve /lookup and /tile (x/mod sumdb), never /<module>/@v/…:
    // they belong in GOSUMDB, not GOPROXY.
    (
        "sum.golang.org",
        "the checksum database, not a module proxy (it belongs in GOSUMDB)",
    ),
    (
        "sum.golang.google.cn",
        "a checksum database endpoint, not a module proxy (it belongs in GOSUMDB)",
    ),
];

/// Variables go does not have, though people set them (§4.4: absent from cmd/go 1.21–1.25).
const NON_EXISTENT: &[(&str, &str)] = &[
    ("GONOSUMCHECK", "GONOSUMDB"),
    // GONOVERIFY was the pre-1.13 name of GONOSUMDB.
    ("GONOVERIFY", "GONOSUMDB"),
];

/// Network variables go reads only from the OS environment.
const NETWORK_VARS: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "NETRC",
];

pub(crate) const CONTEXT_PROCESS: &str = "process";
const CONTEXT_GOENV: &str = "goenv";
const DEFAULT_GOPROXY: &str = "https://proxy.golang.org,direct";
const DEFAULT_GOSUMDB: &str = "sum.golang.org";

// ---------------------------------------------------------------------------------------------
// Building findings

fn finding(id: &str, severity: Severity, var: Option<&str>, message: String) -> Finding {
    Finding {
        id: id.to_string(),
        severity,
        var: var.map(str::to_string),
        context: CONTEXT_PROCESS.to_string(),
        file: None,
        line: None,
        message,
        fix: None,
        fix_action: None,
    }
}

trait FindingExt {
    /// Where the resolution's value comes from: `goenv` with file and line, else `process`.
    fn at(self, r: &Resolution) -> Self;
    /// A line of the go env file.
    fn in_goenv(self, path: &Path, line: usize) -> Self;
    /// A file the finding is about, without changing its context.
    fn with_file(self, path: &Path) -> Self;
    /// The fix: a description and, when mechanical, the action.
    fn with_fix(self, fix: (String, Option<Fix>)) -> Self;
}

impl FindingExt for Finding {
    fn at(mut self, r: &Resolution) -> Self {
        if r.source == Source::Goenv {
            self.context = CONTEXT_GOENV.to_string();
        }
        if let Some(loc) = &r.location {
            self.file = Some(loc.file.clone());
            self.line = Some(loc.line);
        }
        self
    }

    fn in_goenv(mut self, path: &Path, line: usize) -> Self {
        self.context = CONTEXT_GOENV.to_string();
        self.file = Some(path.to_path_buf());
        self.line = Some(line);
        self
    }

    fn with_file(mut self, path: &Path) -> Self {
        self.file = Some(path.to_path_buf());
        self
    }

    fn with_fix(mut self, (text, action): (String, Option<Fix>)) -> Self {
        self.fix = Some(text);
        self.fix_action = action;
        self
    }
}

/// A change to one setting, as a fix proposes it.
enum Change {
    Set(String),
    Unset,
}

/// A shell word for a command line in a fix text: quoted when it holds `|`, spaces and the like.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ",./:_=@+-%*".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Whether any URL-like part of a value carries a user or password (which must not travel in a
/// [`Fix`]); [`has_credentials`] alone misses a bare user name (`https://TOKEN@host`).
fn carries_userinfo(value: &str) -> bool {
    has_credentials(value)
        || value.split([',', '|', ' ', '\t']).any(|part| {
            part.split_once("://").is_some_and(|(_, rest)| {
                let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
                authority.contains('@')
            })
        })
}

// ---------------------------------------------------------------------------------------------
// GOPROXY lists as text: entries with the separator after each

/// One non-empty entry of a GOPROXY list, as cmd/go's `proxyList` splits it.
struct Token<'v> {
    /// The trimmed entry.
    text: &'v str,
    /// The byte offset and character of the separator right after it.
    sep: Option<(usize, char)>,
}

fn tokens(value: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    loop {
        let rest = &value[start..];
        match rest.find([',', '|']) {
            Some(i) => {
                let text = rest[..i].trim();
                if !text.is_empty() {
                    out.push(Token {
                        text,
                        sep: Some((start + i, char::from(rest.as_bytes()[i]))),
                    });
                }
                start += i + 1;
            }
            None => {
                let text = rest.trim();
                if !text.is_empty() {
                    out.push(Token { text, sep: None });
                }
                return out;
            }
        }
    }
}

/// A list rebuilt from entries, each followed by its own separator (`,` when it had none).
fn join_tokens(kept: &[&Token<'_>]) -> String {
    let mut out = String::new();
    for (i, t) in kept.iter().enumerate() {
        if i > 0 {
            let sep = kept[i - 1].sep.map_or(',', |(_, c)| c);
            out.push(sep);
        }
        out.push_str(t.text);
    }
    out
}

fn is_keyword(entry: &str) -> bool {
    entry == "direct" || entry == "off"
}

// ---------------------------------------------------------------------------------------------
// Hosts

/// How private a GOPROXY host looks.
#[derive(Clone, Debug, PartialEq, Eq)]
enum HostClass {
    /// A known public mirror.
    Public,
    /// Inside some network, with the reason it looks so.
    Private(String),
    /// Neither.
    Unknown,
}

fn private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                // 100.64.0.0/10, carrier-grade NAT (VPNs such as Tailscale use it).
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

/// One run of the rules: the input, with every setting's resolution at hand.
struct Linter<'a> {
    input: LintInput<'a>,
    /// One per [`Setting::ALL`] entry, in that order (an empty default for any missing).
    resolutions: Vec<Resolution>,
    /// The go env file, parsed.
    file: Option<(&'a Path, GoEnvFile)>,
    goenv_off: bool,
    /// GOPROXY parsed as cmd/go parses it, when it parses.
    proxies: Option<Vec<ProxyEntry>>,
    out: Vec<Finding>,
}

impl<'a> Linter<'a> {
    fn new(input: LintInput<'a>) -> Self {
        let resolutions: Vec<Resolution> = Setting::ALL
            .iter()
            .map(|&s| {
                input
                    .resolutions
                    .iter()
                    .find(|r| r.setting == s)
                    .cloned()
                    .unwrap_or(Resolution {
                        setting: s,
                        value: String::new(),
                        source: Source::Default,
                        layers: LayerValues::default(),
                        location: None,
                        env_name: None,
                        derived_from: None,
                        unread: false,
                    })
            })
            .collect();
        let goenv_off = input.env.get_os("GOENV").is_some_and(|v| v == "off");
        let mut l = Linter {
            input,
            resolutions,
            file: input
                .goenv_file
                .map(|(path, bytes)| (path, GoEnvFile::parse(bytes))),
            goenv_off,
            proxies: None,
            out: Vec::new(),
        };
        l.proxies = validate::parse_goproxy(l.val(Setting::GoProxy)).ok();
        l
    }

    fn r(&self, s: Setting) -> &Resolution {
        let i = Setting::ALL.iter().position(|&x| x == s).unwrap_or(0);
        &self.resolutions[i]
    }

    /// The effective value without a trailing `\r` (the CRLF lint reports that separately).
    fn val(&self, s: Setting) -> &str {
        let v = &self.r(s).value;
        v.strip_suffix('\r').unwrap_or(v)
    }

    fn push(&mut self, f: Finding) {
        self.out.push(f);
    }

    /// The fix text and action for changing the setting `r` describes.
    fn change(&self, r: &Resolution, change: Change) -> (String, Option<Fix>) {
        let var = r.setting.name();
        if r.source == Source::Env {
            let name = r.env_name.unwrap_or(var);
            let what = match &change {
                Change::Set(v) if !v.is_empty() => {
                    format!("change it to {}", shell_word(&redact(v)))
                }
                _ => "remove it".to_string(),
            };
            return (
                format!(
                    "{name} is set in the environment, which beats the go env file: {what} \
                     where it is exported (a shell rc file, the desktop session or an IDE's \
                     settings; `modroute doctor` lists them)"
                ),
                None,
            );
        }
        if self.goenv_off {
            let what = match &change {
                Change::Set(v) => format!("export {var}={}", shell_word(&redact(v))),
                Change::Unset => format!("leave {var} unset"),
            };
            return (
                format!("GOENV=off, so go reads no go env file: {what} in the environment"),
                None,
            );
        }
        match change {
            Change::Set(value) => {
                let text = format!(
                    "go env -w {}",
                    shell_word(&format!("{var}={}", redact(&value)))
                );
                let safe = !carries_userinfo(&value) && !value.contains(['\n', '\r', '\0']);
                let action = safe.then(|| Fix::SetGoEnv {
                    var: var.to_string(),
                    value,
                });
                (text, action)
            }
            Change::Unset => (
                format!("go env -u {var}"),
                (r.source == Source::Goenv).then(|| Fix::UnsetGoEnv {
                    var: var.to_string(),
                }),
            ),
        }
    }

    /// Back to the toolchain's default: `go env -u` when the file sets it and `$GOROOT/go.env`
    /// supplies a good default, else an explicit value.
    fn restore(&self, r: &Resolution, default: &str) -> (String, Option<Fix>) {
        let goroot_ok = r
            .layers
            .goroot
            .as_deref()
            .is_some_and(|v| v.trim() == default);
        if r.source == Source::Goenv && goroot_ok {
            self.change(r, Change::Unset)
        } else {
            self.change(r, Change::Set(default.to_string()))
        }
    }

    /// Removing a setting: `go env -u` for the file, an empty value for the lower layers.
    fn remove(&self, r: &Resolution) -> (String, Option<Fix>) {
        match r.source {
            Source::Goenv | Source::Env => self.change(r, Change::Unset),
            Source::Goroot | Source::Default => self.change(r, Change::Set(String::new())),
        }
    }

    fn host_class(&self, url: &Url) -> HostClass {
        let loopback = |ip: IpAddr| ip.is_loopback();
        match url.host() {
            None => HostClass::Unknown,
            Some(Host::Ipv4(ip)) if loopback(IpAddr::V4(ip)) => {
                HostClass::Private("a loopback address".into())
            }
            Some(Host::Ipv6(ip)) if loopback(IpAddr::V6(ip)) => {
                HostClass::Private("a loopback address".into())
            }
            Some(Host::Ipv4(ip)) if private_ip(IpAddr::V4(ip)) => {
                HostClass::Private("a private IP address".into())
            }
            Some(Host::Ipv6(ip)) if private_ip(IpAddr::V6(ip)) => {
                HostClass::Private("a private IP address".into())
            }
            Some(Host::Ipv4(_) | Host::Ipv6(_)) => HostClass::Unknown,
            Some(Host::Domain(d)) => {
                let d = d.to_ascii_lowercase();
                let under = |h: &str| d == h || d.ends_with(&format!(".{h}"));
                if PUBLIC_MIRRORS
                    .iter()
                    .chain(KNOWN_BAD.iter().map(|(h, _)| h))
                    .any(|h| under(h))
                {
                    return HostClass::Public;
                }
                if d == "localhost" {
                    return HostClass::Private("localhost".into());
                }
                if !d.contains('.') {
                    return HostClass::Private("a single-label intranet name".into());
                }
                if let Some(s) = PRIVATE_SUFFIXES
                    .iter()
                    .find(|s| d.ends_with(&format!(".{s}")))
                {
                    return HostClass::Private(format!("the .{s} domain is not public"));
                }
                for s in [Setting::GoPrivate, Setting::GoNoProxy, Setting::GoNoSumDb] {
                    if let Some(p) = modpath::matching_pattern(self.val(s), &d) {
                        return HostClass::Private(format!("it matches {s} pattern {p}"));
                    }
                }
                HostClass::Unknown
            }
        }
    }

    fn proxy_urls(&self) -> Vec<(String, bool)> {
        self.proxies
            .iter()
            .flatten()
            .filter_map(|e| match e {
                ProxyEntry::Url {
                    url,
                    fall_back_on_error,
                } => Some((url.clone(), *fall_back_on_error)),
                _ => None,
            })
            .collect()
    }

    // -----------------------------------------------------------------------------------------
    // Rule 1: GOPROXY

    fn goproxy(&mut self) {
        let r = self.r(Setting::GoProxy).clone();
        let value = self.val(Setting::GoProxy).to_string();
        let shown = redact(&value);
        let entries = match validate::parse_goproxy(&value) {
            Ok(entries) => entries,
            Err(err) => {
                let empty = value.split([',', '|']).all(|e| e.trim().is_empty());
                if empty {
                    self.goproxy_empty(&r, &value, &err);
                } else {
                    let f = finding(
                        "goproxy-invalid",
                        Severity::Error,
                        Some("GOPROXY"),
                        format!(
                            "GOPROXY={shown} is invalid: go fails at the first module download \
                             with \"go: <module>@<version>: {err}\""
                        ),
                    )
                    .at(&r)
                    .with_fix((
                        "Correct the entry: each one is an https://, http:// or file:// URL, \
                         `direct` or `off`, separated by `,` (next on 404/410) or `|` (next on \
                         any error)"
                            .to_string(),
                        None,
                    ));
                    self.push(f);
                }
                return;
            }
        };
        let toks = tokens(&value);

        if entries.first() == Some(&ProxyEntry::Off) {
            let f = finding(
                "goproxy-off",
                Severity::Warning,
                Some("GOPROXY"),
                format!(
                    "GOPROXY={shown} disables module downloads: every module that is not already \
                     in the module cache fails with \"module lookup disabled by GOPROXY=off\" \
                     (only modules matching GONOPROXY/GOPRIVATE are still fetched from their \
                     origin)"
                ),
            )
            .at(&r)
            .with_fix(self.restore(&r, DEFAULT_GOPROXY));
            self.push(f);
        }

        // Entries after `direct`/`off` are never used.
        if toks.len() > entries.len() {
            let stop = toks[entries.len() - 1].text;
            let ignored: Vec<String> = toks[entries.len()..]
                .iter()
                .map(|t| redact(t.text))
                .collect();
            let kept: Vec<&Token> = toks.iter().filter(|t| !is_keyword(t.text)).collect();
            let mut moved = join_tokens(&kept);
            if !moved.is_empty() {
                moved.push(',');
            }
            moved.push_str(stop);
            let fix = self.change(&r, Change::Set(moved));
            let f = finding(
                "goproxy-entries-after-direct",
                Severity::Warning,
                Some("GOPROXY"),
                format!(
                    "GOPROXY={shown}: go stops reading the list at `{stop}`, so {} never used",
                    match ignored.as_slice() {
                        [one] => format!("{one} is"),
                        many => format!("{} are", many.join(", ")),
                    }
                ),
            )
            .at(&r)
            .with_fix((format!("Move `{stop}` to the end: {}", fix.0), fix.1));
            self.push(f);
        }

        // `,` after a proxy: only 404/410 fall through.
        let mut flagged: Vec<(usize, usize, HostClass)> = Vec::new(); // (entry, sep offset)
        for (i, entry) in entries.iter().enumerate() {
            let ProxyEntry::Url {
                url,
                fall_back_on_error: false,
            } = entry
            else {
                continue;
            };
            let (Some(next), Some((offset, ','))) = (entries.get(i + 1), toks[i].sep) else {
                continue;
            };
            let class = Url::parse(url)
                .map(|u| self.host_class(&u))
                .unwrap_or(HostClass::Unknown);
            let next_is_proxy = matches!(next, ProxyEntry::Url { .. });
            if matches!(class, HostClass::Private(_)) || next_is_proxy {
                flagged.push((i, offset, class));
            }
        }
        if !flagged.is_empty() {
            let mut bytes = value.clone().into_bytes();
            for (_, offset, _) in &flagged {
                bytes[*offset] = b'|';
            }
            let piped = String::from_utf8(bytes).unwrap_or_else(|_| value.clone());
            for (i, _, class) in flagged {
                let this = redact(toks[i].text);
                let next = match &entries[i + 1] {
                    ProxyEntry::Url { url, .. } => redact(url),
                    ProxyEntry::Direct => "`direct`".to_string(),
                    ProxyEntry::Off => "`off`".to_string(),
                };
                let fix = self.change(&r, Change::Set(piped.clone()));
                let fix = (
                    format!(
                        "Use `|` after {this} to fall through on any error: {}",
                        fix.0
                    ),
                    fix.1,
                );
                let f = match class {
                    HostClass::Private(why) => finding(
                        "goproxy-comma-after-private-proxy",
                        Severity::Warning,
                        Some("GOPROXY"),
                        format!(
                            "GOPROXY={shown}: {this} looks private ({why}) and the `,` after it \
                             lets go move on only when it answers 404 or 410; when it is \
                             unreachable (off the VPN), times out or answers 403 or 5xx, go \
                             stops with that error and never tries {next}"
                        ),
                    ),
                    _ => finding(
                        "goproxy-comma-between-proxies",
                        Severity::Info,
                        Some("GOPROXY"),
                        format!(
                            "GOPROXY={shown}: the `,` after {this} lets go move on to {next} only \
                             when it answers 404 or 410; a 5xx answer, a timeout or a network \
                             error stops go with that error instead of trying {next}"
                        ),
                    ),
                };
                self.push(f.at(&r).with_fix(fix));
            }
        }

        // No `direct` (nor `off`) at the end.
        let urls = self.proxy_urls();
        let ends_open = !entries
            .iter()
            .any(|e| matches!(e, ProxyEntry::Direct | ProxyEntry::Off));
        let all_files = urls.iter().all(|(u, _)| u.starts_with("file:"));
        if ends_open && !all_files {
            let list = urls.iter().map(|(u, _)| redact(u)).collect::<Vec<_>>();
            let (severity, message) = if urls.len() == 1 {
                (
                    Severity::Warning,
                    format!(
                        "GOPROXY={shown} names a single proxy and no `direct`: a module that {} \
                         does not serve fails with its 404 or 410 (\"reading {}/<module>/@v/…: \
                         404 Not Found\") instead of being fetched from its origin",
                        list[0], list[0]
                    ),
                )
            } else {
                (
                    Severity::Info,
                    format!(
                        "GOPROXY={shown} ends without `direct`: a module that none of {} serves \
                         fails with the last 404 or 410 instead of being fetched from its origin",
                        list.join(", ")
                    ),
                )
            };
            let trimmed = value.trim_end_matches([',', '|', ' ', '\t']);
            let fix = self.change(&r, Change::Set(format!("{trimmed},direct")));
            let f = finding("goproxy-no-direct", severity, Some("GOPROXY"), message)
                .at(&r)
                .with_fix((
                    format!(
                        "Add `direct` at the end unless the proxy is meant to be the only \
                         source: {}",
                        fix.0
                    ),
                    fix.1,
                ));
            self.push(f);
        }
    }

    fn goproxy_empty(&mut self, r: &Resolution, value: &str, err: &str) {
        let why = if !value.is_empty() {
            format!("GOPROXY={} holds only separators", redact(value))
        } else if r.source == Source::Goroot {
            "GOPROXY is set to the empty string in $GOROOT/go.env".to_string()
        } else if r.source == Source::Goenv {
            "GOPROXY is set to the empty string in the go env file, which hides the default from \
             $GOROOT/go.env"
                .to_string()
        } else {
            match self.input.goroot_go_env {
                Some(p) => format!("GOPROXY is empty: {} does not set it", p.display()),
                None => "GOPROXY is empty: no $GOROOT/go.env was found, and since Go 1.21 that \
                         file supplies the default"
                    .to_string(),
            }
        };
        let f = finding(
            "goproxy-empty",
            Severity::Error,
            Some("GOPROXY"),
            format!("{why}; go fails every module download with \"{err}\""),
        )
        .at(r)
        .with_fix(self.restore(r, DEFAULT_GOPROXY));
        self.push(f);
    }

    // -----------------------------------------------------------------------------------------
    // Rule 9: dead or wrong mirrors

    fn dead_mirrors(&mut self) {
        let r = self.r(Setting::GoProxy).clone();
        let value = self.val(Setting::GoProxy).to_string();
        let urls = self.proxy_urls();
        let bad_host = |u: &str| -> Option<&'static str> {
            let host = Url::parse(u).ok()?.host_str()?.to_ascii_lowercase();
            KNOWN_BAD
                .iter()
                .find(|(h, _)| host == *h || host.ends_with(&format!(".{h}")))
                .map(|(_, why)| *why)
        };
        let bad: Vec<(String, &str)> = urls
            .iter()
            .filter_map(|(u, _)| bad_host(u).map(|why| (u.clone(), why)))
            .collect();
        if bad.is_empty() {
            return;
        }
        let toks = tokens(&value);
        let kept: Vec<&Token> = toks
            .iter()
            .filter(|t| {
                let normal = if t.text.contains(['.', ':', '/']) && !t.text.contains(":/") {
                    format!("https://{}", t.text)
                } else {
                    t.text.to_string()
                };
                bad_host(&normal).is_none()
            })
            .collect();
        let remaining = if kept.iter().all(|t| is_keyword(t.text)) && !kept.is_empty() {
            if kept[0].text == "direct" {
                "direct".to_string()
            } else {
                DEFAULT_GOPROXY.to_string()
            }
        } else if kept.is_empty() {
            DEFAULT_GOPROXY.to_string()
        } else {
            join_tokens(&kept)
        };
        for (url, why) in bad {
            let fix = self.change(&r, Change::Set(remaining.clone()));
            let f = finding(
                "goproxy-dead-mirror",
                Severity::Warning,
                Some("GOPROXY"),
                format!(
                    "GOPROXY entry {} is {why}: requests to it fail, and after a `,` that \
                     failure stops go before the next entry",
                    redact(&url)
                ),
            )
            .at(&r)
            .with_fix((format!("Remove it: {}", fix.0), fix.1));
            self.push(f);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Rule 2: pattern lists

    fn patterns(&mut self) {
        for s in [
            Setting::GoPrivate,
            Setting::GoNoProxy,
            Setting::GoNoSumDb,
            Setting::GoInsecure,
        ] {
            let r = self.r(s).clone();
            if r.derived_from.is_some() {
                continue; // the value is GOPRIVATE's, linted as GOPRIVATE
            }
            let value = self.val(s).to_string();
            let (mut spaces, mut scheme, mut upper, mut bad) = (vec![], vec![], vec![], vec![]);
            for p in value.split(',').filter(|p| !p.is_empty()) {
                if p.trim() != p {
                    spaces.push(p);
                }
                let t = p.trim();
                if t.contains("://") {
                    scheme.push(t);
                }
                let first = t.split('/').next().unwrap_or_default();
                if first.chars().any(|c| c.is_ascii_uppercase()) && !t.contains("://") {
                    upper.push(t);
                }
                let glob = t.strip_suffix('/').unwrap_or(t);
                if !glob.is_empty() && modpath::path_match(glob, "").is_none() {
                    bad.push(t);
                }
            }
            let cleaned = value
                .split(',')
                .map(|p| {
                    let t = p.trim();
                    let t = t.split_once("://").map_or(t, |(_, rest)| rest);
                    match t.split_once('/') {
                        Some((first, rest)) => format!("{}/{rest}", first.to_ascii_lowercase()),
                        None => t.to_ascii_lowercase(),
                    }
                })
                .collect::<Vec<_>>()
                .join(",");
            let fix = |l: &Self| {
                if cleaned != value {
                    let (text, action) = l.change(&r, Change::Set(cleaned.clone()));
                    (
                        format!("Write the patterns as module path prefixes: {text}"),
                        action,
                    )
                } else {
                    (
                        "Correct the pattern: path.Match syntax (`*`, `?`, `[a-z]`, `\\`)"
                            .to_string(),
                        None,
                    )
                }
            };
            let quote = |ps: &[&str]| {
                ps.iter()
                    .map(|p| format!("{:?}", redact(p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let shown = redact(&value);
            let rules: [(&str, &[&str], String); 4] = [
                (
                    "pattern-has-scheme",
                    &scheme,
                    "patterns are module path prefixes (git.corp.example/team), matched \
                     without a scheme"
                        .to_string(),
                ),
                (
                    "pattern-has-spaces",
                    &spaces,
                    "go splits the list at commas without trimming spaces".to_string(),
                ),
                (
                    "pattern-upper-case",
                    &upper,
                    "matching is case-sensitive and the first element of a module path is \
                     always lower case"
                        .to_string(),
                ),
                (
                    "pattern-bad-glob",
                    &bad,
                    "path.Match rejects the glob (syntax error in pattern), and go silently \
                     skips it"
                        .to_string(),
                ),
            ];
            for (id, hits, why) in rules {
                if hits.is_empty() {
                    continue;
                }
                let f = finding(
                    id,
                    Severity::Warning,
                    Some(s.name()),
                    format!(
                        "{s}={shown}: {} never {} any module ({why})",
                        quote(hits),
                        if hits.len() == 1 { "matches" } else { "match" }
                    ),
                )
                .at(&r)
                .with_fix(fix(self));
                self.push(f);
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Rule 3: GONOPROXY vs GONOSUMDB

    /// The patterns of a list that can match something (no spaces, scheme or bad glob; not
    /// `none`).
    fn usable_patterns(value: &str) -> Vec<&str> {
        value
            .split(',')
            .filter(|p| {
                !p.is_empty()
                    && *p != "none"
                    && p.trim() == *p
                    && !p.contains("://")
                    && modpath::path_match(p.strip_suffix('/').unwrap_or(p), "").is_some()
            })
            .collect()
    }

    fn covered(list: &str, pattern: &str) -> bool {
        let p = pattern.strip_suffix('/').unwrap_or(pattern);
        list.split(',')
            .any(|q| q.strip_suffix('/').unwrap_or(q) == p)
            || modpath::matches_prefix_patterns(list, p)
    }

    fn private_without_sumdb(&mut self) {
        let np = self.r(Setting::GoNoProxy).clone();
        let ns = self.r(Setting::GoNoSumDb).clone();
        let np_val = self.val(Setting::GoNoProxy).to_string();
        let ns_val = self.val(Setting::GoNoSumDb).to_string();
        let sumdb = self.val(Setting::GoSumDb).trim().to_string();
        if sumdb == "off" {
            return;
        }
        let db = sumdb
            .split_whitespace()
            .next()
            .map(|k| k.split('+').next().unwrap_or(k))
            .filter(|k| !k.is_empty())
            .unwrap_or(DEFAULT_GOSUMDB)
            .to_string();

        let uncovered: Vec<&str> = Self::usable_patterns(&np_val)
            .into_iter()
            .filter(|p| !Self::covered(&ns_val, p))
            .collect();
        if !uncovered.is_empty() {
            let mut list: Vec<&str> = Self::usable_patterns(&ns_val);
            list.extend(&uncovered);
            let fix = self.change(&ns, Change::Set(list.join(",")));
            let f = finding(
                "gonoproxy-without-gonosumdb",
                Severity::Warning,
                Some("GONOPROXY"),
                format!(
                    "{}={} sends {} straight to their origin, but GONOSUMDB={} does not \
                     cover {}, so go still looks them up in the checksum database {db}, which \
                     cannot know private modules: go fails with \"verifying module: \
                     <module>@<version>: reading https://{db}/lookup/<module>@<version>: 404 Not \
                     Found\" (or 410 Gone)",
                    match np.derived_from {
                        Some(from) => format!("GONOPROXY (from {from})"),
                        None => "GONOPROXY".to_string(),
                    },
                    redact(&np_val),
                    uncovered.join(", "),
                    if ns_val.is_empty() {
                        "(empty)".to_string()
                    } else {
                        redact(&ns_val)
                    },
                    if uncovered.len() == 1 { "it" } else { "them" },
                ),
            )
            .at(&np)
            .with_fix((
                format!(
                    "List them in GONOSUMDB too (or use GOPRIVATE, which sets both): {}",
                    fix.0
                ),
                fix.1,
            ));
            self.push(f);
        }

        // The reverse: not verified, but still asked of a public proxy.
        if ns.derived_from.is_some() {
            return;
        }
        let first_public = self.proxy_urls().first().and_then(|(u, _)| {
            let url = Url::parse(u).ok()?;
            (self.host_class(&url) == HostClass::Public).then(|| redact(u))
        });
        let Some(proxy) = first_public else { return };
        let not_direct: Vec<&str> = Self::usable_patterns(&ns_val)
            .into_iter()
            .filter(|p| !Self::covered(&np_val, p))
            .collect();
        if !not_direct.is_empty() {
            let f = finding(
                "gonosumdb-without-gonoproxy",
                Severity::Info,
                Some("GONOSUMDB"),
                format!(
                    "GONOSUMDB={} skips checksum verification for {}, but GONOPROXY does not \
                     cover {}, so go still asks {proxy} for them first; a public mirror cannot \
                     see private repositories and answers 404 or 410 (then go moves on only if \
                     the list continues after a `,` or `|`)",
                    redact(&ns_val),
                    not_direct.join(", "),
                    if not_direct.len() == 1 { "it" } else { "them" },
                ),
            )
            .at(&ns)
            .with_fix((
                "Set GOPRIVATE to these patterns instead: it covers both GONOPROXY and GONOSUMDB"
                    .to_string(),
                None,
            ));
            self.push(f);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Rule 4: GOSUMDB, GOINSECURE, GOFLAGS

    fn gosumdb(&mut self) {
        let r = self.r(Setting::GoSumDb).clone();
        if r.value == "off\r" {
            return; // not `off` to go: the go env file lint reports the malformed verifier id
        }
        let value = self.val(Setting::GoSumDb).to_string();
        if value == "off" {
            let f = finding(
                "gosumdb-off",
                Severity::Warning,
                Some("GOSUMDB"),
                "GOSUMDB=off: modules that are not in go.sum yet are accepted without checking \
                 them against a checksum database, and toolchain downloads fail with \"verifying \
                 module: checksum database disabled by GOSUMDB=off\""
                    .to_string(),
            )
            .at(&r);
            let fix = self.restore(&r, DEFAULT_GOSUMDB);
            let f = f.with_fix((
                format!(
                    "Keep verification on and exempt only private modules with GOPRIVATE or \
                     GONOSUMDB (behind a firewall, a mirror with a /sumdb/ endpoint such as \
                     goproxy.cn reaches sum.golang.org for you): {}",
                    fix.0
                ),
                fix.1,
            ));
            self.push(f);
            return;
        }
        if let Err(err) = validate::check(Setting::GoSumDb, &value) {
            let fix = if value.trim().is_empty() {
                self.restore(&r, DEFAULT_GOSUMDB)
            } else {
                (
                    "Use `sum.golang.org`, `sum.golang.org <url>` or a verifier key \
                     `<name>+<hash>+<key> [<url>]`"
                        .to_string(),
                    None,
                )
            };
            let f = finding(
                "gosumdb-invalid",
                Severity::Error,
                Some("GOSUMDB"),
                format!(
                    "GOSUMDB={:?} is invalid: go fails whenever it must verify a module that is \
                     not in go.sum yet, with \"verifying <module>@<version>: {err}\"",
                    redact(&value)
                ),
            )
            .at(&r)
            .with_fix(fix);
            self.push(f);
        }
    }

    fn goinsecure(&mut self) {
        let r = self.r(Setting::GoInsecure).clone();
        let value = self.val(Setting::GoInsecure).to_string();
        if value.trim_matches([',', ' ']).is_empty() {
            return;
        }
        let fix = self.remove(&r);
        let f = finding(
            "goinsecure-set",
            Severity::Warning,
            Some("GOINSECURE"),
            format!(
                "GOINSECURE={}: for matching modules fetched from their origin, go accepts plain \
                 http and skips TLS certificate verification (it does not change GOPROXY \
                 requests or checksum verification)",
                redact(&value)
            ),
        )
        .at(&r)
        .with_fix((
            format!(
                "Install the server's CA certificate (SSL_CERT_FILE) instead of disabling \
                 verification: {}",
                fix.0
            ),
            fix.1,
        ));
        self.push(f);
    }

    fn goflags(&mut self) {
        let r = self.r(Setting::GoFlags).clone();
        let value = self.val(Setting::GoFlags).to_string();
        if value.trim().is_empty() {
            return;
        }
        let shown = redact(&value);
        let words = goflags_words(&value);
        let name = |w: &str| {
            w.trim_start_matches(['\'', '"'])
                .trim_start_matches('-')
                .split('=')
                .next()
                .unwrap_or_default()
                .to_string()
        };
        let without = |drop: &dyn Fn(&str) -> bool| {
            words
                .iter()
                .filter(|w| !drop(w))
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let set_or_remove = |l: &Self, v: String| {
            if v.is_empty() {
                l.remove(&r)
            } else {
                l.change(&r, Change::Set(v))
            }
        };

        if words.iter().any(|w| name(w) == "insecure") {
            let fix = set_or_remove(self, without(&|w| name(w) == "insecure"));
            let f = finding(
                "goflags-insecure",
                Severity::Error,
                Some("GOFLAGS"),
                format!(
                    "GOFLAGS={shown} contains -insecure: `go get` fails with \"go: -insecure \
                     flag is no longer supported; use GOINSECURE instead\""
                ),
            )
            .at(&r)
            .with_fix((
                format!(
                    "Remove -insecure (GOINSECURE=<patterns> is its replacement): {}",
                    fix.0
                ),
                fix.1,
            ));
            self.push(f);
        } else if let Err(err) = validate::check(Setting::GoFlags, &value) {
            let f = finding(
                "goflags-invalid",
                Severity::Error,
                Some("GOFLAGS"),
                format!(
                    "GOFLAGS={shown} is invalid: every go command except `go env` fails with \
                     \"go: {err}\""
                ),
            )
            .at(&r)
            .with_fix((
                "Write GOFLAGS as space-separated flags such as -mod=mod -trimpath".to_string(),
                None,
            ));
            self.push(f);
        }

        let vendor = |w: &str| {
            let w = w.trim_matches(['\'', '"']);
            w.trim_start_matches('-') == "mod=vendor" && w.starts_with('-')
        };
        if words.iter().any(|w| vendor(w)) {
            let fix = set_or_remove(self, without(&vendor));
            let f = finding(
                "goflags-mod-vendor",
                Severity::Info,
                Some("GOFLAGS"),
                format!(
                    "GOFLAGS={shown} sets -mod=vendor: go builds from the vendor directory and \
                     never consults GOPROXY; module queries fail with \"cannot query module due \
                     to -mod=vendor\""
                ),
            )
            .at(&r)
            .with_fix((
                format!(
                    "Remove it if you did not mean to work from vendor/ everywhere: {}",
                    fix.0
                ),
                fix.1,
            ));
            self.push(f);
        }
    }

    fn gotoolchain_valid(&mut self) {
        let r = self.r(Setting::GoToolchain).clone();
        let value = r.value.clone();
        if value.is_empty() || value.ends_with('\r') {
            return; // empty: no switching; `\r`: reported by the go env file lint
        }
        if let Err(err) = validate::check(Setting::GoToolchain, &value) {
            let f = finding(
                "gotoolchain-invalid",
                Severity::Error,
                Some("GOTOOLCHAIN"),
                format!(
                    "GOTOOLCHAIN={value:?} is invalid: every module-aware go command fails with \
                     \"go: {err}\""
                ),
            )
            .at(&r)
            .with_fix((
                "Use auto, local, path or a release such as go1.22.3 (optionally +auto or \
                 +path); `go env -w GOTOOLCHAIN=auto` still works because go handles it locally"
                    .to_string(),
                None,
            ));
            self.push(f);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Rule 5: credentials in URLs

    fn credentials(&mut self) {
        let userinfo = |u: &Url| !u.username().is_empty() || u.password().is_some();
        // GOPROXY entries.
        let r = self.r(Setting::GoProxy).clone();
        for (url, _) in self.proxy_urls() {
            let Ok(u) = Url::parse(&url) else { continue };
            if !userinfo(&u) {
                continue;
            }
            let shown = redact(&url);
            let f = if u.scheme() == "http" {
                finding(
                    "goproxy-credentials-over-http",
                    Severity::Error,
                    Some("GOPROXY"),
                    format!(
                        "GOPROXY entry {shown} carries credentials over plain http: go refuses \
                         every request to it with \"refusing to pass credentials to insecure \
                         URL: {shown}/…\""
                    ),
                )
                .with_fix((
                    "Serve the proxy over https, and move the credentials out of the URL into \
                     ~/.netrc (Go 1.24+: GOAUTH)"
                        .to_string(),
                    None,
                ))
            } else {
                finding(
                    "credentials-in-url",
                    Severity::Warning,
                    Some("GOPROXY"),
                    format!(
                        "GOPROXY entry {shown} embeds credentials: they are stored in clear text \
                         wherever GOPROXY is set and shown by `go env`"
                    ),
                )
                .with_fix((
                    format!(
                        "Put them in ~/.netrc (`machine {} login <user> password <token>`), \
                         which go sends to https proxies (Go 1.24+: GOAUTH=netrc, the default), \
                         and drop them from the URL",
                        u.host_str().unwrap_or_default()
                    ),
                    None,
                ))
            };
            self.push(f.at(&r));
        }

        // The GOSUMDB URL.
        let r = self.r(Setting::GoSumDb).clone();
        if let Some(u) = self
            .val(Setting::GoSumDb)
            .split_whitespace()
            .nth(1)
            .and_then(|u| Url::parse(u).ok())
            .filter(userinfo)
        {
            let shown = redact(u.as_str());
            let (id, severity, message) = if u.scheme() == "http" {
                (
                    "gosumdb-credentials-over-http",
                    Severity::Error,
                    format!(
                        "GOSUMDB's URL {shown} carries credentials over plain http: go refuses \
                         it with \"refusing to pass credentials to insecure URL\""
                    ),
                )
            } else {
                (
                    "credentials-in-url",
                    Severity::Warning,
                    format!(
                        "GOSUMDB's URL {shown} embeds credentials: they are stored in clear text \
                         wherever GOSUMDB is set"
                    ),
                )
            };
            let f = finding(id, severity, Some("GOSUMDB"), message)
                .at(&r)
                .with_fix((
                    "Move the credentials to ~/.netrc (Go 1.24+: GOAUTH) and use an https URL"
                        .to_string(),
                    None,
                ));
            self.push(f);
        }

        // HTTP(S)_PROXY.
        for s in [Setting::HttpsProxy, Setting::HttpProxy] {
            let r = self.r(s).clone();
            let value = self.val(s).to_string();
            let Some(u) = ProxyEnv::parse_proxy(&value) else {
                continue;
            };
            if value.is_empty() || !userinfo(&u) {
                continue;
            }
            let name = r.env_name.unwrap_or(s.name());
            let shown = redact(&value);
            let f = if matches!(u.scheme(), "http" | "socks5" | "socks5h") {
                finding(
                    "proxy-credentials-over-http",
                    Severity::Warning,
                    Some(s.name()),
                    format!(
                        "{name}={shown} embeds credentials and the proxy is reached over plain \
                         {}: the password crosses the network in clear text \
                         (Proxy-Authorization) and is stored in clear text wherever {name} is \
                         set",
                        u.scheme()
                    ),
                )
            } else {
                finding(
                    "credentials-in-url",
                    Severity::Warning,
                    Some(s.name()),
                    format!(
                        "{name}={shown} embeds credentials: they are stored in clear text \
                         wherever {name} is set and visible to every process started from there"
                    ),
                )
            };
            let f = f.at(&r).with_fix((
                "Prefer a proxy that authenticates without a password in the URL (an https:// \
                 proxy at least keeps it off the wire), and keep the file that sets it private"
                    .to_string(),
                None,
            ));
            self.push(f);
        }
    }

    // -----------------------------------------------------------------------------------------
    // Rules 6 and 7: HTTP proxies

    fn proxy_env(&self) -> ProxyEnv {
        let pick = |s: Setting| {
            let r = self.r(s);
            let v = self.val(s);
            (!v.is_empty()).then(|| (v.to_string(), r.env_name.unwrap_or(s.name())))
        };
        ProxyEnv {
            http_proxy: pick(Setting::HttpProxy),
            https_proxy: pick(Setting::HttpsProxy),
            no_proxy: pick(Setting::NoProxy),
            cgi: false,
        }
    }

    fn proxy_routing(&mut self) {
        let penv = self.proxy_env();
        let r = self.r(Setting::GoProxy).clone();
        for (url, _) in self.proxy_urls() {
            let Ok(u) = Url::parse(&url) else { continue };
            let Decision::Proxy(p) = penv.decide(&u) else {
                continue;
            };
            let host = u.host_str().unwrap_or_default().to_string();
            let (severity, why) = match self.host_class(&u) {
                HostClass::Public => continue,
                HostClass::Private(why) => (Severity::Warning, format!("looks private ({why})")),
                HostClass::Unknown => (Severity::Info, "is not a known public mirror".into()),
            };
            let no_proxy = penv
                .no_proxy
                .as_ref()
                .map_or("(unset)".to_string(), |(v, _)| v.clone());
            let example = match &penv.no_proxy {
                Some((v, _)) => format!("{},{host}", v.trim_end_matches(',')),
                None => host.clone(),
            };
            let f = finding(
                "goproxy-host-not-in-no-proxy",
                severity,
                Some("NO_PROXY"),
                format!(
                    "GOPROXY entry {} {why}, but NO_PROXY={no_proxy} does not cover {host}, so go \
                     sends its requests through {}={}; a forward proxy outside your network \
                     usually cannot reach it (go then fails with a proxyconnect error, 403 or \
                     502)",
                    redact(&url),
                    p.from,
                    redact(p.url.as_str()),
                ),
            )
            .at(&r)
            .with_fix((
                format!(
                    "Add {host} to NO_PROXY (and no_proxy) where {} is set, e.g. NO_PROXY={example}",
                    p.from
                ),
                None,
            ));
            self.push(f);
        }
    }

    fn http_proxy_unused(&mut self) {
        let penv = self.proxy_env();
        let Some((value, from)) = penv.http_proxy.clone() else {
            return;
        };
        if penv.https_proxy.is_some() {
            return;
        }
        let any_http = self
            .proxy_urls()
            .iter()
            .any(|(u, _)| u.starts_with("http:"))
            || self
                .val(Setting::GoSumDb)
                .split_whitespace()
                .nth(1)
                .is_some_and(|u| u.starts_with("http:"));
        if any_http {
            return;
        }
        let r = self.r(Setting::HttpProxy).clone();
        let f = finding(
            "http-proxy-unused",
            Severity::Info,
            Some("HTTP_PROXY"),
            format!(
                "{from}={} is set but HTTPS_PROXY is not: go uses HTTP_PROXY only for http:// \
                 URLs, and every GOPROXY entry and the checksum database are https, so go \
                 connects to them directly",
                redact(&value)
            ),
        )
        .at(&r)
        .with_fix((
            "If go must use that proxy, set HTTPS_PROXY (and https_proxy) to the same value \
             where HTTP_PROXY is set"
                .to_string(),
            None,
        ));
        self.push(f);
    }

    // -----------------------------------------------------------------------------------------
    // Rule 10: toolchain downloads

    fn toolchain_downloads(&mut self) {
        if self
            .input
            .go_version
            .is_some_and(|v| (v.major, v.minor) < (1, 21))
        {
            return; // no toolchain switching before Go 1.21
        }
        let r = self.r(Setting::GoToolchain).clone();
        let value = r.value.as_str();
        let local = self.input.go_version.map(|v| v.to_string());
        let downloads = value == "auto"
            || value.ends_with("+auto")
            || (value.starts_with("go")
                && !value.contains('+')
                && validate::check(Setting::GoToolchain, value).is_ok()
                && local.as_deref() != Some(value));
        let Some(entries) = self.proxies.clone() else {
            return; // GOPROXY is broken anyway, and said so
        };
        if !downloads {
            return;
        }
        let example = "go: download go1.N.P for <GOOS>/<GOARCH>: toolchain not available";
        // GONOPROXY (or GOPRIVATE) matching golang.org/toolchain: toolchain downloads skip
        // GOPROXY and go straight to golang.org (seen with the real go 1.21–1.27).
        let noproxy = match self.val(Setting::GoNoProxy) {
            "" => self.val(Setting::GoPrivate).to_string(),
            v => v.to_string(),
        };
        if self.val(Setting::GoProxy) != "direct"
            && let Some(pattern) = modpath::matching_pattern(&noproxy, "golang.org/toolchain")
        {
            let which = self.r(Setting::GoNoProxy).clone();
            let name = if self.val(Setting::GoNoProxy).is_empty() {
                "GOPRIVATE"
            } else {
                "GONOPROXY"
            };
            let f = finding(
                "gonoproxy-matches-toolchain",
                Severity::Warning,
                Some(name),
                format!(
                    "{name} pattern {pattern} matches golang.org/toolchain, so GOTOOLCHAIN={value} \
                     downloads bypass GOPROXY and go straight to golang.org; where that is \
                     unreachable (the reason for a mirror), a module whose go line is newer than \
                     the local go fails with \"{example}\". The checksum database is still \
                     consulted for toolchains, whatever GONOSUMDB says"
                ),
            )
            .at(&which)
            .with_fix((
                format!(
                    "Narrow {name} so it no longer matches golang.org (list your private hosts, \
                     such as git.corp.example)"
                ),
                None,
            ));
            self.push(f);
        }
        let urls = self.proxy_urls();
        // cmd/go exempts a GOPROXY that is one file:// URL — no `,` or `|` at all, so not even
        // `file://…,off` — from verifying toolchains (the real go agrees, see tests).
        let goproxy_value = self.val(Setting::GoProxy);
        let single_file =
            goproxy_value.starts_with("file://") && !goproxy_value.contains([',', '|']);
        let (severity, message) = if entries.first() == Some(&ProxyEntry::Off) {
            (
                Severity::Warning,
                format!(
                    "GOTOOLCHAIN={value} lets go switch to the toolchain a go.mod asks for, but \
                     GOPROXY=off cannot download it: in a module whose go line is newer than the \
                     local go, every go command fails with \"{example}\""
                ),
            )
        } else if self.val(Setting::GoSumDb) == "off" && !single_file {
            (
                Severity::Warning,
                format!(
                    "GOTOOLCHAIN={value} lets go download the toolchain a go.mod asks for, but \
                     toolchain downloads must be verified by the checksum database even with \
                     GOSUMDB=off: in a module whose go line is newer than the local go, every \
                     go command fails with \"go: download go1.N.P: \
                     golang.org/toolchain@v0.0.1-go1.N.P.<GOOS>-<GOARCH>: verifying module: \
                     checksum database disabled by GOSUMDB=off\""
                ),
            )
        } else if !entries.contains(&ProxyEntry::Direct)
            && !urls.is_empty()
            && urls.iter().all(|(u, _)| {
                Url::parse(u)
                    .map(|u| matches!(self.host_class(&u), HostClass::Private(_)))
                    .unwrap_or(false)
            })
        {
            // Many private proxies (Athens, Artifactory, Nexus) do mirror golang.org/toolchain:
            // worth knowing, not likely wrong.
            (
                Severity::Info,
                format!(
                    "GOTOOLCHAIN={value} downloads newer toolchains as module \
                     golang.org/toolchain, and GOPROXY={} offers only private proxies and no \
                     `direct`: unless they mirror golang.org/toolchain, a module whose go line \
                     is newer than the local go fails with \"{example}\"",
                    redact(self.val(Setting::GoProxy))
                ),
            )
        } else {
            return;
        };
        let fix = self.change(&r, Change::Set("local".into()));
        let f = finding(
            "gotoolchain-cannot-download",
            severity,
            Some("GOTOOLCHAIN"),
            message,
        )
        .at(&r)
        .with_fix((
            format!(
                "Keep the local toolchain (go.mod files that need a newer one then fail with a \
                 clear \"requires go >= …\" message), or fix the route: {}",
                fix.0
            ),
            fix.1,
        ));
        self.push(f);
    }

    // -----------------------------------------------------------------------------------------
    // Rules 8 and 11: the go env file

    fn goenv_file(&mut self) {
        let Some((path, file)) = self.file.take() else {
            return;
        };
        if self.goenv_off {
            let n = file.entries().count();
            if n > 0 {
                let f = finding(
                    "goenv-off-file-ignored",
                    Severity::Info,
                    Some("GOENV"),
                    format!(
                        "GOENV=off, so go ignores the {n} setting{} in {}; `go env -w` still \
                         writes that file (cmd/go clears GOENV before -w runs), so changes made \
                         with it have no effect here",
                        if n == 1 { "" } else { "s" },
                        path.display()
                    ),
                )
                .with_file(path)
                .with_fix((
                    "Unset GOENV to use the file again, or point GOENV at the file you mean"
                        .to_string(),
                    None,
                ));
                self.push(f);
            }
            self.file = Some((path, file));
            return;
        }

        for note in file.notes() {
            let f = self.note_finding(path, &file, &note);
            self.push(f);
        }

        if let Some(e) = file.get("GOROOT").filter(|e| !e.value.is_empty()) {
            let f = finding(
                "goenv-goroot",
                Severity::Warning,
                Some("GOROOT"),
                format!(
                    "GOROOT={} is set in the go env file: go uses it instead of finding its own \
                     installation, so another version's go.env and tools are used, and once \
                     that directory is gone every go command (even `go env -u GOROOT`) fails \
                     with \"go: cannot find GOROOT directory: {}\"",
                    redact(&e.value),
                    redact(&e.value)
                ),
            )
            .in_goenv(path, e.line)
            .with_fix((
                "Remove it (if go already fails: GOROOT=<the real one> go env -u GOROOT): go env \
                 -u GOROOT"
                    .to_string(),
                Some(Fix::UnsetGoEnv {
                    var: "GOROOT".into(),
                }),
            ));
            self.push(f);
        }

        for name in NETWORK_VARS {
            let Some(e) = file.get(name) else { continue };
            let f = finding(
                "goenv-network-var",
                Severity::Warning,
                Some(name),
                format!(
                    "{name}={} in the go env file has no effect: go reads {name} only from the \
                     OS environment (`go env -w` refuses it: \"go: unknown go command variable \
                     {name}\")",
                    redact(&e.value)
                ),
            )
            .in_goenv(path, e.line)
            .with_fix((
                format!(
                    "Set {name} in the environment instead (a modroute profile writes it to your \
                     shells and desktop session), and remove the line: go env -u {name}"
                ),
                Some(Fix::UnsetGoEnv {
                    var: (*name).to_string(),
                }),
            ));
            self.push(f);
        }
        self.file = Some((path, file));
    }

    fn note_finding(&self, path: &Path, file: &GoEnvFile, note: &Note) -> Finding {
        let key = note.key.as_str();
        let text = redact(&note.text);
        let text = text.strip_suffix('\r').unwrap_or(&text);
        let normalize = (
            "Rewrite the go env file in `go env -w`'s format (KEY=VALUE, LF line endings, no \
             quotes, no `export`)"
                .to_string(),
            Some(Fix::NormalizeGoEnv),
        );
        let pattern_key = matches!(key, "GOPRIVATE" | "GONOPROXY" | "GONOSUMDB" | "GOINSECURE");
        let (id, severity, message) = match note.code {
            NoteCode::CarriageReturn => {
                let (severity, effect) = match key {
                    "GOTOOLCHAIN" | "GO111MODULE" => (
                        Severity::Error,
                        format!(
                            "every module-aware go command fails with \"go: invalid {key} \
                             \\\"…\\r\\\"\""
                        ),
                    ),
                    _ if pattern_key => (
                        Severity::Warning,
                        "its last pattern ends in \\r and never matches".to_string(),
                    ),
                    "GOSUMDB"
                        if note.text.split_once('=').map(|(_, v)| v.trim()) == Some("off") =>
                    {
                        (
                            Severity::Error,
                            "go no longer sees `off`: it verifies modules and fails with \
                             \"invalid GOSUMDB: malformed verifier id\""
                                .to_string(),
                        )
                    }
                    "GOPROXY" | "GOSUMDB" | "GOFLAGS" => (
                        Severity::Info,
                        "go happens to tolerate it for this variable".to_string(),
                    ),
                    _ => (
                        Severity::Warning,
                        "the value go uses ends in \\r".to_string(),
                    ),
                };
                (
                    "goenv-crlf",
                    severity,
                    format!(
                        "Line {} (`{text}`) ends in CRLF: go keeps the \\r as part of {key}'s \
                         value, so {effect}",
                        note.line
                    ),
                )
            }
            NoteCode::Quoted => (
                "goenv-quoted-value",
                Severity::Warning,
                format!(
                    "Line {} (`{text}`): go does no quote processing, so the quotes are part of \
                     {key}'s value{}",
                    note.line,
                    if pattern_key {
                        " and its first and last patterns never match"
                    } else if key == "GOPROXY" {
                        " and the list is invalid"
                    } else {
                        ""
                    }
                ),
            ),
            NoteCode::KeySpace => (
                "goenv-key-space",
                Severity::Warning,
                format!(
                    "Line {} (`{text}`): the spaces around `=` make the key `{key} ` (with a \
                     space), which go never looks up, so the line has no effect",
                    note.line
                ),
            ),
            NoteCode::Duplicate => (
                "goenv-duplicate-key",
                Severity::Info,
                format!(
                    "Line {} (`{text}`) has no effect: a later line sets {key} again, and the \
                     last one wins",
                    note.line
                ),
            ),
            NoteCode::Ignored => {
                let trimmed = note.text.trim_start();
                let (id, why) = if trimmed.starts_with("export") {
                    (
                        "goenv-export-line",
                        "go reads KEY=VALUE lines only, so `export …` is skipped",
                    )
                } else if note.text.starts_with([' ', '\t']) {
                    (
                        "goenv-indented-line",
                        "go skips lines that do not start with a letter A–Z",
                    )
                } else {
                    (
                        "goenv-lowercase-key",
                        "go skips lines that do not start with an upper-case letter",
                    )
                };
                let severity = if file.get(key).is_some() {
                    Severity::Info // another line sets it properly
                } else {
                    Severity::Warning
                };
                (
                    id,
                    severity,
                    format!(
                        "Line {} (`{text}`) is ignored: {why}, so it does not set {key}",
                        note.line
                    ),
                )
            }
        };
        finding(id, severity, Some(key), message)
            .in_goenv(path, note.line)
            .with_fix(normalize)
    }

    fn unknown_names(&mut self) {
        for (name, instead) in NON_EXISTENT {
            if let Some(v) = self.input.env.get_non_empty(name) {
                let f = finding(
                    "unknown-go-variable",
                    Severity::Warning,
                    Some(name),
                    format!(
                        "{name}={} is set in the environment, but go has no {name}: it has no \
                         effect",
                        redact(&v)
                    ),
                )
                .with_fix((
                    format!(
                        "Use {instead} (patterns of modules not to verify) and remove {name} \
                         where it is exported"
                    ),
                    None,
                ));
                self.push(f);
            }
            if self.goenv_off {
                continue;
            }
            let in_file = self
                .file
                .as_ref()
                .and_then(|(p, f)| f.get(name).map(|e| (p.to_path_buf(), e)));
            if let Some((path, e)) = in_file {
                let f = finding(
                    "unknown-go-variable",
                    Severity::Warning,
                    Some(name),
                    format!(
                        "{name}={} is set in the go env file, but go has no {name}: it has no \
                         effect",
                        redact(&e.value)
                    ),
                )
                .in_goenv(&path, e.line)
                .with_fix((
                    format!(
                        "Move its patterns to {instead}: go env -w {instead}=<patterns>; go env \
                         -u {name}"
                    ),
                    None,
                ));
                self.push(f);
            }
        }
    }
}

/// GOFLAGS split as cmd/go's `quoted.Split` does: on white space, a word that starts with a
/// quote running to the matching quote.
fn goflags_words(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = value.trim_start();
    while !rest.is_empty() {
        let end = match rest.chars().next() {
            Some(q @ ('\'' | '"')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
            _ => rest.find(char::is_whitespace).unwrap_or(rest.len()),
        };
        out.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::TargetOs;
    use crate::resolve::{self, FileLayer, Inputs};

    const GO_ENV: &str =
        "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n";
    const USER: &str = "/u/go/env";
    const DOMESTIC: &str = "https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct";
    const OFFICIAL: &str = "https://proxy.golang.org,direct";

    /// Lints an environment, a user go env file and `$GOROOT/go.env` (the standard one unless
    /// `goroot` says otherwise), for go1.25.
    fn lint_with(vars: &[(&str, &str)], file: Option<&str>, goroot: Option<&str>) -> Vec<Finding> {
        let env = Env::from_vars_on(TargetOs::Unix, vars.iter().copied());
        let off = env.get("GOENV").as_deref() == Some("off");
        let user = file
            .filter(|_| !off)
            .map(|t| GoEnvFile::parse(t.as_bytes()));
        let root = goroot.map(|t| GoEnvFile::parse(t.as_bytes()));
        let go_version = GoVersion::parse("go1.25.0");
        let resolutions = resolve::resolve(&Inputs {
            env: &env,
            goenv: user.as_ref().map(|file| FileLayer {
                path: Path::new(USER),
                file,
            }),
            goroot: root.as_ref().map(|file| FileLayer {
                path: Path::new("/r/go.env"),
                file,
            }),
            go_version,
        });
        lint(&LintInput {
            env: &env,
            resolutions: &resolutions,
            goenv_file: file.map(|t| (Path::new(USER), t.as_bytes())),
            goroot_go_env: goroot.map(|_| Path::new("/r/go.env")),
            go_version,
        })
    }

    fn run(vars: &[(&str, &str)], file: Option<&str>) -> Vec<Finding> {
        lint_with(vars, file, Some(GO_ENV))
    }

    fn ids(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.id.as_str()).collect()
    }

    fn only<'f>(findings: &'f [Finding], id: &str) -> &'f Finding {
        let hits: Vec<_> = findings.iter().filter(|f| f.id == id).collect();
        assert_eq!(hits.len(), 1, "{id} in {:#?}", ids(findings));
        hits[0]
    }

    fn none_of(findings: &[Finding], id: &str) {
        assert!(
            findings.iter().all(|f| f.id != id),
            "unexpected {id}: {findings:#?}"
        );
    }

    fn set(var: &str, value: &str) -> Option<Fix> {
        Some(Fix::SetGoEnv {
            var: var.into(),
            value: value.into(),
        })
    }

    fn serious(findings: &[Finding]) -> Vec<&Finding> {
        findings
            .iter()
            .filter(|f| f.severity > Severity::Info)
            .collect()
    }

    // --- the built-in profiles stay quiet ----------------------------------------------------

    #[test]
    fn builtin_profiles_have_no_warnings_or_errors() {
        for goproxy in [DOMESTIC, OFFICIAL] {
            let text = format!("GOPROXY={goproxy}\nGOSUMDB=sum.golang.org\n");
            let from_file = run(&[("HOME", "/h")], Some(&text));
            assert!(serious(&from_file).is_empty(), "{from_file:#?}");
            let from_env = run(&[("GOPROXY", goproxy), ("GOSUMDB", "sum.golang.org")], None);
            assert!(serious(&from_env).is_empty(), "{from_env:#?}");
        }
        assert_eq!(run(&[], None), vec![], "the defaults produce nothing");
        let official = run(&[("GOPROXY", OFFICIAL)], None);
        assert_eq!(
            official,
            vec![],
            "Go's own `,direct` after a public mirror is fine"
        );
        // Between two mirrors the `,` is worth knowing, no more.
        let domestic = run(&[("GOPROXY", DOMESTIC)], None);
        assert_eq!(ids(&domestic), ["goproxy-comma-between-proxies"]);
        assert_eq!(domestic[0].severity, Severity::Info);
        assert_eq!(
            domestic[0].fix_action, None,
            "from the environment: the file cannot fix it"
        );
    }

    // --- rule 1: GOPROXY -------------------------------------------------------------------

    #[test]
    fn empty_goproxy_is_an_error_with_gos_words() {
        let fs = run(&[], Some("# mine\nGOPROXY=\n"));
        let f = only(&fs, "goproxy-empty");
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message
                .contains("GOPROXY list is not the empty string, but contains no entries")
        );
        assert_eq!(
            (f.context.as_str(), f.file.as_deref(), f.line),
            ("goenv", Some(Path::new(USER)), Some(2))
        );
        assert_eq!(
            f.fix_action,
            Some(Fix::UnsetGoEnv {
                var: "GOPROXY".into()
            }),
            "go.env has the default back"
        );

        let fs = run(&[("GOPROXY", ",, |")], None);
        let f = only(&fs, "goproxy-empty");
        assert_eq!(
            (f.context.as_str(), f.fix_action.as_ref()),
            ("process", None)
        );
        assert!(f.message.contains("only separators"));
        assert!(f.fix.as_deref().unwrap().contains("environment"));

        // No $GOROOT/go.env at all: say so, and set the default explicitly.
        let fs = lint_with(&[], None, None);
        let f = only(&fs, "goproxy-empty");
        assert!(f.message.contains("no $GOROOT/go.env"), "{}", f.message);
        assert_eq!(f.fix_action, set("GOPROXY", DEFAULT_GOPROXY));
    }

    #[test]
    fn invalid_goproxy_entries_use_gos_wording() {
        for (value, want) in [
            (
                "ftp://x.example",
                "invalid proxy URL scheme (must be https, http, file): ftp://x.example",
            ),
            ("foo", "invalid proxy URL missing scheme: foo"),
        ] {
            let fs = run(&[("GOPROXY", value)], None);
            let f = only(&fs, "goproxy-invalid");
            assert_eq!(f.severity, Severity::Error);
            assert!(f.message.contains(want), "{}", f.message);
        }
        none_of(
            &run(&[("GOPROXY", "proxy.example.com")], None),
            "goproxy-invalid",
        );
    }

    #[test]
    fn goproxy_off_and_ignored_entries() {
        let fs = run(&[], Some("GOPROXY=off\n"));
        let f = only(&fs, "goproxy-off");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("module lookup disabled by GOPROXY=off"));
        assert_eq!(
            f.fix_action,
            Some(Fix::UnsetGoEnv {
                var: "GOPROXY".into()
            })
        );
        // `off` after proxies is a deliberate "only these proxies".
        none_of(
            &run(&[("GOPROXY", "https://p.example,off")], None),
            "goproxy-off",
        );

        let fs = run(&[], Some("GOPROXY=direct,https://goproxy.cn\n"));
        let f = only(&fs, "goproxy-entries-after-direct");
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message.contains("https://goproxy.cn is never used"),
            "{}",
            f.message
        );
        assert_eq!(f.fix_action, set("GOPROXY", "https://goproxy.cn,direct"));
        let fs = run(
            &[],
            Some("GOPROXY=https://a.example|direct,https://b.example\n"),
        );
        assert_eq!(
            only(&fs, "goproxy-entries-after-direct").fix_action,
            set("GOPROXY", "https://a.example|https://b.example,direct")
        );
        none_of(
            &run(&[("GOPROXY", OFFICIAL)], None),
            "goproxy-entries-after-direct",
        );
    }

    #[test]
    fn comma_after_a_private_proxy_suggests_a_pipe() {
        let fs = run(&[], Some("GOPROXY=https://athens.corp.internal,direct\n"));
        let f = only(&fs, "goproxy-comma-after-private-proxy");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains(".internal"), "{}", f.message);
        assert_eq!(
            f.fix_action,
            set("GOPROXY", "https://athens.corp.internal|direct")
        );
        // A private IP before a public mirror.
        let fs = run(
            &[(
                "GOPROXY",
                "http://10.0.0.5:3000,https://proxy.golang.org,direct",
            )],
            None,
        );
        assert_eq!(
            only(&fs, "goproxy-comma-after-private-proxy").severity,
            Severity::Warning
        );
        none_of(&fs, "goproxy-comma-between-proxies");
        // A host matching GOPRIVATE counts as private.
        let fs = run(
            &[
                ("GOPROXY", "https://goproxy.acme.example,direct"),
                ("GOPRIVATE", "*.acme.example"),
            ],
            None,
        );
        assert!(
            only(&fs, "goproxy-comma-after-private-proxy")
                .message
                .contains("GOPRIVATE pattern *.acme.example")
        );
        // Already `|`: nothing to say.
        let fs = run(&[("GOPROXY", "https://athens.corp.internal|direct")], None);
        none_of(&fs, "goproxy-comma-after-private-proxy");
        // Several commas: one combined fix, the same on each finding.
        let fs = run(
            &[],
            Some("GOPROXY=https://a.corp.internal,https://goproxy.cn,https://goproxy.io,direct\n"),
        );
        let want = set(
            "GOPROXY",
            "https://a.corp.internal|https://goproxy.cn|https://goproxy.io,direct",
        );
        assert_eq!(fs.len(), 2, "{fs:#?}");
        assert!(fs.iter().all(|f| f.fix_action == want));
    }

    #[test]
    fn missing_direct() {
        let fs = run(&[], Some("GOPROXY=https://athens.acme.example\n"));
        let f = only(&fs, "goproxy-no-direct");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("404 Not Found"));
        assert_eq!(
            f.fix_action,
            set("GOPROXY", "https://athens.acme.example,direct")
        );
        let fs = run(&[("GOPROXY", "https://a.example|https://b.example")], None);
        assert_eq!(only(&fs, "goproxy-no-direct").severity, Severity::Info);
        for fine in [
            "file:///srv/mods",
            "https://x.example,off",
            OFFICIAL,
            "direct",
        ] {
            none_of(&run(&[("GOPROXY", fine)], None), "goproxy-no-direct");
        }
    }

    // --- rule 9: dead mirrors --------------------------------------------------------------

    #[test]
    fn known_dead_or_wrong_mirrors() {
        let fs = run(
            &[],
            Some("GOPROXY=https://gocenter.io,https://goproxy.cn,direct\n"),
        );
        let f = only(&fs, "goproxy-dead-mirror");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("GoCenter"));
        assert_eq!(f.fix_action, set("GOPROXY", "https://goproxy.cn,direct"));
        let fs = run(&[("GOPROXY", "sum.golang.org")], None);
        assert!(only(&fs, "goproxy-dead-mirror").message.contains("GOSUMDB"));
        let fs = run(&[], Some("GOPROXY=https://gocenter.io,direct\n"));
        assert_eq!(
            only(&fs, "goproxy-dead-mirror").fix_action,
            set("GOPROXY", "direct")
        );
        for alive in [
            "https://goproxy.io,direct",
            "https://mirrors.aliyun.com/goproxy,direct",
            "https://mirrors.aliyun.com/goproxy/,direct",
            DOMESTIC,
        ] {
            none_of(&run(&[("GOPROXY", alive)], None), "goproxy-dead-mirror");
        }
    }

    // --- rule 2: patterns ------------------------------------------------------------------

    #[test]
    fn patterns_that_never_match() {
        let fs = run(
            &[],
            Some("GOPRIVATE=https://git.corp.example, Corp.example/x,git.corp.example/[a\n"),
        );
        for id in [
            "pattern-has-scheme",
            "pattern-has-spaces",
            "pattern-upper-case",
            "pattern-bad-glob",
        ] {
            let f = only(&fs, id);
            assert_eq!(
                (f.severity, f.var.as_deref(), f.line),
                (Severity::Warning, Some("GOPRIVATE"), Some(1))
            );
            assert_eq!(
                f.fix_action,
                set(
                    "GOPRIVATE",
                    "git.corp.example,corp.example/x,git.corp.example/[a"
                ),
                "{id}"
            );
        }
        assert!(
            only(&fs, "pattern-has-spaces")
                .message
                .contains("\" Corp.example/x\"")
        );
        // Derived GONOPROXY/GONOSUMDB are not reported twice.
        assert_eq!(
            fs.iter().filter(|f| f.id == "pattern-has-scheme").count(),
            1
        );

        let fine = run(
            &[(
                "GOPRIVATE",
                "git.corp.example,*.internal.example/team/*,none,,github.com/Azure",
            )],
            None,
        );
        assert!(
            fine.iter().all(|f| !f.id.starts_with("pattern-")),
            "{fine:#?}"
        );
        let fs = run(&[("GOINSECURE", "HTTP://x.example")], None);
        only(&fs, "pattern-has-scheme");
    }

    // --- rule 3: GONOPROXY vs GONOSUMDB -----------------------------------------------------

    #[test]
    fn gonoproxy_without_gonosumdb() {
        let fs = run(&[], Some("GONOPROXY=git.corp.example\n"));
        let f = only(&fs, "gonoproxy-without-gonosumdb");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("verifying module"));
        assert!(f.message.contains("https://sum.golang.org/lookup/"));
        assert_eq!(f.fix_action, set("GONOSUMDB", "git.corp.example"));
        assert_eq!(f.line, Some(1));

        // Derived from GOPRIVATE but overridden by an explicit GONOSUMDB.
        let fs = run(
            &[("GOPRIVATE", "a.example"), ("GONOSUMDB", "b.example")],
            None,
        );
        let f = only(&fs, "gonoproxy-without-gonosumdb");
        assert!(
            f.message
                .starts_with("GONOPROXY (from GOPRIVATE)=a.example")
        );
        assert_eq!(f.fix_action, None, "GONOSUMDB comes from the environment");

        // Partially covered: only the rest is added.
        let fs = run(
            &[],
            Some("GONOPROXY=git.corp.example,*.int.example\nGONOSUMDB=*.corp.example\n"),
        );
        let f = only(&fs, "gonoproxy-without-gonosumdb");
        assert!(!f.message.contains("sends git.corp.example,"));
        assert_eq!(
            f.fix_action,
            set("GONOSUMDB", "*.corp.example,*.int.example")
        );

        for vars in [
            vec![("GOPRIVATE", "git.corp.example")],
            vec![("GONOPROXY", "none"), ("GOPRIVATE", "git.corp.example")],
            vec![("GONOPROXY", "git.corp.example"), ("GOSUMDB", "off")],
            vec![
                ("GONOPROXY", "git.corp.example"),
                ("GONOSUMDB", "git.corp.example/"),
            ],
        ] {
            none_of(&run(&vars, None), "gonoproxy-without-gonosumdb");
        }

        // The reverse, with a public mirror first: worth knowing.
        let fs = run(&[("GONOSUMDB", "git.corp.example")], None);
        let f = only(&fs, "gonosumdb-without-gonoproxy");
        assert_eq!(f.severity, Severity::Info);
        // GONOPROXY=none with a private proxy is the documented idiom.
        let fs = run(
            &[
                ("GOPROXY", "https://athens.corp.internal|direct"),
                ("GOPRIVATE", "git.corp.example"),
                ("GONOPROXY", "none"),
            ],
            None,
        );
        none_of(&fs, "gonosumdb-without-gonoproxy");
    }

    // --- rule 4: GOSUMDB, GOINSECURE, GOFLAGS ------------------------------------------------

    #[test]
    fn gosumdb_off_and_invalid() {
        let fs = run(&[], Some("GOSUMDB=off\n"));
        let f = only(&fs, "gosumdb-off");
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message
                .contains("checksum database disabled by GOSUMDB=off")
        );
        assert_eq!(
            f.fix_action,
            Some(Fix::UnsetGoEnv {
                var: "GOSUMDB".into()
            })
        );
        // From the environment: advice only.
        let fs = run(&[("GOSUMDB", "off")], None);
        let f = only(&fs, "gosumdb-off");
        assert_eq!(
            (f.fix_action.as_ref(), f.context.as_str()),
            (None, "process")
        );
        assert!(
            f.fix
                .as_deref()
                .unwrap()
                .contains("GOSUMDB is set in the environment")
        );

        for (value, want) in [
            ("a b c", "invalid GOSUMDB: too many fields"),
            ("badkey", "invalid GOSUMDB: malformed verifier id"),
        ] {
            let fs = run(&[("GOSUMDB", value)], None);
            let f = only(&fs, "gosumdb-invalid");
            assert_eq!(f.severity, Severity::Error);
            assert!(f.message.contains(want), "{}", f.message);
        }
        let fs = run(&[], Some("GOSUMDB=\n"));
        let f = only(&fs, "gosumdb-invalid");
        assert!(f.message.contains("missing GOSUMDB"));
        for fine in [
            "sum.golang.org",
            "sum.golang.google.cn",
            "sum.golang.org https://goproxy.cn/sumdb/sum.golang.org",
        ] {
            let fs = run(&[("GOSUMDB", fine)], None);
            assert!(serious(&fs).is_empty(), "{fine}: {fs:#?}");
        }
    }

    #[test]
    fn goinsecure_and_goflags() {
        let fs = run(&[], Some("GOINSECURE=git.corp.example\n"));
        let f = only(&fs, "goinsecure-set");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(
            f.fix_action,
            Some(Fix::UnsetGoEnv {
                var: "GOINSECURE".into()
            })
        );
        none_of(&run(&[("GOINSECURE", "")], None), "goinsecure-set");

        let fs = run(&[], Some("GOFLAGS=-mod=mod -insecure\n"));
        let f = only(&fs, "goflags-insecure");
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message
                .contains("go: -insecure flag is no longer supported; use GOINSECURE instead")
        );
        assert_eq!(f.fix_action, set("GOFLAGS", "-mod=mod"));
        let fs = run(&[], Some("GOFLAGS=-insecure\n"));
        assert_eq!(
            only(&fs, "goflags-insecure").fix_action,
            Some(Fix::UnsetGoEnv {
                var: "GOFLAGS".into()
            })
        );

        let fs = run(&[("GOFLAGS", "-mod=vendor '-ldflags=-s -w'")], None);
        let f = only(&fs, "goflags-mod-vendor");
        assert_eq!(f.severity, Severity::Info);
        assert!(f.message.contains("cannot query module due to -mod=vendor"));
        let fs = run(&[], Some("GOFLAGS=-mod=vendor '-ldflags=-s -w'\n"));
        assert_eq!(
            only(&fs, "goflags-mod-vendor").fix_action,
            set("GOFLAGS", "'-ldflags=-s -w'")
        );

        let fs = run(&[("GOFLAGS", "bogus")], None);
        assert!(only(&fs, "goflags-invalid").message.contains("non-flag"));
        assert!(run(&[("GOFLAGS", "-mod=mod -trimpath")], None).is_empty());
        assert_eq!(
            goflags_words(" -a  '-b c' \"-d\"x -e"),
            ["-a", "'-b c'", "\"-d\"", "x", "-e"],
            "a quoted word ends at its closing quote, as in cmd/internal/quoted.Split"
        );
    }

    // --- rule 5: credentials ----------------------------------------------------------------

    #[test]
    fn credentials_are_flagged_and_never_shown() {
        let fs = run(
            &[
                (
                    "GOPROXY",
                    "https://bob:s3cret@athens.corp.example/go,direct",
                ),
                (
                    "HTTPS_PROXY",
                    "http://alice:hunter2@proxy.corp.example:3128",
                ),
                ("NO_PROXY", "corp.example"),
            ],
            None,
        );
        let f = only(&fs, "credentials-in-url");
        assert_eq!(
            (f.severity, f.var.as_deref()),
            (Severity::Warning, Some("GOPROXY"))
        );
        assert!(f.message.contains("bob:xxxxx@athens.corp.example"));
        let f = only(&fs, "proxy-credentials-over-http");
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.contains("alice:xxxxx@proxy"));

        let fs = run(
            &[],
            Some("GOPROXY=http://bob:s3cret@10.1.2.3:3000,https://goproxy.cn,direct\n"),
        );
        let f = only(&fs, "goproxy-credentials-over-http");
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message
                .contains("refusing to pass credentials to insecure URL")
        );
        // The `|` fix would have to carry the password: advice only.
        let comma = only(&fs, "goproxy-comma-after-private-proxy");
        assert_eq!(comma.fix_action, None);
        assert!(comma.fix.as_deref().unwrap().contains("xxxxx"));

        let fs = run(
            &[(
                "GOSUMDB",
                "sum.golang.org https://u:pw1234@sum.corp.example",
            )],
            None,
        );
        assert_eq!(
            only(&fs, "credentials-in-url").var.as_deref(),
            Some("GOSUMDB")
        );
        let http = run(
            &[("GOSUMDB", "sum.golang.org http://u:pw1234@sum.corp.example")],
            None,
        );
        assert_eq!(
            only(&http, "gosumdb-credentials-over-http").severity,
            Severity::Error
        );

        // No password anywhere in what leaves: messages, fixes, actions.
        let everything = [
            run(
                &[
                    ("GOPROXY", "https://bob:s3cret@gocenter.io,direct,https://u:s3cret@x.example"),
                    ("HTTP_PROXY", "bob:s3cret@proxy:3128"),
                    ("GONOSUMCHECK", "https://u:s3cret@y.example"),
                ],
                Some("HTTPS_PROXY=http://u:s3cret@p:1\r\nexport GOSUMDB=\"sum.golang.org https://u:s3cret@s.example\"\n"),
            ),
            fs,
        ]
        .concat();
        let json = serde_json::to_string(&everything).unwrap();
        assert!(
            !json.contains("s3cret") && !json.contains("pw1234"),
            "{json}"
        );
        assert!(json.contains("xxxxx"));

        none_of(
            &run(
                &[("GOPROXY", "https://user@athens.corp.example|direct")],
                None,
            ),
            "goproxy-credentials-over-http",
        );
    }

    // --- rules 6 and 7: HTTP proxies --------------------------------------------------------

    #[test]
    fn private_proxy_through_https_proxy_needs_no_proxy() {
        let proxy = ("HTTPS_PROXY", "http://proxy.corp.example:3128");
        let goproxy = ("GOPROXY", "https://athens.corp.internal|direct");
        let fs = run(&[proxy, goproxy], None);
        let f = only(&fs, "goproxy-host-not-in-no-proxy");
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.fix
                .as_deref()
                .unwrap()
                .contains("Add athens.corp.internal to NO_PROXY")
        );
        assert!(
            f.message
                .contains("HTTPS_PROXY=http://proxy.corp.example:3128")
        );

        let fs = run(&[proxy, goproxy, ("no_proxy", ".corp.internal")], None);
        none_of(&fs, "goproxy-host-not-in-no-proxy");
        // Public mirrors are meant to go through the proxy; unknown hosts are only mentioned.
        let fs = run(&[proxy, ("GOPROXY", DOMESTIC)], None);
        none_of(&fs, "goproxy-host-not-in-no-proxy");
        let fs = run(
            &[proxy, ("GOPROXY", "https://goproxy.example.org|direct")],
            None,
        );
        assert_eq!(
            only(&fs, "goproxy-host-not-in-no-proxy").severity,
            Severity::Info
        );
        // Loopback is never proxied.
        let fs = run(&[proxy, ("GOPROXY", "https://localhost:3000|direct")], None);
        none_of(&fs, "goproxy-host-not-in-no-proxy");
    }

    #[test]
    fn http_proxy_alone_does_not_apply_to_https() {
        let fs = run(&[("http_proxy", "http://proxy:3128")], None);
        let f = only(&fs, "http-proxy-unused");
        assert_eq!(f.severity, Severity::Info);
        assert!(f.message.starts_with("http_proxy=http://proxy:3128"));
        none_of(
            &run(
                &[
                    ("HTTP_PROXY", "http://proxy:3128"),
                    ("HTTPS_PROXY", "http://proxy:3128"),
                ],
                None,
            ),
            "http-proxy-unused",
        );
        none_of(
            &run(
                &[
                    ("HTTP_PROXY", "http://proxy:3128"),
                    ("GOPROXY", "http://mirror.example|direct"),
                ],
                None,
            ),
            "http-proxy-unused",
        );
    }

    // --- rule 10: toolchain downloads -------------------------------------------------------

    #[test]
    fn toolchain_downloads_that_cannot_work() {
        let fs = run(&[], Some("GOSUMDB=off\n"));
        let f = only(&fs, "gotoolchain-cannot-download");
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            f.message
                .contains("verifying module: checksum database disabled by GOSUMDB=off")
        );
        assert_eq!(f.fix_action, set("GOTOOLCHAIN", "local"));
        assert_eq!(
            (f.file.as_deref(), f.line),
            (Some(Path::new("/r/go.env")), Some(3)),
            "GOTOOLCHAIN=auto lives in $GOROOT/go.env"
        );

        let fs = run(&[("GOPROXY", "off")], None);
        assert!(
            only(&fs, "gotoolchain-cannot-download")
                .message
                .contains("toolchain not available")
        );

        let fs = run(&[("GOPROXY", "https://athens.corp.internal")], None);
        assert_eq!(
            only(&fs, "gotoolchain-cannot-download").severity,
            Severity::Info
        );

        for vars in [
            vec![("GOSUMDB", "off"), ("GOTOOLCHAIN", "local")],
            vec![("GOSUMDB", "off"), ("GOTOOLCHAIN", "go1.25.0")],
            vec![("GOSUMDB", "off"), ("GOPROXY", "file:///srv/mods")],
            vec![("GOPROXY", "https://athens.corp.internal|direct")],
            vec![("GOPROXY", DOMESTIC)],
        ] {
            none_of(&run(&vars, None), "gotoolchain-cannot-download");
        }
        assert!(
            run(&[("GOSUMDB", "off"), ("GOTOOLCHAIN", "go1.26.1")], None)
                .iter()
                .any(|f| f.id == "gotoolchain-cannot-download")
        );
        let fs = run(&[("GOTOOLCHAIN", "bash")], None);
        assert!(
            only(&fs, "gotoolchain-invalid")
                .message
                .contains("invalid GOTOOLCHAIN \"bash\"")
        );
    }

    // --- rules 8 and 11: the go env file ----------------------------------------------------

    #[test]
    fn go_env_file_lines_go_reads_differently() {
        let text = "GOTOOLCHAIN=auto\r\nGONOSUMDB=\"corp.example\"\nexport GOPROXY=https://goproxy.cn\n  GOFLAGS=-mod=mod\ngoprivate=x.example\nGOSUMDB = sum.golang.org\nGOINSECURE=a\nGOINSECURE=b\n";
        let fs = run(&[], Some(text));
        let want = [
            ("goenv-crlf", 1, Severity::Error, "GOTOOLCHAIN"),
            ("goenv-quoted-value", 2, Severity::Warning, "GONOSUMDB"),
            ("goenv-export-line", 3, Severity::Warning, "GOPROXY"),
            ("goenv-indented-line", 4, Severity::Warning, "GOFLAGS"),
            ("goenv-lowercase-key", 5, Severity::Warning, "GOPRIVATE"),
            ("goenv-key-space", 6, Severity::Warning, "GOSUMDB"),
            ("goenv-duplicate-key", 7, Severity::Info, "GOINSECURE"),
        ];
        for (id, line, severity, var) in want {
            let f = only(&fs, id);
            assert_eq!(
                (f.line, f.severity, f.var.as_deref(), f.context.as_str()),
                (Some(line), severity, Some(var), "goenv"),
                "{id}"
            );
            assert_eq!(f.file.as_deref(), Some(Path::new(USER)));
            assert_eq!(f.fix_action, Some(Fix::NormalizeGoEnv), "{id}");
        }
        assert!(
            only(&fs, "goenv-crlf")
                .message
                .contains("invalid GOTOOLCHAIN")
        );
        // Quoted patterns never match; CRLF on a pattern list is a warning, on GOPROXY info.
        let fs = run(
            &[],
            Some("GOPRIVATE=a.example\r\nGOPROXY=https://goproxy.cn,direct\r\n"),
        );
        let sev: Vec<_> = fs
            .iter()
            .filter(|f| f.id == "goenv-crlf")
            .map(|f| (f.line, f.severity))
            .collect();
        assert_eq!(
            sev,
            [(Some(1), Severity::Warning), (Some(2), Severity::Info)]
        );
        // `off\r` is not `off`: go treats it as a verifier key and fails.
        let fs = run(&[], Some("GOSUMDB=off\r\n"));
        let f = only(&fs, "goenv-crlf");
        assert_eq!(f.severity, Severity::Error);
        assert!(f.message.contains("malformed verifier id"), "{}", f.message);
        none_of(&fs, "gosumdb-off");
        // A clean file says nothing.
        assert!(
            run(
                &[],
                Some("# comment\n\nGOPROXY=https://goproxy.cn,direct\n")
            )
            .is_empty()
        );
    }

    #[test]
    fn goroot_and_network_variables_in_the_file() {
        let fs = run(
            &[],
            Some("GOROOT=/opt/go1.19\nHTTPS_PROXY=http://p:3128\nNO_PROXY=corp\n"),
        );
        let f = only(&fs, "goenv-goroot");
        assert_eq!((f.severity, f.line), (Severity::Warning, Some(1)));
        assert!(
            f.message
                .contains("go: cannot find GOROOT directory: /opt/go1.19")
        );
        assert_eq!(
            f.fix_action,
            Some(Fix::UnsetGoEnv {
                var: "GOROOT".into()
            })
        );
        let net: Vec<_> = fs
            .iter()
            .filter(|f| f.id == "goenv-network-var")
            .map(|f| (f.var.as_deref().unwrap(), f.line.unwrap()))
            .collect();
        assert_eq!(net, [("HTTPS_PROXY", 2), ("NO_PROXY", 3)]);
        assert!(fs.iter().any(|f| {
            f.message
                .contains("unknown go command variable HTTPS_PROXY")
        }));
        none_of(&run(&[], Some("GOROOT=\n")), "goenv-goroot");
    }

    #[test]
    fn names_go_does_not_have() {
        let fs = run(
            &[("GONOSUMCHECK", "corp.example")],
            Some("GOPROXY=https://goproxy.cn,direct\nGONOVERIFY=corp.example\n"),
        );
        let found: Vec<_> = fs
            .iter()
            .filter(|f| f.id == "unknown-go-variable")
            .map(|f| (f.var.as_deref().unwrap(), f.context.as_str(), f.line))
            .collect();
        assert_eq!(
            found,
            [
                ("GONOSUMCHECK", "process", None),
                ("GONOVERIFY", "goenv", Some(2))
            ]
        );
        assert!(fs[0].message.contains("no effect"));
    }

    #[test]
    fn goenv_off_ignores_the_file() {
        let text = "GOPROXY=https://goproxy.cn,direct\r\nGOSUMDB=off\n";
        let fs = run(&[("GOENV", "off")], Some(text));
        let f = only(&fs, "goenv-off-file-ignored");
        assert_eq!(f.severity, Severity::Info);
        assert!(f.message.contains("2 settings in /u/go/env"));
        assert_eq!(
            (f.context.as_str(), f.file.as_deref(), f.line),
            ("process", Some(Path::new(USER)), None)
        );
        // The file is not read: no findings about its lines or values.
        assert_eq!(ids(&fs), ["goenv-off-file-ignored"], "{fs:#?}");
        assert!(run(&[("GOENV", "off")], Some("# nothing\n")).is_empty());
        // Fixes cannot go to a file go does not read.
        let fs = run(&[("GOENV", "off")], Some("# nothing\n"))
            .into_iter()
            .chain(lint_with(&[("GOENV", "off")], None, None))
            .collect::<Vec<_>>();
        assert!(fs.iter().all(|f| f.fix_action.is_none()), "{fs:#?}");
        assert!(
            only(&fs, "goproxy-empty")
                .fix
                .as_deref()
                .unwrap()
                .contains("GOENV=off")
        );
    }

    // --- the I/O wrapper --------------------------------------------------------------------

    #[test]
    fn lint_env_reads_the_go_env_file_and_goroot() {
        let tmp = tempfile::tempdir().unwrap();
        let goroot = tmp.path().join("goroot");
        std::fs::create_dir_all(&goroot).unwrap();
        std::fs::write(goroot.join("go.env"), GO_ENV).unwrap();
        std::fs::write(goroot.join("VERSION"), "go1.25.0\ntime x\n").unwrap();
        let goenv = tmp.path().join("goenv");
        std::fs::write(
            &goenv,
            "# team settings\nGOPROXY=https://athens.corp.internal,direct\r\nGOSUMDB=off\n",
        )
        .unwrap();
        let env = Env::from_vars_on(
            TargetOs::Unix,
            [
                ("HOME", tmp.path().as_os_str()),
                ("GOENV", goenv.as_os_str()),
                ("GOROOT", goroot.as_os_str()),
                ("PATH", std::ffi::OsStr::new("/nonexistent")),
            ],
        );
        let fs = lint_env(&env);
        let f = only(&fs, "goproxy-comma-after-private-proxy");
        assert_eq!(
            (f.context.as_str(), f.file.as_deref(), f.line),
            ("goenv", Some(goenv.as_path()), Some(2))
        );
        let f = only(&fs, "goenv-crlf");
        assert_eq!((f.line, f.severity), (Some(2), Severity::Info));
        let f = only(&fs, "gotoolchain-cannot-download");
        assert_eq!(f.file.as_deref(), Some(goroot.join("go.env").as_path()));
        only(&fs, "gosumdb-off");

        // GOENV=off: the default file (under HOME) is the one reported as ignored.
        let default = tmp.path().join(".config/go/env");
        std::fs::create_dir_all(default.parent().unwrap()).unwrap();
        std::fs::write(&default, "GOPROXY=off\n").unwrap();
        let fs = lint_env(&env.clone().with("GOENV", "off"));
        let f = only(&fs, "goenv-off-file-ignored");
        assert!(f.message.contains(&*default.to_string_lossy()));
        none_of(&fs, "goproxy-off");
    }
}
