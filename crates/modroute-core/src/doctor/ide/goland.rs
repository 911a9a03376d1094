//! GoLand's per-project Go environment in `.idea/workspace.xml` (research/shells.md §4.3).
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

/// Every entry for the 12 settings, in file order.
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
}
