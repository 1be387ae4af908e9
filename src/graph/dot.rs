//! The laid-out graph as Graphviz DOT (`fateshare graph`): every text
//! quoted, control characters dropped, so Graphviz parses it whatever the
//! scenario says.

use super::{EdgeKind, Graph, Node, NodeKind};
use crate::fmtnum::sig;
use std::fmt::Write;

impl Graph {
    /// The graph in Graphviz DOT: `dot -Tsvg` draws it left to right.
    pub fn dot(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "digraph fateshare {{");
        let _ = writeln!(s, "  label={};", quote(&self.name));
        let _ = writeln!(s, "  labelloc=t;");
        let _ = writeln!(s, "  rankdir=LR;");
        let _ = writeln!(s, "  fontname=\"Helvetica\";");
        let _ = writeln!(
            s,
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=11];"
        );
        let _ = writeln!(s, "  edge [fontname=\"Helvetica\", fontsize=9];");
        for n in &self.nodes {
            let label = if n.detail.is_empty() {
                n.id.clone()
            } else {
                format!("{}\n{}", n.id, n.detail)
            };
            let mut attrs = vec![format!("label={}", quote(&label))];
            match n.kind {
                NodeKind::Cause => {
                    attrs.push("shape=box".into());
                    attrs.push("style=\"dashed,filled\"".into());
                    let (fill, line) = if n.shared {
                        ("#fde2e1", "#c0392b")
                    } else {
                        ("#eeeeee", "#777777")
                    };
                    attrs.push(format!("fillcolor=\"{fill}\", color=\"{line}\""));
                }
                NodeKind::Component => {
                    if n.shared {
                        attrs.push("color=\"#c0392b\", penwidth=2".into());
                    }
                }
                NodeKind::Architecture => {
                    attrs.push("shape=box, style=\"bold,filled\", fillcolor=\"#dde8f5\"".into());
                }
            }
            if let Some(d) = &n.description {
                attrs.push(format!("tooltip={}", quote(d)));
            }
            let _ = writeln!(s, "  {} [{}];", node_name(n), attrs.join(", "));
        }
        for e in &self.edges {
            let (from, to) = (node_name(&self.nodes[e.from]), node_name(&self.nodes[e.to]));
            let attrs = match e.kind {
                EdgeKind::Needs => String::new(),
                EdgeKind::Serves => " [penwidth=2.5]".into(),
                EdgeKind::Hits { probability } => {
                    let color = if self.nodes[e.from].shared {
                        "#c0392b"
                    } else {
                        "#777777"
                    };
                    format!(
                        " [style=dashed, color=\"{color}\", fontcolor=\"{color}\", label={}]",
                        quote(&format!("hit {}", sig(probability, 3)))
                    )
                }
            };
            let _ = writeln!(s, "  {from} -> {to}{attrs};");
        }
        for kind in [NodeKind::Cause, NodeKind::Architecture] {
            let names: Vec<String> = self
                .nodes
                .iter()
                .filter(|n| n.kind == kind)
                .map(node_name)
                .collect();
            if !names.is_empty() {
                let _ = writeln!(s, "  {{ rank=same; {}; }}", names.join("; "));
            }
        }
        let _ = writeln!(s, "}}");
        s
    }
}

/// A DOT node name: kind and id, so that an architecture may share its id
/// with a component.
fn node_name(n: &Node) -> String {
    quote(&format!("{}:{}", n.kind.name(), n.id))
}

/// A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if crate::text::is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{model, PAIR};
    use super::*;

    #[test]
    fn dot_quotes_and_escapes() {
        let dot = Graph::of(&model(PAIR)).dot();
        assert!(dot.starts_with("digraph fateshare {\n"));
        assert!(dot.contains(r#"label="Pair \"quoted\" \\ back";"#), "{dot}");
        assert!(dot.contains(r#""cause:cloud" -> "component:cloud-a""#));
        assert!(dot.contains(r#""component:cloud-a" -> "component:vendor-a";"#));
        assert!(dot.contains(r#""component:pair" -> "architecture:pair" [penwidth=2.5];"#));
        assert!(dot.contains("label=\"hit 0.5\""));
        assert_eq!(dot.matches(" -> ").count(), 7);
        assert!(dot.trim_end().ends_with('}'));
        // Quotes are balanced on every line once escapes are removed.
        for line in dot.lines() {
            let unescaped = line.replace("\\\\", "").replace("\\\"", "");
            assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
        }
    }
}
