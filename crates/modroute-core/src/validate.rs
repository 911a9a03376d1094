//! Validation of setting values with Go's own grammar and, where Go has one, Go's wording.
//!
//! cmd/go accepts almost anything in `go env -w` and fails later, at the first module lookup,
//! with a message far from the cause. modroute checks a value when it enters a profile instead:
//! GOPROXY entries (`proxyList` in cmd/go's modfetch), GOSUMDB forms (`dbDial`), the pattern
//! lists of GOPRIVATE/GONOPROXY/GONOSUMDB/GOINSECURE (`module.MatchPrefixPatterns`, where a
//! pattern that can never match is an error here because Go would stay silent), GOFLAGS,
//! GOTOOLCHAIN, proxy URLs and the CA bundle path. Pure functions; no I/O.

use crate::setting::{Setting, SettingKind};

/// Checks one value for `setting`. The error is a sentence without the variable's name.
pub fn check(setting: Setting, value: &str) -> Result<(), String> {
    if value.contains(['\n', '\r', '\u{b}']) {
        return Err("contains a line break; no environment or go env file can hold it".into());
    }
    if value.contains('\0') {
        return Err("contains a NUL byte".into());
    }
    if setting.kind() == SettingKind::Network {
        // Shells and the desktop session get these: what their files cannot hold is refused
        // here, where the profile's position is known, not only when a switch renders them.
        if value.contains(['\u{c}', '\u{85}', '\u{2028}', '\u{2029}']) {
            return Err(
                "contains a line break; shell files and environment.d cannot hold it".into(),
            );
        }
        let noncharacter = value
            .chars()
            .map(u32::from)
            .find(|&c| (0xfdd0..=0xfdef).contains(&c) || c & 0xfffe == 0xfffe);
        if let Some(code) = noncharacter {
            return Err(format!(
                "contains U+{code:04X}, a Unicode noncharacter that systemd rejects as invalid UTF-8"
            ));
        }
    }
    match setting {
        Setting::GoProxy => goproxy(value),
        Setting::GoSumDb => gosumdb(value),
        Setting::GoPrivate | Setting::GoNoProxy | Setting::GoNoSumDb | Setting::GoInsecure => {
            patterns(value)
        }
        Setting::GoFlags => goflags(value),
        Setting::GoToolchain => gotoolchain(value),
        Setting::HttpProxy | Setting::HttpsProxy => proxy_url(value),
        Setting::NoProxy => Ok(()),
        Setting::SslCertFile => ca_file(value),
        Setting::GoAuth => goauth(value),
        Setting::GoVcs => govcs(value),
        Setting::SslCertDir | Setting::Netrc => Ok(()),
    }
}

/// GOAUTH (Go 1.24+): `;`-separated methods — `off` (alone), `netrc`, `git <absolute dir>`, or a
/// command — with cmd/go's own messages.
fn goauth(value: &str) -> Result<(), String> {
    let methods: Vec<&str> = value.split(';').map(str::trim).collect();
    for method in &methods {
        let words: Vec<&str> = method.split_whitespace().collect();
        match words.first().copied() {
            None => {
                return Err(format!(
                    "GOAUTH encountered an empty command (GOAUTH={value})"
                ));
            }
            Some("off") if methods.len() != 1 => {
                return Err(format!(
                    "GOAUTH=off cannot be combined with other authentication commands (GOAUTH={value})"
                ));
            }
            Some("git") if words.len() != 2 => {
                return Err(
                    "GOAUTH=git dir method requires an absolute path to the git working directory"
                        .into(),
                );
            }
            Some("git") if !is_absolute_any(words[1]) => {
                return Err("GOAUTH=git dir method requires an absolute path to the git working directory, dir is not absolute".into());
            }
            _ => {}
        }
    }
    Ok(())
}

/// An absolute path on Unix (`/…`) or Windows (`C:\…`, `\\server\…`).
fn is_absolute_any(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || path.starts_with("\\\\")
        || (b.len() >= 3
            && b[0].is_ascii_alphabetic()
            && b[1] == b':'
            && matches!(b[2], b'\\' | b'/'))
}

/// GOVCS: `pattern:vcs|vcs,…` as cmd/go's `parseGOVCS` reads it.
fn govcs(value: &str) -> Result<(), String> {
    let mut seen: Vec<(String, String)> = Vec::new();
    if value.is_empty() {
        return Ok(());
    }
    for item in value.split(',').map(str::trim) {
        if item.is_empty() {
            return Err("empty entry in GOVCS".into());
        }
        let Some((pattern, list)) = item.split_once(':') else {
            return Err(format!(
                "malformed entry in GOVCS (missing colon): {item:?}"
            ));
        };
        let (pattern, list) = (pattern.trim(), list.trim());
        if pattern.is_empty() {
            return Err(format!("empty pattern in GOVCS: {item:?}"));
        }
        if list.is_empty() {
            return Err(format!("empty VCS list in GOVCS: {item:?}"));
        }
        if pattern.starts_with("./")
            || pattern.starts_with("../")
            || pattern == "."
            || pattern == ".."
        {
            return Err(format!(
                "relative pattern not allowed in GOVCS: {pattern:?}"
            ));
        }
        if let Some((_, old)) = seen.iter().find(|(p, _)| p == pattern) {
            return Err(format!(
                "unreachable pattern in GOVCS: {item:?} after {old:?}"
            ));
        }
        for vcs in list.split('|').map(str::trim) {
            if vcs.is_empty() {
                return Err(format!("empty VCS name in GOVCS: {item:?}"));
            }
        }
        seen.push((pattern.to_string(), item.to_string()));
    }
    Ok(())
}

/// One entry of a GOPROXY list after cmd/go's normalisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProxyEntry {
    /// A proxy base URL (`https://` added to bare hosts, trailing `/` trimmed).
    Url {
        /// The URL.
        url: String,
        /// Whether the separator after it is `|` (fall through on any error) rather than `,`
        /// (fall through only on 404/410).
        fall_back_on_error: bool,
    },
    /// `direct`: the origin (VCS or go-get).
    Direct,
    /// `off`: lookups are disabled.
    Off,
}

/// Parses a GOPROXY list exactly as cmd/go's `proxyList` does (without the implicit `noproxy`).
pub fn parse_goproxy(value: &str) -> Result<Vec<ProxyEntry>, String> {
    let mut entries = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let (raw, fall_back_on_error, next) = match rest.find([',', '|']) {
            Some(i) => (&rest[..i], rest.as_bytes()[i] == b'|', &rest[i + 1..]),
            None => (rest, false, ""),
        };
        rest = next;
        let entry = raw.trim();
        match entry {
            "" => continue,
            "off" => {
                entries.push(ProxyEntry::Off);
                break;
            }
            "direct" => {
                entries.push(ProxyEntry::Direct);
                break;
            }
            _ => {}
        }
        let mut url = entry.to_string();
        if entry.contains(['.', ':', '/']) && !entry.contains(":/") && !entry.starts_with('/') {
            url = format!("https://{entry}");
        }
        check_proxy_url(&url)?;
        let url = url.trim_end_matches('/').to_string();
        entries.push(ProxyEntry::Url {
            url,
            fall_back_on_error,
        });
    }
    if entries.is_empty() {
        return Err("GOPROXY list is not the empty string, but contains no entries".into());
    }
    Ok(entries)
}

fn check_proxy_url(url: &str) -> Result<(), String> {
    let Some((scheme, after)) = url.split_once(':') else {
        return Err(format!("invalid proxy URL missing scheme: {url}"));
    };
    match scheme {
        "https" | "http" => {
            let parsed = url::Url::parse(url).map_err(|e| format!("parse {url:?}: {e}"))?;
            if parsed.host_str().is_none_or(str::is_empty) {
                return Err(format!("parse {url:?}: missing host"));
            }
            Ok(())
        }
        "file" => {
            let path = after.strip_prefix("//").unwrap_or(after);
            if !path.starts_with('/') || path.contains(['?', '#']) {
                return Err(format!(
                    "invalid file:// proxy URL with non-path elements: {url}"
                ));
            }
            Ok(())
        }
        _ if scheme.contains(['/', '.']) || scheme.is_empty() => {
            Err(format!("invalid proxy URL missing scheme: {url}"))
        }
        _ => Err(format!(
            "invalid proxy URL scheme (must be https, http, file): {url}"
        )),
    }
}

fn goproxy(value: &str) -> Result<(), String> {
    let entries = parse_goproxy(value)?;
    // Everything after `direct` or `off` is ignored by go; say so rather than keep dead entries.
    let used = value
        .split([',', '|'])
        .filter(|e| !e.trim().is_empty())
        .count();
    if used > entries.len() {
        let stop = if entries.last() == Some(&ProxyEntry::Off) {
            "off"
        } else {
            "direct"
        };
        return Err(format!(
            "entries after `{stop}` are never used; move `{stop}` to the end"
        ));
    }
    Ok(())
}

fn gosumdb(value: &str) -> Result<(), String> {
    if value == "off" || value == "sum.golang.google.cn" {
        return Ok(());
    }
    let fields: Vec<&str> = value.split_whitespace().collect();
    match fields.as_slice() {
        [] => Err("missing GOSUMDB".into()),
        [key, rest @ ..] if rest.len() <= 1 => {
            if *key != "sum.golang.org" && !is_verifier_key(key) {
                return Err("invalid GOSUMDB: malformed verifier id".into());
            }
            if let Some(url) = rest.first() {
                url::Url::parse(url).map_err(|e| format!("invalid GOSUMDB URL: {e}"))?;
            }
            Ok(())
        }
        _ => Err("invalid GOSUMDB: too many fields".into()),
    }
}

/// `name+hash+key` as accepted by `note.NewVerifier`: a host[/path] name, 8 hex digits, base64.
fn is_verifier_key(key: &str) -> bool {
    let mut parts = key.splitn(3, '+');
    let (Some(name), Some(hash), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let name_ok = !name.is_empty() && name.contains('.') && !name.contains(char::is_whitespace);
    let hash_ok = hash.len() == 8 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    let b64_ok = !b64.is_empty()
        && b64
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b));
    name_ok && hash_ok && b64_ok
}

fn patterns(value: &str) -> Result<(), String> {
    for pattern in value.split(',') {
        if pattern.is_empty() {
            continue;
        }
        if pattern.trim() != pattern {
            return Err(format!(
                "pattern {pattern:?} has spaces; go does not trim them, so it never matches"
            ));
        }
        if pattern.contains("://") {
            return Err(format!(
                "pattern {pattern:?} has a scheme; patterns are module path prefixes such as git.corp.example/team"
            ));
        }
        if pattern.chars().any(|c| c.is_ascii_uppercase()) && !pattern.contains('/') {
            return Err(format!(
                "pattern {pattern:?} has upper-case letters; module hosts are lower case, so it never matches"
            ));
        }
        if !glob_is_valid(pattern) {
            return Err(format!(
                "pattern {pattern:?} is not a valid glob (path.Match: syntax error in pattern)"
            ));
        }
    }
    Ok(())
}

/// Whether `path.Match` would accept the pattern: balanced `[...]` classes, no trailing `\`.
fn glob_is_valid(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => {
                return false;
            }
            '[' => {
                let mut closed = false;
                let mut first = true;
                while let Some(c) = chars.next() {
                    match c {
                        ']' if !first => {
                            closed = true;
                            break;
                        }
                        '\\' => {
                            chars.next();
                        }
                        '/' => return false,
                        _ => {}
                    }
                    first = first && c == '^';
                }
                if !closed {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

fn goflags(value: &str) -> Result<(), String> {
    for token in value.split_whitespace() {
        let flag = token.trim_start_matches(['\'', '"']);
        if !flag.starts_with('-') {
            return Err(format!("parsing $GOFLAGS: non-flag {token:?}"));
        }
        let name = flag
            .trim_start_matches('-')
            .split('=')
            .next()
            .unwrap_or_default();
        if name == "insecure" {
            return Err("-insecure flag is no longer supported; use GOINSECURE instead".into());
        }
    }
    Ok(())
}

fn gotoolchain(value: &str) -> Result<(), String> {
    let (name, suffix) = match value.split_once('+') {
        Some((name, suffix)) => (name, Some(suffix)),
        None => (value, None),
    };
    if let Some(suffix) = suffix
        && suffix != "auto"
        && suffix != "path"
    {
        return Err(format!(
            "invalid GOTOOLCHAIN {value:?}: only version suffixes are +auto and +path"
        ));
    }
    let ok = match name {
        "auto" | "path" => suffix.is_none(),
        "local" => true,
        _ => name.strip_prefix("go").is_some_and(|v| {
            let nums: Vec<&str> = v.split('.').collect();
            nums.len() >= 2
                && nums
                    .iter()
                    .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                || v.contains("rc") && v.starts_with(|c: char| c.is_ascii_digit())
        }),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("invalid GOTOOLCHAIN {value:?}"))
    }
}

fn proxy_url(value: &str) -> Result<(), String> {
    let url = if value.contains("://") {
        value.to_string()
    } else {
        format!("http://{value}")
    };
    let parsed = url::Url::parse(&url).map_err(|e| {
        format!("is not a proxy URL ({e}); for example http://proxy.corp.example:3128")
    })?;
    if !matches!(parsed.scheme(), "http" | "https" | "socks5" | "socks5h") {
        return Err(format!(
            "proxy scheme {:?} is not supported by Go (http, https, socks5, socks5h)",
            parsed.scheme()
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err("proxy URL has no host".into());
    }
    Ok(())
}

fn ca_file(value: &str) -> Result<(), String> {
    let absolute =
        value.starts_with('/') || value.get(1..3) == Some(":\\") || value.starts_with("\\\\");
    if absolute {
        Ok(())
    } else {
        Err(format!("{value:?} is not an absolute path"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Setting::*;

    #[test]
    fn goproxy_grammar_matches_cmd_go() {
        let url = |u: &str, f| ProxyEntry::Url {
            url: u.into(),
            fall_back_on_error: f,
        };
        assert_eq!(
            parse_goproxy(" https://a.example/ | b.example,direct ").unwrap(),
            vec![
                url("https://a.example", true),
                url("https://b.example", false),
                ProxyEntry::Direct
            ]
        );
        assert_eq!(
            parse_goproxy("localhost:3000").unwrap(),
            vec![url("https://localhost:3000", false)]
        );
        assert_eq!(
            parse_goproxy("file:///srv/mods").unwrap(),
            vec![url("file:///srv/mods", false)]
        );
        assert_eq!(
            parse_goproxy("off,https://x.example").unwrap(),
            vec![ProxyEntry::Off]
        );
        for (value, err) in [
            (
                ",,",
                "GOPROXY list is not the empty string, but contains no entries",
            ),
            ("foo", "invalid proxy URL missing scheme: foo"),
            (
                "ftp://x.example",
                "invalid proxy URL scheme (must be https, http, file): ftp://x.example",
            ),
            (
                "file://host/x",
                "invalid file:// proxy URL with non-path elements: file://host/x",
            ),
        ] {
            assert_eq!(parse_goproxy(value).unwrap_err(), err, "{value}");
        }
        assert!(
            check(GoProxy, "http://a http://b").is_err(),
            "a space inside an entry"
        );
        assert!(
            check(GoProxy, "direct,https://x.example")
                .unwrap_err()
                .contains("never used")
        );
        assert!(
            check(
                GoProxy,
                "https://goproxy.cn,https://mirrors.aliyun.com/goproxy/,direct"
            )
            .is_ok()
        );
    }

    #[test]
    fn gosumdb_forms() {
        for ok in [
            "off",
            "sum.golang.org",
            "sum.golang.google.cn",
            "sum.golang.org https://goproxy.cn/sumdb/sum.golang.org",
            "sum.corp.example+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8",
        ] {
            assert_eq!(check(GoSumDb, ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check(GoSumDb, "a b c"),
            Err("invalid GOSUMDB: too many fields".into())
        );
        assert_eq!(
            check(GoSumDb, "badkey"),
            Err("invalid GOSUMDB: malformed verifier id".into())
        );
        assert_eq!(check(GoSumDb, " "), Err("missing GOSUMDB".into()));
    }

    #[test]
    fn patterns_that_can_never_match_are_refused() {
        assert_eq!(
            check(GoPrivate, "git.corp.example,*.internal.example/team/*,none"),
            Ok(())
        );
        assert!(
            check(GoPrivate, "a.example, b.example")
                .unwrap_err()
                .contains("spaces")
        );
        assert!(
            check(GoNoSumDb, "https://git.corp.example")
                .unwrap_err()
                .contains("scheme")
        );
        assert!(
            check(GoInsecure, "Corp.Example")
                .unwrap_err()
                .contains("upper-case")
        );
        assert!(
            check(GoNoProxy, "git.corp.example/[abc")
                .unwrap_err()
                .contains("glob")
        );
        assert_eq!(check(GoNoProxy, "git.corp.example/[a-c]x,,"), Ok(()));
    }

    #[test]
    fn other_settings() {
        assert_eq!(check(GoFlags, "-mod=mod '-ldflags=-s -w'"), Ok(()));
        assert_eq!(
            check(GoFlags, "-insecure"),
            Err("-insecure flag is no longer supported; use GOINSECURE instead".into())
        );
        assert!(check(GoFlags, "bogus").is_err());
        for ok in [
            "auto",
            "local",
            "path",
            "go1.22.3",
            "go1.22.3+auto",
            "local+path",
            "go1.23rc1",
        ] {
            assert_eq!(check(GoToolchain, ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check(GoToolchain, "bash"),
            Err("invalid GOTOOLCHAIN \"bash\"".into())
        );
        assert!(
            check(GoToolchain, "go1.21+foo")
                .unwrap_err()
                .contains("+auto and +path")
        );
        assert_eq!(
            check(HttpsProxy, "http://user:p%40ss@proxy.corp.example:3128"),
            Ok(())
        );
        assert_eq!(check(HttpsProxy, "127.0.0.1:3128"), Ok(()));
        assert!(check(HttpsProxy, "ftp://x:1").is_err());
        assert_eq!(check(SslCertFile, "/etc/acme/ca.pem"), Ok(()));
        assert!(check(SslCertFile, "ca.pem").is_err());
        assert!(check(NoProxy, "a\nb").unwrap_err().contains("line break"));
        assert!(
            check(NoProxy, "a\u{2028}b")
                .unwrap_err()
                .contains("line break")
        );
        assert!(check(NoProxy, "a\u{fdd0}b").unwrap_err().contains("U+FDD0"));
        assert!(
            check(HttpsProxy, "http://p:1/\u{10ffff}")
                .unwrap_err()
                .contains("U+10FFFF")
        );
        // The go env file holds them fine: only the values shells and the session get.
        assert_eq!(check(GoPrivate, "corp.example/\u{fffe}"), Ok(()));
    }
}
