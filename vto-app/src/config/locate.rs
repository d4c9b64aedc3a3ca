//! Keys and places in TOML text. Serde's errors carry a byte span but not the key, and our
//! own checks know the key but not the place; this module maps one to the other so every
//! [`ConfigError`](super::ConfigError) names both.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::error::Position;

/// A parsed document that keeps the span of every key and value.
pub(crate) struct Document<'a> {
    text: &'a str,
    root: Spanned<DeTable<'a>>,
}

impl<'a> Document<'a> {
    /// Parses `text`; a syntax error is returned as the parser reports it.
    pub(crate) fn parse(text: &'a str) -> Result<Self, toml::de::Error> {
        Ok(Self {
            text,
            root: DeTable::parse(text)?,
        })
    }

    /// The dotted path of the key or value at byte `offset` (`locks.local.relay.offset`,
    /// `wiegand.formats[2]`); the innermost one wins. `None` outside every key.
    pub(crate) fn key_at(&self, offset: usize) -> Option<String> {
        let root = self.root.get_ref();
        walk_table(root, offset, "", false).or_else(|| walk_table(root, offset, "", true))
    }

    /// Where `key` (a dotted path as [`key_at`](Self::key_at) prints it) is written, or
    /// the closest enclosing key that is.
    pub(crate) fn position_of(&self, key: &str) -> Option<Position> {
        let mut table = self.root.get_ref();
        let mut found = None;
        let mut segments = segments(key).into_iter().peekable();
        while let Some(Segment::Key(name)) = segments.next() {
            let Some((k, mut v)) = table.iter().find(|(k, _)| &**k.get_ref() == name) else {
                break;
            };
            found = Some(k.span().start);
            while let Some(Segment::Index(i)) = segments.peek() {
                let item = v.get_ref().as_array().and_then(|a| a.get(*i));
                match item {
                    Some(item) => {
                        found = Some(item.span().start);
                        v = item;
                        segments.next();
                    }
                    None => return found.map(|o| Position::of(self.text, o)),
                }
            }
            match v.get_ref().as_table() {
                Some(t) => table = t,
                None => break,
            }
        }
        found.map(|o| Position::of(self.text, o))
    }

    /// The source text of `span`, for quoting a refused value.
    pub(crate) fn slice(&self, span: core::ops::Range<usize>) -> Option<&'a str> {
        self.text.get(span)
    }
}

enum Segment<'k> {
    Key(&'k str),
    Index(usize),
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        out.push(Segment::Key(name));
        while let Some((index, tail)) = rest.split_once(']') {
            if let Ok(i) = index.parse() {
                out.push(Segment::Index(i));
            }
            rest = tail.strip_prefix('[').unwrap_or(tail);
        }
    }
    out
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

/// First pass (`containers == false`): only keys and scalar values count, so a table
/// whose span happens to cover the offset cannot hide the exact key inside a sibling.
/// Second pass: tables and arrays count too (serde reports a missing field at the table).
fn walk_table(
    table: &DeTable<'_>,
    offset: usize,
    prefix: &str,
    containers: bool,
) -> Option<String> {
    for (k, v) in table.iter() {
        let path = join(prefix, k.get_ref());
        if let Some(p) = walk_value(v, offset, &path, containers) {
            return Some(p);
        }
        if k.span().contains(&offset) {
            return Some(path);
        }
    }
    None
}

fn walk_value(
    v: &Spanned<DeValue<'_>>,
    offset: usize,
    path: &str,
    containers: bool,
) -> Option<String> {
    let nested = match v.get_ref() {
        DeValue::Table(t) => walk_table(t, offset, path, containers),
        DeValue::Array(a) => a
            .iter()
            .enumerate()
            .find_map(|(i, item)| walk_value(item, offset, &format!("{path}[{i}]"), containers)),
        _ => None,
    };
    if nested.is_some() {
        return nested;
    }
    let is_container = matches!(v.get_ref(), DeValue::Table(_) | DeValue::Array(_));
    (v.span().contains(&offset) && (containers || !is_container)).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
[station]
backend = \"linux\"

[locks.local]
relay = { chip = \"gpiochip0\", offset = 17 }

[wiegand]
formats = [\"h10301\", \"nope\"]
";

    #[test]
    fn the_key_at_an_offset_is_the_innermost_one() {
        let doc = Document::parse(TEXT).expect("valid toml");
        let at = TEXT.find("17").expect("present");
        assert_eq!(doc.key_at(at).as_deref(), Some("locks.local.relay.offset"));
        let at = TEXT.find("\"nope\"").expect("present");
        assert_eq!(doc.key_at(at).as_deref(), Some("wiegand.formats[1]"));
        let at = TEXT.find("backend").expect("present");
        assert_eq!(doc.key_at(at).as_deref(), Some("station.backend"));
    }

    #[test]
    fn a_dotted_key_is_found_at_its_line() {
        let doc = Document::parse(TEXT).expect("valid toml");
        let p = doc.position_of("locks.local.relay.offset").expect("found");
        assert_eq!(p.line, 5);
        assert_eq!(p.column, 31);
        assert_eq!(
            doc.position_of("wiegand.formats[1]").map(|p| p.line),
            Some(8)
        );
        // A key that is not written falls back to its closest written parent.
        assert_eq!(
            doc.position_of("locks.local.contact").map(|p| p.line),
            Some(4)
        );
    }
}
