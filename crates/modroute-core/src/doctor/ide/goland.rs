//! GoLand's per-project Go environment in `.idea/workspace.xml` (as GoLand stores the Go Modules settings).
//!
//! Settings → Go → Go Modules → Environment is stored as
//! `<component name="VgoProject"><environment><map><entry key="GOPROXY" value="…"/></map>…`;
//! GoLand passes it to every `go` and gopls it starts for the project, so it beats the go env
//! file and the shell. Run configurations carry their own
//! `<configuration name="…"><envs><env name="GOPROXY" value="…"/></envs></configuration>`, which
//! apply to that configuration's runs. Both spellings (`entry key=` and `env name=`) are
//! accepted in both places.
//!
//! The file is read with quick-xml, tracking byte positions (hence 1-based lines); removal cuts
//! the entry's bytes — its whole line when it stands alone on it — and keeps every other byte.

use std::ops::Range;
use std::path::{Path, PathBuf};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::{EditError, line_of, setting_of};
use crate::setting::Setting;

/// `<project>/.idea/workspace.xml`.
pub fn workspace_path(project: &Path) -> PathBuf {
    project.join(".idea").join("workspace.xml")
}

/// Where an entry applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The project's Go Modules environment (every `go` and gopls GoLand starts for it).
    Project,
    /// One run configuration (its runs only).
    RunConfiguration {
        /// The configuration's name (`(template Go Build)` for a template).
        name: String,
    },
}

/// One setting found in the workspace file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GoLandEntry {
    /// The setting.
    pub setting: Setting,
    /// The variable as written.
    pub var: String,
    /// The value (XML entities decoded).
    pub value: String,
    /// 1-based line of the element.
    pub line: usize,
    /// Where it applies.
    pub origin: Origin,
    /// The element's bytes in the file.
    pub span: Range<usize>,
}

#[derive(Debug)]
struct Open {
    name: Vec<u8>,
    /// `name` attribute of a component or configuration.
    label: Option<String>,
    /// A configuration's `type` (for templates without a name).
    kind: Option<String>,
    /// An `<entry>`/`<env>` written with an end tag, completed when the end tag is read.
    pending: Option<GoLandEntry>,
}

/// Every entry for the 16 settings, in file order.
pub fn parse(text: &str) -> Result<Vec<GoLandEntry>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Open> = Vec::new();
    let mut out = Vec::new();
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            format!(
                "{e} (line {})",
                line_of(text, usize::try_from(reader.error_position()).unwrap_or(0))
            )
        })?;
        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(e) => {
                // `<entry key="…" value="…"></entry>`: spans start tag to end tag.
                let pending = entry(text, &stack, &e, start..end)?;
                let mut element = open(&e)?;
                element.pending = pending;
                stack.push(element);
            }
            Event::Empty(e) => {
                if let Some(entry) = entry(text, &stack, &e, start..end)? {
                    out.push(entry);
                }
            }
            Event::End(_) => {
                let Some(element) = stack.pop() else {
                    return Err("unbalanced end tag".into());
                };
                if let Some(mut entry) = element.pending {
                    entry.span.end = end;
                    out.push(entry);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    match e.try_get_attribute(name).map_err(|err| err.to_string())? {
        Some(a) => Ok(Some(
            a.normalized_value(XmlVersion::Implicit1_0)
                .map_err(|err| err.to_string())?
                .into_owned(),
        )),
        None => Ok(None),
    }
}

fn open(e: &BytesStart<'_>) -> Result<Open, String> {
    Ok(Open {
        name: e.name().as_ref().as_bytes().to_vec(),
        label: attr(e, "name")?,
        kind: attr(e, "type")?,
        pending: None,
    })
}

/// The entry an `<entry>`/`<env>` element is, given the open elements around it.
fn entry(
    text: &str,
    stack: &[Open],
    e: &BytesStart<'_>,
    span: Range<usize>,
) -> Result<Option<GoLandEntry>, String> {
    let (key_attr, parent) = match e.name().as_ref() {
        "entry" => ("key", b"map".as_slice()),
        "env" => ("name", b"envs".as_slice()),
        _ => return Ok(None),
    };
    if stack.last().is_none_or(|p| p.name != parent) {
        return Ok(None);
    }
    let origin = stack.iter().rev().find_map(|o| match o.name.as_slice() {
        b"configuration" => Some(Origin::RunConfiguration {
            name: o.label.clone().unwrap_or_else(|| {
                format!("(template {})", o.kind.as_deref().unwrap_or("unknown"))
            }),
        }),
        b"component" if o.label.as_deref() == Some("VgoProject") => Some(Origin::Project),
        _ => None,
    });
    let Some(origin) = origin else {
        return Ok(None);
    };
    let (Some(var), value) = (attr(e, key_attr)?, attr(e, "value")?) else {
        return Ok(None);
    };
    let Some(setting) = setting_of(&var) else {
        return Ok(None);
    };
    Ok(Some(GoLandEntry {
        setting,
        var,
        value: value.unwrap_or_default(),
        line: line_of(text, span.start),
        origin,
        span,
    }))
}

/// `text` without the entry for `var` on `line`: the element's whole line when nothing else is
/// on it, else just the element's bytes. Every other byte is kept.
pub fn remove_entry(text: &str, var: &str, line: usize) -> Result<String, EditError> {
    let entries = parse(text).map_err(EditError::Parse)?;
    let found = entries
        .iter()
        .find(|e| e.var == var && e.line == line)
        .ok_or_else(|| EditError::NotFound(format!("{var} on line {line}")))?;
    let Range { start, end } = found.span.clone();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let alone = text[line_start..start].trim().is_empty() && text[end..line_end].trim().is_empty();
    let (cut_start, cut_end) = if alone {
        (line_start, line_end)
    } else {
        (start, end)
    };
    let out = format!("{}{}", &text[..cut_start], &text[cut_end..]);
    parse(&out).map_err(|e| EditError::Parse(format!("the edited file would not parse: {e}")))?;
    Ok(out)
}

/// A workspace file for a project that has none yet: the Go Modules environment only.
pub fn new_workspace(vars: &[(String, String)]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project version=\"4\">\n");
    out.push_str(&component_block("  ", "  ", "\n", vars));
    out.push_str("</project>\n");
    out
}

/// One element of the file, with the byte spans an edit needs.
#[derive(Debug)]
struct Node {
    name: String,
    parent: Option<usize>,
    /// `<name …>` or `<name …/>`.
    start_tag: Range<usize>,
    /// `</name>`; `None` for an empty element.
    end_tag: Option<Range<usize>>,
    /// The `name` attribute (components), the `key` attribute (entries).
    label: Option<String>,
    key: Option<String>,
    /// The `value` attribute, decoded, and its raw bytes' span (inside the quotes).
    value: Option<(String, Range<usize>)>,
}

fn scan(text: &str) -> Result<Vec<Node>, EditError> {
    let at = |offset: usize, message: String| {
        let (line, column) = super::line_column(text, offset);
        EditError::At {
            line,
            column,
            message,
        }
    };
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut nodes: Vec<Node> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    loop {
        let start = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            at(
                usize::try_from(reader.error_position()).unwrap_or(0),
                e.to_string(),
            )
        })?;
        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let empty = text[start..end].ends_with("/>");
                let attr = |name: &str| attr(&e, name).map_err(|m| at(start, m));
                let value = match e
                    .try_get_attribute("value")
                    .map_err(|err| at(start, err.to_string()))?
                {
                    Some(a) => {
                        let decoded = a
                            .normalized_value(XmlVersion::Implicit1_0)
                            .map_err(|err| at(start, err.to_string()))?
                            .into_owned();
                        // The raw value borrows from `text`: its offset is its span.
                        let raw: &str = &a.value;
                        let offset = (raw.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
                        let span = offset..offset + raw.len();
                        if span.end > end || text.get(span.clone()) != Some(raw) {
                            return Err(EditError::NotLossless);
                        }
                        Some((decoded, span))
                    }
                    None => None,
                };
                nodes.push(Node {
                    name: e.name().as_ref().to_string(),
                    parent: open.last().copied(),
                    start_tag: start..end,
                    end_tag: None,
                    label: attr("name")?,
                    key: attr("key")?,
                    value,
                });
                if !empty {
                    open.push(nodes.len() - 1);
                }
            }
            Event::End(_) => {
                let Some(i) = open.pop() else {
                    return Err(at(start, "an end tag without a start tag".into()));
                };
                nodes[i].end_tag = Some(start..end);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(&i) = open.last() {
        return Err(at(
            nodes[i].start_tag.start,
            format!("<{}> is never closed", nodes[i].name),
        ));
    }
    Ok(nodes)
}

/// An attribute value as XML writes it inside double quotes; tabs and line breaks as character
/// references, since a parser turns literal ones into spaces.
fn escape_attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

fn entry_line(indent: &str, nl: &str, key: &str, value: &str) -> String {
    format!(
        "{indent}<entry key=\"{}\" value=\"{}\" />{nl}",
        escape_attr(key),
        escape_attr(value)
    )
}

fn map_block(indent: &str, unit: &str, nl: &str, vars: &[(String, String)]) -> String {
    let inner = format!("{indent}{unit}");
    let mut out = format!("{indent}<map>{nl}");
    for (k, v) in vars {
        out.push_str(&entry_line(&inner, nl, k, v));
    }
    out.push_str(&format!("{indent}</map>{nl}"));
    out
}

fn environment_block(indent: &str, unit: &str, nl: &str, vars: &[(String, String)]) -> String {
    format!(
        "{indent}<environment>{nl}{}{indent}</environment>{nl}",
        map_block(&format!("{indent}{unit}"), unit, nl, vars)
    )
}

fn component_block(indent: &str, unit: &str, nl: &str, vars: &[(String, String)]) -> String {
    format!(
        "{indent}<component name=\"VgoProject\">{nl}{}{indent}</component>{nl}",
        environment_block(&format!("{indent}{unit}"), unit, nl, vars)
    )
}

/// The whitespace before `pos` on its line, when only whitespace precedes it there.
fn indent_before(text: &str, pos: usize) -> Option<&str> {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..pos];
    indent
        .chars()
        .all(|c| c == ' ' || c == '\t')
        .then_some(indent)
}

/// `text` (a `.idea/workspace.xml`) with the project's Go Modules environment
/// (`<component name="VgoProject"><environment><map>`) holding exactly `vars` among
/// modroute's settings ([`super::is_managed_var`]): values changed in place (only the value
/// attribute's bytes), missing entries added before `</map>` with the indentation of their
/// neighbours, modroute's other entries removed (their whole line), and the component or its
/// `environment`/`map` created when missing. Every other byte — other components, run
/// configurations, entities, comments, CRLF — is kept. Errors carry line and column.
pub fn write_project_env(text: &str, vars: &[(String, String)]) -> Result<String, EditError> {
    let nodes = scan(text)?;
    let at = |offset: usize, message: String| {
        let (line, column) = super::line_column(text, offset);
        EditError::At {
            line,
            column,
            message,
        }
    };
    let Some(root) = nodes.iter().position(|n| n.parent.is_none()) else {
        return if vars.is_empty() {
            Ok(text.to_string())
        } else {
            Err(at(0, "no <project> element".into()))
        };
    };
    if nodes[root].name != "project" {
        return Err(at(
            nodes[root].start_tag.start,
            format!("the root element is <{}>, not <project>", nodes[root].name),
        ));
    }
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let children = |parent: usize, name: &str| -> Vec<usize> {
        (0..nodes.len())
            .filter(|&i| nodes[i].parent == Some(parent) && nodes[i].name == name)
            .collect()
    };
    // The indentation unit: how far the root's first child is indented.
    let unit = nodes
        .iter()
        .find(|n| n.parent == Some(root))
        .and_then(|n| indent_before(text, n.start_tag.start))
        .filter(|i| !i.is_empty())
        .unwrap_or("  ");
    let components: Vec<usize> = children(root, "component")
        .into_iter()
        .filter(|&i| nodes[i].label.as_deref() == Some("VgoProject"))
        .collect();
    if let Some(&second) = components.get(1) {
        return Err(at(
            nodes[second].start_tag.start,
            "a second VgoProject component; GoLand keeps one — merge them by hand".into(),
        ));
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // Inserts `block(indent)` as the last child of `parent` (before its end tag), or expands
    // an empty `<parent/>`.
    let insert_into = |parent: usize, block: &dyn Fn(&str) -> String| -> (Range<usize>, String) {
        let node = &nodes[parent];
        match &node.end_tag {
            Some(end) => match indent_before(text, end.start) {
                Some(indent) => {
                    let line_start = end.start - indent.len();
                    (line_start..line_start, block(&format!("{indent}{unit}")))
                }
                None => (end.start..end.start, block("").replace(nl, "")),
            },
            None => {
                let tag = &text[node.start_tag.clone()];
                let open = format!("{}>", tag[..tag.len() - 2].trim_end());
                match indent_before(text, node.start_tag.start) {
                    Some(indent) => (
                        node.start_tag.clone(),
                        format!(
                            "{open}{nl}{}{indent}</{}>",
                            block(&format!("{indent}{unit}")),
                            node.name
                        ),
                    ),
                    None => (
                        node.start_tag.clone(),
                        format!("{open}{}</{}>", block("").replace(nl, ""), node.name),
                    ),
                }
            }
        }
    };
    match components.first() {
        None if vars.is_empty() => return Ok(text.to_string()),
        None => edits.push(insert_into(root, &|indent| {
            component_block(indent, unit, nl, vars)
        })),
        Some(&component) => {
            let environments = children(component, "environment");
            let maps: Vec<usize> = environments
                .iter()
                .flat_map(|&e| children(e, "map"))
                .collect();
            match (environments.first(), maps.first()) {
                (None, _) if vars.is_empty() => {}
                (None, _) => edits.push(insert_into(component, &|indent| {
                    environment_block(indent, unit, nl, vars)
                })),
                (Some(_), Some(_)) if maps.len() > 1 => {
                    return Err(at(
                        nodes[maps[1]].start_tag.start,
                        "a second Go Modules environment map; merge them by hand".into(),
                    ));
                }
                (Some(&environment), None) => {
                    if !vars.is_empty() {
                        edits.push(insert_into(environment, &|indent| {
                            map_block(indent, unit, nl, vars)
                        }));
                    }
                }
                (Some(_), Some(&map)) => {
                    let entries: Vec<usize> = children(map, "entry");
                    let keys: Vec<Option<&str>> =
                        entries.iter().map(|&i| nodes[i].key.as_deref()).collect();
                    for (n, &i) in entries.iter().enumerate() {
                        let Some(key) = keys[n] else { continue };
                        if !super::is_managed_var(key) {
                            continue;
                        }
                        let later_duplicate = keys[n + 1..].contains(&Some(key));
                        let node = &nodes[i];
                        let span = node.start_tag.start
                            ..node.end_tag.as_ref().map_or(node.start_tag.end, |e| e.end);
                        match vars.iter().find(|(k, _)| k == key) {
                            Some((_, value)) if !later_duplicate => match &node.value {
                                Some((current, _)) if current == value => {}
                                Some((_, raw)) => edits.push((raw.clone(), escape_attr(value))),
                                None => edits
                                    .push((node.start_tag.clone(), entry_line("", "", key, value))),
                            },
                            _ => edits.push((whole_lines(text, span), String::new())),
                        }
                    }
                    let missing: Vec<(String, String)> = vars
                        .iter()
                        .filter(|(k, _)| !keys.contains(&Some(k.as_str())))
                        .cloned()
                        .collect();
                    if !missing.is_empty() {
                        // New entries line up with the existing ones.
                        let sibling_indent = entries
                            .first()
                            .and_then(|&i| indent_before(text, nodes[i].start_tag.start))
                            .map(str::to_string);
                        let (range, block) = insert_into(map, &|indent| {
                            let indent = sibling_indent.as_deref().unwrap_or(indent);
                            missing
                                .iter()
                                .map(|(k, v)| entry_line(indent, nl, k, v))
                                .collect()
                        });
                        edits.push((range, block));
                    }
                }
            }
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_string();
    for (range, replacement) in edits {
        out.replace_range(range, &replacement);
    }
    verify(&out, vars)?;
    Ok(out)
}

/// `span` widened to its whole line(s) when nothing else is on them.
fn whole_lines(text: &str, span: Range<usize>) -> Range<usize> {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i + 1);
    let alone = text[line_start..span.start].trim().is_empty()
        && text[span.end..line_end].trim().is_empty();
    if alone { line_start..line_end } else { span }
}

/// Reads the edited text back and checks that GoLand will see exactly `vars` among modroute's
/// settings in the project's environment.
fn verify(out: &str, vars: &[(String, String)]) -> Result<(), EditError> {
    let entries = parse(out)
        .map_err(|e| EditError::Parse(format!("the edited file would not parse: {e}")))?;
    let mut seen: Vec<(String, String)> = Vec::new();
    for e in entries.into_iter().filter(|e| e.origin == Origin::Project) {
        seen.retain(|(k, _)| *k != e.var);
        seen.push((e.var, e.value));
    }
    let mut expected = vars.to_vec();
    expected.sort();
    seen.sort();
    if expected == seen {
        Ok(())
    } else {
        Err(EditError::Parse(
            "the edited file would not hold the profile's values".into(),
        ))
    }
}

/// What to add by hand (Settings | Go | Go Modules → Environment) when the file cannot be
/// edited: one `NAME=value` per line.
pub fn manual_lines(vars: &[(String, String)]) -> String {
    vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="RunManager">
    <configuration name="server" type="GoApplicationRunConfiguration" factoryName="Go Application">
      <module name="demo" />
      <envs>
        <env name="GOFLAGS" value="-mod=vendor" />
        <env name="CGO_ENABLED" value="0" />
      </envs>
    </configuration>
  </component>
  <component name="VgoProject">
    <environment>
      <map>
        <entry key="GOPROXY" value="https://old.example&amp;x,direct" />
        <entry key="GONOSUMDB" value="corp.example"></entry>
      </map>
    </environment>
    <integration-enabled>true</integration-enabled>
  </component>
  <component name="PropertiesComponent"><property name="GOPROXY" value="no" /></component>
</project>
"#;

    #[test]
    fn entries_with_lines_and_origins() {
        let got: Vec<_> = parse(XML)
            .unwrap()
            .into_iter()
            .map(|e| (e.var, e.value, e.line, e.origin))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "GOFLAGS".to_string(),
                    "-mod=vendor".to_string(),
                    7,
                    Origin::RunConfiguration {
                        name: "server".into()
                    }
                ),
                (
                    "GOPROXY".into(),
                    "https://old.example&x,direct".into(),
                    15,
                    Origin::Project
                ),
                (
                    "GONOSUMDB".into(),
                    "corp.example".into(),
                    16,
                    Origin::Project
                ),
            ]
        );
    }

    #[test]
    fn removal_cuts_the_line_and_keeps_every_other_byte() {
        let out = remove_entry(XML, "GOPROXY", 15).unwrap();
        assert_eq!(
            out,
            XML.replace(
                "        <entry key=\"GOPROXY\" value=\"https://old.example&amp;x,direct\" />\n",
                ""
            )
        );
        let out = remove_entry(&out, "GONOSUMDB", 15).unwrap();
        assert!(!out.contains("GONOSUMDB"), "{out}");
        assert!(out.contains("      <map>\n      </map>\n"), "{out}");
        assert!(matches!(
            remove_entry(XML, "GOPROXY", 3),
            Err(EditError::NotFound(_))
        ));
        // Two elements on one line: only the element goes.
        let inline = "<project><component name=\"VgoProject\"><environment><map><entry key=\"GOPROXY\" value=\"a\"/><entry key=\"GOFLAGS\" value=\"b\"/></map></environment></component></project>";
        let out = remove_entry(inline, "GOPROXY", 1).unwrap();
        assert_eq!(
            out,
            inline.replace("<entry key=\"GOPROXY\" value=\"a\"/>", "")
        );
    }

    #[test]
    fn crlf_lines_go_whole() {
        let xml = "<project>\r\n<component name=\"VgoProject\">\r\n<environment><map>\r\n  <entry key=\"GOPROXY\" value=\"x\" />\r\n</map></environment>\r\n</component>\r\n</project>\r\n";
        let out = remove_entry(xml, "GOPROXY", 4).unwrap();
        assert_eq!(
            out,
            xml.replace("  <entry key=\"GOPROXY\" value=\"x\" />\r\n", "")
        );
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(parse("<project><component></project>").is_err());
    }

    fn vars(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Other components, a run configuration with its own GOPROXY, a comment and CDATA that
    /// look like entries, entities, a user's own key, an entry written with an end tag.
    const WORKSPACE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="ChangeListManager">
    <list default="true" id="x" name="Changes" comment="a &amp; b &lt;c&gt; &#10;" />
  </component>
  <!-- <entry key="GOPROXY" value="in a comment" /> -->
  <component name="RunManager" selected="Go Build.server">
    <configuration name="server" type="GoApplicationRunConfiguration" factoryName="Go Application">
      <envs>
        <env name="GOPROXY" value="https://run.example" />
      </envs>
    </configuration>
  </component>
  <component name="VgoProject">
    <environment>
      <map>
        <entry key="CGO_ENABLED" value="0" />
        <entry key="GOPROXY" value="https://old.example&amp;x,direct" />
        <entry key="GOFLAGS" value="-mod=vendor"></entry>
      </map>
    </environment>
    <integration-enabled>true</integration-enabled>
  </component>
  <component name="PropertiesComponent"><![CDATA[{ "GOPROXY": "x" }]]></component>
</project>
"#;

    fn project_env(text: &str) -> Vec<(String, String)> {
        parse(text)
            .unwrap()
            .into_iter()
            .filter(|e| e.origin == Origin::Project)
            .map(|e| (e.var, e.value))
            .collect()
    }

    #[test]
    fn writing_changes_only_the_go_modules_environment() {
        let want = vars(&[
            ("GOPROXY", "https://goproxy.cn,direct"),
            ("GOSUMDB", "sum.golang.org"),
            ("NO_PROXY", "a&b,<c>,\"q\""),
        ]);
        let out = write_project_env(WORKSPACE, &want).unwrap();
        let expected = WORKSPACE
            .replace(
                "value=\"https://old.example&amp;x,direct\"",
                "value=\"https://goproxy.cn,direct\"",
            )
            .replace(
                "        <entry key=\"GOFLAGS\" value=\"-mod=vendor\"></entry>\n      </map>",
                "        <entry key=\"GOSUMDB\" value=\"sum.golang.org\" />\n        <entry key=\"NO_PROXY\" value=\"a&amp;b,&lt;c&gt;,&quot;q&quot;\" />\n      </map>",
            );
        assert_eq!(out, expected);
        assert_eq!(project_env(&out), want);
        assert_eq!(write_project_env(&out, &want).unwrap(), out, "idempotent");
        // The run configuration's own value is the user's.
        assert!(out.contains("<env name=\"GOPROXY\" value=\"https://run.example\" />"));
        // Nothing left to set: modroute's entries go, the user's stay.
        let out = write_project_env(&out, &[]).unwrap();
        assert_eq!(project_env(&out), []);
        assert!(
            out.contains("<entry key=\"CGO_ENABLED\" value=\"0\" />\n      </map>"),
            "{out}"
        );
    }

    #[test]
    fn missing_parts_are_created_with_the_files_indentation_and_line_ends() {
        let want = vars(&[("GOPROXY", "off")]);
        let crlf = "<?xml version=\"1.0\"?>\r\n<project version=\"4\">\r\n\t<component name=\"Other\" />\r\n</project>\r\n";
        let out = write_project_env(crlf, &want).unwrap();
        assert_eq!(
            out,
            "<?xml version=\"1.0\"?>\r\n<project version=\"4\">\r\n\t<component name=\"Other\" />\r\n\t<component name=\"VgoProject\">\r\n\t\t<environment>\r\n\t\t\t<map>\r\n\t\t\t\t<entry key=\"GOPROXY\" value=\"off\" />\r\n\t\t\t</map>\r\n\t\t</environment>\r\n\t</component>\r\n</project>\r\n"
        );
        let empty = "<project version=\"4\">\n  <component name=\"VgoProject\" />\n</project>\n";
        let out = write_project_env(empty, &want).unwrap();
        assert_eq!(project_env(&out), want, "{out}");
        assert!(
            out.contains("  <component name=\"VgoProject\">\n    <environment>\n"),
            "{out}"
        );
        let no_map = "<project><component name=\"VgoProject\"><environment/></component></project>";
        let out = write_project_env(no_map, &want).unwrap();
        assert_eq!(project_env(&out), want, "{out}");
        assert_eq!(project_env(&new_workspace(&want)), want);
        // Nothing to write and nothing there: unchanged.
        assert_eq!(write_project_env(crlf, &[]).unwrap(), crlf);
        // Line breaks and tabs in a value survive as character references.
        let tricky = vars(&[("GOFLAGS", "-a\t-b\n")]);
        assert_eq!(
            project_env(&write_project_env(empty, &tricky).unwrap()),
            tricky
        );
    }

    #[test]
    fn broken_or_ambiguous_files_name_line_and_column() {
        let want = vars(&[("GOPROXY", "off")]);
        let err = write_project_env(
            "<project>\n  <component name=\"VgoProject\">\n</project>\n",
            &want,
        )
        .unwrap_err();
        assert!(matches!(err, EditError::At { line: 3, .. }), "{err:?}");
        let twice = "<project>\n<component name=\"VgoProject\"/>\n<component name=\"VgoProject\"/>\n</project>";
        assert!(
            write_project_env(twice, &want)
                .unwrap_err()
                .to_string()
                .starts_with("3:1: a second VgoProject component"),
        );
        let err = write_project_env("<module/>", &want).unwrap_err();
        assert_eq!(
            err.to_string(),
            "1:1: the root element is <module>, not <project>"
        );
    }
}
