//! The `modroute-testserver` binary: one JSON line, serving until stdin closes or SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KEYS: &[&str] = &[
    "http",
    "tls",
    "tls_named",
    "self_signed",
    "wrong_name",
    "expired",
    "proxy",
    "no_connect_proxy",
    "closed",
    "ca_file",
];

fn start() -> (Child, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_modroute-testserver"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    (child, json)
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("modroute-testserver did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn prints_its_urls_serves_and_exits_when_stdin_closes() {
    let (mut child, json) = start();
    let object = json.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut expected = KEYS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected);

    let http = json["http"].as_str().unwrap();
    assert!(
        http.starts_with("http://127.0.0.1:") && !http.ends_with('/'),
        "{http}"
    );
    let tls = json["tls"].as_str().unwrap();
    let (_, tls_port) = tls.rsplit_once(':').unwrap();
    assert_eq!(
        json["tls_named"],
        format!("https://athens.corp.test:{tls_port}")
    );
    assert!(
        json["proxy"]
            .as_str()
            .unwrap()
            .starts_with("http://modroute:s3cret-pw@127.0.0.1:")
    );
    assert!(std::path::Path::new(json["ca_file"].as_str().unwrap()).is_file());

    let resp = common::get(&format!("{http}/ok/example.com/m/@v/list"));
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), "v1.0.0\nv1.1.0\n");

    drop(child.stdin.take());
    let status = wait_exit(&mut child, Duration::from_secs(10));
    assert!(status.success(), "{status}");
    assert!(
        !std::path::Path::new(json["ca_file"].as_str().unwrap()).exists(),
        "the CA file is removed on exit"
    );
}

#[cfg(unix)]
#[test]
fn exits_zero_on_sigterm() {
    let (mut child, _json) = start();
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = wait_exit(&mut child, Duration::from_secs(10));
    assert!(status.success(), "{status}");
}
