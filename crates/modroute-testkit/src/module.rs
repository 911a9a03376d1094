//! The Go module proxy with injected faults (plain HTTP and every TLS listener serve this).

use std::convert::Infallible;
use std::future::Future;
use std::io::{Cursor, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Frame, SizeHint};
use hyper::header::{CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::time::Sleep;

use crate::wire::{self, Conn, Rewind};
use crate::{Logged, Shared};

/// The modules every well-behaved fault serves: path and versions, oldest first.
const CATALOG: &[(&str, &[&str])] = &[
    ("example.com/m", &["v1.0.0", "v1.1.0"]),
    ("example.com/Upper/m", &["v1.0.0"]),
    ("golang.org/x/text", &["v0.3.0", "v0.14.0"]),
];

/// Size of the `huge` fault's `@v/list` body.
const HUGE_LEN: u64 = 64 * 1024 * 1024;
/// Pause between two chunks of the `endless` fault.
const ENDLESS_PAUSE: Duration = Duration::from_millis(10);
/// Pause between two header bytes of the `slowloris` fault.
const SLOWLORIS_PAUSE: Duration = Duration::from_millis(200);

const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

const PORTAL_PAGE: &str = "<!DOCTYPE html>\n<html>\n<head><title>Guest Wi-Fi - Sign in</title></head>\n<body>\n<h1>Welcome to Guest Wi-Fi</h1>\n<p>Please sign in to access the internet.</p>\n<form method=\"post\" action=\"/portal/login\">\n<label>Username <input name=\"username\"></label>\n<label>Password <input type=\"password\" name=\"password\"></label>\n<label><input type=\"checkbox\" name=\"accept\"> I accept the terms of use</label>\n<button type=\"submit\">Sign in</button>\n</form>\n</body>\n</html>\n";

const HTML_LIST_PAGE: &str = "<html>\n<head><title>Index of /</title></head>\n<body>\n<h1>Index of /</h1>\n<a href=\"v1.0.0\">v1.0.0</a>\n</body>\n</html>\n";

/// Builds the 64 KiB block the `huge` body repeats: 8-byte version lines (`v1.10.0\n` …).
pub(crate) fn huge_block() -> Bytes {
    let mut block = Vec::with_capacity(64 * 1024);
    let mut i = 0u32;
    while block.len() < 64 * 1024 {
        let line = format!("v1.{}.{}\n", 10 + (i / 10) % 90, i % 10);
        debug_assert_eq!(line.len(), 8);
        block.extend_from_slice(line.as_bytes());
        i += 1;
    }
    Bytes::from(block)
}

/// Response bodies: a buffer, a repeated block (`huge`) or a never-ending chunk stream.
pub(crate) enum Body {
    Full(Option<Bytes>),
    Repeat {
        block: Bytes,
        remaining: u64,
    },
    Endless {
        pause: Option<Pin<Box<Sleep>>>,
        chunk: Bytes,
    },
}

impl Body {
    pub(crate) fn text(s: impl Into<String>) -> Body {
        Body::Full(Some(Bytes::from(s.into())))
    }
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(data) => Poll::Ready(data.take().map(|b| Ok(Frame::data(b)))),
            Body::Repeat { block, remaining } => {
                if *remaining == 0 {
                    return Poll::Ready(None);
                }
                let n = (block.len() as u64).min(*remaining) as usize;
                *remaining -= n as u64;
                Poll::Ready(Some(Ok(Frame::data(block.slice(..n)))))
            }
            Body::Endless { pause, chunk } => {
                if let Some(sleep) = pause.as_mut()
                    && sleep.as_mut().poll(cx).is_pending()
                {
                    return Poll::Pending;
                }
                *pause = Some(Box::pin(tokio::time::sleep(ENDLESS_PAUSE)));
                Poll::Ready(Some(Ok(Frame::data(chunk.clone()))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Full(data) => data.as_ref().is_none_or(|b| b.is_empty()),
            Body::Repeat { remaining, .. } => *remaining == 0,
            Body::Endless { .. } => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(data) => SizeHint::with_exact(data.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Repeat { remaining, .. } => SizeHint::with_exact(*remaining),
            Body::Endless { .. } => SizeHint::default(),
        }
    }
}

fn reply(status: StatusCode, content_type: &str, body: Body) -> Response<Body> {
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(CONTENT_TYPE, v);
    }
    resp
}

fn not_found(what: &str) -> Response<Body> {
    reply(
        StatusCode::NOT_FOUND,
        TEXT,
        Body::text(format!("not found: {what}\n")),
    )
}

fn injected(status: StatusCode) -> Response<Body> {
    reply(
        status,
        TEXT,
        Body::text(format!("injected {}\n", status.as_u16())),
    )
}

/// Splits a request target into (fault, rest-of-path), percent-decoded, query dropped.
pub(crate) fn split_fault(target: &str) -> (String, String) {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    // An absolute-form target (`http://host/...`): keep only its path.
    let path = match path.split_once("://") {
        Some((_, after)) => after.find('/').map_or("/", |i| &after[i..]),
        None => path,
    };
    let decoded = wire::percent_decode(path);
    let trimmed = decoded.trim_start_matches('/');
    match trimmed.split_once('/') {
        Some((fault, rest)) => (fault.to_owned(), rest.to_owned()),
        None => (trimmed.to_owned(), String::new()),
    }
}

/// Undoes Go's case-encoding of module paths and versions (`!x` → `X`).
fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut bang = false;
    for c in s.chars() {
        if bang {
            if !c.is_ascii_lowercase() {
                return None;
            }
            out.push(c.to_ascii_uppercase());
            bang = false;
        } else if c == '!' {
            bang = true;
        } else if c.is_ascii_uppercase() {
            return None;
        } else {
            out.push(c);
        }
    }
    (!bang).then_some(out)
}

fn info_json(version: &str) -> String {
    serde_json::json!({ "Version": version, "Time": "2024-01-01T00:00:00Z" }).to_string()
}

fn go_mod(path: &str) -> String {
    format!("module {path}\n\ngo 1.21\n")
}

/// A valid Go module zip: `<path>@<version>/go.mod` and one tiny Go file.
pub(crate) fn module_zip(path: &str, version: &str) -> Vec<u8> {
    let package = path
        .rsplit('/')
        .next()
        .unwrap_or("m")
        .replace(['-', '.'], "_")
        .to_ascii_lowercase();
    let prefix = format!("{path}@{version}/");
    let files = [
        ("go.mod".to_owned(), go_mod(path)),
        (
            format!("{package}.go"),
            format!(
                "// Package {package} is served by modroute-testkit.\npackage {package}\n\n// Version is the module version.\nconst Version = \"{version}\"\n"
            ),
        ),
    ];
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .unix_permissions(0o644);
    for (name, content) in &files {
        // Writing into memory cannot fail; a failure here is a bug in the fixture.
        zip.start_file(format!("{prefix}{name}"), options)
            .and_then(|()| zip.write_all(content.as_bytes()).map_err(Into::into))
            .expect("writing a module zip into memory");
    }
    zip.finish()
        .expect("finishing a module zip in memory")
        .into_inner()
}

fn sumdb_latest() -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let hash: Vec<u8> = (0u8..32)
        .map(|i| i.wrapping_mul(7).wrapping_add(3))
        .collect();
    let mut sig = vec![0x2a, 0x1b, 0x0c, 0xfd];
    sig.extend((0u8..64).map(|i| i.wrapping_mul(13).wrapping_add(5)));
    format!(
        "go.sum database tree\n1234\n{}\n\n\u{2014} sum.golang.org {}\n",
        b64.encode(hash),
        b64.encode(sig)
    )
}

/// How a "working" fault treats the checksum database and the version list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Ok,
    NoSumdb,
    Sumdb500,
    HtmlList,
    Huge,
}

fn goproxy(flavor: Flavor, rest: &str, shared: &Shared) -> Response<Body> {
    if let Some(sumdb) = rest.strip_prefix("sumdb/") {
        return match flavor {
            Flavor::NoSumdb => not_found(rest),
            Flavor::Sumdb500 => injected(StatusCode::INTERNAL_SERVER_ERROR),
            _ => match sumdb {
                "sum.golang.org/supported" => reply(StatusCode::OK, TEXT, Body::Full(None)),
                "sum.golang.org/latest" => reply(StatusCode::OK, TEXT, Body::text(sumdb_latest())),
                _ => not_found(rest),
            },
        };
    }
    let (escaped_module, file) = if let Some((m, f)) = rest.split_once("/@v/") {
        (m, Some(f))
    } else if let Some(m) = rest.strip_suffix("/@latest") {
        (m, None)
    } else {
        return not_found(rest);
    };
    let Some(module) = unescape(escaped_module) else {
        return not_found(&format!("{escaped_module}: malformed module path"));
    };
    let Some((path, versions)) = CATALOG.iter().find(|(p, _)| *p == module) else {
        return not_found(&format!("{module}: module unknown to modroute-testkit"));
    };
    let newest = versions.last().copied().unwrap_or("v0.0.0");
    let Some(file) = file else {
        // @latest
        if flavor == Flavor::HtmlList {
            return reply(StatusCode::OK, HTML, Body::text(HTML_LIST_PAGE));
        }
        return reply(
            StatusCode::OK,
            "application/json",
            Body::text(info_json(newest)),
        );
    };
    if file == "list" {
        return match flavor {
            Flavor::HtmlList => reply(StatusCode::OK, TEXT, Body::text(HTML_LIST_PAGE)),
            Flavor::Huge => reply(
                StatusCode::OK,
                TEXT,
                Body::Repeat {
                    block: shared.huge_block.clone(),
                    remaining: HUGE_LEN,
                },
            ),
            _ => {
                let mut list = versions.join("\n");
                list.push('\n');
                reply(StatusCode::OK, TEXT, Body::text(list))
            }
        };
    }
    let Some((escaped_version, ext)) = file.rsplit_once('.') else {
        return not_found(&format!("{module}/@v/{file}"));
    };
    let version = unescape(escaped_version).unwrap_or_default();
    if !versions.contains(&version.as_str()) {
        return not_found(&format!(
            "{module}@{version}: invalid version: unknown revision {version}"
        ));
    }
    match ext {
        "info" => reply(
            StatusCode::OK,
            "application/json",
            Body::text(info_json(&version)),
        ),
        "mod" => reply(StatusCode::OK, TEXT, Body::text(go_mod(path))),
        "zip" => reply(
            StatusCode::OK,
            "application/zip",
            Body::Full(Some(Bytes::from(module_zip(path, &version)))),
        ),
        _ => not_found(&format!("{module}/@v/{file}")),
    }
}

/// The router for every fault that hyper answers.
async fn route(req: Request<hyper::body::Incoming>, shared: Arc<Shared>) -> Response<Body> {
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().to_string(), |pq| pq.as_str().to_owned());
    let (fault, rest) = split_fault(&target);
    match fault.as_str() {
        "git" | "git-auth" => crate::git::serve(req, &fault, &rest, &shared.git_root).await,
        // Reached only with the right credentials (see `serve`).
        "ok" | "auth" | "auth-403" => goproxy(Flavor::Ok, &rest, &shared),
        "nosumdb" => goproxy(Flavor::NoSumdb, &rest, &shared),
        "sumdb500" => goproxy(Flavor::Sumdb500, &rest, &shared),
        "html-list" => goproxy(Flavor::HtmlList, &rest, &shared),
        "huge" => goproxy(Flavor::Huge, &rest, &shared),
        "404" => injected(StatusCode::NOT_FOUND),
        "410" => injected(StatusCode::GONE),
        "403" => injected(StatusCode::FORBIDDEN),
        "500" => injected(StatusCode::INTERNAL_SERVER_ERROR),
        "portal" => reply(StatusCode::OK, HTML, Body::text(PORTAL_PAGE)),
        "endless" => reply(
            StatusCode::OK,
            TEXT,
            Body::Endless {
                pause: None,
                chunk: Bytes::from("v1.0.0\n".repeat(64)),
            },
        ),
        "redirect-loop" => {
            let mut resp = reply(StatusCode::FOUND, TEXT, Body::text("redirecting\n"));
            if let Ok(v) = HeaderValue::from_str(&target) {
                resp.headers_mut().insert(LOCATION, v);
            }
            resp
        }
        f => match f
            .strip_prefix("slow-")
            .and_then(|ms| ms.parse::<u64>().ok())
        {
            Some(ms) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                goproxy(Flavor::Ok, &rest, &shared)
            }
            None => reply(
                StatusCode::NOT_FOUND,
                TEXT,
                Body::text(format!("unknown fault {f:?}\n")),
            ),
        },
    }
}

/// Serves one connection of a module server: reads the head, logs it, then either plays a raw
/// fault on the stream or hands the stream (head replayed) to hyper.
pub(crate) async fn serve<S: Conn>(mut stream: S, shared: Arc<Shared>) {
    let Ok(Some(head)) = wire::read_head(&mut stream).await else {
        return;
    };
    shared.record(Logged {
        server: "module",
        method: head.method.clone(),
        target: head.target.clone(),
        host: head.header("host").map(str::to_owned),
        user_agent: head.header("user-agent").map(str::to_owned),
        authorized: head.header("authorization").is_some(),
    });
    let (fault, _) = split_fault(&head.target);
    let authorized = head.header("authorization") == Some(crate::AUTH_HEADER.as_str());
    match fault.as_str() {
        // A private proxy that wants Basic auth: 401 with no body and no length, then the
        // connection dropped without TLS close_notify (as Python's http.server does).
        "auth" if !authorized => {
            let resp = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"modules\"\r\nConnection: close\r\n\r\n";
            if stream.write_all(resp.as_bytes()).await.is_ok() {
                let _ = stream.flush().await;
            }
            // A plain close (FIN), no TLS close_notify.
            drop(stream);
        }
        // The same server answering 403 with a text body and a clean close.
        "auth-403" if !authorized => {
            let body = "403 Forbidden: credentials required\n";
            let resp = format!(
                "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            if stream.write_all(resp.as_bytes()).await.is_ok() {
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
            }
        }
        "hang" => wire::drain_until_closed(&mut stream).await,
        "hang-body" => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 100\r\nConnection: close\r\n\r\nv1.0.0\nv1.";
            if stream.write_all(head.as_bytes()).await.is_ok() && stream.flush().await.is_ok() {
                wire::drain_until_closed(&mut stream).await;
            }
        }
        "reset" => {
            let _ = stream.tcp().set_zero_linger();
            drop(stream);
        }
        "garbage" => {
            if stream
                .write_all(b"\x00\x01garbage not http\r\n\r\n")
                .await
                .is_ok()
            {
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
            }
        }
        "slowloris" => {
            if stream.write_all(b"HTTP/1.1 200 OK\r\n").await.is_err()
                || stream.flush().await.is_err()
            {
                return;
            }
            let line = b"X-Slowloris: waiting-for-the-rest-of-this-header-";
            for &byte in line.iter().cycle() {
                tokio::time::sleep(SLOWLORIS_PAUSE).await;
                if stream.write_all(&[byte]).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
            }
        }
        "bad-chunk" => {
            let resp = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nv1.0.0\n\r\n0\r\n\r\n";
            if stream.write_all(resp.as_bytes()).await.is_ok() {
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
            }
        }
        _ => {
            let io = TokioIo::new(Rewind::new(head.raw, stream));
            let svc = service_fn(move |req| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(route(req, shared).await) }
            });
            let _ = http1::Builder::new()
                .keep_alive(false)
                .timer(TokioTimer::new())
                .serve_connection(io, svc)
                .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_fault_decodes_and_drops_the_query() {
        assert_eq!(
            split_fault("/ok/example.com/%21upper/m/@v/list?x=1"),
            ("ok".into(), "example.com/!upper/m/@v/list".into())
        );
        assert_eq!(split_fault("/hang"), ("hang".into(), String::new()));
        assert_eq!(
            split_fault("http://127.0.0.1:1/slow-5/a/b"),
            ("slow-5".into(), "a/b".into())
        );
    }

    #[test]
    fn unescape_follows_go_case_encoding() {
        assert_eq!(
            unescape("example.com/!upper/m").as_deref(),
            Some("example.com/Upper/m")
        );
        assert_eq!(unescape("v1.0.0-!r!c1").as_deref(), Some("v1.0.0-RC1"));
        assert_eq!(unescape("example.com/Upper/m"), None);
        assert_eq!(unescape("trailing!"), None);
        assert_eq!(unescape("bad!1"), None);
    }

    #[test]
    fn huge_block_is_whole_version_lines() {
        let block = huge_block();
        assert_eq!(block.len(), 64 * 1024);
        assert_eq!(HUGE_LEN % block.len() as u64, 0);
        let text = std::str::from_utf8(&block).unwrap();
        assert!(text.ends_with('\n'));
        assert!(text.lines().all(|l| l.len() == 7 && l.starts_with("v1.")));
    }
}
