//! Passwords inside settings sections (SIP registration, IPC and VTO logins) are never
//! sent back: GET shows them as [`MASK`], and a PUT that sends the mask back keeps the
//! stored password, so a client can edit a section without knowing its secrets.

use serde_json::Value;

/// What a stored, non-empty password reads as.
pub const MASK: &str = "********";

fn is_secret(key: &str) -> bool {
    key.ends_with("password")
}

/// Replaces every non-empty password string in `value` with [`MASK`].
pub fn mask(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s) if is_secret(key) && !s.is_empty() => *s = MASK.into(),
                    other => mask(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// Puts the stored password back wherever `incoming` carries the mask at the same place
/// (same keys, same array index) as `stored`.
pub fn unmask(incoming: &mut Value, stored: &Value) {
    match (incoming, stored) {
        (Value::Object(new), Value::Object(old)) => {
            for (key, v) in new.iter_mut() {
                let Some(previous) = old.get(key) else {
                    continue;
                };
                match v {
                    Value::String(s) if is_secret(key) && s == MASK => {
                        if let Value::String(p) = previous {
                            *s = p.clone();
                        }
                    }
                    other => unmask(other, previous),
                }
            }
        }
        (Value::Array(new), Value::Array(old)) => {
            for (v, previous) in new.iter_mut().zip(old) {
                unmask(v, previous);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn passwords_are_masked_and_a_masked_put_keeps_them() {
        let stored = json!({"server": {"sip_server_password": "s3cret", "port": 5060},
                            "cameras": [{"name": "gate", "password": "cam-pass"}],
                            "empty_password": ""});
        let mut shown = stored.clone();
        mask(&mut shown);
        assert!(!shown.to_string().contains("s3cret"));
        assert!(!shown.to_string().contains("cam-pass"));
        assert_eq!(shown["empty_password"], "");
        let mut edited = shown.clone();
        edited["server"]["port"] = json!(5070);
        edited["cameras"][0]["password"] = json!("new-pass");
        unmask(&mut edited, &stored);
        assert_eq!(edited["server"]["sip_server_password"], "s3cret");
        assert_eq!(edited["cameras"][0]["password"], "new-pass");
        assert_eq!(edited["server"]["port"], 5070);
    }
}
