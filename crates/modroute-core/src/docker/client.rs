//! Docker's client configuration (`config.json`): reading its `proxies` with positions, and
//! setting `proxies.default` without touching anything else.
//!
//! The docker CLI decodes the file with Go's `encoding/json`: strict JSON (no comments, no
//! trailing commas, no byte-order mark), object fields matched case-insensitively with the last
//! duplicate winning, map keys (`proxies.<host>`) matched exactly. What it injects into
//! `docker build` (as build arguments) and `docker run` (as environment variables) comes from
//! `proxies.<daemon host>` when that key exists, else `proxies.default`; each non-empty value is
//! passed in both spellings (`HTTP_PROXY` and `http_proxy`) unless the command line sets it.
//!
//! Edits go through `jsonc-parser`'s CST with every extension turned off, so a file docker
//! could not read is refused (file:line:column) instead of being "repaired", and every byte
//! outside the three edited properties — other keys (`auths`, `credsStore`), their order, tabs,
//! CRLF line ends — is kept. Each edit is checked afterwards: the result must parse, hold
//! exactly the wanted proxies, and equal the input everywhere else.

use std::path::Path;

use jsonc_parser::ast::{Object, ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::cst::{CstInputValue, CstObject, CstRootNode};
use jsonc_parser::{CollectOptions, ParseOptions};
use serde::Serialize;

use crate::profile::{Position, position};
use crate::setting::Setting;

/// The fields of a proxy block: JSON key, the variable docker sets from it, and the setting Go
/// reads from that variable (docker also carries FTP_PROXY and ALL_PROXY, which Go ignores).
pub const FIELDS: [(&str, &str, Option<Setting>); 5] = [
    ("httpProxy", "HTTP_PROXY", Some(Setting::HttpProxy)),
    ("httpsProxy", "HTTPS_PROXY", Some(Setting::HttpsProxy)),
    ("noProxy", "NO_PROXY", Some(Setting::NoProxy)),
    ("ftpProxy", "FTP_PROXY", None),
    ("allProxy", "ALL_PROXY", None),
];

/// The fields modroute writes in `proxies.default`, with the setting each takes its value from.
pub const WRITTEN: [(&str, Setting); 3] = [
    ("httpProxy", Setting::HttpProxy),
    ("httpsProxy", Setting::HttpsProxy),
    ("noProxy", Setting::NoProxy),
];

/// A `config.json` docker could not read, or one modroute will not edit. Nothing is written.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{position}: {message}")]
pub struct ConfigError {
    /// Where.
    pub position: Position,
    /// What, and what to do.
    pub message: String,
}

/// One value of a proxy block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProxyValue {
    /// The variable docker sets (`HTTPS_PROXY`).
    pub var: &'static str,
    /// The value (unredacted).
    pub value: String,
    /// 1-based line of the property.
    pub line: usize,
}

/// One `proxies.<key>` block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProxyBlock {
    /// `default`, or a daemon host (`tcp://build.example:2376`).
    pub key: String,
    /// 1-based line of the block.
    pub line: usize,
    /// Its non-empty values, in [`FIELDS`] order (what docker would pass).
    pub values: Vec<ProxyValue>,
}

impl ProxyBlock {
    /// The value docker passes for `var`, if any.
    pub fn get(&self, var: &str) -> Option<&ProxyValue> {
        self.values.iter().find(|v| v.var == var)
    }
}

/// What docker reads from a `config.json`: its proxy blocks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClientConfig {
    /// Every `proxies.<key>` block, in file order (the last of duplicates, as docker keeps).
    pub proxies: Vec<ProxyBlock>,
}

impl ClientConfig {
    /// The block docker uses for a daemon at `host` (`unix:///var/run/docker.sock`): that
    /// host's own block, else `default`.
    pub fn for_host(&self, host: &str) -> Option<&ProxyBlock> {
        self.proxies
            .iter()
            .find(|b| b.key == host)
            .or_else(|| self.proxies.iter().find(|b| b.key == "default"))
    }
}

/// Docker's own reading rules: strict JSON.
fn strict() -> ParseOptions {
    ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

/// The text of `bytes`, or the error docker's reader would hit, with its position.
fn text<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, ConfigError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ConfigError {
        position: position(&String::from_utf8_lossy(bytes), path, e.valid_up_to()),
        message: "not valid UTF-8".into(),
    })?;
    if text.starts_with('\u{feff}') {
        return Err(ConfigError {
            position: position(text, path, 0),
            message: "the file starts with a byte-order mark, which docker cannot read (it warns \
                      and ignores the whole file); save it without one"
                .into(),
        });
    }
    Ok(text)
}

fn parse_error(text: &str, path: &Path, e: &jsonc_parser::errors::ParseError) -> ConfigError {
    ConfigError {
        position: position(text, path, e.range().start),
        message: format!("{} (docker reads this file as strict JSON)", e.kind()),
    }
}

fn prop_name(name: &ObjectPropName<'_>) -> String {
    match name {
        ObjectPropName::String(s) => s.value.to_string(),
        ObjectPropName::Word(w) => w.value.to_string(),
    }
}

/// Reads the proxy blocks of a `config.json`'s bytes (`path` names the file in errors). An
/// empty file is what docker treats as no configuration.
pub fn read(bytes: &[u8], path: &Path) -> Result<ClientConfig, ConfigError> {
    let text = text(bytes, path)?;
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict())
        .map_err(|e| parse_error(text, path, &e))?;
    let root = match parsed.value {
        None => return Ok(ClientConfig::default()),
        Some(Value::Object(root)) => root,
        Some(other) => {
            return Err(ConfigError {
                position: position(text, path, other.range().start),
                message: "the configuration is not a JSON object".into(),
            });
        }
    };
    let line = |offset: usize| position(text, path, offset).line;
    let mut config = ClientConfig::default();
    // encoding/json: the last field matching case-insensitively wins; a null leaves it alone.
    let Some(proxies) = last_field(&root, "proxies") else {
        return Ok(config);
    };
    let proxies = match proxies {
        Value::Object(o) => o,
        Value::NullKeyword(_) => return Ok(config),
        other => {
            return Err(ConfigError {
                position: position(text, path, other.range().start),
                message: "`proxies` is not an object, so docker cannot read this file".into(),
            });
        }
    };
    for block in &proxies.properties {
        let key = prop_name(&block.name);
        let fields = match &block.value {
            Value::Object(o) => o,
            Value::NullKeyword(_) => continue,
            other => {
                return Err(ConfigError {
                    position: position(text, path, other.range().start),
                    message: format!(
                        "`proxies.{key}` is not an object, so docker cannot read this file"
                    ),
                });
            }
        };
        let mut values = Vec::new();
        for (json_key, var, _) in FIELDS {
            let found = fields
                .properties
                .iter()
                .rev()
                .find(|p| prop_name(&p.name).eq_ignore_ascii_case(json_key));
            let Some(found) = found else { continue };
            match &found.value {
                Value::StringLit(s) if !s.value.is_empty() => values.push(ProxyValue {
                    var,
                    value: s.value.to_string(),
                    line: line(found.range.start),
                }),
                Value::StringLit(_) | Value::NullKeyword(_) => {}
                other => {
                    return Err(ConfigError {
                        position: position(text, path, other.range().start),
                        message: format!(
                            "`proxies.{key}.{json_key}` is not a string, so docker cannot read this file"
                        ),
                    });
                }
            }
        }
        config.proxies.retain(|b| b.key != key);
        config.proxies.push(ProxyBlock {
            key,
            line: line(block.range.start),
            values,
        });
    }
    Ok(config)
}

fn last_field<'a, 'b>(object: &'b Object<'a>, name: &str) -> Option<&'b Value<'a>> {
    object
        .properties
        .iter()
        .rev()
        .find(|p| prop_name(&p.name).eq_ignore_ascii_case(name))
        .map(|p| &p.value)
}

/// The `proxies.default` values modroute writes, in [`WRITTEN`] order: `None` removes a field.
pub type Wanted = [Option<String>; 3];

/// `current` (the file's bytes, `None` when it does not exist) with `proxies.default` holding
/// exactly `wanted`; `None` when there is still no file to write. Everything else keeps its
/// bytes. A field set to `None` is removed; a `default` block (then `proxies`) left empty by the
/// removal goes too. Refuses what docker could not read and keys docker would read ambiguously
/// (duplicates, other spellings of `proxies`, `default` or a field).
pub fn set_default(
    current: Option<&[u8]>,
    path: &Path,
    wanted: &Wanted,
) -> Result<Option<Vec<u8>>, ConfigError> {
    let setting_any = wanted.iter().any(Option::is_some);
    let Some(bytes) = current else {
        return Ok(setting_any.then(|| fresh(wanted).into_bytes()));
    };
    let text = text(bytes, path)?;
    // Refuses what docker could not read, with its position.
    read(bytes, path)?;
    if text.trim().is_empty() {
        // Docker reads an empty file as no configuration.
        return Ok(Some(if setting_any {
            fresh(wanted).into_bytes()
        } else {
            bytes.to_vec()
        }));
    }
    let root = CstRootNode::parse(text, &strict()).map_err(|e| parse_error(text, path, &e))?;
    if root.to_string() != text {
        return Err(ConfigError {
            position: position(text, path, 0),
            message: "the file cannot be edited without changing other bytes; edit it by hand"
                .into(),
        });
    }
    let at = |offset: usize| position(text, path, offset);
    let ast = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &strict())
        .map_err(|e| parse_error(text, path, &e))?;
    let Some(Value::Object(ast_root)) = &ast.value else {
        return Err(ConfigError {
            position: at(0),
            message: "the configuration is not a JSON object".into(),
        });
    };
    // Keys docker would read differently from the one modroute edits.
    let proxies_ast = unambiguous(ast_root, "proxies", "", text, path)?;
    let default_ast = match proxies_ast {
        Some(Value::Object(p)) => unambiguous(p, "default", "proxies.", text, path)?,
        _ => None,
    };
    if let Some(Value::Object(d)) = default_ast {
        for (field, _) in WRITTEN {
            unambiguous(d, field, "proxies.default.", text, path)?;
        }
    }
    if let Some(v) = proxies_ast.filter(|v| !matches!(v, Value::Object(_) | Value::NullKeyword(_)))
    {
        return Err(ConfigError {
            position: at(v.range().start),
            message: "`proxies` is not an object".into(),
        });
    }
    if let Some(v) = default_ast.filter(|v| !matches!(v, Value::Object(_) | Value::NullKeyword(_)))
    {
        return Err(ConfigError {
            position: at(v.range().start),
            message: "`proxies.default` is not an object".into(),
        });
    }

    let object = root.object_value().ok_or_else(|| ConfigError {
        position: at(0),
        message: "the configuration is not a JSON object".into(),
    })?;
    if setting_any {
        let proxies = object_child(&object, "proxies");
        let default = object_child(&proxies, "default");
        for ((field, _), value) in WRITTEN.iter().zip(wanted) {
            match (default.get(field), value) {
                (Some(prop), Some(v)) => {
                    let same = prop
                        .value()
                        .and_then(|n| n.as_string_lit())
                        .and_then(|s| s.decoded_value().ok())
                        .is_some_and(|old| old == *v);
                    if !same {
                        prop.set_value(CstInputValue::String(v.clone()));
                    }
                }
                (None, Some(v)) => {
                    default.append(field, CstInputValue::String(v.clone()));
                }
                (Some(prop), None) => prop.remove(),
                (None, None) => {}
            }
        }
    } else if let Some(proxies) = object.object_value("proxies")
        && let Some(default) = proxies.object_value("default")
    {
        let mut removed = false;
        for (field, _) in WRITTEN {
            if let Some(prop) = default.get(field) {
                prop.remove();
                removed = true;
            }
        }
        if removed && default.properties().is_empty() {
            if let Some(prop) = proxies.get("default") {
                prop.remove();
            }
            if proxies.properties().is_empty()
                && let Some(prop) = object.get("proxies")
            {
                prop.remove();
            }
        }
    }
    let out = root.to_string();
    verify(text, &out, path, wanted)?;
    Ok(Some(out.into_bytes()))
}

/// `object[name]` as an object: created when missing, replaced when `null`.
fn object_child(object: &CstObject, name: &str) -> CstObject {
    if let Some(prop) = object.get(name)
        && prop.value().is_some_and(|v| v.as_null_keyword().is_some())
    {
        prop.set_value(CstInputValue::Object(Vec::new()));
    }
    object.object_value_or_set(name)
}

/// The value of `name` in `object` when exactly one key spells it (docker folds case and keeps
/// the last duplicate; an edit of one of several could be ignored).
fn unambiguous<'a, 'b>(
    object: &'b Object<'a>,
    name: &str,
    prefix: &str,
    text: &str,
    path: &Path,
) -> Result<Option<&'b Value<'a>>, ConfigError> {
    let matching: Vec<_> = object
        .properties
        .iter()
        .filter(|p| prop_name(&p.name).eq_ignore_ascii_case(name))
        .collect();
    match matching.as_slice() {
        [] => Ok(None),
        [one] if prop_name(&one.name) == name => Ok(Some(&one.value)),
        [one] => Err(ConfigError {
            position: position(text, path, one.range.start),
            message: format!(
                "`{prefix}{}` is read by docker as `{prefix}{name}`; rename it to `{name}` so modroute can edit it",
                prop_name(&one.name)
            ),
        }),
        [_, second, ..] => Err(ConfigError {
            position: position(text, path, second.range.start),
            message: format!(
                "`{prefix}{name}` appears more than once (docker uses the last one); keep one"
            ),
        }),
    }
}

/// A new file in the layout docker itself writes (tab-indented).
fn fresh(wanted: &Wanted) -> String {
    let mut default = serde_json::Map::new();
    for ((field, _), value) in WRITTEN.iter().zip(wanted) {
        if let Some(v) = value {
            default.insert((*field).to_string(), serde_json::Value::String(v.clone()));
        }
    }
    let doc = serde_json::json!({ "proxies": { "default": default } });
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    // Serialising a Value into a Vec cannot fail.
    let _ = doc.serialize(&mut ser);
    let mut text = String::from_utf8_lossy(&out).into_owned();
    text.push('\n');
    text
}

/// The edit's post-condition: `after` parses, its `proxies.default` holds exactly `wanted`, and
/// with modroute's fields taken out both files are the same JSON.
fn verify(before: &str, after: &str, path: &Path, wanted: &Wanted) -> Result<(), ConfigError> {
    let fail = |what: &str| ConfigError {
        position: position(before, path, 0),
        message: format!("internal error: the edited file {what}; nothing was written"),
    };
    let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
    let (Some(mut old), Some(mut new)) = (parse(before), parse(after)) else {
        return Err(fail("would not parse"));
    };
    let strip = |v: &mut serde_json::Value| -> Vec<Option<String>> {
        let mut got = vec![None, None, None];
        // A null is what docker reads as no proxies at all.
        if v.get("proxies").is_some_and(serde_json::Value::is_null)
            && let Some(o) = v.as_object_mut()
        {
            o.remove("proxies");
        }
        let Some(proxies) = v.get_mut("proxies").and_then(|p| p.as_object_mut()) else {
            return got;
        };
        if let Some(default) = proxies.get_mut("default").and_then(|d| d.as_object_mut()) {
            for (i, (field, _)) in WRITTEN.iter().enumerate() {
                got[i] = default
                    .remove(*field)
                    .and_then(|v| v.as_str().map(str::to_string));
            }
            if default.is_empty() {
                proxies.remove("default");
            }
        }
        if proxies.is_empty()
            && let Some(o) = v.as_object_mut()
        {
            o.remove("proxies");
        }
        got
    };
    strip(&mut old);
    let got = strip(&mut new);
    if got != wanted.to_vec() {
        return Err(fail("would not hold the wanted proxies"));
    }
    if old != new {
        return Err(fail("would change other settings"));
    }
    Ok(())
}

/// A diff of `config.json` made safe to show: registry credentials (`auth`, `identitytoken`,
/// `registrytoken`, `password`, `secret`) are masked like URL passwords are.
pub fn mask_registry_secrets(text: &str) -> String {
    const KEYS: [&str; 5] = [
        "auth",
        "identitytoken",
        "registrytoken",
        "password",
        "secret",
    ];
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        let mut masked = String::new();
        'scan: while let Some(open) = rest.find('"') {
            let after_open = &rest[open + 1..];
            let Some(close) = after_open.find('"') else {
                break;
            };
            let key = &after_open[..close];
            let tail = &after_open[close + 1..];
            let trimmed = tail.trim_start();
            if KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
                && let Some(value) = trimmed.strip_prefix(':')
            {
                let value_trimmed = value.trim_start();
                if let Some(body) = value_trimmed.strip_prefix('"') {
                    // The value's end: the first quote not escaped.
                    let mut end = None;
                    let mut escaped = false;
                    for (i, c) in body.char_indices() {
                        match c {
                            '\\' if !escaped => escaped = true,
                            '"' if !escaped => {
                                end = Some(i);
                                break;
                            }
                            _ => escaped = false,
                        }
                    }
                    let upto = rest.len() - body.len();
                    masked.push_str(&rest[..upto]);
                    masked.push_str(crate::redact::MASK);
                    match end {
                        Some(i) => {
                            masked.push('"');
                            rest = &body[i + 1..];
                        }
                        None => {
                            // Unterminated on this line: mask the rest of it.
                            rest = if line.ends_with('\n') { "\n" } else { "" };
                            break 'scan;
                        }
                    }
                    continue;
                }
            }
            let upto = open + 1 + close + 1;
            masked.push_str(&rest[..upto]);
            rest = &rest[upto..];
        }
        masked.push_str(rest);
        out.push_str(&masked);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "/h/.docker/config.json";

    fn set(text: &str, wanted: [Option<&str>; 3]) -> Result<Option<String>, ConfigError> {
        let wanted: Wanted = wanted.map(|w| w.map(str::to_string));
        set_default(Some(text.as_bytes()), Path::new(PATH), &wanted)
            .map(|o| o.map(|b| String::from_utf8(b).unwrap()))
    }

    #[test]
    fn a_new_file_is_written_as_docker_writes_it() {
        let wanted: Wanted = [Some("http://p:3128".into()), None, Some("localhost".into())];
        let out = set_default(None, Path::new(PATH), &wanted)
            .unwrap()
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\n\t\"proxies\": {\n\t\t\"default\": {\n\t\t\t\"httpProxy\": \"http://p:3128\",\n\t\t\t\"noProxy\": \"localhost\"\n\t\t}\n\t}\n}\n"
        );
        assert_eq!(
            set_default(None, Path::new(PATH), &[None, None, None]).unwrap(),
            None
        );
    }

    #[test]
    fn other_keys_order_and_indentation_are_kept() {
        let text = "{\r\n\t\"auths\": {\r\n\t\t\"registry.example\": {\r\n\t\t\t\"auth\": \"dXNlcjpzZWNyZXQ=\"\r\n\t\t}\r\n\t},\r\n\t\"credsStore\": \"pass\"\r\n}\r\n";
        let out = set(text, [None, Some("http://proxy.example:3128"), None])
            .unwrap()
            .unwrap();
        assert!(out.starts_with("{\r\n\t\"auths\": {\r\n\t\t\"registry.example\": {\r\n\t\t\t\"auth\": \"dXNlcjpzZWNyZXQ=\"\r\n\t\t}\r\n\t},\r\n\t\"credsStore\": \"pass\",\r\n\t\"proxies\": {\r\n"), "{out:?}");
        assert!(
            out.contains("\r\n\t\t\t\"httpsProxy\": \"http://proxy.example:3128\"\r\n"),
            "{out:?}"
        );
        assert!(
            !out.replace("\r\n", "").contains('\n'),
            "CRLF kept: {out:?}"
        );
        let config = read(out.as_bytes(), Path::new(PATH)).unwrap();
        assert_eq!(
            config
                .for_host("unix:///var/run/docker.sock")
                .unwrap()
                .get("HTTPS_PROXY")
                .unwrap()
                .value,
            "http://proxy.example:3128"
        );
        // Applying the same values again changes nothing; removing them restores the input.
        let again = set(&out, [None, Some("http://proxy.example:3128"), None])
            .unwrap()
            .unwrap();
        assert_eq!(again, out);
        let back = set(&out, [None, None, None]).unwrap().unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn existing_values_are_replaced_in_place_and_other_hosts_kept() {
        let text = r#"{
  "proxies": {
    "tcp://build.example:2376": { "httpProxy": "http://other:1" },
    "default": {
      "httpProxy": "http://old:1",
      "ftpProxy": "http://ftp:21",
      "noProxy": "old"
    }
  }
}"#;
        let out = set(text, [Some("http://new:2"), None, Some("*.corp")])
            .unwrap()
            .unwrap();
        assert_eq!(
            out,
            r#"{
  "proxies": {
    "tcp://build.example:2376": { "httpProxy": "http://other:1" },
    "default": {
      "httpProxy": "http://new:2",
      "ftpProxy": "http://ftp:21",
      "noProxy": "*.corp"
    }
  }
}"#
        );
        // Removing ours keeps the block: it still holds ftpProxy.
        let out = set(&out, [None, None, None]).unwrap().unwrap();
        assert!(
            out.contains("\"ftpProxy\": \"http://ftp:21\"")
                && !out.contains("httpProxy\": \"http://new"),
            "{out}"
        );
        let config = read(out.as_bytes(), Path::new(PATH)).unwrap();
        assert_eq!(
            config.for_host("tcp://build.example:2376").unwrap().values[0].value,
            "http://other:1"
        );
    }

    #[test]
    fn values_that_need_escaping_round_trip() {
        for value in [
            "http://u:p\"w@h:1",
            "a\\b",
            "tab\there",
            "ünï",
            "line\nbreak",
            "\u{1}",
        ] {
            let out = set("{}", [Some(value), None, None]).unwrap().unwrap();
            let config = read(out.as_bytes(), Path::new(PATH)).unwrap();
            assert_eq!(config.proxies[0].values[0].value, value, "{out}");
        }
    }

    #[test]
    fn what_docker_cannot_read_is_refused_with_its_position() {
        let cases = [
            (
                "{\n  // note\n  \"a\": 1\n}",
                "/h/.docker/config.json:2:3: Comments are not allowed",
            ),
            (
                "{\n  \"a\": 1,\n}",
                "/h/.docker/config.json:2:9: Trailing commas are not allowed",
            ),
            (
                "\u{feff}{}",
                "/h/.docker/config.json:1:1: the file starts with a byte-order mark",
            ),
            (
                "[1]",
                "/h/.docker/config.json:1:1: the configuration is not a JSON object",
            ),
            (
                "{\"proxies\": 3}",
                "/h/.docker/config.json:1:13: `proxies` is not an object",
            ),
            (
                "{\"proxies\": {\"default\": {\"httpProxy\": 1}}}",
                "/h/.docker/config.json:1:39: `proxies.default.httpProxy` is not a string",
            ),
            (
                "{\n\"Proxies\": {}}",
                "/h/.docker/config.json:2:1: `Proxies` is read by docker as `proxies`",
            ),
            (
                "{\"proxies\": {\"default\": {\"httpProxy\": \"a\", \"HTTPProxy\": \"b\"}}}",
                "`proxies.default.httpProxy` appears more than once",
            ),
        ];
        for (text, want) in cases {
            let err = set(text, [Some("http://p:1"), None, None])
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
        let err = set_default(
            Some(b"{\"a\": \"\xff\"}"),
            Path::new(PATH),
            &[None, None, None],
        )
        .unwrap_err()
        .to_string();
        assert_eq!(err, "/h/.docker/config.json:1:8: not valid UTF-8");
    }

    #[test]
    fn an_empty_file_and_null_blocks_are_what_docker_reads_as_nothing() {
        assert_eq!(set("", [None, None, None]).unwrap().as_deref(), Some(""));
        assert!(
            set(" \n", [Some("http://p:1"), None, None])
                .unwrap()
                .unwrap()
                .starts_with("{\n\t\"proxies\"")
        );
        let out = set("{\"proxies\": null}", [Some("http://p:1"), None, None])
            .unwrap()
            .unwrap();
        assert_eq!(
            read(out.as_bytes(), Path::new(PATH)).unwrap().proxies[0].values[0].value,
            "http://p:1"
        );
    }

    #[test]
    fn registry_secrets_are_masked_in_diffs() {
        let diff = "   \"auths\": {\n-    \"r\": { \"auth\": \"dXNlcjpzZWNyZXQ=\", \"identitytoken\": \"tok\\\"en\" },\n+    \"x\": \"auth\"\n";
        assert_eq!(
            mask_registry_secrets(diff),
            "   \"auths\": {\n-    \"r\": { \"auth\": \"xxxxx\", \"identitytoken\": \"xxxxx\" },\n+    \"x\": \"auth\"\n"
        );
    }
}
