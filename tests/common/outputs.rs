//! Helpers for tests that run the `fateshare` binary and inspect what it
//! wrote: the command, folder snapshots, PNG and SVG checks.

use std::path::Path;
use std::process::{Command, Output};

/// Runs `fateshare` with `args`.
pub fn fateshare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fateshare"))
        .args(args)
        .output()
        .expect("binary runs")
}

/// Asserts a command succeeded and returns its standard output.
pub fn ok(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file under `dir`: relative path → bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                v.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    v.sort();
    v
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for (rel, bytes) in tree(from) {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Asserts two snapshots hold the same files with the same bytes.
pub fn assert_same_tree(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)], what: &str) {
    assert_eq!(
        before.iter().map(|f| &f.0).collect::<Vec<_>>(),
        after.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "{what}: file lists differ"
    );
    for (b, a) in before.iter().zip(after) {
        assert!(b.1 == a.1, "{what}: {} differs", b.0);
    }
}

/// Decodes a PNG: (width, height, pixels, channels).
pub fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>, usize) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    (info.width, info.height, buf, channels)
}

/// Asserts a decoded PNG is not blank: spread of values, non-white pixels
/// and distinct colours.
pub fn assert_png_drawn(name: &str, px: &[u8], channels: usize) {
    let n = px.len() as f64;
    let mean = px.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let sd = (px
        .iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    assert!(sd > 10.0, "{name}: PNG nearly blank (sd {sd})");
    let non_white = px
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|&c| c < 200))
        .count();
    assert!(
        non_white > 2000,
        "{name}: only {non_white} non-white pixels"
    );
    let mut colours: Vec<&[u8]> = px.chunks(channels).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 20, "{name}: {} colours", colours.len());
}

/// (width, height) of the root `<svg width=".." height="..">`.
pub fn svg_size(svg: &str) -> (u32, u32) {
    let attr = |name: &str| -> u32 {
        let key = format!(" {name}=\"");
        let start = svg.find(&key).unwrap() + key.len();
        let end = start + svg[start..].find('"').unwrap();
        svg[start..end].parse().unwrap()
    };
    (attr("width"), attr("height"))
}

/// The content of every `<text …>` element, in document order.
pub fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .map(|t| {
            let body = &t[t.find('>').unwrap() + 1..];
            body[..body.find("</text>").unwrap()].trim().to_string()
        })
        .collect()
}

/// The HTML of `<section id="ID">` up to its end, if present.
pub fn section<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!("<section id=\"{id}\">"))?;
    let end = start + html[start..].find("</section>")?;
    Some(&html[start..end])
}

/// Asserts `fateshare report OUT` redraws a run's folder byte for byte:
/// report.html and charts/ are removed, redrawn from the folder's files,
/// and every file must come back the same.
pub fn assert_report_redraws(out: &Path, what: &str) {
    let before = tree(out);
    std::fs::remove_file(out.join("report.html")).unwrap();
    let _ = std::fs::remove_dir_all(out.join("charts"));
    ok(&fateshare(&["report", out.to_str().unwrap(), "-q"]));
    assert_same_tree(&before, &tree(out), what);
}
