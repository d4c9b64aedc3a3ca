//! Network > Firewall (manual 6.4): who may reach the station, ping, and SYN-flood
//! protection. Rules are addresses, address ranges ("segments") or MAC addresses, as the
//! manual's allowlist and blocklist and its IP/MAC filtering recommendation.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{ipv4, mac, max_len};
use super::{FieldError, Section};

/// The most rules in the list.
pub const MAX_FIREWALL_RULES: usize = 64;

/// The manual's "Firewall" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Firewall {
    /// "Network Access": an allowlist or a blocklist.
    pub network_access: NetworkAccess,
    /// "PING Prohibited": do not answer ping. Default off.
    pub ping_prohibited: bool,
    /// "Anti-semijoin": drop excessive half-open connections (SYN flood). Default off.
    pub anti_half_connection: bool,
}

/// "Network Access".
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq, Default)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkAccess {
    /// Apply the list. Default off.
    pub enabled: bool,
    /// "Allowlist" (only the rules may connect; default) or "Blocklist" (the rules may
    /// not).
    pub mode: AccessMode,
    /// Up to 64 distinct rules; an enabled allowlist needs at least one.
    pub rules: Vec<FirewallRule>,
}

/// Allowlist or blocklist.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum AccessMode {
    /// Only hosts matching a rule may connect.
    #[default]
    Allowlist,
    /// Hosts matching a rule may not connect.
    Blocklist,
}

/// One rule: `{"type": "ip", "address": "192.168.1.20"}`,
/// `{"type": "range", "from": "192.168.1.20", "to": "192.168.1.50"}` or
/// `{"type": "mac", "address": "00:1a:2b:3c:4d:5e"}`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "lowercase", deny_unknown_fields)]
pub enum FirewallRule {
    /// One IPv4 address.
    Ip {
        /// The address.
        address: String,
    },
    /// An IPv4 segment, both ends included.
    Range {
        /// The first address.
        from: String,
        /// The last address, not below `from`.
        to: String,
    },
    /// A MAC address (hosts on the station's own segment).
    Mac {
        /// Six hex pairs.
        address: String,
    },
}

impl FirewallRule {
    /// Checks the rule; fields are named inside it (`from`, `address`).
    pub fn validate(&self) -> Result<(), FieldError> {
        match self {
            Self::Ip { address } => ipv4("address", address).map(|_| ()),
            Self::Range { from, to } => {
                let a = ipv4("from", from)?;
                let b = ipv4("to", to)?;
                if u32::from(b) < u32::from(a) {
                    return Err(FieldError::new(
                        "to",
                        format!("{to:?}"),
                        format!("an address not below `from` ({from})"),
                    ));
                }
                Ok(())
            }
            Self::Mac { address } => mac("address", address).map(|_| ()),
        }
    }

    /// Whether the rule matches an IPv4 source (MAC rules never do here).
    pub fn matches_ip(&self, ip: Ipv4Addr) -> bool {
        let parse = |s: &str| s.parse::<Ipv4Addr>().ok();
        match self {
            Self::Ip { address } => parse(address) == Some(ip),
            Self::Range { from, to } => match (parse(from), parse(to)) {
                (Some(a), Some(b)) => (a..=b).contains(&ip),
                _ => false,
            },
            Self::Mac { .. } => false,
        }
    }

    fn key(&self) -> String {
        match self {
            Self::Ip { address } => address.clone(),
            Self::Range { from, to } => format!("{from}-{to}"),
            Self::Mac { address } => address.to_ascii_lowercase().replace('-', ":"),
        }
    }
}

impl Section for Firewall {
    const NAME: &'static str = "network.firewall";
    const PAGE: &'static str = "Network > Firewall";

    fn validate(&self) -> Result<(), FieldError> {
        let access = &self.network_access;
        max_len("network_access.rules", &access.rules, MAX_FIREWALL_RULES)?;
        for (i, r) in access.rules.iter().enumerate() {
            r.validate()
                .map_err(|e| e.within(&format!("network_access.rules[{i}]")))?;
        }
        super::check::unique("network_access.rules", "address", &access.rules, |r| {
            r.key()
        })?;
        if access.enabled && access.mode == AccessMode::Allowlist && access.rules.is_empty() {
            return Err(FieldError::new(
                "network_access.rules",
                "[]",
                "at least one rule while the allowlist is enabled (an empty allowlist locks everyone out)",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_as_tagged_json() {
        let json = serde_json::json!({ "network_access": { "enabled": true, "rules": [
            { "type": "ip", "address": "192.168.1.20" },
            { "type": "range", "from": "10.0.0.1", "to": "10.0.0.9" },
            { "type": "mac", "address": "00:1a:2b:3c:4d:5e" }
        ]}});
        let f: Firewall = serde_json::from_value(json).expect("parses");
        assert!(f.validate().is_ok());
        assert!(f.network_access.rules[1].matches_ip(Ipv4Addr::new(10, 0, 0, 5)));
    }

    #[test]
    fn a_backwards_range_and_an_empty_allowlist_are_refused() {
        let mut f = Firewall::default();
        f.network_access.rules.push(FirewallRule::Range {
            from: "10.0.0.9".into(),
            to: "10.0.0.1".into(),
        });
        assert_eq!(
            f.validate().map_err(|e| e.field),
            Err("network_access.rules[0].to".into())
        );
        f.network_access.rules.clear();
        f.network_access.enabled = true;
        assert_eq!(
            f.validate().map_err(|e| e.field),
            Err("network_access.rules".into())
        );
    }
}
