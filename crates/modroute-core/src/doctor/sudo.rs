//! What `sudo go …` sees: the environment sudo hands the command, and the go env file of the
//! account it runs as.
//!
//! sudo resets the environment by default (`env_reset`): the command gets only sudo's keep list
//! (none of Go's settings and no proxy variable are on it), variables on `env_check` whose value
//! holds no `%` or `/`, `HOME` of the target account and `PATH` from `secure_path`. So `sudo go
//! install` ignores the user's exported GOPROXY and HTTPS_PROXY and reads *root's* go env file.
//!
//! [`read_policy`] reads the subset of `/etc/sudoers` (and the files it includes, e.g.
//! `/etc/sudoers.d`) that decides this — `Defaults` lines setting `env_reset`, `env_keep`,
//! `env_check`, `env_delete`, `secure_path`, `setenv` and `always_set_home`, global or for the
//! invoking user, one of their groups or the root target — each with its file and line.
//! sudoers is usually readable by root only; then sudo's built-in defaults are assumed, and the
//! context says so. [`environment`] then predicts the command's environment, and [`observe`]
//! resolves every setting in it the way `go` does (root's go env file, the go found on
//! `secure_path`). The fixes are text for the user to run; modroute never runs sudo.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::contexts::{Context, ContextKind, ContextStatus, Observation, ResolvedCell, Seen};
use super::{Finding, Severity};
use crate::env::Env;
use crate::redact::redact;
use crate::setting::SettingKind;
use crate::status;

/// Where a sudoers directive is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The file.
    pub file: PathBuf,
    /// 1-based line (the first line of a continued line).
    pub line: usize,
}

/// A variable pattern of `env_keep`/`env_check`/`env_delete` (`GOPROXY`, `GO*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written.
    pub text: String,
    /// Where it was added (`None`: sudo's built-in list).
    pub origin: Option<Origin>,
}

impl Pattern {
    /// Whether the pattern covers `var=value`: `NAME`, `PREFIX*`, or `NAME=value` (`value*`),
    /// which sudo matches against the value too.
    fn matches(&self, var: &str, value: &str) -> bool {
        let glob = |pattern: &str, text: &str| match pattern.strip_suffix('*') {
            Some(prefix) => text.starts_with(prefix),
            None => text == pattern,
        };
        match self.text.split_once('=') {
            Some((name, wanted)) => {
                let wanted = wanted.trim_matches('"');
                glob(name, var) && glob(wanted, value)
            }
            None => glob(&self.text, var),
        }
    }
}

/// The part of sudo's policy that decides the command's environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `env_reset` (on unless a `Defaults !env_reset` says otherwise).
    pub env_reset: bool,
    /// Where `env_reset` was last set, when a file sets it.
    pub env_reset_origin: Option<Origin>,
    /// Variables kept from the user's environment.
    pub env_keep: Vec<Pattern>,
    /// Variables kept when their value holds no `%` or `/`.
    pub env_check: Vec<Pattern>,
    /// Variables removed when `env_reset` is off.
    pub env_delete: Vec<Pattern>,
    /// `secure_path`, replacing PATH for the command.
    pub secure_path: Option<(String, Origin)>,
    /// `setenv`: the user may keep their environment with `sudo -E`/`--preserve-env`.
    pub setenv: bool,
    /// `always_set_home`.
    pub always_set_home: bool,
    /// The files read, in order.
    pub files: Vec<PathBuf>,
    /// Files that could not be read, with why.
    pub unreadable: Vec<(PathBuf, String)>,
    /// `Defaults` lines for hosts or commands, which are not modelled.
    pub ignored: Vec<Origin>,
}

/// sudo's built-in `env_check` list (sudoers' defaults on Linux).
const DEFAULT_CHECK: &[&str] = &[
    "COLORTERM",
    "LANG",
    "LANGUAGE",
    "LC_*",
    "LINGUAS",
    "TERM",
    "TZ",
];

/// sudo's built-in keep list when `env_reset` is on.
const DEFAULT_KEEP: &[&str] = &[
    "COLORS",
    "DISPLAY",
    "DPKG_COLORS",
    "HOSTNAME",
    "KRB5CCNAME",
    "LS_COLORS",
    "PATH",
    "PS1",
    "PS2",
    "XAUTHORITY",
    "XAUTHORIZATION",
    "XDG_CURRENT_DESKTOP",
];

impl Default for Policy {
    fn default() -> Self {
        let builtin = |list: &[&str]| {
            list.iter()
                .map(|t| Pattern {
                    text: (*t).into(),
                    origin: None,
                })
                .collect()
        };
        Policy {
            env_reset: true,
            env_reset_origin: None,
            env_keep: builtin(DEFAULT_KEEP),
            env_check: builtin(DEFAULT_CHECK),
            env_delete: Vec::new(),
            secure_path: None,
            setenv: false,
            always_set_home: false,
            files: Vec::new(),
            unreadable: Vec::new(),
            ignored: Vec::new(),
        }
    }
}

/// The account running sudo, as sudoers matches it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invoker {
    /// The user name.
    pub name: String,
    /// Every group the user is in.
    pub groups: Vec<String>,
}

/// A `Defaults` entry of one line.
#[derive(Debug, PartialEq, Eq)]
enum Op {
    Flag(bool),
    Set(String),
    Add(String),
    Remove(String),
}

/// Joins `\`-continued lines; each logical line keeps the number of its first line.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (n, mut acc) = current.take().unwrap_or((i + 1, String::new()));
        match raw.strip_suffix('\\') {
            Some(head) => {
                acc.push_str(head);
                acc.push(' ');
                current = Some((n, acc));
            }
            None => {
                acc.push_str(raw);
                out.push((n, acc));
            }
        }
    }
    out.extend(current);
    out
}

/// Removes a trailing `# comment` outside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '#' if !quoted => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Splits a `Defaults` parameter list at commas outside quotes.
fn split_params(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in text.chars() {
        match c {
            _ if escaped => {
                cur.push(c);
                escaped = false;
            }
            '\\' => escaped = true,
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn parse_param(param: &str) -> (String, Op) {
    let unquote = |v: &str| {
        let v = v.trim();
        v.strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v)
            .to_string()
    };
    for (sep, make) in [
        ("+=", Op::Add as fn(String) -> Op),
        ("-=", Op::Remove as fn(String) -> Op),
        ("=", Op::Set as fn(String) -> Op),
    ] {
        if let Some((name, value)) = param.split_once(sep)
            && !name.contains(['"', '='])
        {
            return (name.trim().to_string(), make(unquote(value)));
        }
    }
    let param = param.trim();
    match param.strip_prefix('!') {
        Some(name) => (name.trim().to_string(), Op::Flag(false)),
        None => (param.to_string(), Op::Flag(true)),
    }
}

/// Which `Defaults` lines apply: global ones, and those for the invoker (`Defaults:user`,
/// `Defaults:%group`) or the root target (`Defaults>root`).
fn applies(qualifier: &str, invoker: &Invoker) -> Option<bool> {
    if qualifier.is_empty() {
        return Some(true);
    }
    let (kind, list) = qualifier.split_at(1);
    let names = || {
        list.split(',')
            .map(|n| n.trim().trim_matches('"'))
            .filter(|n| !n.is_empty())
    };
    match kind {
        ":" => Some(names().any(|n| {
            let (negated, n) = match n.strip_prefix('!') {
                Some(n) => (true, n),
                None => (false, n),
            };
            let hit = n == "ALL"
                || n == invoker.name
                || n.strip_prefix('%')
                    .is_some_and(|g| invoker.groups.iter().any(|x| x == g));
            hit != negated
        })),
        ">" => Some(names().any(|n| n == "ALL" || n == "root" || n == "#0")),
        // Host (`@`) and command (`!`) qualifiers are not modelled.
        _ => None,
    }
}

/// Parses the directives of one sudoers text into `policy`, following `@include`/`#include`
/// and `@includedir`/`#includedir` through `read` (depth-limited like sudo).
/// What parsing reads through: who runs sudo, and file access (tests feed text).
struct Reader<'a> {
    invoker: &'a Invoker,
    read: &'a dyn Fn(&Path) -> std::io::Result<String>,
    list: &'a dyn Fn(&Path) -> std::io::Result<Vec<PathBuf>>,
}

fn parse_into(
    policy: &mut Policy,
    path: &Path,
    text: &str,
    reader: &Reader<'_>,
    depth: usize,
    deferred: &mut Vec<(Origin, String, Op, u8)>,
) {
    policy.files.push(path.to_path_buf());
    let dir = path.parent().unwrap_or(Path::new("/"));
    for (line, raw) in logical_lines(text) {
        let trimmed = raw.trim();
        let include = |directive: &str| {
            trimmed
                .strip_prefix(directive)
                .filter(|rest| rest.starts_with([' ', '\t']))
                .map(|rest| rest.trim().trim_matches('"').to_string())
        };
        let included = include("@includedir")
            .or_else(|| include("#includedir"))
            .map(|d| (d, true))
            .or_else(|| {
                include("@include")
                    .or_else(|| include("#include"))
                    .map(|f| (f, false))
            });
        if let Some((target, is_dir)) = included {
            if depth >= 8 {
                continue;
            }
            let target = dir.join(target.replace("%h", ""));
            let files = if is_dir {
                match (reader.list)(&target) {
                    Ok(mut files) => {
                        // sudo skips names ending in `~` or containing a dot.
                        files.retain(|f| {
                            f.file_name()
                                .and_then(|n| n.to_str())
                                .is_some_and(|n| !n.ends_with('~') && !n.contains('.'))
                        });
                        files.sort();
                        files
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                    Err(e) => {
                        policy.unreadable.push((target, e.to_string()));
                        Vec::new()
                    }
                }
            } else {
                vec![target]
            };
            for file in files {
                match (reader.read)(&file) {
                    Ok(text) => parse_into(policy, &file, &text, reader, depth + 1, deferred),
                    Err(e) => policy.unreadable.push((file, e.to_string())),
                }
            }
            continue;
        }
        let code = strip_comment(trimmed).trim();
        let Some(rest) = code.strip_prefix("Defaults") else {
            continue;
        };
        let (qualifier, params) = match rest.find([' ', '\t']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let origin = Origin {
            file: path.to_path_buf(),
            line,
        };
        // sudo applies global Defaults first, then user ones, then runas ones.
        let rank = match qualifier.chars().next() {
            None => 0,
            Some(':') => 1,
            Some('>') => 2,
            _ => 3,
        };
        match applies(qualifier, reader.invoker) {
            Some(true) => {
                for param in split_params(params) {
                    let (name, op) = parse_param(&param);
                    deferred.push((origin.clone(), name, op, rank));
                }
            }
            Some(false) => {}
            None => policy.ignored.push(origin),
        }
    }
}

fn apply_op(policy: &mut Policy, origin: Origin, name: &str, op: Op) {
    let patterns = |value: &str, origin: &Origin| -> Vec<Pattern> {
        value
            .split_whitespace()
            .map(|t| Pattern {
                text: t.to_string(),
                origin: Some(origin.clone()),
            })
            .collect()
    };
    let list = match name {
        "env_keep" => Some(&mut policy.env_keep),
        "env_check" => Some(&mut policy.env_check),
        "env_delete" => Some(&mut policy.env_delete),
        _ => None,
    };
    if let Some(list) = list {
        match op {
            Op::Set(v) => *list = patterns(&v, &origin),
            Op::Add(v) => list.extend(patterns(&v, &origin)),
            Op::Remove(v) => {
                let gone = patterns(&v, &origin);
                list.retain(|p| !gone.iter().any(|g| g.text == p.text));
            }
            Op::Flag(false) => list.clear(),
            Op::Flag(true) => {}
        }
        return;
    }
    match (name, op) {
        ("env_reset", Op::Flag(on)) => {
            policy.env_reset = on;
            policy.env_reset_origin = Some(origin);
        }
        ("secure_path", Op::Set(v)) => policy.secure_path = Some((v, origin)),
        ("secure_path", Op::Flag(false)) => policy.secure_path = None,
        ("setenv", Op::Flag(on)) => policy.setenv = on,
        ("always_set_home", Op::Flag(on)) => policy.always_set_home = on,
        _ => {}
    }
}

/// Parses sudoers starting at `main` with file access through `read` and `list` (so tests can
/// feed text), for `invoker`.
pub fn parse_policy(
    main: &Path,
    invoker: &Invoker,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
    list: &dyn Fn(&Path) -> std::io::Result<Vec<PathBuf>>,
) -> Policy {
    let mut policy = Policy::default();
    let mut deferred = Vec::new();
    let reader = Reader {
        invoker,
        read,
        list,
    };
    match read(main) {
        Ok(text) => parse_into(&mut policy, main, &text, &reader, 0, &mut deferred),
        Err(e) => policy.unreadable.push((main.to_path_buf(), e.to_string())),
    }
    deferred.sort_by_key(|(_, _, _, rank)| *rank);
    for (origin, name, op, _) in deferred {
        apply_op(&mut policy, origin, &name, op);
    }
    policy
}

/// Reads the policy from the real files (`/etc/sudoers` and its includes).
pub fn read_policy(sudoers: &Path, invoker: &Invoker) -> Policy {
    let read = |p: &Path| std::fs::read_to_string(p);
    let list = |p: &Path| -> std::io::Result<Vec<PathBuf>> {
        std::fs::read_dir(p)?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<Vec<_>>>()
            .map(|v| v.into_iter().filter(|p| p.is_file()).collect())
    };
    parse_policy(sudoers, invoker, &read, &list)
}

/// An account from `/etc/passwd`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Login name.
    pub name: String,
    /// Primary group id.
    pub gid: u32,
    /// Home directory.
    pub home: PathBuf,
    /// Login shell.
    pub shell: String,
}

/// The account `name` in a passwd text.
pub fn account(passwd: &str, name: &str) -> Option<Account> {
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() >= 7 && f[0] == name).then(|| Account {
            name: f[0].into(),
            gid: f[3].parse().unwrap_or(u32::MAX),
            home: PathBuf::from(f[5]),
            shell: f[6].into(),
        })
    })
}

/// The groups `user` (primary group id `gid`) is in, from a group text.
pub fn groups_of(group: &str, user: &str, gid: u32) -> Vec<String> {
    group
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 4 {
                return None;
            }
            let member = f[3].split(',').any(|m| m == user);
            (member || f[2].parse::<u32>().ok() == Some(gid)).then(|| f[0].to_string())
        })
        .collect()
}

/// Why a variable reaches the command under sudo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kept {
    /// On `env_keep` (built in, or added at `origin`).
    Keep(Option<Origin>),
    /// On `env_check` and its value is safe.
    Check(Option<Origin>),
    /// `env_reset` is off.
    NoReset(Option<Origin>),
}

/// The environment `sudo <command>` runs with, predicted for `user_env` (the invoker's
/// environment), the policy and the target account (root). Returns the variables and, for the
/// user's own variables that survive, why.
pub fn environment(
    user_env: &Env,
    policy: &Policy,
    target: &Account,
) -> (BTreeMap<String, String>, BTreeMap<String, Kept>) {
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    let mut why: BTreeMap<String, Kept> = BTreeMap::new();
    let safe = |name: &str, value: &str| {
        if name == "TZ" {
            !value.contains("..") && !value.starts_with('/')
        } else {
            !value.contains(['%', '/'])
        }
    };
    for (k, v) in user_env.iter() {
        let (Some(k), Some(v)) = (k.to_str(), v.to_str()) else {
            continue;
        };
        if v.starts_with("()") {
            continue; // exported shell functions are always removed
        }
        let keep = policy.env_keep.iter().rev().find(|p| p.matches(k, v));
        let check = policy.env_check.iter().rev().find(|p| p.matches(k, v));
        let reason = if policy.env_reset {
            match (keep, check) {
                (Some(p), _) => Some(Kept::Keep(p.origin.clone())),
                (None, Some(p)) if safe(k, v) => Some(Kept::Check(p.origin.clone())),
                _ => None,
            }
        } else {
            let deleted = policy.env_delete.iter().any(|p| p.matches(k, v));
            let unsafe_checked = check.is_some() && !safe(k, v);
            (!deleted && !unsafe_checked).then(|| Kept::NoReset(policy.env_reset_origin.clone()))
        };
        if let Some(reason) = reason {
            vars.insert(k.to_string(), v.to_string());
            why.insert(k.to_string(), reason);
        }
    }
    let home_kept = vars.contains_key("HOME");
    if policy.env_reset {
        if !home_kept {
            vars.insert("HOME".into(), target.home.to_string_lossy().into_owned());
        }
        vars.insert("SHELL".into(), target.shell.clone());
        vars.insert("MAIL".into(), format!("/var/mail/{}", target.name));
    } else if policy.always_set_home || !home_kept {
        vars.insert("HOME".into(), target.home.to_string_lossy().into_owned());
    }
    for name in ["USER", "LOGNAME"] {
        vars.insert(name.into(), target.name.clone());
        why.remove(name);
    }
    if let Some((path, _)) = &policy.secure_path {
        vars.insert("PATH".into(), path.clone());
        why.remove("PATH");
    }
    (vars, why)
}

/// Where the sudo context reads: sudoers, passwd and group (tests point them elsewhere).
#[derive(Clone, Debug)]
pub struct Files {
    /// `/etc/sudoers`.
    pub sudoers: PathBuf,
    /// `/etc/passwd`.
    pub passwd: PathBuf,
    /// `/etc/group`.
    pub group: PathBuf,
}

impl Default for Files {
    fn default() -> Self {
        Files {
            sudoers: PathBuf::from("/etc/sudoers"),
            passwd: PathBuf::from("/etc/passwd"),
            group: PathBuf::from("/etc/group"),
        }
    }
}

/// The `sudo` binary on the environment's PATH.
pub fn find_sudo(env: &Env) -> Option<PathBuf> {
    let path = env.get_os("PATH")?;
    which::which_in("sudo", Some(path), "/").ok()
}

/// The context's id in the matrix.
pub const CONTEXT_ID: &str = "sudo";

/// The note (and finding trigger) when sudo would not find `go`.
const GO_MISSING: &str = "`sudo go` fails with \"command not found\"";

/// The sudo context: what `sudo go …` run from `env` would use for every setting.
pub fn observe(env: &Env, files: &Files) -> Observation {
    let started = Instant::now();
    let mut context = Context::new(CONTEXT_ID, ContextKind::Sudo, "sudo go");
    let Some(sudo) = find_sudo(env) else {
        context.status = ContextStatus::Skipped;
        context.note = Some("sudo is not installed".into());
        return Observation {
            context,
            seen: Seen::Nothing,
        };
    };
    context.file = Some(files.sudoers.clone());
    let passwd = std::fs::read_to_string(&files.passwd).unwrap_or_default();
    let group = std::fs::read_to_string(&files.group).unwrap_or_default();
    let user = env
        .get_non_empty("USER")
        .or_else(|| env.get_non_empty("LOGNAME"))
        .unwrap_or_default();
    let invoker_account = account(&passwd, &user);
    let invoker = Invoker {
        groups: invoker_account
            .as_ref()
            .map(|a| groups_of(&group, &user, a.gid))
            .unwrap_or_default(),
        name: user,
    };
    let Some(root) = account(&passwd, "root") else {
        return Observation {
            context: context.with_status(
                ContextStatus::Error,
                Some(format!("no root account in {}", files.passwd.display())),
            ),
            seen: Seen::Nothing,
        };
    };
    let policy = read_policy(&files.sudoers, &invoker);
    let (vars, why) = environment(env, &policy, &root);
    let sudo_env = Env::from_vars_on(env.os(), vars.iter().map(|(k, v)| (k.clone(), v.clone())));
    let (report, resolutions) = status::gather_with_resolutions(&sudo_env);
    let mut notes = vec![format!(
        "as root (HOME {}), {}",
        root.home.display(),
        sudo.display()
    )];
    if policy.unreadable.iter().any(|(p, _)| *p == files.sudoers) {
        notes.push(format!(
            "{} is readable by root only: sudo's defaults assumed (env_reset, no Go variable kept)",
            files.sudoers.display()
        ));
    } else if !policy.unreadable.is_empty() {
        let names: Vec<String> = policy
            .unreadable
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect();
        notes.push(format!("not readable here: {}", names.join(", ")));
    }
    match report.goenv_file.state {
        status::FileState::Unreadable => notes.push(format!(
            "root's go env file {} is readable by root only: its values are unknown here",
            report.goenv
        )),
        _ if !report.goenv.is_empty() => {
            notes.push(format!("root's go env file {}", report.goenv));
        }
        _ => {}
    }
    let go_found = crate::goroot::find_go(&sudo_env).is_some();
    if !go_found {
        notes.push(match &policy.secure_path {
            Some((path, o)) => format!(
                "go is not on sudo's secure_path ({path}, {}:{}): {GO_MISSING}",
                o.file.display(),
                o.line
            ),
            None => format!("go is not on the PATH sudo keeps: {GO_MISSING}"),
        });
    }
    let cells = resolutions
        .iter()
        .map(|r| {
            let read_name = r.env_name.unwrap_or(r.setting.name());
            let kept = why.get(read_name);
            let origin = match kept {
                Some(Kept::Keep(o) | Kept::Check(o) | Kept::NoReset(o)) => o.clone(),
                None => None,
            };
            let (file, line) = match (&origin, &r.location) {
                (Some(o), _) => (Some(o.file.clone()), Some(o.line)),
                (None, Some(loc)) => (Some(loc.file.clone()), Some(loc.line)),
                _ => (None, None),
            };
            ResolvedCell {
                setting: r.setting,
                value: r.layers.env.clone(),
                effective: r.value.clone(),
                file,
                line,
            }
        })
        .collect();
    context.note = Some(notes.join("; "));
    context.elapsed_ms = Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
    Observation {
        context,
        seen: Seen::Resolved(cells),
    }
}

/// One finding for the settings `sudo go` would use differently, with the three ways out.
pub fn findings(
    reference: &[crate::resolve::Resolution],
    observations: &[Observation],
) -> Vec<Finding> {
    let Some(obs) = observations
        .iter()
        .find(|o| o.context.kind == ContextKind::Sudo && o.context.status == ContextStatus::Ok)
    else {
        return Vec::new();
    };
    let Seen::Resolved(cells) = &obs.seen else {
        return Vec::new();
    };
    let differ: Vec<(&ResolvedCell, &crate::resolve::Resolution)> = cells
        .iter()
        .filter_map(|c| {
            let r = reference.iter().find(|r| r.setting == c.setting)?;
            (r.value != c.effective).then_some((c, r))
        })
        .collect();
    let mut out = Vec::new();
    if obs
        .context
        .note
        .as_deref()
        .is_some_and(|n| n.contains(GO_MISSING))
    {
        out.push(Finding {
            id: "sudo-go-not-on-secure-path".into(),
            severity: Severity::Info,
            var: None,
            context: obs.context.id.clone(),
            file: obs.context.file.clone(),
            line: None,
            message: "go is not on the PATH sudo gives commands (secure_path): `sudo go …` fails with \"command not found\".".into(),
            fix: Some("run it by its full path (`sudo \"$(command -v go)\" …`), or add its directory to secure_path with visudo".into()),
            fix_action: None,
        });
    }
    if differ.is_empty() {
        return out;
    }
    // Variables the user exports that sudo drops, by name: these need keeping.
    let dropped: Vec<&'static str> = differ
        .iter()
        .filter(|(c, r)| c.value.is_none() && r.source == crate::resolve::Source::Env)
        .map(|(_, r)| r.env_name.unwrap_or(r.setting.name()))
        .collect();
    let listed: Vec<String> = differ
        .iter()
        .map(|(c, r)| {
            format!(
                "{}={} (not {})",
                c.setting.name(),
                shown(&c.effective),
                shown(&r.value)
            )
        })
        .collect();
    let mut fixes: Vec<String> = Vec::new();
    if !dropped.is_empty() {
        fixes.push(format!(
            "keep your variables for one command: `sudo --preserve-env={} go …` (or `sudo -E go …`)",
            dropped.join(",")
        ));
        fixes.push(format!(
            "keep them always: add `Defaults env_keep += \"{}\"` with `sudo visudo -f /etc/sudoers.d/go-env`",
            dropped.join(" ")
        ));
    }
    let go_settings: Vec<String> = differ
        .iter()
        .filter(|(_, r)| r.setting.kind() == SettingKind::Go)
        .filter(|(_, r)| !crate::redact::has_credentials(&r.value))
        .map(|(_, r)| format!("{}={}", r.setting.name(), sh_quote(&r.value)))
        .collect();
    if !go_settings.is_empty() {
        fixes.push(format!(
            "or write root's go env file: `sudo go env -w {}`",
            go_settings.join(" ")
        ));
    }
    out.push(Finding {
        id: "sudo-drops-settings".into(),
        severity: Severity::Warning,
        var: (differ.len() == 1).then(|| differ[0].0.setting.name().to_string()),
        context: obs.context.id.clone(),
        file: None,
        line: None,
        message: format!(
            "`sudo go …` uses {}: sudo resets the environment and go then reads root's go env file.",
            listed.join(", ")
        ),
        fix: Some(fixes.join("; ")),
        fix_action: None,
    });
    out
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        "\"\"".into()
    } else {
        redact(value)
    }
}

/// A value quoted for a POSIX shell command line.
fn sh_quote(value: &str) -> String {
    if !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:,@%+=".contains(c))
    {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(files: &[(&str, &str)], invoker: &Invoker) -> Policy {
        let map: BTreeMap<PathBuf, String> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_string()))
            .collect();
        let read = |p: &Path| {
            map.get(p)
                .cloned()
                .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
        };
        let list = |dir: &Path| -> std::io::Result<Vec<PathBuf>> {
            Ok(map
                .keys()
                .filter(|p| p.parent() == Some(dir))
                .cloned()
                .collect())
        };
        parse_policy(Path::new("/etc/sudoers"), invoker, &read, &list)
    }

    fn alice() -> Invoker {
        Invoker {
            name: "alice".into(),
            groups: vec!["alice".into(), "sudo".into()],
        }
    }

    fn root() -> Account {
        Account {
            name: "root".into(),
            gid: 0,
            home: PathBuf::from("/root"),
            shell: "/bin/bash".into(),
        }
    }

    #[test]
    fn debian_defaults_drop_every_go_variable() {
        let p = policy(
            &[(
                "/etc/sudoers",
                "Defaults\tenv_reset\nDefaults\tsecure_path=\"/usr/sbin:/usr/bin\"\n#Defaults:%sudo env_keep += \"http_proxy https_proxy\"\n@includedir /etc/sudoers.d\n",
            )],
            &alice(),
        );
        assert!(p.env_reset);
        assert_eq!(p.secure_path.as_ref().unwrap().0, "/usr/sbin:/usr/bin");
        assert_eq!(p.secure_path.as_ref().unwrap().1.line, 2);
        let env = Env::from_vars([
            ("GOPROXY", "https://goproxy.cn,direct"),
            ("https_proxy", "http://p:3128"),
            ("HOME", "/home/alice"),
            ("PATH", "/home/alice/go/bin:/usr/bin"),
            ("LANG", "C.UTF-8"),
        ]);
        let (vars, _) = environment(&env, &p, &root());
        assert_eq!(vars.get("HOME").map(String::as_str), Some("/root"));
        assert_eq!(
            vars.get("PATH").map(String::as_str),
            Some("/usr/sbin:/usr/bin")
        );
        assert_eq!(vars.get("LANG").map(String::as_str), Some("C.UTF-8"));
        assert!(!vars.contains_key("GOPROXY") && !vars.contains_key("https_proxy"));
    }

    #[test]
    fn keep_lines_for_the_user_their_group_and_includes_apply_with_file_and_line() {
        let p = policy(
            &[
                (
                    "/etc/sudoers",
                    "Defaults env_reset\n#includedir /etc/sudoers.d\n",
                ),
                (
                    "/etc/sudoers.d/go",
                    "# proxies\nDefaults:%sudo env_keep += \"https_proxy \\\n  GOPROXY\"\nDefaults:bob env_keep += \"GOFLAGS\"\nDefaults:alice env_check += \"GOPRIVATE GOINSECURE\", !setenv\n",
                ),
                ("/etc/sudoers.d/skipped.bak", "Defaults !env_reset\n"),
            ],
            &alice(),
        );
        assert!(p.env_reset, "files with a dot are skipped");
        let env = Env::from_vars([
            ("GOPROXY", "https://goproxy.cn"),
            ("https_proxy", "http://p:3128"),
            ("GOFLAGS", "-mod=mod"),
            ("GOPRIVATE", "corp.example"),
            ("GOINSECURE", "corp.example/x"),
        ]);
        let (vars, why) = environment(&env, &p, &root());
        assert!(vars.contains_key("GOPROXY") && vars.contains_key("https_proxy"));
        assert!(!vars.contains_key("GOFLAGS"), "bob's line is not alice's");
        assert!(vars.contains_key("GOPRIVATE"));
        assert!(!vars.contains_key("GOINSECURE"), "a `/` fails env_check");
        match why.get("GOPROXY") {
            Some(Kept::Keep(Some(o))) => {
                assert_eq!(o.file, PathBuf::from("/etc/sudoers.d/go"));
                assert_eq!(o.line, 2);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn no_env_reset_keeps_everything_but_deleted_and_unsafe_checked_variables() {
        let p = policy(
            &[(
                "/etc/sudoers",
                "Defaults !env_reset, env_delete += \"GOFLAGS\" # note\nDefaults env_check += GONOSUMDB\nDefaults@host env_keep += GOPROXY\n",
            )],
            &alice(),
        );
        assert!(!p.env_reset);
        assert_eq!(p.ignored.len(), 1);
        let env = Env::from_vars([
            ("GOPROXY", "https://goproxy.cn"),
            ("GOFLAGS", "-mod=mod"),
            ("GONOSUMDB", "a/b"),
            ("HOME", "/home/alice"),
        ]);
        let (vars, _) = environment(&env, &p, &root());
        assert!(vars.contains_key("GOPROXY"));
        assert!(!vars.contains_key("GOFLAGS") && !vars.contains_key("GONOSUMDB"));
        assert_eq!(vars.get("HOME").map(String::as_str), Some("/home/alice"));
    }

    #[test]
    fn patterns_match_names_prefixes_and_values() {
        let p = |t: &str| Pattern {
            text: t.into(),
            origin: None,
        };
        assert!(p("GO*").matches("GOPROXY", "x"));
        assert!(!p("GO*").matches("HTTPS_PROXY", "x"));
        assert!(p("GOFLAGS=-mod=mod").matches("GOFLAGS", "-mod=mod"));
        assert!(!p("GOFLAGS=-mod=mod").matches("GOFLAGS", "-mod=vendor"));
        assert!(p("GOPROXY=https://*").matches("GOPROXY", "https://goproxy.cn"));
    }

    #[test]
    fn passwd_and_group_lookups() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/zsh\n";
        let a = account(passwd, "alice").unwrap();
        assert_eq!(a.home, PathBuf::from("/home/alice"));
        let groups = groups_of(
            "alice:x:1000:\nsudo:x:27:bob,alice\nwheel:x:10:bob\n",
            "alice",
            1000,
        );
        assert_eq!(groups, vec!["alice".to_string(), "sudo".into()]);
    }
}
