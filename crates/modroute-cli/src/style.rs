//! Terminal styling: ANSI colour only when stdout is a terminal and `NO_COLOR` is unset.

use std::io::IsTerminal;

/// Whether to colour output.
pub fn colour_enabled() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A painter that is a no-op when colour is off.
#[derive(Clone, Copy)]
pub struct Paint(pub bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    /// Bold.
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
    /// Dimmed (losing values, hints).
    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
    /// Yellow (warnings).
    pub fn yellow(self, text: &str) -> String {
        self.wrap("33", text)
    }
    /// Green (added lines).
    pub fn green(self, text: &str) -> String {
        self.wrap("32", text)
    }
    /// Red (errors).
    pub fn red(self, text: &str) -> String {
        self.wrap("31", text)
    }
    /// A colour per source, so the winning layer is recognisable at a glance.
    pub fn source(self, code: &str, text: &str) -> String {
        let colour = match code {
            "env" => "35",
            "goenv" => "36",
            "goroot" => "34",
            _ => "2",
        };
        self.wrap(colour, text)
    }
}
