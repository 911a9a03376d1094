//! A git server for `direct` fetches: the go-get meta tag and git's smart HTTP protocol, served
//! by the real `git http-backend` (run as a CGI program per request).
//!
//! Two faults of the TLS module server (`https://athens.corp.test/<fault>/repo`, reached through
//! the forward proxy, which maps `*.corp.test:443` to that server):
//! - `git` — an open repository;
//! - `git-auth` — the meta tag is public (as on GitLab), the repository wants Basic auth
//!   ([`crate::AUTH_USER`] / [`crate::AUTH_PASSWORD`]) and answers 401 without it.
//!
//! The repository holds module `athens.corp.test/<fault>/repo` at tag v1.0.0. It is made with
//! the real git on first use ([`ensure_repo`]), with no system or global git configuration.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::header::{HeaderValue, WWW_AUTHENTICATE};
use hyper::{Request, Response, StatusCode};

use crate::module::Body;

/// The host the git faults answer for (it is on the TLS server's certificate).
pub const HOST: &str = "athens.corp.test";

/// The module path a fault serves.
pub fn module_path(fault: &str) -> String {
    format!("{HOST}/{fault}/repo")
}

/// A git command isolated from every user and system configuration.
fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "modroute-testkit")
        .env("GIT_AUTHOR_EMAIL", "testkit@corp.test")
        .env("GIT_COMMITTER_NAME", "modroute-testkit")
        .env("GIT_COMMITTER_EMAIL", "testkit@corp.test")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .stdin(Stdio::null());
    cmd
}

fn run(cmd: &mut Command) -> std::io::Result<()> {
    let out = cmd.output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}

/// Creates `<root>/repo.git` (bare) for the faults' module paths, once. The same repository
/// serves both faults; its go.mod names `git`'s path, so each fault gets its own copy.
pub(crate) fn ensure_repo(root: &Path, fault: &str) -> std::io::Result<PathBuf> {
    let bare = root.join(fault).join("repo.git");
    if bare.join("HEAD").exists() {
        return Ok(bare);
    }
    let work = root.join(format!("{fault}-work"));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    std::fs::write(
        work.join("go.mod"),
        format!("module {}\n\ngo 1.21\n", module_path(fault)),
    )?;
    std::fs::write(
        work.join("repo.go"),
        "package repo\n\n// V is the version.\nconst V = 1\n",
    )?;
    run(git(root)
        .arg("-C")
        .arg(&work)
        .args(["init", "-q", "-b", "main"]))?;
    run(git(root).arg("-C").arg(&work).args(["add", "."]))?;
    run(git(root)
        .arg("-C")
        .arg(&work)
        .args(["commit", "-q", "-m", "v1"]))?;
    run(git(root).arg("-C").arg(&work).args(["tag", "v1.0.0"]))?;
    let staging = root.join(format!("{fault}-staging.git"));
    let _ = std::fs::remove_dir_all(&staging);
    run(git(root)
        .args(["clone", "-q", "--bare"])
        .arg(&work)
        .arg(&staging))?;
    std::fs::create_dir_all(bare.parent().unwrap_or(root))?;
    std::fs::rename(&staging, &bare)?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(bare)
}

fn text(status: StatusCode, body: String) -> Response<Body> {
    let mut resp = Response::new(Body::text(body));
    *resp.status_mut() = status;
    resp
}

/// Serves one request of the `git` / `git-auth` faults; `rest` is the path after the fault.
pub(crate) async fn serve(
    req: Request<hyper::body::Incoming>,
    fault: &str,
    rest: &str,
    root: &Path,
) -> Response<Body> {
    let query = req.uri().query().unwrap_or_default().to_string();
    if query.split('&').any(|kv| kv == "go-get=1") {
        let module = module_path(fault);
        let html = format!(
            "<!DOCTYPE html>\n<html><head>\n<meta name=\"go-import\" content=\"{module} git https://{module}\">\n</head><body>go get {module}</body></html>\n"
        );
        let mut resp = text(StatusCode::OK, html);
        resp.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return resp;
    }
    let authorized = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(crate::AUTH_HEADER.as_str());
    if fault == "git-auth" && !authorized {
        let mut resp = text(StatusCode::UNAUTHORIZED, "authentication required\n".into());
        resp.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"git\""),
        );
        return resp;
    }
    let root = root.to_path_buf();
    if let Err(e) = ensure_repo(&root, fault) {
        return text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n"));
    }
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (content_type, encoding, protocol) = (
        header("content-type"),
        header("content-encoding"),
        header("git-protocol"),
    );
    let method = req.method().to_string();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(e) => return text(StatusCode::BAD_REQUEST, format!("{e}\n")),
    };
    let path_info = format!("/{}", rest.trim_start_matches('/'));
    let project_root = root.join(fault);
    let cgi = tokio::task::spawn_blocking(move || {
        let mut cmd = git(&root);
        cmd.arg("http-backend")
            .env("GIT_PROJECT_ROOT", &project_root)
            .env("GIT_HTTP_EXPORT_ALL", "1")
            .env("PATH_INFO", &path_info)
            .env("QUERY_STRING", &query)
            .env("REQUEST_METHOD", &method)
            .env("REMOTE_ADDR", "127.0.0.1")
            .env("CONTENT_LENGTH", body.len().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(v) = &content_type {
            cmd.env("CONTENT_TYPE", v);
        }
        if let Some(v) = &encoding {
            cmd.env("HTTP_CONTENT_ENCODING", v);
        }
        if let Some(v) = &protocol {
            cmd.env("GIT_PROTOCOL", v);
        }
        let mut child = cmd.spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(&body)?;
        }
        child.wait_with_output()
    })
    .await;
    let out = match cgi {
        Ok(Ok(out)) => out.stdout,
        Ok(Err(e)) => return text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
        Err(e) => return text(StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")),
    };
    cgi_response(&out)
}

/// Turns a CGI program's output (headers, blank line, body) into a response.
fn cgi_response(out: &[u8]) -> Response<Body> {
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| out.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2)));
    let Some((end, sep)) = split else {
        return text(
            StatusCode::BAD_GATEWAY,
            "git http-backend wrote no headers\n".into(),
        );
    };
    let head = String::from_utf8_lossy(&out[..end]).into_owned();
    let mut resp = Response::new(Body::Full(Some(Bytes::copy_from_slice(&out[end + sep..]))));
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value
                .split_whitespace()
                .next()
                .and_then(|c| c.parse::<u16>().ok())
                .and_then(|c| StatusCode::from_u16(c).ok());
            if let Some(code) = code {
                *resp.status_mut() = code;
            }
        } else if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(name.trim().as_bytes()),
            HeaderValue::from_str(value),
        ) {
            resp.headers_mut().insert(n, v);
        }
    }
    resp
}
