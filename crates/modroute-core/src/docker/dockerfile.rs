//! Dockerfiles that download Go modules without letting GOPROXY in.
//!
//! A build stage (from one `FROM` to the next) sees a build argument only when it declares it
//! with `ARG` *in that stage* (an `ARG` before the first `FROM` is not visible inside stages
//! unless re-declared). Docker passes HTTP_PROXY, HTTPS_PROXY and NO_PROXY without a
//! declaration, but GOPROXY, GOPRIVATE, GONOSUMDB … need one, so a `RUN go mod download` in a
//! stage without `ARG GOPROXY` (or an `ENV GOPROXY`) uses the image's default whatever
//! `docker build --build-arg GOPROXY=…` says.
//!
//! The scan is static: instructions are joined across line continuations (the escape character
//! follows an `# escape=` directive), `RUN` heredocs are read as part of their instruction, and
//! a `RUN` downloads modules when it runs `go` with `mod download`, `mod tidy`, `build`,
//! `install`, `get`, `test`, `run`, `vet`, `list` or `generate` (shell and exec form).

use std::path::{Path, PathBuf};

/// One `RUN` that downloads modules in a stage that does not let GOPROXY in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unrouted {
    /// The Dockerfile.
    pub file: PathBuf,
    /// 1-based line of the `RUN`.
    pub line: usize,
    /// The go command found (`go mod download`).
    pub command: String,
    /// 1-based line of the stage's `FROM`.
    pub from_line: usize,
    /// The stage's name (`AS builder`), if any.
    pub stage: Option<String>,
}

/// Whether a file name is a Dockerfile: `Dockerfile`, `Dockerfile.<x>`, `<x>.Dockerfile`,
/// `<x>.dockerfile`, `Containerfile`.
pub fn is_dockerfile(name: &str) -> bool {
    name == "Dockerfile"
        || name == "Containerfile"
        || name.starts_with("Dockerfile.")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile")
}

/// Dockerfiles under `project`, depth-first in name order, skipping VCS, dependency and build
/// directories; at most `limit` files.
pub fn find(project: &Path, limit: usize) -> Vec<PathBuf> {
    const SKIP: [&str; 6] = [".git", "node_modules", "vendor", "target", ".hg", ".svn"];
    let mut out = Vec::new();
    let mut stack = vec![(project.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<_> = read.flatten().collect();
        entries.sort_by_key(|e| std::cmp::Reverse(e.file_name()));
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if depth < 6 && !SKIP.contains(&name.as_str()) {
                    stack.push((entry.path(), depth + 1));
                }
            } else if kind.is_file() && is_dockerfile(&name) {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    out.truncate(limit);
    out
}

/// One logical instruction: its keyword (upper-case), arguments, and first line.
struct Instruction {
    keyword: String,
    args: String,
    line: usize,
}

fn instructions(text: &str) -> Vec<Instruction> {
    let mut escape = '\\';
    let lines: Vec<&str> = text.lines().collect();
    // Parser directives: comment lines at the very top.
    for line in &lines {
        let t = line.trim();
        let Some(directive) = t.strip_prefix('#') else {
            break;
        };
        if let Some((k, v)) = directive.split_once('=')
            && k.trim().eq_ignore_ascii_case("escape")
            && let Some(c) = v.trim().chars().next()
        {
            escape = c;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let first = lines[i].trim_start();
        if first.is_empty() || first.starts_with('#') {
            i += 1;
            continue;
        }
        let start = i;
        let mut joined = String::new();
        loop {
            let line = lines[i];
            let trimmed = line.trim_end();
            i += 1;
            if let Some(head) = trimmed.strip_suffix(escape) {
                joined.push_str(head);
                joined.push(' ');
                // Comment lines inside a continuation are dropped, as BuildKit does.
                while i < lines.len() && lines[i].trim_start().starts_with('#') {
                    i += 1;
                }
                if i < lines.len() {
                    continue;
                }
            } else {
                joined.push_str(trimmed);
            }
            break;
        }
        let (keyword, args) = match joined.trim_start().split_once(char::is_whitespace) {
            Some((k, a)) => (k.to_ascii_uppercase(), a.trim().to_string()),
            None => (joined.trim().to_ascii_uppercase(), String::new()),
        };
        // Heredocs: `RUN <<EOF` … `EOF` belong to the instruction.
        let mut args = args;
        for marker in heredoc_markers(&args) {
            while i < lines.len() {
                let line = lines[i];
                i += 1;
                if line.trim() == marker {
                    break;
                }
                args.push('\n');
                args.push_str(line);
            }
        }
        out.push(Instruction {
            keyword,
            args,
            line: start + 1,
        });
    }
    out
}

/// The terminators of `<<EOF` / `<<-"EOF"` heredocs in an instruction's first line.
fn heredoc_markers(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(i) = rest.find("<<") {
        let after = rest[i + 2..].trim_start_matches('-');
        let word: String = after
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty() {
            out.push(word);
        }
        rest = &rest[i + 2..];
    }
    out
}

/// The go subcommands that resolve and download modules.
const DOWNLOADING: [&str; 9] = [
    "build", "install", "get", "test", "run", "vet", "list", "generate", "work",
];

/// The first `go …` command in a RUN's text that downloads modules.
fn go_command(args: &str) -> Option<String> {
    let words: Vec<&str> = args
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ';' | '&' | '|' | '(' | ')' | '[' | ']' | ',' | '"' | '\''
                )
        })
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        let is_go = *w == "go" || w.ends_with("/go");
        if !is_go {
            continue;
        }
        let Some(sub) = words.get(i + 1) else {
            continue;
        };
        if *sub == "mod" {
            if let Some(op @ ("download" | "tidy" | "vendor" | "graph" | "why")) =
                words.get(i + 2).copied()
            {
                return Some(format!("go mod {op}"));
            }
        } else if DOWNLOADING.contains(sub) {
            return Some(format!("go {sub}"));
        }
    }
    None
}

/// Whether an `ARG` or `ENV` instruction's arguments name `var`.
fn declares(args: &str, var: &str) -> bool {
    args.split_whitespace().any(|word| {
        let name = word.split('=').next().unwrap_or_default();
        name == var
    })
}

/// Every `RUN` in `text` that downloads modules in a stage declaring neither `ARG GOPROXY` nor
/// `ENV GOPROXY` (`file` names the file).
pub fn scan(text: &str, file: &Path) -> Vec<Unrouted> {
    let mut out = Vec::new();
    let mut stage: Option<(usize, Option<String>)> = None;
    let mut routed = false;
    let mut pending: Vec<Unrouted> = Vec::new();
    let flush = |pending: &mut Vec<Unrouted>, routed: bool, out: &mut Vec<Unrouted>| {
        if !routed {
            out.append(pending);
        }
        pending.clear();
    };
    for ins in instructions(text) {
        match ins.keyword.as_str() {
            "FROM" => {
                flush(&mut pending, routed, &mut out);
                let words: Vec<&str> = ins.args.split_whitespace().collect();
                let name = words
                    .iter()
                    .position(|w| w.eq_ignore_ascii_case("as"))
                    .and_then(|i| words.get(i + 1))
                    .map(|s| s.to_string());
                stage = Some((ins.line, name));
                routed = false;
            }
            "ARG" | "ENV" if stage.is_some() && declares(&ins.args, "GOPROXY") => {
                // A declaration after the RUN comes too late for it.
                flush(&mut pending, false, &mut out);
                routed = true;
            }
            "RUN" => {
                let Some((from_line, name)) = &stage else {
                    continue;
                };
                if routed {
                    continue;
                }
                if let Some(command) = go_command(&ins.args) {
                    pending.push(Unrouted {
                        file: file.to_path_buf(),
                        line: ins.line,
                        command,
                        from_line: *from_line,
                        stage: name.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    flush(&mut pending, routed, &mut out);
    out
}

/// The lines to add after a stage's `FROM`: `ARG` for each Go setting the build should take
/// from `docker build --build-arg` (`settings`: GOPROXY first).
pub fn fix_lines(settings: &[&str]) -> String {
    settings
        .iter()
        .map(|s| format!("ARG {s}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, String, usize)> {
        scan(text, Path::new("/p/Dockerfile"))
            .into_iter()
            .map(|u| (u.line, u.command, u.from_line))
            .collect()
    }

    #[test]
    fn stages_without_arg_goproxy_are_found() {
        let text = "# syntax=docker/dockerfile:1\nARG GOPROXY\nFROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN CGO_ENABLED=0 \\\n    go build -o /app ./cmd/app\n\nFROM golang:1.23 AS tested\nARG GOPROXY\nRUN go test ./...\n\nFROM gcr.io/distroless/static\nCOPY --from=build /app /app\nRUN [\"/usr/local/go/bin/go\", \"install\", \"x@latest\"]\n";
        assert_eq!(
            lines(text),
            [
                (6, "go mod download".to_string(), 3),
                (8, "go build".to_string(), 3),
                (17, "go install".to_string(), 15)
            ]
        );
        let u = &scan(text, Path::new("/p/Dockerfile"))[0];
        assert_eq!(u.stage.as_deref(), Some("build"));
    }

    #[test]
    fn env_counts_an_arg_after_the_run_does_not_and_heredocs_are_read() {
        let text = "FROM golang AS a\nENV GOPROXY=https://goproxy.cn,direct\nRUN go build\nFROM golang\nRUN go list -m all\nRUN gofmt -l .\nARG GOPROXY\nRUN go vet\nFROM golang\nRUN <<EOF\nset -e\ngo mod download\nEOF\n";
        assert_eq!(
            lines(text),
            [
                (5, "go list".to_string(), 4),
                (10, "go mod download".to_string(), 9)
            ]
        );
    }

    #[test]
    fn the_escape_directive_changes_the_continuation_character() {
        let text = "# escape=`\nFROM golang\nRUN echo hi `\n  && go get example.com/m\n";
        assert_eq!(lines(text), [(3, "go get".to_string(), 2)]);
    }

    #[test]
    fn dockerfiles_are_found_by_name() {
        for yes in [
            "Dockerfile",
            "Dockerfile.dev",
            "api.Dockerfile",
            "x.dockerfile",
            "Containerfile",
        ] {
            assert!(is_dockerfile(yes), "{yes}");
        }
        for no in ["dockerfile.md", "Dockerfiles", "docker-compose.yml"] {
            assert!(!is_dockerfile(no), "{no}");
        }
        let tmp = tempfile::tempdir().unwrap();
        for rel in [
            "Dockerfile",
            "build/ci.Dockerfile",
            "node_modules/x/Dockerfile",
            "a/b/Dockerfile.prod",
        ] {
            let p = tmp.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "FROM x\n").unwrap();
        }
        let found: Vec<_> = find(tmp.path(), 10)
            .into_iter()
            .map(|p| {
                p.strip_prefix(tmp.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(
            found,
            ["Dockerfile", "a/b/Dockerfile.prod", "build/ci.Dockerfile"]
        );
    }
}
