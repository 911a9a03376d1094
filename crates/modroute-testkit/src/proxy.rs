//! The authenticating forward proxy and the proxy that refuses CONNECT.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use base64::Engine as _;
use tokio::io::{AsyncWriteExt, copy_bidirectional};
use tokio::net::TcpStream;

use crate::wire::{self, Head};
use crate::{Logged, PROXY_PASSWORD, PROXY_USER, Shared};

/// Headers that belong to the hop to the proxy and are not forwarded.
const HOP_HEADERS: &[&str] = &[
    "proxy-authorization",
    "proxy-connection",
    "connection",
    "keep-alive",
    "te",
    "upgrade",
];

fn authorized(head: &Head) -> bool {
    let Some(value) = head.header("proxy-authorization") else {
        return false;
    };
    let mut parts = value.trim().splitn(2, ' ');
    let scheme = parts.next().unwrap_or_default();
    let token = parts.next().unwrap_or_default().trim();
    if !scheme.eq_ignore_ascii_case("basic") {
        return false;
    }
    base64::engine::general_purpose::STANDARD
        .decode(token)
        .is_ok_and(|raw| raw == format!("{PROXY_USER}:{PROXY_PASSWORD}").as_bytes())
}

/// The proxy's own name resolution: `*.corp.test` and `localhost` are 127.0.0.1, IP literals
/// must be loopback; nothing else is reachable (and nothing is ever looked up in DNS).
pub(crate) fn resolve(host: &str) -> Option<IpAddr> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return ip.is_loopback().then_some(ip);
    }
    let name = bare.trim_end_matches('.').to_ascii_lowercase();
    (name == "localhost" || name.ends_with(".corp.test")).then_some(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// Splits `host:port` (IPv6 in brackets); `default_port` when there is none.
fn split_authority(authority: &str, default_port: Option<u16>) -> Option<(String, u16)> {
    if let Some(after) = authority.strip_prefix('[') {
        let (host, tail) = after.split_once(']')?;
        let port = match tail.strip_prefix(':') {
            Some(p) => p.parse().ok()?,
            None if tail.is_empty() => default_port?,
            None => return None,
        };
        return Some((format!("[{host}]"), port));
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => Some((host.to_owned(), port.parse().ok()?)),
        Some(_) => None,
        None if !authority.is_empty() => Some((authority.to_owned(), default_port?)),
        None => None,
    }
}

async fn connect_upstream(client: &mut TcpStream, host: &str, port: u16) -> Option<TcpStream> {
    let Some(ip) = resolve(host) else {
        wire::respond_and_close(
            client,
            "502 Bad Gateway",
            &[],
            &format!("modroute-testkit proxy: {host} is not reachable from this proxy\n"),
        )
        .await;
        return None;
    };
    match TcpStream::connect((ip, port)).await {
        Ok(upstream) => {
            let _ = upstream.set_nodelay(true);
            Some(upstream)
        }
        Err(e) => {
            wire::respond_and_close(
                client,
                "502 Bad Gateway",
                &[],
                &format!("modroute-testkit proxy: connecting to {host}:{port}: {e}\n"),
            )
            .await;
            None
        }
    }
}

/// Serves one connection of the authenticating forward proxy.
pub(crate) async fn serve(mut client: TcpStream, shared: Arc<Shared>) {
    let Ok(Some(head)) = wire::read_head(&mut client).await else {
        return;
    };
    let ok = authorized(&head);
    shared.record(Logged {
        server: "proxy",
        method: head.method.clone(),
        target: head.target.clone(),
        host: head.header("host").map(str::to_owned),
        user_agent: head.header("user-agent").map(str::to_owned),
        authorized: ok,
    });
    if !ok {
        wire::respond_and_close(
            &mut client,
            "407 Proxy Authentication Required",
            &[("Proxy-Authenticate", "Basic realm=\"modroute-test\"")],
            "proxy authentication required\n",
        )
        .await;
        return;
    }

    if head.method.eq_ignore_ascii_case("CONNECT") {
        let Some((host, port)) = split_authority(&head.target, None) else {
            wire::respond_and_close(&mut client, "400 Bad Request", &[], "bad CONNECT target\n")
                .await;
            return;
        };
        // `*.corp.test:443` is the TLS module server: module paths cannot carry a port, so a
        // `direct` fetch (go-get, git) of `athens.corp.test/...` must reach it on 443.
        let port = match shared.https_443.load(std::sync::atomic::Ordering::Relaxed) {
            mapped
                if port == 443
                    && mapped != 0
                    && host.to_ascii_lowercase().ends_with(".corp.test") =>
            {
                mapped
            }
            _ => port,
        };
        let Some(mut upstream) = connect_upstream(&mut client, &host, port).await else {
            return;
        };
        if client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .is_err()
        {
            return;
        }
        if !head.rest().is_empty() && upstream.write_all(head.rest()).await.is_err() {
            return;
        }
        let _ = copy_bidirectional(&mut client, &mut upstream).await;
        return;
    }

    // Absolute-form request: http://authority/path
    let Some(after_scheme) = head
        .target
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"))
        .map(|_| &head.target[7..])
    else {
        wire::respond_and_close(
            &mut client,
            "400 Bad Request",
            &[],
            "this proxy needs CONNECT or an absolute http:// URI\n",
        )
        .await;
        return;
    };
    let split_at = after_scheme.find(['/', '?']).unwrap_or(after_scheme.len());
    let (authority, path) = after_scheme.split_at(split_at);
    let path = if path.is_empty() {
        "/".to_owned()
    } else if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    let Some((host, port)) = split_authority(authority, Some(80)) else {
        wire::respond_and_close(&mut client, "400 Bad Request", &[], "bad request URI\n").await;
        return;
    };
    let Some(mut upstream) = connect_upstream(&mut client, &host, port).await else {
        return;
    };
    let mut out = format!("{} {path} HTTP/1.1\r\n", head.method);
    if head.header("host").is_none() {
        out.push_str(&format!("Host: {authority}\r\n"));
    }
    for (name, value) in &head.headers {
        if HOP_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            continue;
        }
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    if upstream.write_all(out.as_bytes()).await.is_err()
        || upstream.write_all(head.rest()).await.is_err()
    {
        return;
    }
    let _ = copy_bidirectional(&mut client, &mut upstream).await;
}

/// Serves one connection of the proxy that supports no CONNECT (nor anything else).
pub(crate) async fn serve_no_connect(mut client: TcpStream, shared: Arc<Shared>) {
    let Ok(Some(head)) = wire::read_head(&mut client).await else {
        return;
    };
    shared.record(Logged {
        server: "no-connect-proxy",
        method: head.method.clone(),
        target: head.target.clone(),
        host: head.header("host").map(str::to_owned),
        user_agent: head.header("user-agent").map(str::to_owned),
        authorized: head.header("proxy-authorization").is_some(),
    });
    wire::respond_and_close(
        &mut client,
        "501 Not Implemented",
        &[],
        "Unsupported method ('CONNECT')",
    )
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_maps_corp_test_and_localhost_to_loopback_only() {
        let lo = Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(resolve("athens.corp.test"), lo);
        assert_eq!(resolve("Athens.CORP.test."), lo);
        assert_eq!(resolve("localhost"), lo);
        assert_eq!(resolve("127.0.0.1"), lo);
        assert_eq!(resolve("127.1.2.3"), "127.1.2.3".parse().ok());
        assert_eq!(resolve("[::1]"), "::1".parse().ok());
        for refused in [
            "corp.test",
            "example.com",
            "athens.corp.test.example.com",
            "10.0.0.1",
            "192.168.1.1",
            "8.8.8.8",
            "[2001:db8::1]",
            "",
        ] {
            assert_eq!(resolve(refused), None, "{refused}");
        }
    }

    #[test]
    fn split_authority_handles_ports_and_brackets() {
        assert_eq!(
            split_authority("athens.corp.test:443", None),
            Some(("athens.corp.test".into(), 443))
        );
        assert_eq!(
            split_authority("[::1]:8080", None),
            Some(("[::1]".into(), 8080))
        );
        assert_eq!(
            split_authority("127.0.0.1", Some(80)),
            Some(("127.0.0.1".into(), 80))
        );
        assert_eq!(split_authority("127.0.0.1", None), None);
        assert_eq!(split_authority(":443", None), None);
        assert_eq!(split_authority("host:notaport", None), None);
    }
}
