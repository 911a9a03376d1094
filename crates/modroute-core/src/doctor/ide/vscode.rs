//! VS Code's `settings.json` (user and workspace), for Code, Code - OSS, VSCodium and Cursor.
//!
//! Three settings reach Go (research/shells.md §4.1–4.2):
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
use jsonc_parser::cst::CstRootNode;
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

/// Every entry for the 12 settings in a settings file's text, in file order.
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
}
