//! Profiles: named, complete sets of Go network settings, built in or from the user's TOML file.
//!
//! A profile is a *complete state*: applying it sets the settings it names and removes every
//! other managed setting. The built-ins are `domestic` (国内镜像), `official` and `corporate`, a
//! template that cannot be used until the user fills it in by defining `[profiles.corporate]`.
//! A user profile with a built-in's id replaces the built-in.
//!
//! The user file is `<config>/modroute/profiles.toml`:
//!
//! ```toml
//! [profiles.acme]
//! label = "ACME corp"            # optional
//! probe_module = "git.acme.example/platform/log"   # optional: what the health check requests
//! GOPROXY = "https://athens.acme.example,direct"
//! GOPRIVATE = "git.acme.example/*"
//! docker = true                  # optional: also switch ~/.docker/config.json (see below)
//! ```
//!
//! `docker = true|false` overrides, for this profile, the global switch of the optional Docker
//! target (`docker` in `targets.toml`, the app's Settings → Switch targets): with it on, a switch
//! to the profile writes its HTTP_PROXY, HTTPS_PROXY and NO_PROXY to Docker's client
//! configuration ([`crate::docker`]).
//!
//! Structural mistakes (TOML syntax, unknown keys, non-string values) make the whole file fail
//! with file, line and column; a value that breaks Go's grammar ([`crate::validate`]) marks just
//! that profile unusable, with the same precision. Edits go through `toml_edit`, so the user's
//! comments and ordering survive.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::env::Env;
use crate::paths;
use crate::setting::Setting;
use crate::validate;

/// One profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// Stable identifier (`domestic`, `acme`).
    pub id: String,
    /// The user's label; built-ins have none (their labels are translated by the UI).
    pub label: Option<String>,
    /// The module the health check requests through this profile's route (default
    /// [`crate::check::DEFAULT_MODULE`]): one every proxy of the route should serve.
    pub probe_module: Option<String>,
    /// Shipped with modroute (and not replaced by the user's file).
    pub builtin: bool,
    /// This profile's own choices about optional switch targets, overriding `targets.toml`.
    pub targets: ProfileTargets,
    /// The values, keyed by variable name. A managed setting that is absent is removed on apply.
    pub values: BTreeMap<Setting, String>,
    /// Settings a template still needs before the profile can be used.
    pub missing: Vec<Setting>,
    /// Where the profile is defined in the user's file.
    pub origin: Option<Position>,
    /// Why it cannot be used; empty when it can.
    pub problems: Vec<Problem>,
    #[serde(skip)]
    spans: BTreeMap<Setting, Position>,
}

/// A position in a file, for messages that point at the cause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

/// A profile's overrides of the optional switch targets ([`crate::targets::TargetPrefs`]):
/// `docker = true|false` in its table. `None` follows the global switch.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProfileTargets {
    /// Write Docker's client `config.json` (`proxies.default`) when switching to this profile.
    pub docker: Option<bool>,
}

impl ProfileTargets {
    /// The boolean keys a profile table takes besides settings, `label` and `probe_module`.
    pub const KEYS: [&'static str; 1] = ["docker"];

    fn set(&mut self, key: &str, value: bool) {
        if key == "docker" {
            self.docker = Some(value);
        }
    }

    fn get(&self, key: &str) -> Option<bool> {
        match key {
            "docker" => self.docker,
            _ => None,
        }
    }
}

/// Why a profile cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The setting at fault, if one is.
    pub setting: Option<Setting>,
    /// What is wrong, in Go's words where Go has them.
    pub message: String,
    /// Where, for user profiles.
    pub position: Option<Position>,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(pos) = &self.position {
            write!(f, "{pos}: ")?;
        }
        if let Some(setting) = self.setting {
            write!(f, "{setting}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl serde::Serialize for Setting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Why the profiles file cannot be loaded at all. Nothing is written when this happens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file exists but cannot be read.
    #[error("cannot read {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The file is not UTF-8 (TOML must be).
    #[error("{}: not valid UTF-8 (at byte {offset}); TOML files must be UTF-8", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Where decoding failed.
        offset: usize,
    },
    /// A TOML syntax error or a structural mistake.
    #[error("{position}: {message}")]
    Invalid {
        /// Where.
        position: Position,
        /// What.
        message: String,
    },
}

impl Profile {
    /// Whether the profile can be applied.
    pub fn is_usable(&self) -> bool {
        self.problems.is_empty()
    }

    /// The value for one setting, if the profile sets it.
    pub fn get(&self, setting: Setting) -> Option<&str> {
        self.values.get(&setting).map(String::as_str)
    }

    fn builtin(id: &str, values: &[(Setting, &str)], missing: &[Setting]) -> Profile {
        let mut profile = Profile {
            id: id.into(),
            label: None,
            probe_module: None,
            builtin: true,
            targets: ProfileTargets::default(),
            values: values.iter().map(|(s, v)| (*s, v.to_string())).collect(),
            missing: missing.to_vec(),
            origin: None,
            problems: Vec::new(),
            spans: BTreeMap::new(),
        };
        profile.validate();
        profile
    }

    fn validate(&mut self) {
        self.problems.clear();
        if !self.missing.is_empty() {
            let names: Vec<&str> = self.missing.iter().map(|s| s.name()).collect();
            self.problems.push(Problem {
                setting: None,
                message: format!(
                    "`{}` is a template: define [profiles.{}] in profiles.toml with {}",
                    self.id,
                    self.id,
                    names.join(", ")
                ),
                position: None,
            });
        }
        for (setting, value) in &self.values {
            if let Err(message) = validate::check(*setting, value) {
                let position = self.spans.get(setting).cloned();
                self.problems.push(Problem {
                    setting: Some(*setting),
                    message,
                    position,
                });
            }
        }
    }
}

/// The built-in profiles, in display order.
pub fn builtins() -> Vec<Profile> {
    use Setting::*;
    vec![
        Profile::builtin(
            "domestic",
            &[
                (
                    GoProxy,
                    "https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct",
                ),
                (GoSumDb, "sum.golang.org"),
            ],
            &[],
        ),
        Profile::builtin(
            "official",
            &[
                (GoProxy, "https://proxy.golang.org,direct"),
                (GoSumDb, "sum.golang.org"),
            ],
            &[],
        ),
        Profile::builtin(
            "corporate",
            &[(GoSumDb, "sum.golang.org")],
            &[GoProxy, GoPrivate, HttpsProxy, NoProxy],
        ),
    ]
}

/// Every profile: the built-ins (replaced by user profiles of the same id) then the user's.
#[derive(Clone, Debug, Serialize)]
pub struct Profiles {
    /// The user's profiles file (it may not exist).
    pub path: Option<PathBuf>,
    /// All profiles.
    pub list: Vec<Profile>,
}

impl Profiles {
    /// Looks a profile up by id.
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.list.iter().find(|p| p.id == id)
    }
}

/// Loads the built-ins and the user's file (a missing file is fine).
pub fn load(env: &Env) -> Result<Profiles, LoadError> {
    let path = paths::profiles_file(env);
    let user = match &path {
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => parse_user(&bytes, path)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(error) => {
                return Err(LoadError::Read {
                    path: path.clone(),
                    error,
                });
            }
        },
        None => Vec::new(),
    };
    Ok(Profiles {
        path,
        list: merge(builtins(), user),
    })
}

fn merge(builtins: Vec<Profile>, user: Vec<Profile>) -> Vec<Profile> {
    let mut list: Vec<Profile> = builtins
        .into_iter()
        .map(|b| user.iter().find(|u| u.id == b.id).cloned().unwrap_or(b))
        .collect();
    let extra: Vec<Profile> = user
        .into_iter()
        .filter(|u| !list.iter().any(|p| p.id == u.id))
        .collect();
    list.extend(extra);
    list
}

/// Parses the user's profiles file.
pub fn parse_user(bytes: &[u8], path: &Path) -> Result<Vec<Profile>, LoadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| LoadError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.valid_up_to(),
    })?;
    let at = |span: Option<Range<usize>>| position(text, path, span.map_or(0, |s| s.start));
    let invalid = |span: Option<Range<usize>>, message: String| LoadError::Invalid {
        position: at(span),
        message,
    };

    let doc = toml_edit::Document::parse(text)
        .map_err(|e| invalid(e.span(), e.message().trim().to_string()))?;
    let mut profiles = Vec::new();
    for (key, item) in doc.iter() {
        if key != "profiles" {
            let span = doc.key(key).and_then(|k| k.span());
            return Err(invalid(
                span,
                format!("unknown top-level key `{key}`; profiles go under [profiles.<id>]"),
            ));
        }
        let Some(table) = item.as_table_like() else {
            return Err(invalid(
                item.span(),
                "`profiles` must be a table: [profiles.<id>]".into(),
            ));
        };
        for (id, item) in table.iter() {
            let id_span = table.key(id).and_then(|k| k.span());
            if !valid_id(id) {
                return Err(invalid(
                    id_span,
                    format!("profile id `{id}` must be lower-case letters, digits, `-` or `_`"),
                ));
            }
            let Some(entries) = item.as_table_like() else {
                return Err(invalid(
                    item.span(),
                    format!("[profiles.{id}] must be a table of settings"),
                ));
            };
            let mut profile = Profile {
                id: id.to_string(),
                label: None,
                probe_module: None,
                builtin: false,
                targets: ProfileTargets::default(),
                values: BTreeMap::new(),
                missing: Vec::new(),
                origin: Some(at(id_span.clone())),
                problems: Vec::new(),
                spans: BTreeMap::new(),
            };
            for (key, value) in entries.iter() {
                let key_span = entries.key(key).and_then(|k| k.span());
                if ProfileTargets::KEYS.contains(&key) {
                    let Some(on) = value.as_bool() else {
                        return Err(invalid(
                            value.span().or(key_span),
                            format!("`{key}` must be true or false"),
                        ));
                    };
                    profile.targets.set(key, on);
                    continue;
                }
                let Some(text_value) = value.as_str() else {
                    return Err(invalid(
                        value.span(),
                        format!("`{key}` must be a string, in quotes"),
                    ));
                };
                if key == "label" {
                    profile.label = Some(text_value.to_string());
                } else if key == "probe_module" {
                    if let Err(e) = crate::modpath::escape_for_url(text_value) {
                        return Err(invalid(
                            value.span().or(key_span),
                            format!("probe_module: {e}"),
                        ));
                    }
                    profile.probe_module = Some(text_value.to_string());
                } else if let Some(setting) = Setting::from_name(key) {
                    profile.values.insert(setting, text_value.to_string());
                    profile.spans.insert(setting, at(value.span().or(key_span)));
                } else {
                    return Err(invalid(key_span, unknown_key_message(key)));
                }
            }
            profile.validate();
            profiles.push(profile);
        }
    }
    Ok(profiles)
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn unknown_key_message(key: &str) -> String {
    let upper = key.to_ascii_uppercase();
    let hint = Setting::ALL
        .iter()
        .find(|s| s.name() == upper || s.name().replace('_', "") == upper.replace('_', ""))
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default();
    let names: Vec<&str> = Setting::ALL.iter().map(|s| s.name()).collect();
    format!(
        "unknown key `{key}`{hint}; a profile takes `label`, `probe_module`, `docker` and {}",
        names.join(", ")
    )
}

pub(crate) fn position(text: &str, path: &Path, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position {
        file: path.to_path_buf(),
        line,
        column,
    }
}

/// A profile as a TOML snippet, for export (`[profiles.<id>]` with its label and values).
pub fn export(profile: &Profile) -> String {
    let mut table = toml_edit::Table::new();
    if let Some(label) = &profile.label {
        table.insert("label", toml_edit::value(label.as_str()));
    }
    if let Some(module) = &profile.probe_module {
        table.insert("probe_module", toml_edit::value(module.as_str()));
    }
    for (setting, value) in &profile.values {
        table.insert(setting.name(), toml_edit::value(value.as_str()));
    }
    for key in ProfileTargets::KEYS {
        if let Some(on) = profile.targets.get(key) {
            table.insert(key, toml_edit::value(on));
        }
    }
    let mut profiles = toml_edit::Table::new();
    profiles.set_implicit(true);
    profiles.insert(&profile.id, toml_edit::Item::Table(table));
    let mut doc = toml_edit::DocumentMut::new();
    doc.insert("profiles", toml_edit::Item::Table(profiles));
    doc.to_string()
}

/// The user's file with `profile` inserted or replaced, keeping every comment and the order of
/// everything else. `current` is the file's text ("" when it does not exist yet).
pub fn upsert(current: &str, path: &Path, profile: &Profile) -> Result<String, LoadError> {
    parse_user(current.as_bytes(), path)?;
    let mut doc: toml_edit::DocumentMut =
        current
            .parse()
            .map_err(|e: toml_edit::TomlError| LoadError::Invalid {
                position: position(current, path, e.span().map_or(0, |s| s.start)),
                message: e.message().to_string(),
            })?;
    let profiles = doc.entry("profiles").or_insert_with(|| {
        let mut t = toml_edit::Table::new();
        t.set_implicit(true);
        toml_edit::Item::Table(t)
    });
    let Some(profiles) = profiles.as_table_mut() else {
        return Err(LoadError::Invalid {
            position: position(current, path, 0),
            message: "`profiles` is not a table".into(),
        });
    };
    let entry = profiles
        .entry(&profile.id)
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
    let Some(table) = entry.as_table_mut() else {
        return Err(LoadError::Invalid {
            position: position(current, path, 0),
            message: format!("[profiles.{}] is not a table", profile.id),
        });
    };
    let keep: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    for key in keep {
        if ProfileTargets::KEYS.contains(&key.as_str()) {
            match profile.targets.get(&key) {
                Some(on) => {
                    if let Some(old) = table.get_mut(&key).and_then(|i| i.as_value_mut())
                        && old.as_bool() != Some(on)
                    {
                        let decor = old.decor().clone();
                        *old = toml_edit::Value::from(on);
                        *old.decor_mut() = decor;
                    }
                }
                None => {
                    table.remove(&key);
                }
            }
            continue;
        }
        let wanted = if key == "label" {
            profile.label.clone()
        } else if key == "probe_module" {
            profile.probe_module.clone()
        } else {
            Setting::from_name(&key).and_then(|s| profile.values.get(&s).cloned())
        };
        match wanted {
            // Replace only the value, so a trailing comment on the line survives.
            Some(v) => {
                if let Some(old) = table.get_mut(&key).and_then(|i| i.as_value_mut()) {
                    let decor = old.decor().clone();
                    *old = toml_edit::Value::from(v);
                    *old.decor_mut() = decor;
                }
            }
            None => {
                table.remove(&key);
            }
        }
    }
    if let Some(label) = &profile.label
        && !table.contains_key("label")
    {
        table.insert("label", toml_edit::value(label.as_str()));
    }
    if let Some(module) = &profile.probe_module
        && !table.contains_key("probe_module")
    {
        table.insert("probe_module", toml_edit::value(module.as_str()));
    }
    for (setting, value) in &profile.values {
        if !table.contains_key(setting.name()) {
            table.insert(setting.name(), toml_edit::value(value.as_str()));
        }
    }
    for key in ProfileTargets::KEYS {
        if let Some(on) = profile.targets.get(key)
            && !table.contains_key(key)
        {
            table.insert(key, toml_edit::value(on));
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Profile>, LoadError> {
        parse_user(text.as_bytes(), Path::new("/c/profiles.toml"))
    }

    #[test]
    fn builtins_are_usable_except_the_template() {
        let b = builtins();
        let ids: Vec<_> = b.iter().map(|p| (p.id.as_str(), p.is_usable())).collect();
        assert_eq!(
            ids,
            [("domestic", true), ("official", true), ("corporate", false)]
        );
        assert!(
            b[2].problems[0]
                .message
                .contains("GOPROXY, GOPRIVATE, HTTPS_PROXY, NO_PROXY")
        );
    }

    #[test]
    fn user_profiles_parse_with_positions() {
        let text = "# mine\n[profiles.acme]\nlabel = \"ACME\"\nGOPROXY = \"https://athens.acme.example,direct\"\nGOPRIVATE = \"git.acme.example/*\"\n\n[profiles.corporate]\nGOPROXY = \"ftp://x\"\n";
        let profiles = parse(text).unwrap();
        assert_eq!(profiles[0].id, "acme");
        assert_eq!(profiles[0].label.as_deref(), Some("ACME"));
        assert!(profiles[0].is_usable());
        assert_eq!(profiles[0].origin.as_ref().map(|p| p.line), Some(2));
        let bad = &profiles[1];
        assert_eq!(bad.problems.len(), 1);
        assert_eq!(
            bad.problems[0].to_string(),
            "/c/profiles.toml:8:11: GOPROXY: invalid proxy URL scheme (must be https, http, file): ftp://x"
        );
        let merged = merge(builtins(), profiles);
        let ids: Vec<_> = merged.iter().map(|p| (p.id.as_str(), p.builtin)).collect();
        assert_eq!(
            ids,
            [
                ("domestic", true),
                ("official", true),
                ("corporate", false),
                ("acme", false)
            ]
        );
    }

    #[test]
    fn structural_errors_name_file_line_and_column() {
        let cases = [
            ("[profiles.a]\nGOPROXY = \"x\n", "/c/profiles.toml:2:"),
            (
                "[profiles.a]\nGOPROXYY = \"https://x.example\"\n",
                "/c/profiles.toml:2:1: unknown key `GOPROXYY`",
            ),
            (
                "[profiles.a]\ngoproxy = \"https://x.example\"\n",
                "(did you mean GOPROXY?)",
            ),
            (
                "[profiles.a]\nGOPROXY = 3\n",
                "/c/profiles.toml:2:11: `GOPROXY` must be a string",
            ),
            (
                "[profiles.Bad]\n",
                "/c/profiles.toml:1:11: profile id `Bad`",
            ),
            ("[other]\n", "unknown top-level key `other`"),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err().to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let err = parse_user(b"[profiles.a]\nlabel = \"\xff\"\n", Path::new("/p")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/p: not valid UTF-8 (at byte 22); TOML files must be UTF-8"
        );
    }

    #[test]
    fn the_docker_switch_is_a_boolean_kept_by_edits() {
        let text = "[profiles.acme]\nGOPROXY = \"direct\"\ndocker = true # mine\n";
        let acme = parse(text).unwrap().remove(0);
        assert_eq!(acme.targets.docker, Some(true));
        assert_eq!(parse("[profiles.a]\n").unwrap()[0].targets.docker, None);
        let err = parse("[profiles.a]\ndocker = \"yes\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "/c/profiles.toml:2:10: `docker` must be true or false");
        // An edit of the values keeps the line and its comment; turning it off rewrites only it.
        let mut edited = acme.clone();
        edited.values.insert(Setting::GoProxy, "off".into());
        let updated = upsert(text, Path::new("/c"), &edited).unwrap();
        assert_eq!(
            updated,
            "[profiles.acme]\nGOPROXY = \"off\"\ndocker = true # mine\n"
        );
        edited.targets.docker = Some(false);
        let updated = upsert(&updated, Path::new("/c"), &edited).unwrap();
        assert_eq!(
            updated,
            "[profiles.acme]\nGOPROXY = \"off\"\ndocker = false # mine\n"
        );
        assert!(export(&edited).contains("docker = false"));
        assert_eq!(parse(&export(&edited)).unwrap()[0].targets, edited.targets);
    }

    #[test]
    fn export_then_parse_round_trips() {
        let profile = &builtins()[0];
        let text = export(profile);
        assert!(text.starts_with("[profiles.domestic]\n"), "{text}");
        let back = parse(&text).unwrap();
        assert_eq!(back[0].values, profile.values);
    }

    #[test]
    fn upsert_keeps_comments_and_order() {
        let current = "# my proxies\n[profiles.acme] # the office\nGOPROXY = \"https://old.example\" # keep me\nlabel = \"ACME\"\nGOFLAGS = \"-mod=mod\"\n\n# home\n[profiles.home]\nGOPROXY = \"direct\"\n";
        let mut acme = parse(current).unwrap().remove(0);
        acme.values.insert(
            Setting::GoProxy,
            "https://athens.acme.example,direct".into(),
        );
        acme.values.remove(&Setting::GoFlags);
        acme.values
            .insert(Setting::GoPrivate, "git.acme.example".into());
        let updated = upsert(current, Path::new("/c"), &acme).unwrap();
        assert_eq!(
            updated,
            "# my proxies\n[profiles.acme] # the office\nGOPROXY = \"https://athens.acme.example,direct\" # keep me\nlabel = \"ACME\"\nGOPRIVATE = \"git.acme.example\"\n\n# home\n[profiles.home]\nGOPROXY = \"direct\"\n"
        );
        let fresh = upsert("", Path::new("/c"), &acme).unwrap();
        assert_eq!(parse(&fresh).unwrap()[0].values, acme.values);
    }
}

/// A profile as an editor sends it: values keyed by variable name; an empty value means "not set".
#[derive(Clone, Debug, serde::Deserialize)]
pub struct ProfileEdit {
    /// The id (lower-case letters, digits, `-`, `_`). A built-in's id creates the user's override.
    pub id: String,
    /// An optional label.
    pub label: Option<String>,
    /// The health check's probe module: absent keeps the stored one, empty removes it.
    #[serde(default)]
    pub probe_module: Option<String>,
    /// The values.
    pub values: BTreeMap<String, String>,
}

/// Why a profile could not be saved or imported. Nothing is written when this happens.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// The profiles file itself is broken.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The edit is invalid.
    #[error("{0}")]
    Invalid(String),
    /// No config directory (HOME unset).
    #[error("cannot determine modroute's config directory (is HOME set?)")]
    NoConfigDir,
    /// Writing failed.
    #[error(transparent)]
    Write(#[from] crate::apply::ApplyError),
}

/// What the profile list shows: every profile, the active one, and where the user's file is.
/// Values and messages are redacted.
#[derive(Clone, Debug, Serialize)]
pub struct Listing {
    /// The user's profiles file.
    pub path: Option<PathBuf>,
    /// The profile of the switch in effect.
    pub active: Option<String>,
    /// All profiles, redacted.
    pub profiles: Vec<Profile>,
}

/// Loads the profiles for display.
pub fn listing(env: &Env) -> Result<Listing, LoadError> {
    let profiles = load(env)?;
    let redacted = profiles
        .list
        .into_iter()
        .map(|mut p| {
            for value in p.values.values_mut() {
                *value = crate::redact::redact(value);
            }
            for problem in &mut p.problems {
                problem.message = crate::redact::redact_lines(&problem.message);
            }
            p
        })
        .collect();
    Ok(Listing {
        path: profiles.path,
        active: crate::apply::active_profile(env),
        profiles: redacted,
    })
}

/// Saves (inserts or replaces) a user profile in `profiles.toml`, keeping the file's comments and
/// order, and returns the reloaded profiles. The file is written atomically and 0600: profiles
/// may hold proxy passwords.
pub fn save(env: &Env, edit: &ProfileEdit) -> Result<Profiles, SaveError> {
    if !valid_id(&edit.id) {
        return Err(SaveError::Invalid(format!(
            "profile id `{}` must be lower-case letters, digits, `-` or `_`",
            edit.id
        )));
    }
    let existing = load(env)?.get(&edit.id).cloned();
    let mut values = BTreeMap::new();
    for (key, value) in &edit.values {
        let setting =
            Setting::from_name(key).ok_or_else(|| SaveError::Invalid(unknown_key_message(key)))?;
        if value.is_empty() {
            continue;
        }
        // Editors only ever see redacted values: an unchanged `user:xxxxx@` keeps the stored
        // password.
        let stored = existing.as_ref().and_then(|p| p.get(setting));
        let value = &match stored {
            Some(stored) if crate::redact::redact(stored) == *value => stored.to_string(),
            _ => value.clone(),
        };
        validate::check(setting, value)
            .map_err(|m| SaveError::Invalid(format!("{setting}: {m}")))?;
        values.insert(setting, value.clone());
    }
    let label = edit.label.clone().filter(|l| !l.trim().is_empty());
    if let Some(module) = edit
        .probe_module
        .as_deref()
        .filter(|m| !m.trim().is_empty())
    {
        crate::modpath::escape_for_url(module)
            .map_err(|e| SaveError::Invalid(format!("probe_module: {e}")))?;
    }
    let profile = Profile {
        id: edit.id.clone(),
        label,
        // Not sent: keep the stored one (editors that do not show it must not drop it).
        probe_module: match &edit.probe_module {
            None => existing.as_ref().and_then(|p| p.probe_module.clone()),
            Some(m) if m.trim().is_empty() => None,
            Some(m) => Some(m.clone()),
        },
        builtin: false,
        // Not edited here: keep the stored choices.
        targets: existing
            .as_ref()
            .map(|p| p.targets.clone())
            .unwrap_or_default(),
        values,
        missing: Vec::new(),
        origin: None,
        problems: Vec::new(),
        spans: BTreeMap::new(),
    };
    write_profiles(env, &[profile])
}

/// Imports every profile of a `[profiles.<id>]` TOML snippet (as [`export`] writes it).
pub fn import(env: &Env, text: &str) -> Result<Profiles, SaveError> {
    let snippet = parse_user(text.as_bytes(), Path::new("import"))?;
    if snippet.is_empty() {
        return Err(SaveError::Invalid(
            "no [profiles.<id>] table in the imported text".into(),
        ));
    }
    if let Some(problem) = snippet.iter().flat_map(|p| &p.problems).next() {
        return Err(SaveError::Invalid(problem.to_string()));
    }
    write_profiles(env, &snippet)
}

fn write_profiles(env: &Env, profiles: &[Profile]) -> Result<Profiles, SaveError> {
    let path = paths::profiles_file(env).ok_or(SaveError::NoConfigDir)?;
    let before = crate::atomic::current_bytes(&path)?;
    let mut text = match &before {
        Some(bytes) => std::str::from_utf8(bytes)
            .map_err(|e| LoadError::NotUtf8 {
                path: path.clone(),
                offset: e.valid_up_to(),
            })?
            .to_string(),
        None => "# modroute profiles — see `modroute profiles`. Comments and order are kept.\n"
            .to_string(),
    };
    for profile in profiles {
        text = upsert(&text, &path, profile)?;
    }
    crate::atomic::write_atomic(
        &path,
        text.as_bytes(),
        crate::atomic::Mode::Private,
        Some(before.as_deref()),
    )?;
    Ok(load(env)?)
}

#[cfg(test)]
mod save_tests {
    use super::*;

    #[test]
    fn save_and_import_write_a_private_file_that_keeps_comments() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let env = Env::from_vars_on(crate::TargetOs::Unix, [("HOME", tmp.path().as_os_str())]);
        let path = paths::profiles_file(&env).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            "# my notes\n[profiles.home] # at home\nGOPROXY = \"direct\"\n",
        )
        .unwrap();
        let edit = ProfileEdit {
            id: "corporate".into(),
            label: Some("ACME".into()),
            probe_module: None,
            values: [
                ("GOPROXY", "https://athens.acme.example,direct"),
                ("GOPRIVATE", "git.acme.example"),
                ("HTTPS_PROXY", "http://u:pw@proxy.acme.example:3128"),
                ("NO_PROXY", ".acme.example"),
                ("GOFLAGS", ""),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        };
        let profiles = save(&env, &edit).unwrap();
        let corporate = profiles.get("corporate").unwrap();
        assert!(
            corporate.is_usable() && !corporate.builtin,
            "the filled-in template replaces the built-in"
        );
        assert_eq!(
            corporate.get(Setting::GoFlags),
            None,
            "an empty value means not set"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# my notes\n[profiles.home] # at home\n"),
            "{text}"
        );
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );

        let bad = ProfileEdit {
            id: "x".into(),
            label: None,
            probe_module: None,
            values: [("GOPROXY".to_string(), "ftp://x".to_string())].into(),
        };
        assert!(
            save(&env, &bad)
                .unwrap_err()
                .to_string()
                .starts_with("GOPROXY: invalid proxy URL scheme")
        );
        assert!(
            save(
                &env,
                &ProfileEdit {
                    id: "Bad Id".into(),
                    label: None,
                    probe_module: None,
                    values: BTreeMap::new()
                }
            )
            .is_err()
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "nothing written on refusal"
        );

        // The editor gets `u:xxxxx@`; sending it back unchanged keeps the real password.
        let listed = listing(&env).unwrap();
        let shown = listed
            .profiles
            .iter()
            .find(|p| p.id == "corporate")
            .unwrap()
            .get(Setting::HttpsProxy)
            .unwrap()
            .to_string();
        assert_eq!(shown, "http://u:xxxxx@proxy.acme.example:3128");
        let mut again = edit.clone();
        again.values.insert("HTTPS_PROXY".into(), shown);
        save(&env, &again).unwrap();
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .contains("http://u:pw@proxy.acme.example:3128")
        );

        let exported = export(profiles.get("home").unwrap()).replace("home", "copy");
        assert!(import(&env, &exported).unwrap().get("copy").is_some());
        let err = import(&env, "[profiles.z]\nGOPROXY = \"foo\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "import:2:11: GOPROXY: invalid proxy URL missing scheme: foo"
        );
    }

    #[test]
    fn saving_without_a_probe_module_keeps_the_stored_one() {
        let tmp = tempfile::tempdir().unwrap();
        let env = Env::from_vars_on(crate::TargetOs::Unix, [("HOME", tmp.path().as_os_str())]);
        let path = paths::profiles_file(&env).unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            "[profiles.acme]\nprobe_module = \"git.acme.example/x\"\nGOPROXY = \"direct\"\n",
        )
        .unwrap();
        let edit = |probe_module: Option<&str>| ProfileEdit {
            id: "acme".into(),
            label: None,
            probe_module: probe_module.map(str::to_string),
            values: [("GOPROXY".to_string(), "off".to_string())].into(),
        };
        let saved = save(&env, &edit(None)).unwrap();
        assert_eq!(
            saved.get("acme").unwrap().probe_module.as_deref(),
            Some("git.acme.example/x")
        );
        let saved = save(&env, &edit(Some("example.com/y"))).unwrap();
        assert_eq!(
            saved.get("acme").unwrap().probe_module.as_deref(),
            Some("example.com/y")
        );
        let saved = save(&env, &edit(Some(""))).unwrap();
        assert_eq!(saved.get("acme").unwrap().probe_module, None);
        assert!(save(&env, &edit(Some("nodot"))).is_err());
    }

    #[test]
    fn the_probe_module_is_read_checked_and_exported() {
        let text = "[profiles.acme]\nprobe_module = \"git.acme.example/x\"\nGOPROXY = \"direct\"\n";
        let profiles = parse_user(text.as_bytes(), Path::new("/p")).unwrap();
        assert_eq!(
            profiles[0].probe_module.as_deref(),
            Some("git.acme.example/x")
        );
        assert!(export(&profiles[0]).contains("probe_module = \"git.acme.example/x\""));
        let bad = parse_user(
            b"[profiles.a]\nprobe_module = \"nodot/x\"\n",
            Path::new("/p"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            bad.starts_with("/p:2:16: probe_module: malformed module path"),
            "{bad}"
        );
    }
}
