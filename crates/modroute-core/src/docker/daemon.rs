//! The Docker daemon's own proxy: what `dockerd` uses to pull and push images (never what a
//! build or a container sees — that is the client's `proxies`, see [`super::client`]).
//!
//! Two places set it, read here without running anything:
//! - systemd drop-ins of `docker.service`: `Environment=` lines in `[Service]` of
//!   `/etc/systemd/system/docker.service.d/*.conf` (the rootless daemon:
//!   `~/.config/systemd/user/docker.service.d/*.conf`), applied in file-name order, later
//!   assignments winning and an empty `Environment=` clearing the list, as systemd does;
//! - `daemon.json`'s `proxies` (`http-proxy`, `https-proxy`, `no-proxy`; Docker 23+), which the
//!   daemon prefers to its environment: `/etc/docker/daemon.json` (rootless:
//!   `~/.config/docker/daemon.json`).
//!
//! System paths are read under a root directory, `/` unless the `MODROUTE_SYSTEM_ROOT` variable
//! of the [`Env`] names another (tests never read the real `/etc`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions};
use serde::Serialize;

use crate::env::Env;

/// The daemon's proxy variables, in display order.
pub const VARS: [&str; 3] = ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"];

/// Which daemon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flavor {
    /// The system daemon (`/etc`).
    System,
    /// The rootless daemon of this user (`~/.config`).
    Rootless,
}

/// One proxy setting of the daemon, with where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DaemonValue {
    /// `HTTP_PROXY`, `HTTPS_PROXY` or `NO_PROXY` (an `http_proxy` spelling is reported under the
    /// upper-case name it stands for).
    pub var: String,
    /// The value (unredacted).
    pub value: String,
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
}

/// What one daemon is configured with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DaemonProxies {
    /// Which daemon.
    pub flavor: Flavor,
    /// The files that exist and were read.
    pub files: Vec<PathBuf>,
    /// The effective values (daemon.json over the unit's environment).
    pub values: Vec<DaemonValue>,
    /// Files that could not be read or parsed (`file:line:column: what`).
    pub errors: Vec<String>,
}

/// The root system paths are read under.
pub fn system_root(env: &Env) -> PathBuf {
    env.path("MODROUTE_SYSTEM_ROOT")
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// The drop-in directory and daemon.json of a daemon.
pub fn sources(env: &Env, flavor: Flavor) -> Option<(PathBuf, PathBuf)> {
    match flavor {
        Flavor::System => {
            let root = system_root(env);
            Some((
                root.join("etc/systemd/system/docker.service.d"),
                root.join("etc/docker/daemon.json"),
            ))
        }
        Flavor::Rootless => {
            let config = env
                .path("XDG_CONFIG_HOME")
                .filter(|p| p.is_absolute())
                .or_else(|| env.home().map(|h| h.join(".config")))?;
            Some((
                config.join("systemd/user/docker.service.d"),
                config.join("docker/daemon.json"),
            ))
        }
    }
}

/// Reads a daemon's proxy settings; `None` when none of its files exist.
pub fn read(env: &Env, flavor: Flavor) -> Option<DaemonProxies> {
    let (dropins, daemon_json) = sources(env, flavor)?;
    let mut out = DaemonProxies {
        flavor,
        files: Vec::new(),
        values: Vec::new(),
        errors: Vec::new(),
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dropins)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "conf"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut unit: BTreeMap<String, DaemonValue> = BTreeMap::new();
    for path in names {
        match std::fs::read(&path) {
            Ok(bytes) => {
                out.files.push(path.clone());
                apply_dropin(&String::from_utf8_lossy(&bytes), &path, &mut unit);
            }
            Err(e) => out.errors.push(format!("{}: {e}", path.display())),
        }
    }
    let mut json = BTreeMap::new();
    match std::fs::read(&daemon_json) {
        Ok(bytes) => {
            out.files.push(daemon_json.clone());
            match daemon_json_proxies(&String::from_utf8_lossy(&bytes), &daemon_json) {
                Ok(values) => json = values,
                Err(e) => out.errors.push(e),
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => out.errors.push(format!("{}: {e}", daemon_json.display())),
    }
    if out.files.is_empty() && out.errors.is_empty() {
        return None;
    }
    for var in VARS {
        if let Some(v) = json.remove(var).or_else(|| unit.remove(var)) {
            out.values.push(v);
        }
    }
    Some(out)
}

/// Applies one drop-in's `[Service]` `Environment=` lines to `vars` (upper-cased names).
pub fn apply_dropin(text: &str, path: &Path, vars: &mut BTreeMap<String, DaemonValue>) {
    let mut in_service = false;
    let mut logical = String::new();
    let mut start_line = 0;
    for (i, raw) in text.lines().enumerate() {
        if logical.is_empty() {
            start_line = i + 1;
        }
        // A trailing backslash continues the line (systemd joins with a space).
        if let Some(head) = raw.strip_suffix('\\') {
            logical.push_str(head);
            logical.push(' ');
            continue;
        }
        logical.push_str(raw);
        let line = std::mem::take(&mut logical);
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.starts_with(';') || trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('[') {
            in_service = trimmed == "[Service]";
            continue;
        }
        if !in_service {
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        if key.trim() != "Environment" {
            continue;
        }
        let words = split_words(value.trim());
        if words.is_empty() {
            // An empty assignment resets the list.
            vars.clear();
            continue;
        }
        for word in words {
            let Some((name, value)) = word.split_once('=') else {
                continue;
            };
            let upper = name.to_ascii_uppercase();
            if VARS.contains(&upper.as_str()) {
                vars.insert(
                    upper.clone(),
                    DaemonValue {
                        var: upper,
                        value: value.to_string(),
                        file: path.to_path_buf(),
                        line: start_line,
                    },
                );
            }
        }
    }
}

/// systemd's word splitting for `Environment=`: whitespace-separated, `"…"` and `'…'` quoting
/// (quotes only at the start of a word), C-style escapes inside double quotes.
fn split_words(value: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&first) = chars.peek() else { break };
        let mut word = String::new();
        if first == '"' || first == '\'' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if first == '"' => {
                        if let Some(n) = chars.next() {
                            word.push(match n {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                        }
                    }
                    c if c == first => break,
                    c => word.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        word.push(n);
                    }
                } else {
                    word.push(c);
                }
            }
        }
        words.push(word);
    }
    words
}

/// `daemon.json`'s `proxies` (`http-proxy`, `https-proxy`, `no-proxy`) keyed by variable name.
fn daemon_json_proxies(text: &str, path: &Path) -> Result<BTreeMap<String, DaemonValue>, String> {
    let options = ParseOptions {
        allow_comments: false,
        allow_trailing_commas: false,
        allow_loose_object_property_names: false,
        ..ParseOptions::default()
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
            format!(
                "{}:{}:{}: {}",
                path.display(),
                e.line_display(),
                e.column_display(),
                e.kind()
            )
        })?;
    let name = |n: &ObjectPropName<'_>| match n {
        ObjectPropName::String(s) => s.value.to_string(),
        ObjectPropName::Word(w) => w.value.to_string(),
    };
    let mut out = BTreeMap::new();
    let Some(Value::Object(root)) = parsed.value else {
        return Ok(out);
    };
    for prop in &root.properties {
        if name(&prop.name) != "proxies" {
            continue;
        }
        let Value::Object(proxies) = &prop.value else {
            continue;
        };
        for field in &proxies.properties {
            let var = match name(&field.name).as_str() {
                "http-proxy" => "HTTP_PROXY",
                "https-proxy" => "HTTPS_PROXY",
                "no-proxy" => "NO_PROXY",
                _ => continue,
            };
            if let Value::StringLit(s) = &field.value {
                out.insert(
                    var.to_string(),
                    DaemonValue {
                        var: var.into(),
                        value: s.value.to_string(),
                        file: path.to_path_buf(),
                        line: crate::doctor::ide::line_of(text, field.range.start),
                    },
                );
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn drop_ins_apply_in_order_and_daemon_json_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("sys");
        write(
            &root,
            "etc/systemd/system/docker.service.d/10-proxy.conf",
            "[Service]\nEnvironment=\"HTTP_PROXY=http://a:1\" \"NO_PROXY=localhost,127.0.0.1\"\n\
             Environment=https_proxy=http://b:2\n[Unit]\nEnvironment=HTTP_PROXY=http://ignored\n",
        );
        write(
            &root,
            "etc/systemd/system/docker.service.d/20-more.conf",
            "# later wins\n[Service]\nEnvironment='HTTP_PROXY=http://c:3' \\\n  FOO=bar\n",
        );
        write(
            &root,
            "etc/systemd/system/docker.service.d/notes.txt",
            "Environment=HTTP_PROXY=x\n",
        );
        let env = Env::from_vars([("HOME", tmp.path().join("home").as_os_str())])
            .with("MODROUTE_SYSTEM_ROOT", root.as_os_str());
        let got = read(&env, Flavor::System).unwrap();
        let values: Vec<_> = got
            .values
            .iter()
            .map(|v| (v.var.as_str(), v.value.as_str(), v.line))
            .collect();
        assert_eq!(
            values,
            [
                ("HTTP_PROXY", "http://c:3", 3),
                ("HTTPS_PROXY", "http://b:2", 3),
                ("NO_PROXY", "localhost,127.0.0.1", 2)
            ]
        );
        write(
            &root,
            "etc/docker/daemon.json",
            "{\n  \"proxies\": {\n    \"https-proxy\": \"http://json:4\"\n  }\n}\n",
        );
        let got = read(&env, Flavor::System).unwrap();
        let https = got.values.iter().find(|v| v.var == "HTTPS_PROXY").unwrap();
        assert_eq!((https.value.as_str(), https.line), ("http://json:4", 3));
        assert!(https.file.ends_with("etc/docker/daemon.json"));
        assert_eq!(got.files.len(), 3);
        assert!(read(&env, Flavor::Rootless).is_none(), "no rootless files");

        write(&root, "etc/docker/daemon.json", "{\n  \"proxies\": {,}\n}");
        let got = read(&env, Flavor::System).unwrap();
        assert!(got.errors[0].contains("daemon.json:2:"), "{:?}", got.errors);
    }

    #[test]
    fn an_empty_environment_line_resets() {
        let mut vars = BTreeMap::new();
        apply_dropin(
            "[Service]\nEnvironment=HTTP_PROXY=http://a:1\nEnvironment=\n",
            Path::new("/x.conf"),
            &mut vars,
        );
        assert!(vars.is_empty());
        assert_eq!(
            split_words(r#""A=x y" B=1\ 2 'C=q"r'"#),
            ["A=x y", "B=1 2", "C=q\"r"]
        );
    }
}
