//! The TLS listeners: which certificates a client trusting only the private CA accepts.

mod common;

use std::io::Write;

use common::{client_config, read_all, tls_connect};
use modroute_testkit::Fixture;
use rustls::{CertificateError, Error};

fn get_over_tls(fx: &Fixture, url: &str, server_name: &str) -> common::Resp {
    let mut tls = tls_connect(url, server_name, client_config(fx.ca_file())).expect("handshake");
    common::write_get(&mut tls, url);
    let (raw, err) = read_all(&mut tls);
    assert!(err.is_none(), "{err:?}");
    common::parse_response(&raw)
}

#[test]
fn ca_file_is_a_pem_certificate() {
    let fx = Fixture::start();
    let pem = std::fs::read_to_string(fx.ca_file()).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert_eq!(pem.matches("BEGIN CERTIFICATE").count(), 1);
}

#[test]
fn tls_base_is_trusted_through_the_ca_file_by_ip_and_names() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.tls_base("ok"));
    for name in ["127.0.0.1", "localhost", "athens.corp.test"] {
        let resp = get_over_tls(&fx, &url, name);
        assert_eq!(resp.status, 200, "{name}");
        assert_eq!(resp.text(), "v1.0.0\nv1.1.0\n");
    }
    let log = fx.log();
    assert_eq!(log.len(), 3);
    assert!(
        log.iter()
            .all(|l| l.server == "module" && l.target == "/ok/example.com/m/@v/list")
    );
}

#[test]
fn tls_base_is_not_trusted_for_other_names() {
    let fx = Fixture::start();
    let err = tls_connect(
        &fx.tls_base("ok"),
        "other.corp.test",
        client_config(fx.ca_file()),
    )
    .expect_err("not one of its names");
    assert!(
        matches!(
            err,
            Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
            )
        ),
        "{err:?}"
    );
}

#[test]
fn self_signed_is_an_unknown_issuer() {
    let fx = Fixture::start();
    let err = tls_connect(
        &fx.self_signed_base("ok"),
        "127.0.0.1",
        client_config(fx.ca_file()),
    )
    .expect_err("self-signed");
    assert_eq!(
        err,
        Error::InvalidCertificate(CertificateError::UnknownIssuer)
    );
}

#[test]
fn wrong_name_is_not_valid_for_the_address() {
    let fx = Fixture::start();
    let err = tls_connect(
        &fx.wrong_name_base("ok"),
        "127.0.0.1",
        client_config(fx.ca_file()),
    )
    .expect_err("wrong name");
    assert!(
        matches!(
            err,
            Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
            )
        ),
        "{err:?}"
    );
    // The same server is fine for the name it does carry: only the name is wrong.
    tls_connect(
        &fx.wrong_name_base("ok"),
        "wrong.test",
        client_config(fx.ca_file()),
    )
    .expect("valid for wrong.test");
}

#[test]
fn expired_is_expired() {
    let fx = Fixture::start();
    let err = tls_connect(
        &fx.expired_base("ok"),
        "127.0.0.1",
        client_config(fx.ca_file()),
    )
    .expect_err("expired");
    assert!(
        matches!(
            err,
            Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. }
            )
        ),
        "{err:?}"
    );
}

#[test]
fn raw_faults_work_over_tls_too() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.tls_base("garbage"));
    let mut tls = tls_connect(&url, "127.0.0.1", client_config(fx.ca_file())).unwrap();
    common::write_get(&mut tls, &url);
    let (raw, err) = read_all(&mut tls);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(raw, b"\x00\x01garbage not http\r\n\r\n");

    let url = format!("{}/example.com/m/@v/list", fx.tls_base("404"));
    let resp = get_over_tls(&fx, &url, "127.0.0.1");
    assert_eq!(resp.status, 404);
    assert_eq!(resp.text().trim_end(), "injected 404");

    // hang over TLS: the handshake completes, the request is read, no answer comes.
    let url = format!("{}/x", fx.tls_base("hang"));
    let mut tls = tls_connect(&url, "127.0.0.1", client_config(fx.ca_file())).unwrap();
    tls.sock
        .set_read_timeout(Some(std::time::Duration::from_millis(300)))
        .unwrap();
    tls.write_all(b"GET /hang/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 16];
    let err = std::io::Read::read(&mut tls, &mut buf).expect_err("no answer");
    assert!(
        matches!(
            err.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{err}"
    );
}
