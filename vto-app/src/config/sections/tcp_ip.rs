//! Network > Basic > TCP/IP (manual 6.1.1): the station's IPv4 address. Saving it restarts
//! the network, so a wrong value is refused rather than locking the installer out.

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::check::{host_ipv4, ipv4};
use super::{FieldError, Section};

/// The manual's "TCP/IP" page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct TcpIp {
    /// Take the address from a DHCP server; the static fields below are then kept for
    /// when DHCP is turned off (and still checked). Default off.
    pub dhcp: bool,
    /// "IP Address". Default 192.168.1.108 (the manual's).
    #[schema(example = "192.168.1.108")]
    pub ip_address: String,
    /// "Subnet Mask": contiguous, /8 to /30. Default 255.255.255.0.
    pub subnet_mask: String,
    /// "Default Gateway", in the station's subnet. Default 192.168.1.1.
    pub default_gateway: String,
    /// "Preferred DNS". Default 8.8.8.8.
    pub preferred_dns: String,
    /// "Alternate DNS"; empty for none. Default 8.8.4.4.
    pub alternate_dns: String,
}

impl Default for TcpIp {
    fn default() -> Self {
        Self {
            dhcp: false,
            ip_address: "192.168.1.108".into(),
            subnet_mask: "255.255.255.0".into(),
            default_gateway: "192.168.1.1".into(),
            preferred_dns: "8.8.8.8".into(),
            alternate_dns: "8.8.4.4".into(),
        }
    }
}

/// The prefix length of a contiguous mask.
fn prefix_len(mask: Ipv4Addr) -> Option<u32> {
    let bits = u32::from(mask);
    let len = bits.leading_ones();
    (bits.checked_shl(len).unwrap_or(0) == 0).then_some(len)
}

impl Section for TcpIp {
    const NAME: &'static str = "network.tcp_ip";
    const PAGE: &'static str = "Network > Basic > TCP/IP";

    fn validate(&self) -> Result<(), FieldError> {
        let ip = host_ipv4("ip_address", &self.ip_address)?;
        let mask = ipv4("subnet_mask", &self.subnet_mask)?;
        let len = prefix_len(mask)
            .filter(|l| (8..=30).contains(l))
            .ok_or_else(|| {
                FieldError::new(
                    "subnet_mask",
                    format!("{:?}", self.subnet_mask),
                    "a contiguous mask from 255.0.0.0 (/8) to 255.255.255.252 (/30)",
                )
            })?;
        let (ip_bits, mask_bits) = (u32::from(ip), u32::from(mask));
        let host = ip_bits & !mask_bits;
        if host == 0 || host == !mask_bits {
            return Err(FieldError::new(
                "ip_address",
                format!("{:?}", self.ip_address),
                format!(
                    "a host address of its /{len} subnet, not the network or broadcast address"
                ),
            ));
        }
        let gw = host_ipv4("default_gateway", &self.default_gateway)?;
        let gw_host = u32::from(gw) & !mask_bits;
        if u32::from(gw) & mask_bits != ip_bits & mask_bits
            || gw_host == 0
            || gw_host == !mask_bits
            || gw == ip
        {
            return Err(FieldError::new(
                "default_gateway",
                format!("{:?}", self.default_gateway),
                format!(
                    "another host of the station's subnet {}/{len}",
                    Ipv4Addr::from(ip_bits & mask_bits)
                ),
            ));
        }
        host_ipv4("preferred_dns", &self.preferred_dns)?;
        if !self.alternate_dns.is_empty() {
            host_ipv4("alternate_dns", &self.alternate_dns)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gateway_outside_the_subnet_is_refused() {
        let s = TcpIp {
            default_gateway: "192.168.2.1".into(),
            ..TcpIp::default()
        };
        assert_eq!(
            s.validate().map_err(|e| e.field),
            Err("default_gateway".into())
        );
    }

    #[test]
    fn masks_must_be_contiguous() {
        let s = TcpIp {
            subnet_mask: "255.0.255.0".into(),
            ..TcpIp::default()
        };
        assert_eq!(s.validate().map_err(|e| e.field), Err("subnet_mask".into()));
        assert_eq!(prefix_len(Ipv4Addr::new(255, 255, 255, 0)), Some(24));
    }

    #[test]
    fn the_broadcast_address_is_not_a_station_address() {
        let s = TcpIp {
            ip_address: "192.168.1.255".into(),
            ..TcpIp::default()
        };
        assert_eq!(s.validate().map_err(|e| e.field), Err("ip_address".into()));
    }
}
