//! Managed blocks in the user's own rc files: find, insert, replace and remove them losslessly.
//!
//! A block is a run of whole lines between an opening and a closing marker line
//! (`# >>> modroute >>>` … `# <<< modroute <<<`, or `#region modroute` … `#endregion modroute`
//! in PowerShell files); its first inner line says that modroute manages it. Everything here works
//! on bytes, because rc files are occasionally not UTF-8.
//!
//! # Invariants
//!
//! - **Every byte outside the block is preserved**, non-UTF-8 included. [`splice`] only inserts
//!   or replaces the block's own lines; [`remove`] only deletes them.
//! - **Idempotent:** splicing the block that is already there returns the input unchanged.
//! - **Reversible:** for any input without a marker line, `remove(splice(x)) == x`. The one
//!   subtle case is a file without a final newline: a block appended to it carries the missing
//!   final newline itself (the file gains `\n` + block, and the block's last line is left
//!   unterminated); [`remove`] undoes exactly that.
//! - **Line endings follow the file:** a file whose first line ends in `\r\n` gets a CRLF block.
//! - **Broken markers are refused, never guessed at:** a second block, an opening marker without
//!   its close, a close without an opening, or a modroute marker inside the block is a
//!   [`BlockError`] naming the 1-based line, and nothing is written.
//!
//! Markers are recognised on lines that consist of the marker alone (surrounding blanks and a
//! trailing `\r` ignored). A marker line elsewhere — indented inside a here-document, say — is
//! still a marker: guessing would be worse than refusing.

/// The marker lines that delimit one kind of block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Markers {
    /// The opening line, without line ending.
    pub open: &'static str,
    /// The closing line, without line ending.
    pub close: &'static str,
}

impl Markers {
    /// The block that makes a shell read modroute's values (`#` comment syntax: sh, bash, zsh,
    /// fish, tcsh, nushell).
    pub const VALUES: Markers = Markers {
        open: "# >>> modroute >>>",
        close: "# <<< modroute <<<",
    };

    /// The block holding the prompt hook, for files where it lives apart from the values (the
    /// end of `~/.bashrc`).
    pub const HOOK: Markers = Markers {
        open: "# >>> modroute hook >>>",
        close: "# <<< modroute hook <<<",
    };

    /// The block in PowerShell profiles (a foldable region, as conda does).
    pub const POWERSHELL: Markers = Markers {
        open: "#region modroute",
        close: "#endregion modroute",
    };
}

/// The line that opens every block's body.
pub const MANAGED_LINE: &str =
    "# Managed by modroute: this block is rewritten when modroute (re)installs; edit outside it.";

/// Where a new block goes when the file has none yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Before any code: after a leading `#!` line and the file's opening comment paragraph (when
    /// a blank line ends it), so that early `return`s — Debian's interactive guard in `.bashrc`,
    /// users' `INTELLIJ_ENVIRONMENT_READER` / `VSCODE_RESOLVING_ENVIRONMENT` guards — cannot skip
    /// it.
    Top,
    /// At the end of the file, after everything the user's file sets up (for prompt hooks, which
    /// must come after anything that might assign `PROMPT_COMMAND`).
    Bottom,
}

/// Why a file's markers cannot be edited safely. Line numbers are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BlockError {
    /// Two blocks of the same kind.
    #[error(
        "line {line}: a second `{marker}` (the first block starts on line {first}); delete one of the two blocks by hand"
    )]
    Duplicate {
        /// The line of the second opening marker.
        line: usize,
        /// The line of the first opening marker.
        first: usize,
        /// The marker text.
        marker: &'static str,
    },
    /// An opening marker without a closing one.
    #[error("line {line}: `{open}` is never closed by `{close}`; fix or delete the block by hand")]
    Unclosed {
        /// The line of the opening marker.
        line: usize,
        /// The opening marker.
        open: &'static str,
        /// The missing closing marker.
        close: &'static str,
    },
    /// A closing marker with no block open.
    #[error("line {line}: `{close}` without an opening `{open}` before it; fix the file by hand")]
    UnexpectedClose {
        /// The line of the stray closing marker.
        line: usize,
        /// The opening marker that should precede it.
        open: &'static str,
        /// The closing marker.
        close: &'static str,
    },
    /// Another modroute marker inside the block.
    #[error(
        "line {line}: modroute marker `{found}` inside the block opened on line {opened}; fix the file by hand"
    )]
    Nested {
        /// The line of the inner marker.
        line: usize,
        /// The line of the block's opening marker.
        opened: usize,
        /// The inner marker line, lossily decoded.
        found: String,
    },
    /// The body to write would itself contain a marker line.
    #[error("the block body contains a marker-like line {0:?}")]
    BodyContainsMarker(String),
}

/// Where an existing block sits: byte range of its lines, and its opening line number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found {
    /// Byte offset of the start of the opening marker line.
    pub start: usize,
    /// Byte offset just past the closing marker line's line ending (or the end of the file).
    pub end: usize,
    /// 1-based line of the opening marker.
    pub line: usize,
}

/// One line of a file: its content (without `\n`, possibly with `\r`) and byte span.
struct Line<'a> {
    text: &'a [u8],
    start: usize,
    /// Just past the `\n`, or the end of the file for an unterminated last line.
    end: usize,
}

fn lines(bytes: &[u8]) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i + 1);
        let text = &bytes[start..end];
        let text = text.strip_suffix(b"\n").unwrap_or(text);
        out.push(Line { text, start, end });
        start = end;
    }
    out
}

fn trim(line: &[u8]) -> &[u8] {
    let is_blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
    let start = line.iter().position(|b| !is_blank(b)).unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !is_blank(b))
        .map_or(start, |i| i + 1);
    &line[start..end]
}

/// Whether a line looks like any modroute marker (of any block kind).
fn is_modroute_marker(line: &[u8]) -> bool {
    let t = trim(line);
    [
        &b"# >>> modroute"[..],
        b"# <<< modroute",
        b"#region modroute",
        b"#endregion modroute",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// Finds the block delimited by `markers`, refusing broken marker structure.
pub fn find(existing: &[u8], markers: &Markers) -> Result<Option<Found>, BlockError> {
    let mut found: Option<Found> = None;
    let mut open: Option<(usize, usize)> = None; // (line number, start byte)
    for (i, line) in lines(existing).iter().enumerate() {
        let n = i + 1;
        let t = trim(line.text);
        if let Some((opened, start)) = open {
            if t == markers.close.as_bytes() {
                if let Some(first) = found {
                    return Err(BlockError::Duplicate {
                        line: opened,
                        first: first.line,
                        marker: markers.open,
                    });
                }
                found = Some(Found {
                    start,
                    end: line.end,
                    line: opened,
                });
                open = None;
            } else if is_modroute_marker(t) {
                return Err(BlockError::Nested {
                    line: n,
                    opened,
                    found: String::from_utf8_lossy(t).into_owned(),
                });
            }
        } else if t == markers.open.as_bytes() {
            open = Some((n, line.start));
        } else if t == markers.close.as_bytes() {
            return Err(BlockError::UnexpectedClose {
                line: n,
                open: markers.open,
                close: markers.close,
            });
        }
    }
    if let Some((line, _)) = open {
        return Err(BlockError::Unclosed {
            line,
            open: markers.open,
            close: markers.close,
        });
    }
    Ok(found)
}

/// The line ending the file uses: that of its first line (LF for a file without one).
fn eol_of(existing: &[u8]) -> &'static str {
    match existing.iter().position(|&b| b == b'\n') {
        Some(i) if i > 0 && existing[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The line ending of an existing block's opening marker line.
fn block_eol(existing: &[u8], found: &Found) -> &'static str {
    let line = &existing[found.start..found.end];
    match line.iter().position(|&b| b == b'\n') {
        Some(i) if i > 0 && line[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The block's bytes: markers, the managed line, the body; every line terminated by `eol`.
pub fn render(markers: &Markers, body: &str, eol: &str) -> Result<Vec<u8>, BlockError> {
    let mut out = String::new();
    out.push_str(markers.open);
    out.push_str(eol);
    out.push_str(MANAGED_LINE);
    out.push_str(eol);
    for line in body.lines() {
        if is_modroute_marker(line.as_bytes()) {
            return Err(BlockError::BodyContainsMarker(line.to_owned()));
        }
        out.push_str(line);
        out.push_str(eol);
    }
    out.push_str(markers.close);
    out.push_str(eol);
    Ok(out.into_bytes())
}

/// Byte offset where a [`Placement::Top`] block goes in a file that has none.
fn top_offset(lines: &[Line<'_>]) -> usize {
    let is_comment = |l: &Line<'_>| trim(l.text).starts_with(b"#");
    let is_blank = |l: &Line<'_>| trim(l.text).is_empty();
    let mut i = 0;
    if lines.first().is_some_and(|l| l.text.starts_with(b"#!")) {
        i = 1;
    }
    let mut j = i;
    while j < lines.len() && is_comment(&lines[j]) {
        j += 1;
    }
    // A comment paragraph that ends the file or is closed by a blank line is the file's header;
    // one that runs straight into code documents that code, so the block goes above it.
    let k = if j > i && (j == lines.len() || is_blank(&lines[j])) {
        j
    } else {
        i
    };
    lines
        .get(k)
        .map_or_else(|| lines.last().map_or(0, |l| l.end), |l| l.start)
}

/// Inserts the block (at `placement`) or replaces the existing one in place.
///
/// Returns the input unchanged when the block is already current.
pub fn splice(
    existing: &[u8],
    markers: &Markers,
    body: &str,
    placement: Placement,
) -> Result<Vec<u8>, BlockError> {
    if let Some(found) = find(existing, markers)? {
        // Replacing keeps the block's own line ending, so a second splice is a no-op.
        let eol = block_eol(existing, &found);
        let mut block = render(markers, body, eol)?;
        // A block that ends the file without a line ending keeps it that way (see module docs).
        if found.end == existing.len() && !existing.ends_with(b"\n") {
            block.truncate(block.len() - eol.len());
        }
        let mut out = Vec::with_capacity(existing.len() + block.len());
        out.extend_from_slice(&existing[..found.start]);
        out.extend_from_slice(&block);
        out.extend_from_slice(&existing[found.end..]);
        return Ok(out);
    }
    let eol = eol_of(existing);
    let mut block = render(markers, body, eol)?;
    let at = match placement {
        Placement::Top => top_offset(&lines(existing)),
        Placement::Bottom => existing.len(),
    };
    let mut out = Vec::with_capacity(existing.len() + block.len() + 2);
    out.extend_from_slice(&existing[..at]);
    if at == existing.len() && !existing.is_empty() && !existing.ends_with(b"\n") {
        // Appending to an unterminated last line: terminate it, and let the block carry the
        // missing final newline so that `remove` restores the original bytes.
        out.extend_from_slice(eol.as_bytes());
        block.truncate(block.len() - eol.len());
    }
    out.extend_from_slice(&block);
    out.extend_from_slice(&existing[at..]);
    Ok(out)
}

/// Removes the block, if any; the exact inverse of inserting it with [`splice`].
pub fn remove(existing: &[u8], markers: &Markers) -> Result<Vec<u8>, BlockError> {
    let Some(found) = find(existing, markers)? else {
        return Ok(existing.to_vec());
    };
    let mut start = found.start;
    if found.end == existing.len() && !existing.ends_with(b"\n") {
        // The block carried the file's missing final newline: take back the line ending that
        // `splice` added before it.
        let eol = block_eol(existing, &found).as_bytes();
        if existing[..start].ends_with(eol) {
            start -= eol.len();
        } else if existing[..start].ends_with(b"\n") {
            start -= 1;
        }
    }
    let mut out = Vec::with_capacity(existing.len());
    out.extend_from_slice(&existing[..start]);
    out.extend_from_slice(&existing[found.end..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Markers = Markers::VALUES;

    fn s(b: &[u8]) -> &str {
        std::str::from_utf8(b).unwrap()
    }

    #[test]
    fn top_goes_after_header_paragraph_and_before_code() {
        let x = b"#!/bin/sh\n# header\n# more\n\n# about the code\ncase $- in *i*) ;; *) return;; esac\n";
        let y = splice(x, &M, "echo hi", Placement::Top).unwrap();
        assert!(
            s(&y).starts_with("#!/bin/sh\n# header\n# more\n# >>> modroute >>>\n"),
            "{}",
            s(&y)
        );
        assert_eq!(remove(&y, &M).unwrap(), x);
    }

    #[test]
    fn top_goes_above_a_comment_that_documents_code() {
        let x = b"# If not running interactively, don't do anything\n[ -z \"$PS1\" ] && return\n";
        let y = splice(x, &M, "v", Placement::Top).unwrap();
        assert!(s(&y).starts_with("# >>> modroute >>>\n"));
        assert_eq!(remove(&y, &M).unwrap(), x);
    }

    #[test]
    fn replace_is_in_place_and_idempotent() {
        let x = b"a\n# >>> modroute >>>\nold\n# <<< modroute <<<\nb\n";
        let y = splice(x, &M, "new", Placement::Top).unwrap();
        assert_eq!(
            s(&y),
            format!("a\n# >>> modroute >>>\n{MANAGED_LINE}\nnew\n# <<< modroute <<<\nb\n")
        );
        assert_eq!(splice(&y, &M, "new", Placement::Bottom).unwrap(), y);
    }

    #[test]
    fn unterminated_file_round_trips() {
        for x in [&b"abc"[..], b"# only a comment", b"x\r\ny"] {
            for p in [Placement::Top, Placement::Bottom] {
                let y = splice(x, &M, "v", p).unwrap();
                assert_eq!(remove(&y, &M).unwrap(), x, "{p:?} {:?}", s(&y));
                assert_eq!(splice(&y, &M, "v", p).unwrap(), y);
            }
        }
    }

    #[test]
    fn broken_markers_are_refused_with_lines() {
        let dup = b"# >>> modroute >>>\n# <<< modroute <<<\nx\n  # >>> modroute >>>  \n# <<< modroute <<<\n";
        assert_eq!(
            find(dup, &M),
            Err(BlockError::Duplicate {
                line: 4,
                first: 1,
                marker: M.open
            })
        );
        assert!(matches!(
            find(b"x\n# >>> modroute >>>\n", &M),
            Err(BlockError::Unclosed { line: 2, .. })
        ));
        assert!(matches!(
            find(b"# <<< modroute <<<\n", &M),
            Err(BlockError::UnexpectedClose { line: 1, .. })
        ));
        assert!(matches!(
            find(
                b"# >>> modroute >>>\n# >>> modroute >>>\n# <<< modroute <<<\n",
                &M
            ),
            Err(BlockError::Nested {
                line: 2,
                opened: 1,
                ..
            })
        ));
        assert!(matches!(
            splice(b"", &M, "# <<< modroute <<<", Placement::Top),
            Err(BlockError::BodyContainsMarker(_))
        ));
    }

    #[test]
    fn other_block_kinds_are_independent() {
        let x = splice(b"code\n", &M, "v", Placement::Top).unwrap();
        let y = splice(&x, &Markers::HOOK, "h", Placement::Bottom).unwrap();
        assert_eq!(remove(&y, &Markers::HOOK).unwrap(), x);
        assert_eq!(
            remove(&remove(&y, &M).unwrap(), &Markers::HOOK).unwrap(),
            b"code\n"
        );
    }
}
