//! Which field a JSON body got wrong. serde_json's errors for a `Value` carry no path, so
//! the body is rebuilt one field at a time (every section and list entry takes `{}` as its
//! defaults) until it stops deserializing: the field added last is the one to blame.

use serde_json::{Map, Value};

use super::{FieldError, Section};

#[derive(Clone)]
enum Seg {
    Key(String),
    Index(usize),
}

fn path_text(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The field of `json` that section `S` cannot take, with serde's reason as the allowance.
pub(super) fn blame<S: Section>(json: &Value, err: &serde_json::Error) -> FieldError {
    let Value::Object(body) = json else {
        return FieldError::new("", kind(json), "a JSON object");
    };
    let fails = |doc: &Value| serde_json::from_value::<S>(doc.clone()).err();
    let mut doc = Value::Object(Map::new());
    let mut path = Vec::new();
    find_in_object(body, &mut doc, &mut path, &fails)
        .unwrap_or_else(|| FieldError::new("", "?", allowed(&err.to_string())))
}

fn find_in_object<F>(
    body: &Map<String, Value>,
    doc: &mut Value,
    path: &mut Vec<Seg>,
    fails: &F,
) -> Option<FieldError>
where
    F: Fn(&Value) -> Option<serde_json::Error>,
{
    for (k, v) in body {
        path.push(Seg::Key(k.clone()));
        let found = find_at(v, doc, path, fails);
        if found.is_some() {
            return found;
        }
        path.pop();
    }
    None
}

/// Adds `v` at `path` to `doc`, descending into objects and arrays so the blame lands on
/// the innermost field.
fn find_at<F>(v: &Value, doc: &mut Value, path: &mut Vec<Seg>, fails: &F) -> Option<FieldError>
where
    F: Fn(&Value) -> Option<serde_json::Error>,
{
    let blame_here = |e: serde_json::Error, path: &[Seg]| {
        Some(FieldError::new(path_text(path), v, allowed(&e.to_string())))
    };
    match v {
        Value::Object(inner) => {
            set(doc, path, Value::Object(Map::new()));
            if fails(doc).is_some() {
                // Not a struct with defaults (a tagged rule, a wrongly typed field): judge
                // the whole value.
                set(doc, path, v.clone());
                return fails(doc).and_then(|e| blame_here(e, path));
            }
            find_in_object(inner, doc, path, fails)
        }
        Value::Array(items) => {
            set(doc, path, Value::Array(Vec::new()));
            if let Some(e) = fails(doc) {
                return blame_here(e, path);
            }
            for (i, item) in items.iter().enumerate() {
                push(doc, path, Value::Null);
                path.push(Seg::Index(i));
                let found = find_at(item, doc, path, fails);
                if found.is_some() {
                    return found;
                }
                path.pop();
            }
            None
        }
        _ => {
            set(doc, path, v.clone());
            fails(doc).and_then(|e| blame_here(e, path))
        }
    }
}

fn slot<'a>(doc: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    let mut here = doc;
    for seg in path {
        here = match (seg, here) {
            (Seg::Key(k), Value::Object(m)) => m.entry(k.clone()).or_insert(Value::Null),
            (Seg::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(here)
}

fn set(doc: &mut Value, path: &[Seg], value: Value) {
    if let Some(s) = slot(doc, path) {
        *s = value;
    }
}

fn push(doc: &mut Value, path: &[Seg], value: Value) {
    if let Some(Value::Array(a)) = slot(doc, path) {
        a.push(value);
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde's "expected ..." in words a user reads.
fn allowed(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    if message.starts_with("unknown field") {
        let fields = message
            .split_once("expected ")
            .map(|(_, x)| x.trim_start_matches("one of ").replace('`', ""))
            .unwrap_or_default();
        return if fields.is_empty() {
            "no such field".to_owned()
        } else {
            format!("no such field; the fields are {fields}")
        };
    }
    let expected = message
        .split_once("expected ")
        .map(|(_, x)| x.replace('`', ""))
        .unwrap_or_else(|| message.to_owned());
    match expected.as_str() {
        "u8" => "an integer 0..=255".into(),
        "u16" => "an integer 0..=65535".into(),
        "u32" => "an integer 0..=4294967295".into(),
        "u64" => "an integer 0..=18446744073709551615".into(),
        _ => expected,
    }
}
