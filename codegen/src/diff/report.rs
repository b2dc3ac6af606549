//! The report of a diff: its changes, classified, as text or Markdown.

use super::*;

/// How a change affects users of the generated crate. Sorted most severe first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Breaking,
    Dangerous,
    Compatible,
    Documentation,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Breaking,
        Severity::Dangerous,
        Severity::Compatible,
        Severity::Documentation,
    ];

    /// `breaking`, `dangerous`, `compatible`, `documentation`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Dangerous => "dangerous",
            Severity::Compatible => "compatible",
            Severity::Documentation => "documentation",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Severity::Breaking => "Breaking",
            Severity::Dangerous => "Dangerous",
            Severity::Compatible => "Compatible",
            Severity::Documentation => "Documentation",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One change between the two models.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub severity: Severity,
    /// What it is about: a shape, member or operation id of the model.
    pub subject: String,
    /// A smithy-diff style event id (`RemovedOperation`, `AddedRequiredMember`).
    pub id: &'static str,
    /// What changed, in model terms.
    pub model: String,
    /// What it does to the generated crate's API and behaviour.
    pub rust: String,
}

/// Every change between two services.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub service: String,
    pub crate_name: String,
    pub old_version: String,
    pub new_version: String,
    /// Sorted: class, subject, id, then the texts.
    pub changes: Vec<Change>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// Is there a change of `severity` or worse?
    pub fn has_at_least(&self, severity: Severity) -> bool {
        self.changes.iter().any(|c| c.severity <= severity)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// `2 breaking, 1 dangerous, 0 compatible, 0 documentation (3 changes)`.
    pub fn summary(&self) -> String {
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|s| format!("{} {}", self.count(*s), s.label()))
            .collect();
        let n = self.changes.len();
        format!(
            "{} ({n} change{})",
            counts.join(", "),
            if n == 1 { "" } else { "s" }
        )
    }

    fn heading(&self) -> String {
        let version = if self.old_version == self.new_version {
            format!("API version {}", self.new_version)
        } else {
            format!("API version {} -> {}", self.old_version, self.new_version)
        };
        format!(
            "`{}` (crate `{}`, {version})",
            self.service, self.crate_name
        )
    }

    /// Plain text for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!("Model diff of {}\n", self.heading());
        if self.changes.is_empty() {
            out.push_str("\nNo changes.\n");
        }
        for severity in Severity::ALL {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!(
                "\n{} ({})\n",
                severity.title().to_uppercase(),
                changes.len()
            ));
            for c in changes {
                out.push_str(&format!("  [{}] {}\n", c.id, c.subject));
                out.push_str(&format!("      model: {}\n", c.model));
                out.push_str(&format!("      rust:  {}\n", c.rust));
            }
        }
        out.push_str(&format!("\nSummary: {}\n", self.summary()));
        out
    }

    /// Markdown for a pull request comment. Documentation changes are folded away.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("## Model diff\n\n{}\n\n", self.heading());
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|s| {
                let n = self.count(*s);
                if n > 0 && *s <= Severity::Dangerous {
                    format!("**{n} {}**", s.label())
                } else {
                    format!("{n} {}", s.label())
                }
            })
            .collect();
        out.push_str(&counts.join(" · "));
        out.push('\n');
        if self.changes.is_empty() {
            out.push_str("\nNo changes.\n");
        }
        for severity in Severity::ALL {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .collect();
            if changes.is_empty() {
                continue;
            }
            let fold = severity == Severity::Documentation;
            if fold {
                out.push_str(&format!(
                    "\n<details>\n<summary>{} ({})</summary>\n\n",
                    severity.title(),
                    changes.len()
                ));
            } else {
                out.push_str(&format!(
                    "\n### {} ({})\n\n",
                    severity.title(),
                    changes.len()
                ));
            }
            for c in changes {
                out.push_str(&format!(
                    "- **{}** `{}`: {}<br>Rust: {}\n",
                    c.id,
                    c.subject,
                    md_escape(&c.model),
                    md_escape(&c.rust)
                ));
            }
            if fold {
                out.push_str("\n</details>\n");
            }
        }
        out
    }
}

/// Keeps a one-line text from breaking a Markdown list item (outside code spans, `<` would
/// start HTML).
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
