//! The plain-HTTP module server: the Go module proxy protocol and every injected fault.

mod common;

use std::io::{Cursor, ErrorKind, Read};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::{connect, get, read_all, read_for, write_get};
use modroute_testkit::Fixture;

#[test]
fn ok_serves_the_go_module_proxy_protocol() {
    let fx = Fixture::start();
    let base = fx.http_base("ok");

    let list = get(&format!("{base}/example.com/m/@v/list"));
    assert_eq!(list.status, 200);
    assert!(
        list.header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(list.text(), "v1.0.0\nv1.1.0\n");

    let info = get(&format!("{base}/example.com/m/@v/v1.0.0.info"));
    assert_eq!(info.status, 200);
    let json: serde_json::Value = serde_json::from_slice(&info.body).unwrap();
    assert_eq!(json["Version"], "v1.0.0");
    assert_eq!(json["Time"], "2024-01-01T00:00:00Z");

    let latest = get(&format!("{base}/example.com/m/@latest"));
    assert_eq!(latest.status, 200);
    let json: serde_json::Value = serde_json::from_slice(&latest.body).unwrap();
    assert_eq!(json["Version"], "v1.1.0");

    let text_latest = get(&format!("{base}/golang.org/x/text/@latest"));
    let json: serde_json::Value = serde_json::from_slice(&text_latest.body).unwrap();
    assert_eq!(
        json["Version"], "v0.14.0",
        "newest by semver, not by string"
    );

    let gomod = get(&format!("{base}/golang.org/x/text/@v/v0.3.0.mod"));
    assert_eq!(gomod.status, 200);
    assert_eq!(gomod.text(), "module golang.org/x/text\n\ngo 1.21\n");

    let zip = get(&format!("{base}/example.com/m/@v/v1.1.0.zip"));
    assert_eq!(zip.status, 200);
    let mut archive = zip::ZipArchive::new(Cursor::new(zip.body)).unwrap();
    let mut names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    names.sort();
    assert_eq!(
        names,
        ["example.com/m@v1.1.0/go.mod", "example.com/m@v1.1.0/m.go"]
    );
    let mut gomod_in_zip = String::new();
    archive
        .by_name("example.com/m@v1.1.0/go.mod")
        .unwrap()
        .read_to_string(&mut gomod_in_zip)
        .unwrap();
    assert_eq!(gomod_in_zip, "module example.com/m\n\ngo 1.21\n");
}

#[test]
fn ok_decodes_case_escaped_module_paths() {
    let fx = Fixture::start();
    let base = fx.http_base("ok");
    for path in ["example.com/!upper/m", "example.com/%21upper/m"] {
        let list = get(&format!("{base}/{path}/@v/list"));
        assert_eq!(list.status, 200, "{path}");
        assert_eq!(list.text(), "v1.0.0\n");
    }
    let zip = get(&format!("{base}/example.com/!upper/m/@v/v1.0.0.zip"));
    let archive = zip::ZipArchive::new(Cursor::new(zip.body)).unwrap();
    assert!(
        archive
            .file_names()
            .all(|n| n.starts_with("example.com/Upper/m@v1.0.0/")),
        "zip paths use the real (unescaped) module path"
    );
    // The unescaped spelling is not a valid escaped path.
    assert_eq!(
        get(&format!("{base}/example.com/Upper/m/@v/list")).status,
        404
    );
}

#[test]
fn ok_answers_unknown_modules_and_versions_with_404() {
    let fx = Fixture::start();
    let base = fx.http_base("ok");
    for path in [
        "golang.org/toolchain/@v/list",
        "golang.org/toolchain/@v/v0.0.1-go1.23.0.linux-amd64.info",
        "example.com/nope/@v/list",
        "example.com/m/@v/v9.9.9.info",
        "example.com/m/@v/v9.9.9.zip",
        "not-a-module-path",
    ] {
        let resp = get(&format!("{base}/{path}"));
        assert_eq!(resp.status, 404, "{path}");
        assert!(
            resp.header("content-type")
                .unwrap()
                .starts_with("text/plain")
        );
        assert!(
            resp.text().starts_with("not found: "),
            "{path}: {}",
            resp.text()
        );
    }
    let unknown_fault = get(&format!(
        "{}/example.com/m/@v/list",
        fx.http_base("no-such-fault")
    ));
    assert_eq!(unknown_fault.status, 404);
}

#[test]
fn sumdb_endpoints_follow_the_fault() {
    let fx = Fixture::start();
    let ok = fx.http_base("ok");
    let supported = get(&format!("{ok}/sumdb/sum.golang.org/supported"));
    assert_eq!(supported.status, 200);
    assert!(supported.body.is_empty());
    let latest = get(&format!("{ok}/sumdb/sum.golang.org/latest"));
    assert_eq!(latest.status, 200);
    let note = latest.text();
    assert!(note.starts_with("go.sum database tree\n1234\n"), "{note}");
    let lines: Vec<&str> = note.split('\n').collect();
    assert_eq!(lines[3], "");
    assert!(lines[4].starts_with("\u{2014} sum.golang.org "), "{note}");
    assert_eq!(
        get(&format!(
            "{ok}/sumdb/sum.golang.org/lookup/example.com/m@v1.0.0"
        ))
        .status,
        404
    );

    let nosumdb = fx.http_base("nosumdb");
    assert_eq!(
        get(&format!("{nosumdb}/sumdb/sum.golang.org/supported")).status,
        404
    );
    assert_eq!(
        get(&format!("{nosumdb}/sumdb/sum.golang.org/latest")).status,
        404
    );
    assert_eq!(get(&format!("{nosumdb}/example.com/m/@v/list")).status, 200);

    let sumdb500 = fx.http_base("sumdb500");
    assert_eq!(
        get(&format!("{sumdb500}/sumdb/sum.golang.org/supported")).status,
        500
    );
    assert_eq!(
        get(&format!("{sumdb500}/example.com/m/@v/list")).status,
        200
    );
}

#[test]
fn status_faults_answer_every_path_with_their_status() {
    let fx = Fixture::start();
    for status in [404u16, 410, 403, 500] {
        for path in [
            "example.com/m/@v/list",
            "sumdb/sum.golang.org/supported",
            "",
        ] {
            let resp = get(&format!("{}/{path}", fx.http_base(&status.to_string())));
            assert_eq!(resp.status, status, "{status} {path}");
            assert_eq!(resp.text().trim_end(), format!("injected {status}"));
            assert!(
                resp.header("content-type")
                    .unwrap()
                    .starts_with("text/plain")
            );
        }
    }
}

#[test]
fn portal_serves_a_login_page_for_every_path() {
    let fx = Fixture::start();
    for path in ["example.com/m/@v/list", "sumdb/sum.golang.org/latest"] {
        let resp = get(&format!("{}/{path}", fx.http_base("portal")));
        assert_eq!(resp.status, 200);
        assert_eq!(
            resp.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        let page = resp.text();
        assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(
            page.contains("<form") && page.contains("password"),
            "{page}"
        );
    }
}

#[test]
fn html_list_answers_list_and_latest_with_html() {
    let fx = Fixture::start();
    let base = fx.http_base("html-list");
    let list = get(&format!("{base}/example.com/m/@v/list"));
    assert_eq!(list.status, 200);
    assert!(
        list.header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(list.text().starts_with("<html>"), "{}", list.text());
    let latest = get(&format!("{base}/example.com/m/@latest"));
    assert_eq!(latest.status, 200);
    assert!(latest.text().starts_with("<html>"));
    // Everything else is a working proxy.
    let info = get(&format!("{base}/example.com/m/@v/v1.0.0.info"));
    assert!(info.text().contains("\"Version\":\"v1.0.0\""));
}

#[test]
fn slow_delays_the_headers() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("slow-400"));
    let mut stream = connect(&url, Duration::from_secs(10));
    let start = Instant::now();
    write_get(&mut stream, &url);
    let mut first = [0u8; 1];
    stream.read_exact(&mut first).unwrap();
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(400),
        "first byte after {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(3),
        "first byte after {waited:?}"
    );
    let (rest, err) = read_all(&mut stream);
    assert!(err.is_none());
    let mut raw = first.to_vec();
    raw.extend(rest);
    let resp = common::parse_response(&raw);
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), "v1.0.0\nv1.1.0\n");
}

#[test]
fn redirect_loop_points_at_itself() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("redirect-loop"));
    let resp = get(&url);
    assert_eq!(resp.status, 302);
    assert_eq!(
        resp.header("location"),
        Some("/redirect-loop/example.com/m/@v/list")
    );
}

#[test]
fn huge_streams_64_mib_of_version_lines() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("huge"));
    let mut stream = connect(&url, Duration::from_secs(10));
    write_get(&mut stream, &url);
    let head = common::read_head_exact(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-length: 67108864\r\n"),
        "{head}"
    );
    let mut first = vec![0u8; 64];
    stream.read_exact(&mut first).unwrap();
    for line in String::from_utf8(first.clone()).unwrap().lines().take(7) {
        assert!(line.starts_with("v1.") && line.len() == 7, "line {line:?}");
    }
    let mut total = first.len() as u64;
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match stream.read(&mut buf).unwrap() {
            0 => break,
            n => total += n as u64,
        }
    }
    assert_eq!(total, 64 * 1024 * 1024);
    // Other paths under `huge` are a working proxy.
    let info = get(&format!(
        "{}/example.com/m/@v/v1.0.0.info",
        fx.http_base("huge")
    ));
    assert_eq!(info.status, 200);
}

#[test]
fn endless_never_finishes_its_chunked_body() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("endless"));
    let mut stream = connect(&url, Duration::from_secs(1));
    write_get(&mut stream, &url);
    let (raw, eof) = read_for(&mut stream, Duration::from_millis(500));
    assert!(!eof, "the body must not end");
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("HTTP/1.1 200 "), "{text}");
    assert!(
        text.to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
    );
    assert!(
        text.matches("v1.0.0\n").count() >= 100,
        "only {} lines",
        text.matches("v1.0.0\n").count()
    );
    assert!(!text.contains("\r\n0\r\n\r\n"), "no terminating chunk");
}

#[test]
fn hang_reads_the_request_and_never_answers() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("hang"));
    let mut stream = connect(&url, Duration::from_secs(1));
    write_get(&mut stream, &url);
    let (raw, eof) = read_for(&mut stream, Duration::from_millis(400));
    assert!(raw.is_empty() && !eof, "got {raw:?}, eof {eof}");
    let log = fx.log();
    assert_eq!(log.len(), 1, "the request was read: {log:?}");
    assert_eq!(log[0].target, "/hang/example.com/m/@v/list");
}

#[test]
fn hang_body_sends_ten_of_a_hundred_bytes() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("hang-body"));
    let mut stream = connect(&url, Duration::from_secs(1));
    write_get(&mut stream, &url);
    let (raw, eof) = read_for(&mut stream, Duration::from_millis(400));
    assert!(!eof);
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete head");
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert!(head.contains("Content-Length: 100"), "{head}");
    assert_eq!(body.len(), 10, "{body:?}");
}

#[test]
fn reset_answers_with_a_tcp_rst() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("reset"));
    let mut stream = connect(&url, Duration::from_secs(1));
    write_get(&mut stream, &url);
    let (raw, err) = read_all(&mut stream);
    assert!(raw.is_empty());
    let err = err.expect("a read error, not a clean EOF");
    assert_eq!(err.kind(), ErrorKind::ConnectionReset, "{err}");
}

#[test]
fn garbage_writes_non_http_bytes_and_closes() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("garbage"));
    let mut stream = connect(&url, Duration::from_secs(1));
    write_get(&mut stream, &url);
    let (raw, err) = read_all(&mut stream);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(raw, b"\x00\x01garbage not http\r\n\r\n");
}

#[test]
fn slowloris_trickles_one_header_byte_every_200ms() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("slowloris"));
    let mut stream = connect(&url, Duration::from_secs(1));
    write_get(&mut stream, &url);
    let (raw, eof) = read_for(&mut stream, Duration::from_millis(700));
    assert!(!eof);
    let text = String::from_utf8_lossy(&raw);
    let trickled = text
        .strip_prefix("HTTP/1.1 200 OK\r\n")
        .unwrap_or_else(|| panic!("status line first: {text:?}"));
    assert!(
        (1..=5).contains(&trickled.len()),
        "one byte per 200 ms, got {trickled:?}"
    );
    assert!(
        !trickled.contains('\n'),
        "the header never ends: {trickled:?}"
    );
}

#[test]
fn bad_chunk_sends_an_invalid_chunk_size() {
    let fx = Fixture::start();
    let url = format!("{}/example.com/m/@v/list", fx.http_base("bad-chunk"));
    let mut stream = connect(&url, Duration::from_secs(1));
    write_get(&mut stream, &url);
    let (raw, _) = read_all(&mut stream);
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete head");
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    assert!(head.contains("Transfer-Encoding: chunked"), "{head}");
    assert!(body.starts_with("zz\r\n"), "{body:?}");
}

#[test]
fn closed_base_refuses_connections() {
    let fx = Fixture::start();
    let (_, _, port, _) = common::split_url(&fx.closed_base());
    let err = TcpStream::connect(("127.0.0.1", port)).expect_err("nothing listens there");
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err}");
}

#[test]
fn log_records_requests_in_order_and_clears() {
    let fx = Fixture::start();
    get(&format!("{}/example.com/m/@v/list", fx.http_base("ok")));
    get(&format!("{}/x", fx.http_base("500")));
    let log = fx.log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!(log[0].server, "module");
    assert_eq!(log[0].method, "GET");
    assert_eq!(log[0].target, "/ok/example.com/m/@v/list");
    let (_, _, port, _) = common::split_url(&fx.http_base("ok"));
    assert_eq!(
        log[0].host.as_deref(),
        Some(format!("127.0.0.1:{port}").as_str())
    );
    assert_eq!(log[0].user_agent.as_deref(), Some("testkit-test/1"));
    assert!(!log[0].authorized);
    assert_eq!(log[1].target, "/500/x");
    fx.clear_log();
    assert!(fx.log().is_empty());
}

#[test]
fn dropping_the_fixture_stops_its_servers() {
    let fx = Fixture::start();
    let url = fx.http_base("ok");
    let hanging_url = format!("{}/x", fx.http_base("hang"));
    let mut hanging = connect(&hanging_url, Duration::from_secs(1));
    write_get(&mut hanging, &hanging_url);
    std::thread::sleep(Duration::from_millis(50));
    let ca = fx.ca_file().to_owned();
    assert!(ca.exists());
    drop(fx);
    // The parked connection is closed, the listener is gone and the CA file deleted.
    let (_, eof) = read_for(&mut hanging, Duration::from_millis(500));
    assert!(eof, "the hanging connection is closed on drop");
    let (_, _, port, _) = common::split_url(&url);
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    assert!(!ca.exists());
}
