//! Which HTTP proxy Go uses for a request: `net/http.ProxyFromEnvironment`, i.e.
//! `golang.org/x/net/http/httpproxy`, rule for rule.
//!
//! - `HTTPS_PROXY` for `https://` URLs, `HTTP_PROXY` for `http://` ones (nothing else; `ALL_PROXY`
//!   is not read); the upper-case name wins when it is non-empty.
//! - A value that does not parse as a URL with a scheme and a host is retried as `http://`+value
//!   (Go 1.23 and later); one that still does not parse is silently ignored. (The `url` crate
//!   and Go's `net/url` disagree on some malformed inputs; well-formed values agree.)
//! - `localhost` and loopback IPs are never proxied.
//! - `NO_PROXY`: comma-separated, trimmed, lower-cased; `*` disables proxying; CIDRs and IPs
//!   (with optional port) match IP-literal hosts only; `example.com` matches the domain and its
//!   subdomains, `.example.com` and `*.example.com` subdomains only; `host:port` only that port.
//!   Domain entries never match IP-literal hosts (the Go 1.24 behaviour, CVE-2025-22870).

use std::net::IpAddr;

use serde::Serialize;
use url::{Host, Url};

/// The proxy variables as Go reads them: each with the name it came from.
#[derive(Clone, Debug, Default)]
pub struct ProxyEnv {
    /// `HTTP_PROXY` / `http_proxy`: the value and the name that supplied it.
    pub http_proxy: Option<(String, &'static str)>,
    /// `HTTPS_PROXY` / `https_proxy`.
    pub https_proxy: Option<(String, &'static str)>,
    /// `NO_PROXY` / `no_proxy`.
    pub no_proxy: Option<(String, &'static str)>,
    /// `REQUEST_METHOD` is set: Go refuses to use HTTP_PROXY for `http://` requests (httpoxy).
    pub cgi: bool,
}

/// A proxy Go would use, with the variable it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proxy {
    /// The parsed proxy URL (credentials included: never print it unredacted).
    pub url: Url,
    /// `HTTPS_PROXY`, `https_proxy`, `HTTP_PROXY` or `http_proxy`.
    pub from: &'static str,
}

/// Why a request goes (or does not go) through a proxy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Bypass {
    /// No proxy variable applies to this scheme (or its value is ignored as unparseable).
    NotSet,
    /// `localhost` and loopback addresses are never proxied.
    Loopback,
    /// A NO_PROXY entry matched.
    NoProxy {
        /// The entry as written (trimmed).
        entry: String,
    },
    /// Not an http(s) URL (`file://`).
    NotHttp,
}

/// The decision for one request URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Through this proxy.
    Proxy(Proxy),
    /// Directly.
    Direct(Bypass),
    /// Go refuses the request: `REQUEST_METHOD` is set and HTTP_PROXY would apply.
    CgiRefused,
}

#[derive(Debug)]
enum Matcher {
    All,
    Cidr {
        net: IpAddr,
        bits: u8,
    },
    Ip {
        ip: IpAddr,
        port: Option<String>,
    },
    Domain {
        suffix: String,
        match_host: bool,
        port: Option<String>,
    },
}

impl ProxyEnv {
    /// Reads the variables with Go's precedence from a lookup (an environment, a profile).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let pick = |upper: &'static str, lower: &'static str| {
            let non_empty =
                |name: &'static str| get(name).filter(|v| !v.is_empty()).map(|v| (v, name));
            non_empty(upper).or_else(|| non_empty(lower))
        };
        ProxyEnv {
            http_proxy: pick("HTTP_PROXY", "http_proxy"),
            https_proxy: pick("HTTPS_PROXY", "https_proxy"),
            no_proxy: pick("NO_PROXY", "no_proxy"),
            cgi: get("REQUEST_METHOD").is_some_and(|v| !v.is_empty()),
        }
    }

    /// The proxy URL Go would derive from a variable's value, if any.
    pub fn parse_proxy(value: &str) -> Option<Url> {
        let usable =
            |u: &Url| !u.scheme().is_empty() && u.host_str().is_some_and(|h| !h.is_empty());
        match Url::parse(value) {
            Ok(u) if usable(&u) => Some(u),
            // Go keeps whatever the retry parses to, host or not quite.
            _ => Url::parse(&format!("http://{value}")).ok(),
        }
    }

    /// The distinct proxies configured (HTTPS first), whether or not a request would use them.
    pub fn configured(&self) -> Vec<Proxy> {
        let mut out: Vec<Proxy> = Vec::new();
        for (value, from) in [&self.https_proxy, &self.http_proxy].into_iter().flatten() {
            if let Some(url) = Self::parse_proxy(value)
                && !out.iter().any(|p| p.url == url)
            {
                out.push(Proxy { url, from });
            }
        }
        out
    }

    /// How Go's HTTP client would send a request for `url`.
    pub fn decide(&self, url: &Url) -> Decision {
        let chosen = match url.scheme() {
            "https" => &self.https_proxy,
            "http" => &self.http_proxy,
            _ => return Decision::Direct(Bypass::NotHttp),
        };
        let Some((value, from)) = chosen else {
            return Decision::Direct(Bypass::NotSet);
        };
        let Some(proxy_url) = Self::parse_proxy(value) else {
            return Decision::Direct(Bypass::NotSet);
        };
        if url.scheme() == "http" && self.cgi {
            return Decision::CgiRefused;
        }
        let (host, ip) = match url.host() {
            Some(Host::Domain(d)) => (d.to_ascii_lowercase(), None),
            Some(Host::Ipv4(ip)) => (ip.to_string(), Some(IpAddr::V4(ip))),
            Some(Host::Ipv6(ip)) => (ip.to_string(), Some(IpAddr::V6(ip))),
            None => return Decision::Direct(Bypass::NotSet),
        };
        if host == "localhost" || ip.is_some_and(|ip| ip.is_loopback()) {
            return Decision::Direct(Bypass::Loopback);
        }
        let port = url
            .port_or_known_default()
            .map(|p| p.to_string())
            .unwrap_or_default();
        for (entry, matcher) in self.matchers() {
            let hit = match &matcher {
                Matcher::All => true,
                Matcher::Cidr { net, bits } => ip.is_some_and(|ip| in_cidr(ip, *net, *bits)),
                Matcher::Ip { ip: want, port: p } => {
                    ip == Some(*want) && p.as_ref().is_none_or(|p| *p == port)
                }
                Matcher::Domain {
                    suffix,
                    match_host,
                    port: p,
                } => {
                    ip.is_none()
                        && (host.ends_with(suffix.as_str()) || (*match_host && host == suffix[1..]))
                        && p.as_ref().is_none_or(|p| *p == port)
                }
            };
            if hit {
                return Decision::Direct(Bypass::NoProxy { entry });
            }
        }
        Decision::Proxy(Proxy {
            url: proxy_url,
            from,
        })
    }

    /// NO_PROXY parsed as Go's `init` does, each matcher with the entry it came from.
    fn matchers(&self) -> Vec<(String, Matcher)> {
        let Some((list, _)) = &self.no_proxy else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for raw in list.split(',') {
            let entry = raw.trim().to_ascii_lowercase();
            if entry.is_empty() {
                continue;
            }
            if entry == "*" {
                return vec![(raw.trim().to_string(), Matcher::All)];
            }
            if let Some((net, bits)) = parse_cidr(&entry) {
                out.push((raw.trim().to_string(), Matcher::Cidr { net, bits }));
                continue;
            }
            let (mut host, port) = match split_host_port(&entry) {
                Some((h, p)) => {
                    if h.is_empty() {
                        continue;
                    }
                    (h.to_string(), Some(p.to_string()))
                }
                None => (entry.clone(), None),
            };
            if host.starts_with('[') && host.ends_with(']') {
                host = host[1..host.len() - 1].to_string();
            }
            if let Ok(ip) = host.parse::<IpAddr>() {
                out.push((raw.trim().to_string(), Matcher::Ip { ip, port }));
                continue;
            }
            if let Some(rest) = host.strip_prefix("*.") {
                host = format!(".{rest}");
            }
            let match_host = !host.starts_with('.');
            if match_host {
                host = format!(".{host}");
            }
            out.push((
                raw.trim().to_string(),
                Matcher::Domain {
                    suffix: host,
                    match_host,
                    port,
                },
            ));
        }
        out
    }
}

/// Go's `net.SplitHostPort`, for the forms NO_PROXY entries take: `host:port`, `[v6]:port`.
fn split_host_port(s: &str) -> Option<(&str, &str)> {
    if let Some(rest) = s.strip_prefix('[') {
        let end = rest.find(']')?;
        let port = rest[end + 1..].strip_prefix(':')?;
        return Some((&s[..end + 2], port));
    }
    let (host, port) = s.rsplit_once(':')?;
    if host.contains(':') {
        return None; // a bare IPv6 address: "too many colons"
    }
    Some((host, port))
}

fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = s.split_once('/')?;
    let ip: IpAddr = ip.parse().ok()?;
    let bits: u8 = bits.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((ip, bits))
}

fn in_cidr(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        // Go compares a 4-in-6 address with an IPv4 network as IPv4.
        (IpAddr::V6(a), IpAddr::V4(_)) => a
            .to_ipv4_mapped()
            .is_some_and(|v4| in_cidr(IpAddr::V4(v4), net, bits)),
        (IpAddr::V4(_), IpAddr::V6(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> ProxyEnv {
        ProxyEnv::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    fn via(env: &ProxyEnv, url: &str) -> Option<String> {
        match env.decide(&Url::parse(url).unwrap()) {
            Decision::Proxy(p) => Some(format!("{} {}", p.from, p.url)),
            Decision::Direct(_) => None,
            Decision::CgiRefused => Some("refused".into()),
        }
    }

    #[test]
    fn the_request_scheme_picks_the_variable_and_upper_case_wins_when_non_empty() {
        let e = env(&[
            ("HTTPS_PROXY", ""),
            ("https_proxy", "http://lower:3128"),
            ("HTTP_PROXY", "http://upper:8080"),
            ("http_proxy", "http://ignored:1"),
        ]);
        assert_eq!(
            via(&e, "https://proxy.golang.org/x").as_deref(),
            Some("https_proxy http://lower:3128/")
        );
        assert_eq!(
            via(&e, "http://mirror.test/x").as_deref(),
            Some("HTTP_PROXY http://upper:8080/")
        );
        assert_eq!(via(&e, "file:///srv/proxy"), None);
        // Only HTTP_PROXY set: https URLs go direct.
        let only_http = env(&[("HTTP_PROXY", "http://p:1")]);
        assert_eq!(via(&only_http, "https://proxy.golang.org"), None);
    }

    #[test]
    fn values_without_a_scheme_are_retried_as_http_and_junk_is_ignored() {
        let e = env(&[("HTTPS_PROXY", "127.0.0.9:3128")]);
        assert_eq!(
            via(&e, "https://x.test").as_deref(),
            Some("HTTPS_PROXY http://127.0.0.9:3128/")
        );
        let socks = env(&[("HTTPS_PROXY", "socks5h://127.0.0.9:1080")]);
        assert_eq!(
            via(&socks, "https://x.test").as_deref(),
            Some("HTTPS_PROXY socks5h://127.0.0.9:1080")
        );
    }

    #[test]
    fn loopback_is_never_proxied() {
        let e = env(&[("HTTPS_PROXY", "http://p:1"), ("HTTP_PROXY", "http://p:1")]);
        for url in [
            "http://127.0.0.1:8080/x",
            "https://127.0.0.2/x",
            "http://localhost:3000",
            "https://[::1]:443/",
        ] {
            assert_eq!(
                e.decide(&Url::parse(url).unwrap()),
                Decision::Direct(Bypass::Loopback),
                "{url}"
            );
        }
        // "localhost.test" is not localhost.
        assert!(via(&e, "https://localhost.test").is_some());
    }

    #[test]
    fn no_proxy_entries_match_as_in_go() {
        let no = |list: &str, url: &str| {
            let e = env(&[
                ("HTTPS_PROXY", "http://p:1"),
                ("HTTP_PROXY", "http://p:1"),
                ("NO_PROXY", list),
            ]);
            match e.decide(&Url::parse(url).unwrap()) {
                Decision::Direct(Bypass::NoProxy { entry }) => Some(entry),
                _ => None,
            }
        };
        // Bare domains cover the domain and its subdomains; a leading dot or *. only subdomains.
        assert_eq!(
            no("corp.test", "https://corp.test/x").as_deref(),
            Some("corp.test")
        );
        assert_eq!(
            no("corp.test", "https://git.corp.test/x").as_deref(),
            Some("corp.test")
        );
        assert_eq!(no("corp.test", "https://evilcorp.test/x"), None);
        assert_eq!(no(".corp.test", "https://corp.test/x"), None);
        assert_eq!(
            no(".corp.test", "https://a.corp.test/x").as_deref(),
            Some(".corp.test")
        );
        assert_eq!(no("*.corp.test", "https://corp.test/x"), None);
        assert_eq!(
            no("*.corp.test", "https://a.corp.test").as_deref(),
            Some("*.corp.test")
        );
        // Trimmed and case-insensitive; empty entries skipped.
        assert_eq!(
            no(" , CORP.TEST ", "https://corp.test").as_deref(),
            Some("CORP.TEST")
        );
        // Ports: canonical defaults per scheme.
        assert_eq!(
            no("corp.test:443", "https://corp.test/x").as_deref(),
            Some("corp.test:443")
        );
        assert_eq!(no("corp.test:443", "http://corp.test/x"), None);
        assert_eq!(
            no("corp.test:8443", "https://corp.test:8443").as_deref(),
            Some("corp.test:8443")
        );
        // * anywhere disables proxying.
        assert_eq!(no("a.test,*", "https://b.test").as_deref(), Some("*"));
        // CIDRs and IPs only match IP literals; domains never match IP literals.
        assert_eq!(
            no("10.0.0.0/8", "https://10.1.2.3/x").as_deref(),
            Some("10.0.0.0/8")
        );
        assert_eq!(no("10.0.0.0/8", "https://ten.test/x"), None);
        assert_eq!(
            no("192.168.1.5", "https://192.168.1.5").as_deref(),
            Some("192.168.1.5")
        );
        assert_eq!(
            no("192.168.1.5:443", "https://192.168.1.5").as_deref(),
            Some("192.168.1.5:443")
        );
        assert_eq!(no("192.168.1.5:80", "https://192.168.1.5"), None);
        assert_eq!(
            no("[2001:db8::1]:443", "https://[2001:db8::1]/").as_deref(),
            Some("[2001:db8::1]:443")
        );
        assert_eq!(
            no("2001:db8::/32", "https://[2001:db8::7]/").as_deref(),
            Some("2001:db8::/32")
        );
        assert_eq!(no("168.1.5", "https://192.168.1.5"), None);
    }

    #[test]
    fn cgi_environments_refuse_http_proxy_for_http_urls_only() {
        let e = env(&[
            ("HTTP_PROXY", "http://p:1"),
            ("HTTPS_PROXY", "http://p:1"),
            ("REQUEST_METHOD", "GET"),
        ]);
        assert_eq!(
            e.decide(&Url::parse("http://m.test").unwrap()),
            Decision::CgiRefused
        );
        assert!(matches!(
            e.decide(&Url::parse("https://m.test").unwrap()),
            Decision::Proxy(_)
        ));
    }

    #[test]
    fn configured_lists_each_proxy_once() {
        let e = env(&[("HTTP_PROXY", "http://p:1"), ("HTTPS_PROXY", "http://p:1")]);
        let all = e.configured();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].from, "HTTPS_PROXY");
    }
}
