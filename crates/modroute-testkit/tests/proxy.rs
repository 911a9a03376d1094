//! The authenticating forward proxy and the proxy without CONNECT.

mod common;

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use base64::Engine as _;
use common::{client_config, read_all, read_head_exact, split_url, tls_over};
use modroute_testkit::{Fixture, PROXY_PASSWORD, PROXY_USER};

fn auth_header(user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Proxy-Authorization: Basic {token}\r\n")
}

fn good_auth() -> String {
    auth_header(PROXY_USER, PROXY_PASSWORD)
}

fn proxy_conn(fx: &Fixture) -> TcpStream {
    let stream = TcpStream::connect(fx.proxy_addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
}

fn connect_request(fx: &Fixture, authority: &str, auth: &str) -> (TcpStream, String) {
    let mut stream = proxy_conn(fx);
    write!(
        stream,
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: testkit-test/1\r\n{auth}\r\n"
    )
    .unwrap();
    let head = read_head_exact(&mut stream);
    (stream, head)
}

#[test]
fn proxy_url_carries_the_credentials() {
    let fx = Fixture::start();
    assert_eq!(
        fx.proxy_url(),
        format!(
            "http://modroute:s3cret-pw@127.0.0.1:{}",
            fx.proxy_addr().port()
        )
    );
    assert!(fx.proxy_addr().ip().is_loopback());
}

#[test]
fn connect_without_or_with_wrong_credentials_is_407() {
    let fx = Fixture::start();
    let (_, _, port, _) = split_url(&fx.tls_base("ok"));
    let authority = format!("athens.corp.test:{port}");
    for auth in [
        String::new(),
        auth_header(PROXY_USER, "wrong"),
        "Proxy-Authorization: Bearer abc\r\n".to_owned(),
    ] {
        let (_, head) = connect_request(&fx, &authority, &auth);
        assert!(
            head.starts_with("HTTP/1.1 407 Proxy Authentication Required\r\n"),
            "{head}"
        );
        assert!(
            head.contains("Proxy-Authenticate: Basic realm=\"modroute-test\"\r\n"),
            "{head}"
        );
    }
    let log = fx.log();
    assert_eq!(log.len(), 3);
    assert!(
        log.iter()
            .all(|l| l.server == "proxy" && !l.authorized && l.method == "CONNECT")
    );
    assert_eq!(log[0].target, authority);
}

#[test]
fn connect_with_credentials_tunnels_tls_to_the_named_server() {
    let fx = Fixture::start();
    let (_, _, port, _) = split_url(&fx.tls_named_base("ok"));
    let authority = format!("athens.corp.test:{port}");
    let (stream, head) = connect_request(&fx, &authority, &good_auth());
    assert_eq!(head, "HTTP/1.1 200 Connection established\r\n\r\n");

    let mut tls = tls_over(stream, "athens.corp.test", client_config(fx.ca_file()))
        .expect("TLS through the tunnel, SNI athens.corp.test");
    write!(
        tls,
        "GET /ok/example.com/m/@v/list HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let (raw, err) = read_all(&mut tls);
    assert!(err.is_none(), "{err:?}");
    let resp = common::parse_response(&raw);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), "v1.0.0\nv1.1.0\n");

    let log = fx.log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].server, "proxy");
    assert_eq!(log[0].method, "CONNECT");
    assert_eq!(log[0].target, authority);
    assert!(log[0].authorized);
    assert_eq!(log[0].user_agent.as_deref(), Some("testkit-test/1"));
    assert_eq!(log[1].server, "module");
    assert_eq!(log[1].host.as_deref(), Some(authority.as_str()));
}

#[test]
fn absolute_form_requests_are_forwarded() {
    let fx = Fixture::start();
    let target = format!("{}/example.com/m/@v/list", fx.http_base("ok"));
    for auth in [String::new(), good_auth()] {
        let mut stream = proxy_conn(&fx);
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: {}\r\n{auth}Proxy-Connection: keep-alive\r\n\r\n",
            target.split('/').nth(2).unwrap()
        )
        .unwrap();
        let (raw, err) = read_all(&mut stream);
        assert!(err.is_none(), "{err:?}");
        let resp = common::parse_response(&raw);
        if auth.is_empty() {
            assert_eq!(resp.status, 407);
        } else {
            assert_eq!(resp.status, 200);
            assert_eq!(resp.text(), "v1.0.0\nv1.1.0\n");
        }
    }
    let log = fx.log();
    assert_eq!(log.len(), 3, "{log:?}");
    assert_eq!((log[0].server, log[0].authorized), ("proxy", false));
    assert_eq!((log[1].server, log[1].authorized), ("proxy", true));
    assert_eq!(log[1].target, target);
    assert_eq!(log[2].server, "module");
    assert_eq!(
        log[2].target, "/ok/example.com/m/@v/list",
        "rewritten to origin form"
    );
}

#[test]
fn unreachable_targets_are_502() {
    let fx = Fixture::start();
    let (_, _, closed, _) = split_url(&fx.closed_base());
    // Not *.corp.test nor loopback: refused without any lookup or connection attempt.
    for authority in ["example.com:443".to_owned(), format!("127.0.0.1:{closed}")] {
        let (_, head) = connect_request(&fx, &authority, &good_auth());
        assert!(head.starts_with("HTTP/1.1 502 "), "{authority}: {head}");
    }
}

#[test]
fn no_connect_proxy_answers_501() {
    let fx = Fixture::start();
    let (_, _, port, _) = split_url(&fx.no_connect_proxy_url());
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "CONNECT athens.corp.test:443 HTTP/1.1\r\nHost: athens.corp.test:443\r\n\r\n"
    )
    .unwrap();
    let (raw, err) = read_all(&mut stream);
    assert!(err.is_none(), "{err:?}");
    let resp = common::parse_response(&raw);
    assert_eq!(resp.status, 501);
    assert_eq!(resp.text(), "Unsupported method ('CONNECT')");
    assert_eq!(fx.log()[0].server, "no-connect-proxy");
}
