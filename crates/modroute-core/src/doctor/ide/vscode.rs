//! VS Code's `settings.json` (user and workspace), for Code, Code - OSS, VSCodium and Cursor.
//!
//! Three settings reach Go (the Go extension's and VS Code's documented settings):
//! - `go.toolsEnvVars.<VAR>`: the Go extension adds these to the environment of go, gopls and
//!   dlv (`${env:NAME}` is replaced by the variable's value); they beat the go env file.
//! - `http.proxy`: the Go extension also sets `http_proxy`, `HTTP_PROXY`, `https_proxy` and
//!   `HTTPS_PROXY` to it for every tool it starts (after `go.toolsEnvVars`, so it wins).
//! - `terminal.integrated.env.{linux,osx,windows}.<VAR>`: only the integrated terminal sees
//!   these (a `null` value removes the variable there).
//!
//! The file is JSONC (comments, trailing commas), parsed with `jsonc-parser`: the AST gives
//! byte ranges (hence 1-based lines), and removal goes through its CST, which keeps every
//! comment and all formatting outside the removed property.

use std::path::{Path, PathBuf};

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::cst::{CstInputValue, CstRootNode};
use jsonc_parser::{CollectOptions, ParseOptions};

use super::{EditError, line_of, setting_of};
use crate::env::{Env, TargetOs};
use crate::setting::Setting;

/// The VS Code family, as their configuration directories are named.
pub const PRODUCTS: [&str; 4] = ["Code", "Code - OSS", "VSCodium", "Cursor"];

/// `go.toolsEnvVars`.
pub const TOOLS_ENV_VARS: &str = "go.toolsEnvVars";
/// `http.proxy`.
pub const HTTP_PROXY: &str = "http.proxy";

/// The user `settings.json` of `product` under `env`'s OS rules:
/// Linux `${XDG_CONFIG_HOME:-~/.config}/<Product>/User/settings.json`, macOS
/// `~/Library/Application Support/<Product>/User/settings.json`, Windows
/// `%APPDATA%\<Product>\User\settings.json`.
pub fn user_settings_path(env: &Env, product: &str) -> Option<PathBuf> {
    let base = match env.os() {
        TargetOs::Unix => env
            .path("XDG_CONFIG_HOME")
            .filter(|p| p.is_absolute())
            .or_else(|| env.home().map(|h| h.join(".config")))?,
        TargetOs::MacOs => env.home()?.join("Library/Application Support"),
        TargetOs::Windows => env.path("APPDATA").or_else(|| env.path("AppData"))?,
    };
    Some(base.join(product).join("User").join("settings.json"))
}

/// `<project>/.vscode/settings.json`.
pub fn workspace_settings_path(project: &Path) -> PathBuf {
    project.join(".vscode").join("settings.json")
}

/// Who sees an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// go, gopls and dlv as the Go extension starts them (`go.toolsEnvVars`, `http.proxy`).
    Tools,
    /// Only the integrated terminal, on one OS (`linux`, `osx`, `windows`).
    Terminal(String),
}

/// One setting found in a settings file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VsEntry {
    /// The setting.
    pub setting: Setting,
    /// The environment variable it sets, as written (`https_proxy`).
    pub var: String,
    /// The value as written (`${env:…}` not substituted); `None` for a terminal `null`, which
    /// removes the variable.
    pub value: Option<String>,
    /// 1-based line of the property.
    pub line: usize,
    /// The key path that removes it (`["go.toolsEnvVars", "GOPROXY"]`, `["http.proxy"]`).
    pub key_path: Vec<String>,
    /// Who sees it.
    pub scope: Scope,
}

/// The terminal OS key (`linux`, `osx`, `windows`) for `os`.
pub fn terminal_os(os: TargetOs) -> &'static str {
    match os {
        TargetOs::Unix => "linux",
        TargetOs::MacOs => "osx",
        TargetOs::Windows => "windows",
    }
}

/// Every entry for the 16 settings in a settings file's text, in file order.
pub fn parse(text: &str) -> Result<Vec<VsEntry>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options())
        .map_err(|e| e.to_string())?;
    let Some(Value::Object(root)) = parsed.value else {
        return match parsed.value {
            None => Ok(Vec::new()),
            Some(_) => Err("the settings are not a JSON object".into()),
        };
    };
    let mut out = Vec::new();
    for prop in &root.properties {
        let name = prop_name(&prop.name);
        let line = line_of(text, prop.range.start);
        match (name.as_str(), &prop.value) {
            (TOOLS_ENV_VARS, Value::Object(vars)) => {
                for var in &vars.properties {
                    let var_name = prop_name(&var.name);
                    let (Some(setting), Value::StringLit(value)) =
                        (setting_of(&var_name), &var.value)
                    else {
                        continue;
                    };
                    out.push(VsEntry {
                        setting,
                        var: var_name.clone(),
                        value: Some(value.value.to_string()),
                        line: line_of(text, var.range.start),
                        key_path: vec![TOOLS_ENV_VARS.into(), var_name],
                        scope: Scope::Tools,
                    });
                }
            }
            (HTTP_PROXY, Value::StringLit(value)) if !value.value.is_empty() => {
                // The Go extension sets all four spellings from it.
                for (setting, var) in [
                    (Setting::HttpProxy, "http_proxy"),
                    (Setting::HttpProxy, "HTTP_PROXY"),
                    (Setting::HttpsProxy, "https_proxy"),
                    (Setting::HttpsProxy, "HTTPS_PROXY"),
                ] {
                    out.push(VsEntry {
                        setting,
                        var: var.into(),
                        value: Some(value.value.to_string()),
                        line,
                        key_path: vec![HTTP_PROXY.into()],
                        scope: Scope::Tools,
                    });
                }
            }
            (key, Value::Object(vars)) if key.starts_with("terminal.integrated.env.") => {
                let os = &key["terminal.integrated.env.".len()..];
                if !["linux", "osx", "windows"].contains(&os) {
                    continue;
                }
                for var in &vars.properties {
                    let var_name = prop_name(&var.name);
                    let Some(setting) = setting_of(&var_name) else {
                        continue;
                    };
                    let value = match &var.value {
                        Value::StringLit(v) => Some(v.value.to_string()),
                        Value::NullKeyword(_) => None,
                        _ => continue,
                    };
                    out.push(VsEntry {
                        setting,
                        var: var_name.clone(),
                        value,
                        line: line_of(text, var.range.start),
                        key_path: vec![key.to_string(), var_name],
                        scope: Scope::Terminal(os.to_string()),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// `value` with every `${env:NAME}` replaced by `NAME`'s value in `env` (empty when unset), as
/// the Go extension does for `go.toolsEnvVars`.
pub fn substitute(value: &str, env: &Env) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find("${env:") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "${env:".len()..];
        match after.find('}') {
            Some(end) => {
                out.push_str(&env.get(after[..end].trim()).unwrap_or_default());
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[i..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` without the property at `key_path` (every occurrence, as duplicates would let an
/// earlier one take over), keeping every comment and the formatting of the rest. A comment on
/// the removed property's own line goes with it; comments on other lines stay. An object left
/// empty stays (`"go.toolsEnvVars": {}`), so comments inside it are kept too.
pub fn remove_key(text: &str, key_path: &[String]) -> Result<String, EditError> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", text),
    };
    let root = CstRootNode::parse(body, &options()).map_err(|e| EditError::Parse(e.to_string()))?;
    if root.to_string() != body {
        return Err(EditError::NotLossless);
    }
    let shown = || key_path.join(".");
    let (last, parents) = key_path
        .split_last()
        .ok_or_else(|| EditError::NotFound("an empty key".into()))?;
    let mut object = root
        .object_value()
        .ok_or_else(|| EditError::NotFound(shown()))?;
    for key in parents {
        object = object
            .object_value(key)
            .ok_or_else(|| EditError::NotFound(shown()))?;
    }
    let mut removed = false;
    while let Some(prop) = object.get(last) {
        prop.remove();
        removed = true;
    }
    if !removed {
        return Err(EditError::NotFound(shown()));
    }
    let out = root.to_string();
    jsonc_parser::parse_to_ast(&out, &CollectOptions::default(), &options())
        .map_err(|e| EditError::Parse(format!("the edited file would not parse: {e}")))?;
    Ok(format!("{bom}{out}"))
}

/// What a switch writes into a VS Code settings file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ToolsEnv {
    /// The variables `go.toolsEnvVars` must hold, in this order for new keys. Every other key
    /// that is one of modroute's settings ([`super::is_managed_var`]) is removed; the user's own
    /// keys stay as they are.
    pub vars: Vec<(String, String)>,
    /// `http.proxy`: `None` leaves it alone; `Some(None)` removes it; `Some(Some(v))` sets it.
    pub http_proxy: Option<Option<String>>,
}

/// `text` (a `settings.json`) with `go.toolsEnvVars` and `http.proxy` as `want` says, through
/// the JSONC CST: comments, blank lines, order, trailing commas, a BOM, CRLF line ends and every
/// other key keep their bytes. Where a key appears twice, VS Code uses the last one: that one
/// is edited and modroute's keys are removed from the earlier ones, so nothing earlier can come
/// back. Errors carry the 1-based line and column.
pub fn write_tools_env(text: &str, want: &ToolsEnv) -> Result<String, EditError> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", text),
    };
    let at = |offset: usize, message: String| {
        let (line, column) = super::line_column(body, offset);
        EditError::At {
            line,
            column,
            message,
        }
    };
    // The AST first: positions for every error.
    let parsed =
        jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &options()).map_err(|e| {
            EditError::At {
                line: e.line_display(),
                column: e.column_display(),
                message: e.kind().to_string(),
            }
        })?;
    match &parsed.value {
        None => {}
        Some(Value::Object(root)) => {
            for prop in &root.properties {
                if prop_name(&prop.name) == TOOLS_ENV_VARS
                    && !matches!(prop.value, Value::Object(_))
                {
                    return Err(at(
                        prop.value.range().start,
                        format!(
                            "`{TOOLS_ENV_VARS}` is not an object; modroute writes variables into it"
                        ),
                    ));
                }
            }
        }
        Some(other) => {
            return Err(at(
                other.range().start,
                "the settings are not a JSON object".into(),
            ));
        }
    }
    let root = CstRootNode::parse(body, &options()).map_err(|e| EditError::At {
        line: e.line_display(),
        column: e.column_display(),
        message: e.kind().to_string(),
    })?;
    if root.to_string() != body {
        return Err(EditError::NotLossless);
    }
    let wanted = |name: &str| want.vars.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    let needs_object = !want.vars.is_empty();
    let object = if parsed.value.is_none() {
        if !needs_object && !matches!(want.http_proxy, Some(Some(_))) {
            return Ok(text.to_string());
        }
        root.object_value_or_set()
    } else {
        root.object_value().ok_or(EditError::NotLossless)?
    };
    let named = |name: &str| -> Vec<jsonc_parser::cst::CstObjectProp> {
        object
            .properties()
            .into_iter()
            .filter(|p| p.decoded_name().as_deref() == Some(name))
            .collect()
    };
    let set_string = |prop: &jsonc_parser::cst::CstObjectProp, value: &str| {
        let same = prop
            .value()
            .and_then(|v| v.as_string_lit())
            .and_then(|s| s.decoded_value().ok())
            .is_some_and(|current| current == value);
        if !same {
            prop.set_value(CstInputValue::String(value.to_string()));
        }
    };

    let mut blocks = named(TOOLS_ENV_VARS);
    let last = blocks.pop();
    for earlier in blocks {
        if let Some(vars) = earlier.object_value() {
            for prop in vars.properties() {
                if prop
                    .decoded_name()
                    .is_some_and(|n| super::is_managed_var(&n))
                {
                    prop.remove();
                }
            }
        }
    }
    match last.and_then(|p| p.object_value()) {
        Some(vars) => {
            let props = vars.properties();
            let names: Vec<Option<String>> = props.iter().map(|p| p.decoded_name()).collect();
            for (i, prop) in props.into_iter().enumerate() {
                let Some(name) = names[i].as_deref() else {
                    continue;
                };
                if !super::is_managed_var(name) {
                    continue;
                }
                let later_duplicate = names[i + 1..].iter().any(|n| n.as_deref() == Some(name));
                match wanted(name) {
                    Some(value) if !later_duplicate => set_string(&prop, value),
                    _ => prop.remove(),
                }
            }
            for (name, value) in &want.vars {
                if !names.iter().any(|n| n.as_deref() == Some(name.as_str())) {
                    vars.append(name, CstInputValue::String(value.clone()));
                }
            }
        }
        None if needs_object => {
            let values = want
                .vars
                .iter()
                .map(|(k, v)| (k.clone(), CstInputValue::String(v.clone())))
                .collect();
            object.append(TOOLS_ENV_VARS, CstInputValue::Object(values));
        }
        None => {}
    }

    if let Some(proxy) = &want.http_proxy {
        let mut props = named(HTTP_PROXY);
        let last = props.pop();
        for earlier in props {
            earlier.remove();
        }
        match (last, proxy) {
            (Some(prop), Some(value)) => set_string(&prop, value),
            (Some(prop), None) => prop.remove(),
            (None, Some(value)) => {
                object.append(HTTP_PROXY, CstInputValue::String(value.clone()));
            }
            (None, None) => {}
        }
    }

    let out = root.to_string();
    verify(&out, want)?;
    Ok(format!("{bom}{out}"))
}

/// Reads the edited text back with the AST parser and checks that VS Code will see exactly
/// what was asked for (the last `go.toolsEnvVars` holds the wanted values and no other key of
/// modroute's; `http.proxy` as asked).
fn verify(out: &str, want: &ToolsEnv) -> Result<(), EditError> {
    let failed = |what: &str| EditError::Parse(format!("the edited file would not hold {what}"));
    let parsed = jsonc_parser::parse_to_ast(out, &CollectOptions::default(), &options())
        .map_err(|e| EditError::Parse(format!("the edited file would not parse: {e}")))?;
    let Some(Value::Object(root)) = parsed.value else {
        return if want.vars.is_empty() && !matches!(want.http_proxy, Some(Some(_))) {
            Ok(())
        } else {
            Err(failed("an object"))
        };
    };
    let last = |name: &str| {
        root.properties
            .iter()
            .rev()
            .find(|p| prop_name(&p.name) == name)
    };
    let mut seen: Vec<(String, String)> = Vec::new();
    if let Some(prop) = last(TOOLS_ENV_VARS) {
        let Value::Object(vars) = &prop.value else {
            return Err(failed(TOOLS_ENV_VARS));
        };
        for var in &vars.properties {
            let name = prop_name(&var.name);
            if !super::is_managed_var(&name) {
                continue;
            }
            let Value::StringLit(value) = &var.value else {
                return Err(failed(&name));
            };
            seen.retain(|(n, _)| *n != name);
            seen.push((name, value.value.to_string()));
        }
    }
    let mut expected = want.vars.clone();
    expected.sort();
    seen.sort();
    if expected != seen {
        return Err(failed("the profile's values"));
    }
    if let Some(proxy) = &want.http_proxy {
        let found = last(HTTP_PROXY).map(|p| match &p.value {
            Value::StringLit(s) => Some(s.value.to_string()),
            _ => None,
        });
        let ok = match proxy {
            Some(value) => found == Some(Some(value.clone())),
            None => found.is_none(),
        };
        if !ok {
            return Err(failed(HTTP_PROXY));
        }
    }
    Ok(())
}

/// What to add by hand when a settings file cannot be edited: the keys as JSON lines.
pub fn manual_lines(want: &ToolsEnv) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut out = String::new();
    if !want.vars.is_empty() {
        out.push_str(&format!("{}: {{\n", quote(TOOLS_ENV_VARS)));
        for (i, (k, v)) in want.vars.iter().enumerate() {
            let comma = if i + 1 < want.vars.len() { "," } else { "" };
            out.push_str(&format!("    {}: {}{comma}\n", quote(k), quote(v)));
        }
        out.push_str("},\n");
    }
    match &want.http_proxy {
        Some(Some(v)) => out.push_str(&format!("{}: {},\n", quote(HTTP_PROXY), quote(v))),
        Some(None) => out.push_str(&format!("(remove {})\n", quote(HTTP_PROXY))),
        None => {}
    }
    out
}

/// Whether a settings file configures the Go extension: any top-level `go.*` key. A file that
/// does not parse counts when its text names a `"go.` key (a switch then reports where it
/// breaks instead of skipping it silently).
pub fn configures_go(text: &str) -> bool {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    match jsonc_parser::parse_to_ast(body, &CollectOptions::default(), &options()) {
        Ok(parsed) => match parsed.value {
            Some(Value::Object(root)) => root
                .properties
                .iter()
                .any(|p| prop_name(&p.name).starts_with("go.")),
            _ => false,
        },
        Err(_) => body.contains("\"go."),
    }
}

/// What VS Code accepts: comments and trailing commas (its own parser is lenient the same way).
fn options() -> ParseOptions {
    ParseOptions::default()
}

fn prop_name(name: &ObjectPropName<'_>) -> String {
    match name {
        ObjectPropName::String(s) => s.value.to_string(),
        ObjectPropName::Word(w) => w.value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: &str = r#"{
    // Editor
    "editor.fontSize": 14,
    /* Go tools */
    "go.toolsEnvVars": {
        "GOPROXY": "https://goproxy.corp.example,direct", // corp mirror
        // private modules
        "GOPRIVATE": "${env:CORP}/*",
        "CGO_ENABLED": "0",
    },
    "http.proxy": "http://u:pw@proxy.corp.example:3128",
    "terminal.integrated.env.linux": { "GOFLAGS": "-mod=mod", "GOPROXY": null },
}
"#;

    #[test]
    fn entries_have_lines_and_key_paths() {
        let entries = parse(SETTINGS).unwrap();
        let got: Vec<_> = entries
            .iter()
            .map(|e| {
                (
                    e.var.as_str(),
                    e.line,
                    e.key_path.join("/"),
                    e.value.clone(),
                )
            })
            .collect();
        assert_eq!(got[0].0, "GOPROXY");
        assert_eq!(got[0].1, 6);
        assert_eq!(got[0].2, "go.toolsEnvVars/GOPROXY");
        assert_eq!(got[1].0, "GOPRIVATE");
        assert_eq!(got[1].1, 8);
        assert_eq!(
            got.iter().filter(|g| g.2 == "http.proxy").count(),
            4,
            "{got:?}"
        );
        assert!(got.iter().all(|g| g.0 != "CGO_ENABLED"));
        let terminal: Vec<_> = entries
            .iter()
            .filter(|e| e.scope == Scope::Terminal("linux".into()))
            .map(|e| (e.var.as_str(), e.value.as_deref(), e.line))
            .collect();
        assert_eq!(
            terminal,
            [("GOFLAGS", Some("-mod=mod"), 12), ("GOPROXY", None, 12)]
        );
    }

    #[test]
    fn env_references_are_substituted() {
        let env = Env::from_vars([("CORP", "git.corp.example")]);
        assert_eq!(substitute("${env:CORP}/*", &env), "git.corp.example/*");
        assert_eq!(substitute("${env:NOPE}x${env:", &env), "x${env:");
    }

    #[test]
    fn removing_a_key_keeps_comments_and_the_rest() {
        let key = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let out = remove_key(SETTINGS, &key(&["go.toolsEnvVars", "GOPROXY"])).unwrap();
        assert!(!out.contains("goproxy.corp.example"), "{out}");
        for kept in [
            "// Editor",
            "/* Go tools */",
            "// private modules",
            "\"GOPRIVATE\": \"${env:CORP}/*\",",
            "\"CGO_ENABLED\": \"0\",\n    },",
        ] {
            assert!(out.contains(kept), "{kept:?} lost:\n{out}");
        }
        assert_eq!(
            out,
            SETTINGS.replace(
                "        \"GOPROXY\": \"https://goproxy.corp.example,direct\", // corp mirror\n",
                ""
            )
        );
        let out = remove_key(&out, &key(&["http.proxy"])).unwrap();
        assert!(!out.contains("proxy.corp.example:3128"), "{out}");
        assert!(
            parse(&out)
                .unwrap()
                .iter()
                .all(|e| e.key_path[0] != "http.proxy")
        );
        // The last property of an object (no trailing comma of its own).
        let out = remove_key("{\"a\": 1, \"b\": 2}", &key(&["b"])).unwrap();
        assert_eq!(out, "{\"a\": 1}");
        assert!(matches!(
            remove_key(SETTINGS, &key(&["go.toolsEnvVars", "GOFLAGS"])),
            Err(EditError::NotFound(_))
        ));
        assert!(matches!(
            remove_key("{ nope", &key(&["a"])),
            Err(EditError::Parse(_))
        ));
    }

    #[test]
    fn a_bom_and_crlf_survive() {
        let text =
            "\u{feff}{\r\n  // c\r\n  \"http.proxy\": \"http://p:1\",\r\n  \"x\": 1\r\n}\r\n";
        let out = remove_key(text, &["http.proxy".to_string()]).unwrap();
        assert_eq!(out, "\u{feff}{\r\n  // c\r\n  \"x\": 1\r\n}\r\n");
        assert_eq!(parse(text).unwrap()[0].line, 3);
    }

    #[test]
    fn user_settings_follow_each_os() {
        let unix = Env::from_vars_on(TargetOs::Unix, [("HOME", "/h")]);
        assert_eq!(
            user_settings_path(&unix, "Code"),
            Some(PathBuf::from("/h/.config/Code/User/settings.json"))
        );
        let xdg = unix.clone().with("XDG_CONFIG_HOME", "/x");
        assert_eq!(
            user_settings_path(&xdg, "VSCodium"),
            Some(PathBuf::from("/x/VSCodium/User/settings.json"))
        );
        let mac = Env::from_vars_on(TargetOs::MacOs, [("HOME", "/Users/u")]);
        assert_eq!(
            user_settings_path(&mac, "Cursor"),
            Some(PathBuf::from(
                "/Users/u/Library/Application Support/Cursor/User/settings.json"
            ))
        );
        let win = Env::from_vars_on(
            TargetOs::Windows,
            [("APPDATA", r"C:\Users\u\AppData\Roaming")],
        );
        assert!(
            user_settings_path(&win, "Code - OSS")
                .unwrap()
                .to_string_lossy()
                .contains("Code - OSS")
        );
    }

    fn want(vars: &[(&str, &str)], http_proxy: Option<Option<&str>>) -> ToolsEnv {
        ToolsEnv {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            http_proxy: http_proxy.map(|p| p.map(str::to_string)),
        }
    }

    /// Comments everywhere, trailing commas, CRLF, a BOM, nested objects, keys the user owns,
    /// a duplicated `go.toolsEnvVars` and duplicated keys inside it.
    const ADVERSARIAL: &str = "\u{feff}// top comment\r\n{\r\n  /* block */ \"editor.fontSize\": 14, // trailing\r\n  \"go.toolsEnvVars\": { \"GOPROXY\": \"https://early.example\", \"CGO_ENABLED\": \"0\", }, // earlier copy\r\n  \"nested\": { \"a\": { \"b\": [1, 2, { \"GOPROXY\": \"not an env var\" }] } },\r\n  \"go.toolsEnvVars\": {\r\n    // mine\r\n    \"GOFLAGS\": \"-mod=mod\",\r\n    \"GOOS\": \"linux\", // keep\r\n    \"https_proxy\": \"http://old:3128\",\r\n    \"GOPRIVATE\": \"a\", \"GOPRIVATE\": \"b\",\r\n    \"GOPROXY\": \"https://stale.example\",\r\n  },\r\n  \"http.proxy\": \"http://keep.example:1\",\r\n}\r\n";

    #[test]
    fn writing_keeps_every_other_byte_and_is_idempotent() {
        let w = want(
            &[
                ("GOPROXY", "https://goproxy.cn,direct"),
                ("GOSUMDB", "sum.golang.org"),
                ("HTTPS_PROXY", "http://u:pw@proxy.example:3128"),
            ],
            None,
        );
        let out = write_tools_env(ADVERSARIAL, &w).unwrap();
        assert!(out.starts_with("\u{feff}// top comment\r\n{\r\n  /* block */ \"editor.fontSize\": 14, // trailing\r\n"), "{out}");
        assert!(
            !out.replace("\r\n", "").contains('\n'),
            "CRLF kept: {out:?}"
        );
        for kept in [
            "\"CGO_ENABLED\": \"0\"",
            "// earlier copy",
            "\"nested\": { \"a\": { \"b\": [1, 2, { \"GOPROXY\": \"not an env var\" }] } },",
            "// mine",
            "\"GOOS\": \"linux\", // keep",
            "\"http.proxy\": \"http://keep.example:1\",",
        ] {
            assert!(out.contains(kept), "{kept:?} lost:\n{out}");
        }
        for gone in [
            "early.example",
            "GOFLAGS",
            "https_proxy",
            "\"GOPRIVATE\"",
            "stale.example",
        ] {
            assert!(!out.contains(gone), "{gone:?} kept:\n{out}");
        }
        // What VS Code and the doctor read back: exactly the profile.
        let tools: Vec<(String, Option<String>)> = parse(&out)
            .unwrap()
            .into_iter()
            .filter(|e| e.key_path[0] == TOOLS_ENV_VARS)
            .map(|e| (e.var, e.value))
            .collect();
        assert_eq!(
            tools,
            [
                (
                    "GOPROXY".to_string(),
                    Some("https://goproxy.cn,direct".to_string())
                ),
                ("GOSUMDB".into(), Some("sum.golang.org".into())),
                (
                    "HTTPS_PROXY".into(),
                    Some("http://u:pw@proxy.example:3128".into())
                ),
            ]
        );
        assert_eq!(
            write_tools_env(&out, &w).unwrap(),
            out,
            "a second write changes nothing"
        );
        // The value in place keeps its line: GOPROXY stays where it was.
        let line = parse(&out).unwrap()[0].line;
        assert_eq!(line, 9, "{out}");
    }

    #[test]
    fn http_proxy_only_when_asked_and_removal() {
        let text = "{\n    \"editor.tabSize\": 2\n}\n";
        let out =
            write_tools_env(text, &want(&[("GOPROXY", "off")], Some(Some("http://p:1")))).unwrap();
        assert_eq!(
            out,
            "{\n    \"editor.tabSize\": 2,\n    \"go.toolsEnvVars\": {\n        \"GOPROXY\": \"off\"\n    },\n    \"http.proxy\": \"http://p:1\"\n}\n"
        );
        let out = write_tools_env(&out, &want(&[], Some(None))).unwrap();
        assert_eq!(
            out,
            "{\n    \"editor.tabSize\": 2,\n    \"go.toolsEnvVars\": {}\n}\n"
        );
        // Nothing to write into an empty file: it stays empty.
        assert_eq!(write_tools_env("", &want(&[], None)).unwrap(), "");
        let created = write_tools_env("", &want(&[("GOSUMDB", "off")], None)).unwrap();
        assert_eq!(parse(&created).unwrap()[0].value.as_deref(), Some("off"));
        // Quotes, backslashes and control characters are escaped, never break out.
        let nasty = "a\"b\\c\n\u{1}";
        let out = write_tools_env("{}", &want(&[("GOFLAGS", nasty)], None)).unwrap();
        assert_eq!(parse(&out).unwrap()[0].value.as_deref(), Some(nasty));
    }

    #[test]
    fn errors_name_line_and_column() {
        let w = want(&[("GOPROXY", "off")], None);
        let err = write_tools_env("{\n  \"a\": 1,\n  \"b\" 2\n}\n", &w).unwrap_err();
        assert_eq!(
            err.to_string(),
            "3:7: Expected colon after the string or word in object property"
        );
        let err = write_tools_env("{\n  \"go.toolsEnvVars\": [1]\n}", &w).unwrap_err();
        assert_eq!(
            err.to_string(),
            "2:22: `go.toolsEnvVars` is not an object; modroute writes variables into it"
        );
        let err = write_tools_env("[1]", &w).unwrap_err();
        assert_eq!(err.to_string(), "1:1: the settings are not a JSON object");
    }

    #[test]
    fn the_go_extension_is_configured_by_any_go_key() {
        assert!(configures_go("{ // x\n \"go.useLanguageServer\": true }"));
        assert!(!configures_go("{ \"editor.fontSize\": 1, \"gopls\": {} }"));
        assert!(configures_go("{ \"go.toolsEnvVars\": { oops"));
        assert!(!configures_go(""));
    }
}
