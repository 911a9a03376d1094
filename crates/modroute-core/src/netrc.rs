//! The credentials `go` sends to module proxies and origins from a netrc file.
//!
//! cmd/go reads `$NETRC`, else `~/.netrc` (on Windows `%USERPROFILE%\_netrc` first when it
//! exists). Its parser is deliberately small: whitespace-separated tokens, a `machine` token
//! starts an entry, an entry counts only once it has a machine, a login *and* a password,
//! `macdef` skips to the next empty line, and a `default` token left over at the end of a line
//! (tokens are read in pairs) ends the file — a `default` entry never supplies credentials to
//! go, unlike to curl or ftp.
//!
//! The machine is compared with the request URL's host *including its port*: a proxy at
//! `https://athens.corp:8443` needs `machine athens.corp:8443`. When a machine appears twice, the
//! first entry wins. From Go 1.24 the netrc is one of the GOAUTH methods (`GOAUTH=netrc`, the
//! default); `GOAUTH=off` disables it. Credentials are only ever sent over https.
//!
//! Entries keep their line number so messages can say "~/.netrc line 4" — never the password.

use std::path::{Path, PathBuf};

use crate::env::{Env, TargetOs};

/// One usable entry.
#[derive(Clone, PartialEq, Eq)]
pub struct Entry {
    /// `host` or `host:port` (from Go 1.24 also `host/path`, matched as a prefix).
    pub machine: String,
    /// The login.
    pub login: String,
    /// The password (never shown).
    pub password: String,
    /// 1-based line of the `machine` token.
    pub line: usize,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("machine", &self.machine)
            .field("login", &self.login)
            .field("password", &"xxxxx")
            .field("line", &self.line)
            .finish()
    }
}

/// A netrc file as go reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Netrc {
    /// Where it was read from.
    pub path: PathBuf,
    /// Usable entries, in file order.
    pub entries: Vec<Entry>,
}

/// Parses netrc text with cmd/go's rules (see the module docs).
pub fn parse(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    let mut in_macro = false;
    for (index, line) in text.split('\n').enumerate() {
        if in_macro {
            if line.is_empty() {
                in_macro = false;
            }
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let mut i = 0;
        while i + 1 < fields.len() {
            let value = fields[i + 1];
            match fields[i] {
                "machine" => {
                    current = Some(Entry {
                        machine: value.to_string(),
                        login: String::new(),
                        password: String::new(),
                        line: index + 1,
                    });
                }
                "login" => {
                    if let Some(e) = current.as_mut() {
                        e.login = value.to_string();
                    } else {
                        current = Some(Entry {
                            machine: String::new(),
                            login: value.to_string(),
                            password: String::new(),
                            line: index + 1,
                        });
                    }
                }
                "password" => {
                    if let Some(e) = current.as_mut() {
                        e.password = value.to_string();
                    } else {
                        current = Some(Entry {
                            machine: String::new(),
                            login: String::new(),
                            password: value.to_string(),
                            line: index + 1,
                        });
                    }
                }
                "macdef" => in_macro = true,
                _ => {}
            }
            if let Some(e) = &current
                && !e.machine.is_empty()
                && !e.login.is_empty()
                && !e.password.is_empty()
            {
                entries.extend(current.take());
            }
            i += 2;
        }
        if fields.get(i) == Some(&"default") {
            break;
        }
    }
    entries
}

/// The netrc file go reads in `env` (it need not exist).
pub fn path(env: &Env) -> Option<PathBuf> {
    if let Some(explicit) = env.get_non_empty("NETRC") {
        return Some(PathBuf::from(explicit));
    }
    let home = env.home()?;
    if env.os() == TargetOs::Windows {
        let legacy = home.join("_netrc");
        if legacy.exists() {
            return Some(legacy);
        }
    }
    Some(home.join(".netrc"))
}

/// Reads the netrc file of `env`; `Ok(None)` when there is none.
pub fn load(env: &Env) -> std::io::Result<Option<Netrc>> {
    let Some(path) = path(env) else {
        return Ok(None);
    };
    read(&path)
}

/// Reads the netrc file at `path`; `Ok(None)` when it does not exist.
pub fn read(path: &Path) -> std::io::Result<Option<Netrc>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(Netrc {
            path: path.to_path_buf(),
            entries: parse(&String::from_utf8_lossy(&bytes)),
        })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

impl Netrc {
    /// The entry go uses for a request to `host` (with `:port` when the URL has one) and
    /// `path`: the first entry whose machine is the host, or — from Go 1.24 (`prefixes`) — a
    /// `host/dir` prefix of the request's host and path.
    pub fn lookup(&self, host: &str, path: &str, prefixes: bool) -> Option<&Entry> {
        if !prefixes {
            return self.entries.iter().find(|e| e.machine == host);
        }
        // Go 1.24+: the longest stored prefix of host+path wins; among equal machines, the
        // first entry in the file.
        let full = format!("{host}{}", path.trim_end_matches('/'));
        let mut candidate = full.as_str();
        loop {
            if let Some(e) = self
                .entries
                .iter()
                .find(|e| e.machine.trim_end_matches('/') == candidate)
            {
                return Some(e);
            }
            candidate = &candidate[..candidate.rfind('/')?];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machines(text: &str) -> Vec<(String, String, usize)> {
        parse(text)
            .into_iter()
            .map(|e| (e.machine, e.login, e.line))
            .collect()
    }

    #[test]
    fn entries_need_machine_login_and_password() {
        let text = "machine a.example login alice password pw1\n\
                    machine b.example login bob\n\
                    machine c.example\n  login carol\n  password pw3\n\
                    machine d.example password only\n";
        assert_eq!(
            machines(text),
            [
                ("a.example".into(), "alice".into(), 1),
                ("c.example".into(), "carol".into(), 3),
            ]
        );
    }

    #[test]
    fn default_ends_the_file_and_macdef_skips_to_an_empty_line() {
        let text = "machine a login u password p\n\
                    macdef init\nmachine hidden login x password y\n\n\
                    machine b login u password p\n\
                    default\n\
                    machine after login u password p\n";
        let names: Vec<String> = parse(text).into_iter().map(|e| e.machine).collect();
        assert_eq!(names, ["a", "b"]);
        // Tokens are read in pairs, so `default login …` swallows `login` as default's value
        // and does not end the file (as in cmd/go); a trailing `default` does.
        let text = "default login anon password anon\nmachine m login u password p default\n\
                    machine after login u password p\n";
        let names: Vec<String> = parse(text).into_iter().map(|e| e.machine).collect();
        assert_eq!(names, ["m"]);
    }

    #[test]
    fn the_port_is_part_of_the_machine_and_the_first_entry_wins() {
        let netrc = Netrc {
            path: "/h/.netrc".into(),
            entries: parse(
                "machine athens.corp:8443 login a password 1\n\
                 machine athens.corp:8443 login b password 2\n\
                 machine plain.corp login c password 3\n",
            ),
        };
        for prefixes in [false, true] {
            let hit = netrc.lookup("athens.corp:8443", "/mod/@v/list", prefixes);
            assert_eq!(hit.map(|e| e.login.as_str()), Some("a"));
            assert!(netrc.lookup("athens.corp", "/mod", prefixes).is_none());
            assert!(netrc.lookup("plain.corp:443", "/", prefixes).is_none());
            assert_eq!(
                netrc.lookup("plain.corp", "/x", prefixes).map(|e| e.line),
                Some(3)
            );
        }
    }

    #[test]
    fn go_1_24_matches_path_prefixes() {
        let netrc = Netrc {
            path: "/n".into(),
            entries: parse("machine host.corp/team login t password p\n"),
        };
        assert!(
            netrc
                .lookup("host.corp", "/team/mod/@v/list", true)
                .is_some()
        );
        assert!(netrc.lookup("host.corp", "/other/mod", true).is_none());
        assert!(netrc.lookup("host.corp", "/team/mod", false).is_none());
    }

    #[test]
    fn netrc_and_its_windows_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::from_vars_on(TargetOs::Unix, [("HOME", dir.path().as_os_str())]);
        assert_eq!(path(&env), Some(dir.path().join(".netrc")));
        assert_eq!(load(&env).unwrap(), None);
        let env = env.with("NETRC", "/elsewhere/creds");
        assert_eq!(path(&env), Some(PathBuf::from("/elsewhere/creds")));
        std::fs::write(dir.path().join("_netrc"), "machine w login u password p\n").unwrap();
        let win = Env::from_vars_on(TargetOs::Windows, [("USERPROFILE", dir.path().as_os_str())]);
        if win.home().is_some() {
            assert_eq!(path(&win), Some(dir.path().join("_netrc")));
        }
    }

    #[test]
    fn debug_output_hides_the_password() {
        let e = &parse("machine m login u password s3cret\n")[0];
        assert!(!format!("{e:?}").contains("s3cret"));
    }
}
