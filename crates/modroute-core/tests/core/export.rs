//! `modroute env --format …` output read back by the real tools where this machine has them:
//! bash, dash, zsh and fish evaluate the shell formats; bash and fish split
//! `$(… --format docker-build-args)` into words; the real docker client parses the `dotenv`
//! file (`docker create --env-file`) and the build args (`docker build $(…)`, legacy builder)
//! and sends them to a stand-in daemon on 127.0.0.1, which records what it got; PyYAML (Debian's
//! python3-yaml) reads the GitLab block; serde_json reads the JSON. GitHub's `$GITHUB_ENV` is
//! read by a parser written from GitHub's documentation (no runner runs here), and so is
//! Docker's documented `--env-file` syntax, as a second check. The values are the shell tests'
//! adversarial values; a canary file proves that nothing was executed.

use std::collections::BTreeMap;
use std::fs;
use std::time::Duration;

use modroute_core::Setting;
use modroute_core::export::{self, Format, Origin, Var};

use crate::support::{Sandbox, adversarial_values, parse_env0, run, tool};

const TIMEOUT: Duration = Duration::from_secs(60);

fn var(name: &str, value: Option<&str>) -> Var {
    Var {
        name: name.to_owned(),
        setting: Setting::GoFlags,
        value: value.map(str::to_owned),
    }
}

/// The adversarial values as variables `MR_T_nnnn`, plus `MR_U_n` set to `None` (to be removed).
fn adversarial_vars(sb: &Sandbox, n: usize) -> Vec<Var> {
    let values = adversarial_values(&sb.home.join("pwned"), n, 0xe4b0);
    let mut vars: Vec<Var> = values
        .iter()
        .enumerate()
        .map(|(i, v)| var(&format!("MR_T_{i:04}"), Some(v)))
        .collect();
    vars.extend((0..5).map(|i| var(&format!("MR_U_{i}"), None)));
    vars
}

/// Values only the formats that carry line breaks get: every line break, controls, the BOM,
/// noncharacters, the edges of the planes.
fn extra_values() -> Vec<String> {
    [
        "a\nb",
        "\n",
        "a\rb",
        "\r\n",
        "x\u{85}y",
        "\u{2028}\u{2029}",
        "\u{b}\u{c}",
        "\u{1}\u{1f}\u{7f}",
        "\u{80}\u{9f}",
        "\u{feff}lead",
        "\u{fffe}\u{ffff}",
        "\u{fdd0}",
        "\u{10ffff}",
        "\u{1fffe}",
        "\u{e000}",
        "  lead and trail  ",
        "\"",
        "\\",
        "'",
        "#",
        "- item",
        ": colon",
        "{a: b}",
        "[x]",
        "&anchor",
        "*alias",
        "!tag",
        "%YAML",
        "@",
        "`",
        "null",
        "~",
        "true",
        "no",
        "0x1F",
        "1e3",
        "=",
        "<<",
        "MODROUTE_EOF",
        "a\nMODROUTE_EOF\nb",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn compare(label: &str, got: &BTreeMap<Vec<u8>, Vec<u8>>, vars: &[Var]) {
    let bad: Vec<String> = vars
        .iter()
        .filter(|v| {
            got.get(v.name.as_bytes()).map(Vec::as_slice) != v.value.as_deref().map(str::as_bytes)
        })
        .map(|v| {
            format!(
                "  {}: want {:?}, got {:?}",
                v.name,
                v.value,
                got.get(v.name.as_bytes())
                    .map(|g| String::from_utf8_lossy(g).into_owned())
            )
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{label}: {} differ:\n{}",
        bad.len(),
        bad[..bad.len().min(10)].join("\n")
    );
}

#[test]
fn shell_formats_evaluate_to_exactly_the_values() {
    let sb = Sandbox::new();
    let vars = adversarial_vars(&sb, 2000);
    let runners: [(&str, Format, &[&str]); 4] = [
        (
            "bash",
            Format::Sh,
            &[
                "bash",
                "--noprofile",
                "--norc",
                "-c",
                "eval \"$(cat \"$MR_FILE\")\"; exec env -0",
            ],
        ),
        (
            "dash",
            Format::Sh,
            &["dash", "-c", "eval \"$(cat \"$MR_FILE\")\"; exec env -0"],
        ),
        (
            "zsh",
            Format::Sh,
            &[
                "zsh",
                "-f",
                "-c",
                "eval \"$(cat \"$MR_FILE\")\"; exec env -0",
            ],
        ),
        (
            "fish",
            Format::Fish,
            &["fish", "--no-config", "-c", "cat $MR_FILE | source; env -0"],
        ),
    ];
    let mut ran = Vec::new();
    for (label, format, argv) in runners {
        if tool(argv[0]).is_none() {
            continue;
        }
        let text = export::render(format, &vars, Origin::Profile("adversarial")).unwrap();
        let file = sb.home.join(format!("out.{label}"));
        fs::write(&file, text).unwrap();
        let mut cmd = sb.command(argv[0], &argv[1..]);
        cmd.env("MR_FILE", &file);
        for v in vars.iter().filter(|v| v.value.is_none()) {
            cmd.env(&v.name, "stale");
        }
        let out = run(&mut cmd, TIMEOUT);
        assert!(
            out.status.success(),
            "{label}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        compare(label, &parse_env0(&out.stdout), &vars);
        ran.push(label);
    }
    assert!(!sb.home.join("pwned").exists(), "a value was executed");
    assert!(ran.len() >= 3, "too few shells ran: {ran:?}");
}

#[test]
fn docker_build_args_split_into_exactly_one_argument_each() {
    let sb = Sandbox::new();
    let all = adversarial_vars(&sb, 2000);
    // Values with a space or tab are refused by name (word splitting); the rest must survive.
    let (spaced, vars): (Vec<Var>, Vec<Var>) = all
        .into_iter()
        .partition(|v| v.value.as_deref().is_some_and(|s| s.contains([' ', '\t'])));
    for v in spaced.iter().take(50) {
        let err = export::render(
            Format::DockerBuildArgs,
            std::slice::from_ref(v),
            Origin::Effective,
        )
        .unwrap_err();
        assert_eq!(err.name, v.name);
    }
    let text = export::render(Format::DockerBuildArgs, &vars, Origin::Effective).unwrap();
    let file = sb.home.join("args");
    fs::write(&file, text).unwrap();
    let want: Vec<Vec<u8>> = vars
        .iter()
        .filter_map(|v| {
            Some(format!("--build-arg={}={}", v.name, v.value.as_deref()?).into_bytes())
        })
        .collect();
    let mut ran = 0;
    for (shell, script) in [
        ("bash", "printf '%s\\0' $(cat \"$MR_FILE\")"),
        ("dash", "printf '%s\\0' $(cat \"$MR_FILE\")"),
        ("fish", "printf '%s\\0' (cat $MR_FILE)"),
    ] {
        if tool(shell).is_none() {
            continue;
        }
        let mut cmd = sb.command(shell, &["-c", script]);
        cmd.env("MR_FILE", &file);
        let out = run(&mut cmd, TIMEOUT);
        assert!(
            out.status.success(),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Vec<Vec<u8>> = out
            .stdout
            .split(|&b| b == 0)
            .filter(|w| !w.is_empty())
            .map(<[u8]>::to_vec)
            .collect();
        assert_eq!(got.len(), want.len(), "{shell}: word count");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(
                String::from_utf8_lossy(g),
                String::from_utf8_lossy(w),
                "{shell}"
            );
        }
        ran += 1;
    }
    assert!(ran >= 2);
    assert!(!sb.home.join("pwned").exists(), "a value was executed");
}

#[test]
fn gitlab_block_reads_back_in_pyyaml_unexpanded() {
    let Some(_) = tool("python3") else { return };
    let sb = Sandbox::new();
    let mut vars = adversarial_vars(&sb, 1500);
    vars.retain(|v| v.value.is_some());
    for (i, v) in extra_values().iter().enumerate() {
        vars.push(var(&format!("MR_X_{i:02}"), Some(v)));
    }
    let text = export::render(Format::GitlabCi, &vars, Origin::Profile("p")).unwrap();
    let file = sb.home.join("gitlab-ci.yml");
    fs::write(&file, &text).unwrap();
    let script = "import sys, yaml, json\n\
                  doc = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))\n\
                  sys.stdout.write(json.dumps(doc, ensure_ascii=True))\n";
    let file_arg = file.to_str().unwrap();
    let mut cmd = sb.command("python3", &["-c", script, file_arg]);
    let out = run(&mut cmd, TIMEOUT);
    assert!(
        out.status.success(),
        "PyYAML: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let table = doc["variables"].as_object().expect("a variables: mapping");
    assert_eq!(table.len(), vars.len());
    for v in &vars {
        let entry = &table[&v.name];
        assert_eq!(entry["value"].as_str(), v.value.as_deref(), "{}", v.name);
        assert_eq!(
            entry["expand"],
            serde_json::Value::Bool(false),
            "{}",
            v.name
        );
    }
}

#[test]
fn json_reads_back_with_nulls_for_removed() {
    let sb = Sandbox::new();
    let mut vars = adversarial_vars(&sb, 1000);
    for (i, v) in extra_values().iter().enumerate() {
        vars.push(var(&format!("MR_X_{i:02}"), Some(v)));
    }
    let text = export::render(Format::Json, &vars, Origin::Effective).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    for v in &vars {
        match &v.value {
            Some(s) => assert_eq!(doc[&v.name].as_str(), Some(s.as_str())),
            None => assert!(doc[&v.name].is_null()),
        }
    }
}

/// Docker's `--env-file` as its reference documents it ("Set environment variables", `docker
/// run`): one `VAR=VAL` per line, the value taken as is (no quote processing), lines starting
/// with `#` are comments, blank lines ignored; leading whitespace of a line is trimmed.
fn docker_env_file(text: &str) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut out = BTreeMap::new();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line).trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .expect("VAR=VAL (a bare VAR would take the host's value)");
        assert!(
            !k.contains(char::is_whitespace),
            "docker rejects a name with whitespace: {k:?}"
        );
        out.insert(k.as_bytes().to_vec(), v.as_bytes().to_vec());
    }
    out
}

#[test]
fn dotenv_follows_dockers_env_file_rules() {
    let sb = Sandbox::new();
    let mut vars = adversarial_vars(&sb, 2000);
    vars.retain(|v| v.value.is_some());
    let text = export::render(Format::Dotenv, &vars, Origin::Profile("p")).unwrap();
    compare("docker --env-file", &docker_env_file(&text), &vars);
    for extra in extra_values().iter().filter(|v| v.contains(['\n', '\r'])) {
        assert!(
            export::render(Format::Dotenv, &[var("X", Some(extra))], Origin::Effective).is_err()
        );
    }
}

/// `$GITHUB_ENV` as GitHub documents it ("Workflow commands for GitHub Actions", setting an
/// environment variable): `{name}={value}` per line, or for multiline strings
/// `{name}<<{delimiter}`, the lines of the value, then the delimiter alone on a line.
fn github_env_file(text: &str) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut lines = text.split('\n');
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let eq = line.find('=');
        let heredoc = line.find("<<");
        match (eq, heredoc) {
            (Some(e), h) if h.is_none_or(|h| e < h) => {
                out.insert(
                    line.as_bytes()[..e].to_vec(),
                    line.as_bytes()[e + 1..].to_vec(),
                );
            }
            (_, Some(h)) => {
                let (name, delimiter) = (&line[..h], &line[h + 2..]);
                let mut value: Vec<&str> = Vec::new();
                loop {
                    let l = lines.next().expect("the delimiter closes the value");
                    if l == delimiter {
                        break;
                    }
                    value.push(l);
                }
                out.insert(name.as_bytes().to_vec(), value.join("\n").into_bytes());
            }
            _ => panic!("not a GITHUB_ENV line: {line:?}"),
        }
    }
    out
}

#[test]
fn github_actions_lines_follow_the_documented_format() {
    let sb = Sandbox::new();
    let mut vars = adversarial_vars(&sb, 2000);
    vars.retain(|v| v.value.is_some());
    for (i, v) in extra_values()
        .iter()
        .filter(|v| !v.contains('\r'))
        .enumerate()
    {
        vars.push(var(&format!("MR_X_{i:02}"), Some(v)));
    }
    let text = export::render(Format::GithubActions, &vars, Origin::Effective).unwrap();
    assert!(!text.contains('\r'));
    compare("GITHUB_ENV", &github_env_file(&text), &vars);
    let err = export::render(
        Format::GithubActions,
        &[var("X", Some("a\rb"))],
        Origin::Effective,
    )
    .unwrap_err();
    assert_eq!(err.name, "X");
}

/// A stand-in Docker daemon on 127.0.0.1: answers the version ping, `containers/create` and
/// the legacy `build` endpoint, and records every request (request line, body). It lets the
/// real docker client parse `--env-file` and `--build-arg` and show what it would send.
struct FakeDockerd {
    host: String,
    requests: Recorded,
}

/// Every request the stand-in got: its request line and body.
type Recorded = std::sync::Arc<std::sync::Mutex<Vec<(String, Vec<u8>)>>>;

impl FakeDockerd {
    fn start() -> Self {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let host = format!("tcp://{}", listener.local_addr().unwrap());
        let requests: Recorded = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = requests.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 65536];
                let head_end = loop {
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break Some(i + 4);
                    }
                    match conn.read(&mut chunk) {
                        Ok(0) | Err(_) => break None,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                };
                let Some(head_end) = head_end else { continue };
                let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
                let header = |name: &str| {
                    head.lines().find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                    })
                };
                let mut body = buf[head_end..].to_vec();
                if let Some(len) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
                    while body.len() < len {
                        match conn.read(&mut chunk) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => body.extend_from_slice(&chunk[..n]),
                        }
                    }
                } else if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
                    while !body.ends_with(b"0\r\n\r\n") {
                        match conn.read(&mut chunk) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => body.extend_from_slice(&chunk[..n]),
                        }
                    }
                }
                let line = head.lines().next().unwrap_or_default().to_owned();
                let (status, answer): (&str, &str) = if line.contains("/_ping") {
                    ("200 OK", "OK")
                } else if line.contains("/containers/create") {
                    ("201 Created", r#"{"Id":"0123456789ab","Warnings":[]}"#)
                } else if line.contains("/build") {
                    ("200 OK", "{\"stream\":\"built\\n\"}\r\n")
                } else {
                    ("404 Not Found", r#"{"message":"not in this stand-in"}"#)
                };
                log.lock().unwrap().push((line, body));
                let _ = write!(
                    conn,
                    "HTTP/1.1 {status}\r\nApi-Version: 1.41\r\nOstype: linux\r\n\
                     Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                    answer.len()
                );
            }
        });
        FakeDockerd { host, requests }
    }

    fn request(&self, path_part: &str) -> Option<(String, Vec<u8>)> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .find(|(l, _)| l.contains(path_part))
            .cloned()
    }
}

/// Percent-decoding of a query value (the docker client encodes `buildargs` as JSON in the URL).
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[test]
fn the_real_docker_client_reads_the_env_file_and_the_build_args() {
    let Some(_) = tool("docker") else { return };
    let sb = Sandbox::new();
    let dockerd = FakeDockerd::start();
    let mut vars = adversarial_vars(&sb, 600);
    vars.retain(|v| v.value.is_some());

    // dotenv → `docker create --env-file`: the Env the client sends is exactly NAME=value.
    let file = sb.home.join("go.env");
    fs::write(
        &file,
        export::render(Format::Dotenv, &vars, Origin::Profile("p")).unwrap(),
    )
    .unwrap();
    let file_arg = file.to_str().unwrap();
    let mut cmd = sb.command("docker", &["create", "--env-file", file_arg, "busybox"]);
    cmd.env("DOCKER_HOST", &dockerd.host);
    let out = run(&mut cmd, TIMEOUT);
    assert!(
        out.status.success(),
        "docker create: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, body) = dockerd
        .request("/containers/create")
        .expect("the client posted a container");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let env: BTreeMap<Vec<u8>, Vec<u8>> = body["Env"]
        .as_array()
        .expect("Env")
        .iter()
        .map(|e| {
            let (k, v) = e.as_str().unwrap().split_once('=').unwrap();
            (k.as_bytes().to_vec(), v.as_bytes().to_vec())
        })
        .collect();
    assert_eq!(env.len(), vars.len());
    compare("docker --env-file", &env, &vars);

    // docker-build-args through bash's word splitting → the legacy builder's `buildargs`.
    let mut args = vars.clone();
    args.retain(|v| !v.value.as_deref().unwrap().contains([' ', '\t']));
    args.truncate(200);
    let list = sb.home.join("args");
    fs::write(
        &list,
        export::render(Format::DockerBuildArgs, &args, Origin::Effective).unwrap(),
    )
    .unwrap();
    let context = sb.home.join("ctx");
    fs::create_dir_all(&context).unwrap();
    fs::write(context.join("Dockerfile"), "FROM scratch\n").unwrap();
    let mut cmd = sb.command(
        "bash",
        &["-c", "docker build -q $(cat \"$MR_FILE\") \"$MR_CTX\""],
    );
    cmd.env("MR_FILE", &list)
        .env("MR_CTX", &context)
        .env("DOCKER_HOST", &dockerd.host)
        .env("DOCKER_BUILDKIT", "0");
    let out = run(&mut cmd, TIMEOUT);
    assert!(
        out.status.success(),
        "docker build: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (line, _) = dockerd
        .request("/build")
        .expect("the client posted a build");
    let query = line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .split_once('?')
        .unwrap()
        .1
        .to_owned();
    let encoded = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("buildargs="))
        .expect("buildargs in the query");
    let buildargs: BTreeMap<String, String> =
        serde_json::from_slice(&percent_decode(encoded)).expect("buildargs is a JSON object");
    let got: BTreeMap<Vec<u8>, Vec<u8>> = buildargs
        .into_iter()
        .map(|(k, v)| (k.into_bytes(), v.into_bytes()))
        .collect();
    assert_eq!(got.len(), args.len());
    compare("docker build --build-arg", &got, &args);
    assert!(!sb.home.join("pwned").exists(), "a value was executed");
}
