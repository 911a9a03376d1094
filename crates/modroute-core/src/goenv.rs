//! The go env file: where cmd/go looks for it, and a lossless codec for its contents.
//!
//! Location follows `cfg.EnvFile` in cmd/go: `$GOENV` when non-empty (the literal `off` disables
//! the file), else `os.UserConfigDir()/go/env`. `UserConfigDir` is OS-specific and, on Unix,
//! uses `$XDG_CONFIG_HOME` only when it is absolute — a relative one is an *error*, not a fall
//! back to `$HOME`.
//!
//! Parsing follows `cfg.readEnvFile`: split on `\n` only; a line counts when its first byte is
//! `A`–`Z` and it contains `=`; the key is everything before the first `=` (spaces included), the
//! value everything after (quotes and `\r` included, no escapes); the last duplicate wins.
//! [`GoEnvFile`] keeps every byte of the input, so writing it back without edits reproduces the
//! file exactly, and an edit changes only the lines of the key it touches — in the format
//! `go env -w` writes (`KEY=VALUE\n`, no quotes).

use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::env::{Env, TargetOs};
use crate::goroot::GoVersion;

/// Where the user's go env file is, as cmd/go decides it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A file path; `explicit` when it came from `$GOENV`.
    File {
        /// The path, exactly as `go env GOENV` prints it.
        path: PathBuf,
        /// Whether `$GOENV` named it.
        explicit: bool,
    },
    /// `GOENV=off`: no user file is read.
    Off,
    /// The user config dir cannot be determined; cmd/go then reads no user file.
    Unknown {
        /// cmd/go's own wording for the reason.
        reason: String,
    },
}

impl Location {
    /// The path, when there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Location::File { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// Locates the go env file for `env`, as the `go` binary of `version` does (unknown: the newest
/// behaviour).
pub fn locate(env: &Env, version: Option<GoVersion>) -> Location {
    if let Some(goenv) = env.get_os("GOENV").filter(|v| !v.is_empty()) {
        if goenv == "off" {
            return Location::Off;
        }
        return Location::File {
            path: PathBuf::from(goenv),
            explicit: true,
        };
    }
    match user_config_dir(env, version) {
        Ok(dir) => Location::File {
            path: join_go_env(&dir, env.os()),
            explicit: false,
        },
        Err(reason) => Location::Unknown { reason },
    }
}

/// `os.UserConfigDir()` under `env`'s OS rules, with Go's error messages.
///
/// A relative `$XDG_CONFIG_HOME` is an error from Go 1.24 on (the os package's documented
/// rule); go1.23.5, measured here, still uses the relative path as given.
pub fn user_config_dir(env: &Env, version: Option<GoVersion>) -> Result<String, String> {
    let rejects_relative_xdg = version.is_none_or(|v| (v.major, v.minor) >= (1, 24));
    match env.os() {
        TargetOs::Unix => {
            if let Some(xdg) = env.get_non_empty("XDG_CONFIG_HOME") {
                if rejects_relative_xdg && !xdg.starts_with('/') {
                    return Err("path in $XDG_CONFIG_HOME is relative".into());
                }
                Ok(xdg)
            } else if let Some(home) = env.get_non_empty("HOME") {
                Ok(home + "/.config")
            } else {
                Err("neither $XDG_CONFIG_HOME nor $HOME are defined".into())
            }
        }
        TargetOs::MacOs => env
            .get_non_empty("HOME")
            .map(|home| home + "/Library/Application Support")
            .ok_or_else(|| "$HOME is not defined".into()),
        TargetOs::Windows => env
            .get_non_empty("AppData")
            .ok_or_else(|| "%AppData% is not defined".into()),
    }
}

/// `filepath.Join(dir, "go/env")`, including the lexical clean Go applies.
fn join_go_env(dir: &str, os: TargetOs) -> PathBuf {
    match os {
        TargetOs::Windows => PathBuf::from(format!("{}\\go\\env", dir.trim_end_matches('\\'))),
        TargetOs::Unix | TargetOs::MacOs => PathBuf::from(clean_unix(&format!("{dir}/go/env"))),
    }
}

/// Go's `path.Clean` for `/`-separated paths: collapse `//`, drop `.`, resolve `..` lexically.
pub fn clean_unix(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

/// One line of a go env file, with its bytes (without the `\n`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Line {
    text: Vec<u8>,
    /// Whether a `\n` followed this line in the file (false only for a last line without one).
    newline: bool,
}

impl Line {
    /// The key and value when cmd/go's reader counts this line as a setting.
    fn setting(&self) -> Option<(&[u8], &[u8])> {
        let first = *self.text.first()?;
        if !first.is_ascii_uppercase() {
            return None;
        }
        let eq = self.text.iter().position(|&b| b == b'=')?;
        Some((&self.text[..eq], &self.text[eq + 1..]))
    }
}

/// Something worth telling the user about a line that cmd/go reads differently from how it looks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// 1-based line number.
    pub line: usize,
    /// What is special about the line.
    pub code: NoteCode,
    /// The variable the line is about, as the user probably meant it.
    pub key: String,
    /// The line's text (lossy UTF-8, without the newline).
    pub text: String,
}

/// The kinds of [`Note`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteCode {
    /// Looks like an assignment but cmd/go skips it (`export X=…`, indented, lower case).
    Ignored,
    /// The key has white space before `=`, so it never matches the variable (`GOSUMDB = x`).
    KeySpace,
    /// The value ends in `\r` (CRLF line endings); cmd/go keeps it as part of the value.
    CarriageReturn,
    /// The value is wrapped in quotes; cmd/go keeps them as part of the value.
    Quoted,
    /// A later line sets the same key, so this one has no effect.
    Duplicate,
}

/// A go env file held losslessly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoEnvFile {
    lines: Vec<Line>,
}

/// A value found in a go env file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The value (lossy UTF-8, exactly as cmd/go would hand it out, `\r` and quotes included).
    pub value: String,
    /// 1-based line number.
    pub line: usize,
}

/// Why a value cannot be written to a go env file (cmd/go's `checkEnvWrite` wording).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// The key is not a plain upper-case variable name.
    #[error("invalid variable name {0:?}")]
    InvalidKey(String),
    /// The value contains a line break of some kind.
    #[error("invalid newline in {key}=... value")]
    Newline {
        /// The variable.
        key: String,
    },
    /// The value contains a NUL byte.
    #[error("invalid NUL in {key}=... value")]
    Nul {
        /// The variable.
        key: String,
    },
}

impl GoEnvFile {
    /// Parses file bytes. Never fails: every byte sequence is a valid go env file to cmd/go.
    pub fn parse(bytes: &[u8]) -> Self {
        let mut lines = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            match rest.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    lines.push(Line {
                        text: rest[..i].to_vec(),
                        newline: true,
                    });
                    rest = &rest[i + 1..];
                }
                None => {
                    lines.push(Line {
                        text: rest.to_vec(),
                        newline: false,
                    });
                    rest = &[];
                }
            }
        }
        GoEnvFile { lines }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for line in &self.lines {
            out.extend_from_slice(&line.text);
            if line.newline {
                out.push(b'\n');
            }
        }
        out
    }

    /// The effective value of `key`: its last occurrence, as cmd/go reads it.
    pub fn get(&self, key: &str) -> Option<Entry> {
        self.entries()
            .filter(|(k, _)| k == key)
            .last()
            .map(|(_, e)| e)
    }

    /// Every line cmd/go reads as a setting, in file order (duplicates included).
    pub fn entries(&self) -> impl Iterator<Item = (String, Entry)> + '_ {
        self.lines.iter().enumerate().filter_map(|(i, line)| {
            let (key, value) = line.setting()?;
            let entry = Entry {
                value: String::from_utf8_lossy(value).into_owned(),
                line: i + 1,
            };
            Some((String::from_utf8_lossy(key).into_owned(), entry))
        })
    }

    /// Lines that cmd/go reads differently from how they look (see [`NoteCode`]).
    pub fn notes(&self) -> Vec<Note> {
        // The line each key's effective value comes from, found in one pass (asking `get` per
        // line made this quadratic: minutes for a file of a few megabytes).
        let mut last_line: std::collections::HashMap<&[u8], usize> =
            std::collections::HashMap::new();
        for (i, line) in self.lines.iter().enumerate() {
            if let Some((key, _)) = line.setting() {
                last_line.insert(key, i + 1);
            }
        }
        let mut notes = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            let text = String::from_utf8_lossy(&line.text).into_owned();
            let note = |code, key: &str| Note {
                line: i + 1,
                code,
                key: key.into(),
                text: text.clone(),
            };
            match line.setting() {
                Some((raw_key, value)) => {
                    let key = String::from_utf8_lossy(raw_key);
                    if key.chars().any(char::is_whitespace) {
                        notes.push(note(NoteCode::KeySpace, key.trim()));
                        continue;
                    }
                    if value.ends_with(b"\r") {
                        notes.push(note(NoteCode::CarriageReturn, &key));
                    }
                    let unquoted = value.strip_suffix(b"\r").unwrap_or(value);
                    if unquoted.len() >= 2
                        && (unquoted[0] == b'"' || unquoted[0] == b'\'')
                        && unquoted.last() == Some(&unquoted[0])
                    {
                        notes.push(note(NoteCode::Quoted, &key));
                    }
                    if last_line.get(raw_key).is_some_and(|&line| line != i + 1) {
                        notes.push(note(NoteCode::Duplicate, &key));
                    }
                }
                None => {
                    if let Some(key) = ignored_assignment(&text) {
                        notes.push(note(NoteCode::Ignored, &key));
                    }
                }
            }
        }
        notes
    }

    /// Sets `key` the way `go env -w` does: the last occurrence is replaced in place by
    /// `KEY=VALUE`, earlier (dead) occurrences are removed, a new key is appended. Every other
    /// line keeps its bytes.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), WriteError> {
        check_write(key, value)?;
        let text = format!("{key}={value}").into_bytes();
        let positions = self.positions(key);
        match positions.last() {
            Some(&last) => {
                self.lines[last].text = text;
                self.lines[last].newline = true;
                self.remove_lines(&positions[..positions.len() - 1]);
            }
            None => {
                if let Some(last) = self.lines.last_mut() {
                    last.newline = true;
                }
                self.lines.push(Line {
                    text,
                    newline: true,
                });
            }
        }
        Ok(())
    }

    /// Removes every occurrence of `key` (what `go env -u` does). Returns whether any existed.
    pub fn unset(&mut self, key: &str) -> bool {
        let positions = self.positions(key);
        self.remove_lines(&positions);
        !positions.is_empty()
    }

    /// The file as `go env -w` would have written it: every setting line becomes `KEY=VALUE`
    /// — the `\r` of CRLF endings, quotes around the value and blanks around the key dropped —
    /// and a line cmd/go skips although it plainly sets one of modroute's settings (`export
    /// GOPROXY=…`, indented, lower case) becomes the setting it meant. When a key then appears
    /// more than once, its last line wins (as cmd/go reads it) and earlier ones are removed.
    /// Comments and other lines stay, without `\r`.
    pub fn normalized(&self) -> GoEnvFile {
        let mut lines: Vec<(Option<String>, Vec<u8>)> = Vec::new();
        for line in &self.lines {
            let text = line.text.strip_suffix(b"\r").unwrap_or(&line.text);
            let as_setting = match line.setting() {
                Some((key, value)) => {
                    let key = String::from_utf8_lossy(key);
                    // `KEY = VALUE`: the blanks around `=` go with the key's.
                    let value = if key.ends_with(char::is_whitespace) {
                        value.trim_ascii_start()
                    } else {
                        value
                    };
                    Some((key.trim().to_string(), value))
                }
                None => ignored_assignment(&String::from_utf8_lossy(text))
                    .filter(|k| crate::setting::Setting::from_name(k).is_some())
                    .and_then(|k| {
                        let eq = text.iter().position(|&b| b == b'=')?;
                        Some((k, &text[eq + 1..]))
                    }),
            };
            match as_setting {
                Some((key, value)) => {
                    let value = value.strip_suffix(b"\r").unwrap_or(value);
                    let value = match value {
                        [q @ (b'"' | b'\''), inner @ .., last] if last == q => inner,
                        v => v,
                    };
                    let mut bytes = format!("{key}=").into_bytes();
                    bytes.extend_from_slice(value);
                    lines.push((Some(key), bytes));
                }
                None => lines.push((None, text.to_vec())),
            }
        }
        let mut out: Vec<Line> = Vec::new();
        for (i, (key, text)) in lines.iter().enumerate() {
            let superseded = key.as_ref().is_some_and(|k| {
                lines[i + 1..]
                    .iter()
                    .any(|(later, _)| later.as_ref() == Some(k))
            });
            if !superseded {
                out.push(Line {
                    text: text.clone(),
                    newline: true,
                });
            }
        }
        GoEnvFile { lines: out }
    }

    fn positions(&self, key: &str) -> Vec<usize> {
        (self.lines.iter().enumerate())
            .filter(|(_, l)| l.setting().is_some_and(|(k, _)| k == key.as_bytes()))
            .map(|(i, _)| i)
            .collect()
    }

    fn remove_lines(&mut self, positions: &[usize]) {
        for &i in positions.iter().rev() {
            self.lines.remove(i);
        }
    }
}

/// For a line cmd/go skips, the variable it looks like it sets (`export GOPROXY=x`, `  GOPROXY=x`,
/// `goproxy=x`), so the user can be told it has no effect. Comments are not assignments.
fn ignored_assignment(text: &str) -> Option<String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('#') {
        return None;
    }
    let (lhs, _) = trimmed.split_once('=')?;
    let lhs = lhs
        .strip_prefix("export")
        .filter(|r| r.starts_with([' ', '\t']))
        .unwrap_or(lhs);
    let name = lhs.trim().to_ascii_uppercase();
    let valid = name.starts_with(|c: char| c.is_ascii_uppercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    valid.then_some(name)
}

/// The subset of cmd/go's `checkEnvWrite` that applies to every key.
fn check_write(key: &str, value: &str) -> Result<(), WriteError> {
    let valid_key = key.starts_with(|c: char| c.is_ascii_uppercase())
        && key
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !valid_key {
        return Err(WriteError::InvalidKey(key.into()));
    }
    if value.contains(['\n', '\r', '\u{b}']) {
        return Err(WriteError::Newline { key: key.into() });
    }
    if value.contains('\0') {
        return Err(WriteError::Nul { key: key.into() });
    }
    Ok(())
}

/// The outcome of reading one layer's file.
#[derive(Clone, Debug)]
pub enum ReadOutcome {
    /// The file was read.
    Read(GoEnvFile),
    /// No file at that path (cmd/go treats this as empty).
    Missing,
    /// The file exists but cannot be read (cmd/go silently ignores it).
    Unreadable(String),
}

/// Reads a go env file from disk.
pub fn read(path: &Path) -> ReadOutcome {
    match std::fs::read(path) {
        Ok(bytes) => ReadOutcome::Read(GoEnvFile::parse(&bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => ReadOutcome::Missing,
        Err(e) => ReadOutcome::Unreadable(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Env {
        Env::from_vars_on(TargetOs::Unix, vars.iter().copied())
    }

    fn locate(env: &Env) -> Location {
        super::locate(env, None)
    }

    #[test]
    fn normalized_is_what_go_env_w_writes() {
        let text = b"# mine\r\nGOPROXY=\"https://a.example,direct\"\r\nexport GOSUMDB=off\nGOFLAGS = -mod=mod\nGOPRIVATE=x\nGOPRIVATE='y'\nexport FOO=bar\nGONOSUMDB=z";
        let out = GoEnvFile::parse(text).normalized();
        assert_eq!(
            String::from_utf8(out.to_bytes()).unwrap(),
            "# mine\nGOPROXY=https://a.example,direct\nGOSUMDB=off\nGOFLAGS=-mod=mod\nGOPRIVATE=y\nexport FOO=bar\nGONOSUMDB=z\n"
        );
        assert!(out.notes().is_empty() || out.notes().iter().all(|n| n.key == "FOO"));
        assert_eq!(out.normalized(), out, "normalizing twice changes nothing");
    }

    #[test]
    fn location_follows_cmd_go() {
        let file = |p: &str, explicit| Location::File {
            path: p.into(),
            explicit,
        };
        assert_eq!(
            locate(&env(&[("HOME", "/h")])),
            file("/h/.config/go/env", false)
        );
        assert_eq!(
            locate(&env(&[("HOME", "/h/"), ("XDG_CONFIG_HOME", "")])),
            file("/h/.config/go/env", false)
        );
        assert_eq!(
            locate(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "/x//y/")])),
            file("/x/y/go/env", false)
        );
        assert_eq!(
            locate(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "rel")])),
            Location::Unknown {
                reason: "path in $XDG_CONFIG_HOME is relative".into()
            }
        );
        let old = GoVersion::parse("go1.23.5");
        assert_eq!(
            super::locate(&env(&[("HOME", "/h"), ("XDG_CONFIG_HOME", "rel")]), old),
            file("rel/go/env", false),
            "go1.23 still accepts a relative XDG_CONFIG_HOME"
        );
        assert_eq!(
            locate(&env(&[("GOENV", "off"), ("HOME", "/h")])),
            Location::Off
        );
        assert_eq!(locate(&env(&[("GOENV", "./off")])), file("./off", true));
        assert_eq!(
            locate(&env(&[("GOENV", ""), ("HOME", "/h")])),
            file("/h/.config/go/env", false)
        );
        assert!(matches!(locate(&env(&[])), Location::Unknown { .. }));
        let mac = Env::from_vars_on(TargetOs::MacOs, [("HOME", "/Users/u")]);
        assert_eq!(
            locate(&mac),
            file("/Users/u/Library/Application Support/go/env", false)
        );
        let win = Env::from_vars_on(
            TargetOs::Windows,
            [("AppData", r"C:\Users\u\AppData\Roaming")],
        );
        assert_eq!(
            locate(&win),
            file(r"C:\Users\u\AppData\Roaming\go\env", false)
        );
    }

    #[test]
    fn clean_matches_go() {
        for (input, want) in [
            ("/a//b/./c/", "/a/b/c"),
            ("/a/../../b", "/b"),
            ("a/../..", ".."),
            ("", "."),
            ("/", "/"),
        ] {
            assert_eq!(clean_unix(input), want, "{input}");
        }
    }

    #[test]
    fn parses_like_read_env_file() {
        let f = GoEnvFile::parse(
            b"# c\nGOPROXY=a\nGOPROXY=b=c\nexport GOSUMDB=x\n GOFLAGS=-x\ngoprivate=p\nGONOSUMDB=\"q\"\nGOTOOLCHAIN=auto\r\nGOSUMDB = s\nGOINSECURE=",
        );
        assert_eq!(
            f.get("GOPROXY"),
            Some(Entry {
                value: "b=c".into(),
                line: 3
            })
        );
        assert_eq!(
            f.get("GOSUMDB"),
            None,
            "export and spaced keys are not GOSUMDB"
        );
        assert_eq!(f.get("GOSUMDB ").map(|e| e.value), Some(" s".into()));
        assert_eq!(f.get("GOFLAGS"), None);
        assert_eq!(f.get("GOPRIVATE"), None);
        assert_eq!(f.get("GONOSUMDB").map(|e| e.value), Some("\"q\"".into()));
        assert_eq!(f.get("GOTOOLCHAIN").map(|e| e.value), Some("auto\r".into()));
        assert_eq!(
            f.get("GOINSECURE"),
            Some(Entry {
                value: String::new(),
                line: 10
            })
        );
        let codes: Vec<_> = f
            .notes()
            .into_iter()
            .map(|n| (n.line, n.code, n.key))
            .collect();
        assert_eq!(
            codes,
            vec![
                (2, NoteCode::Duplicate, "GOPROXY".into()),
                (4, NoteCode::Ignored, "GOSUMDB".into()),
                (5, NoteCode::Ignored, "GOFLAGS".into()),
                (6, NoteCode::Ignored, "GOPRIVATE".into()),
                (7, NoteCode::Quoted, "GONOSUMDB".into()),
                (8, NoteCode::CarriageReturn, "GOTOOLCHAIN".into()),
                (9, NoteCode::KeySpace, "GOSUMDB".into()),
            ]
        );
    }

    #[test]
    fn round_trips_any_bytes() {
        let inputs: [&[u8]; 6] = [
            b"",
            b"\n",
            b"A=1",
            b"A=1\n\n\nB=\xff\xfe\r\n",
            b"\x00\x01=\n=",
            b"X=1\r\nY",
        ];
        for input in inputs {
            assert_eq!(GoEnvFile::parse(input).to_bytes(), input);
        }
    }

    #[test]
    fn set_and_unset_touch_only_their_key() {
        let mut f = GoEnvFile::parse(b"# keep \xff\nGOPROXY=old\nGOSUMDB=x\r\nGOPROXY=older");
        f.set("GOPROXY", "https://goproxy.cn,direct").unwrap();
        assert_eq!(
            f.to_bytes(),
            b"# keep \xff\nGOSUMDB=x\r\nGOPROXY=https://goproxy.cn,direct\n"
        );
        f.set("GOFLAGS", "-mod=mod").unwrap();
        assert!(f.unset("GOSUMDB"));
        assert!(!f.unset("GOSUMDB"));
        assert_eq!(
            f.to_bytes(),
            b"# keep \xff\nGOPROXY=https://goproxy.cn,direct\nGOFLAGS=-mod=mod\n"
        );
        let mut g = GoEnvFile::parse(b"# no newline");
        g.set("GOPRIVATE", "corp.example").unwrap();
        assert_eq!(g.to_bytes(), b"# no newline\nGOPRIVATE=corp.example\n");
    }

    #[test]
    fn set_refuses_what_go_env_w_refuses() {
        let mut f = GoEnvFile::default();
        assert_eq!(
            f.set("GOPROXY", "a\nb"),
            Err(WriteError::Newline {
                key: "GOPROXY".into()
            })
        );
        assert_eq!(
            f.set("GOPROXY", "a\rb"),
            Err(WriteError::Newline {
                key: "GOPROXY".into()
            })
        );
        assert_eq!(
            f.set("GOPROXY", "a\0"),
            Err(WriteError::Nul {
                key: "GOPROXY".into()
            })
        );
        assert!(matches!(
            f.set("goproxy", "x"),
            Err(WriteError::InvalidKey(_))
        ));
        assert!(matches!(
            f.set("GO PROXY", "x"),
            Err(WriteError::InvalidKey(_))
        ));
        assert_eq!(f.to_bytes(), b"", "nothing written on refusal");
    }
}
