//! `station.toml` as an installer writes it, and each kind of mistake.

use std::path::Path;

use vto_hal::wiegand::{DecoderConfig, Format};

use super::*;
use crate::config::{ConfigErrorKind, Pin, PinSpec};

const EXAMPLE: &str = include_str!("../../../../docs/station.toml");

fn refused(text: &str) -> ConfigError {
    match StationConfig::from_toml_str(text) {
        Err(e) => e,
        Ok(c) => panic!("accepted: {c:?}"),
    }
}

fn linux(rest: &str) -> String {
    format!("[station]\nbackend = \"linux\"\n\n[locks.local]\nrelay = {{ chip = \"gpiochip0\", offset = 17 }}\n{rest}")
}

#[test]
fn the_documented_example_parses_and_uses_every_table() {
    let c = StationConfig::from_toml_str(EXAMPLE).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(c.backend(), Backend::Linux);
    assert!(c.locks.local.relay.is_some() && c.locks.local.contact.is_some());
    assert!(c.locks.rs485.contact.is_some());
    assert!(c.rs485.is_some() && c.tls.is_some() && c.camera.is_some() && c.audio.is_some());
    assert!(c.inputs.exit_button.is_some() && c.inputs.tamper.is_some());
    assert!(!c.inputs.call_buttons.is_empty());
    assert!(c.wiegand.reader_fitted());
    assert!(c.sip.tls_listen.is_some());
}

#[test]
fn the_example_mentions_every_key_of_the_file() {
    let c = StationConfig::from_toml_str(EXAMPLE).unwrap_or_else(|e| panic!("{e}"));
    let written = toml::to_string(&c).expect("serializes");
    for line in written.lines() {
        let Some((key, _)) = line.split_once(" = ") else {
            continue;
        };
        assert!(
            EXAMPLE.contains(&format!("{key} = ")),
            "docs/station.toml lacks `{key}`"
        );
    }
}

#[test]
fn a_file_with_only_the_backend_takes_the_defaults() {
    let c = StationConfig::from_toml_str("[station]\nbackend = \"sim\"\n").expect("valid");
    assert_eq!(c.api.listen, "127.0.0.1:8080".parse().expect("addr"));
    assert_eq!(c.sip.listen, "0.0.0.0:5060".parse().expect("addr"));
    assert_eq!(c.station.data_dir, Path::new("./vto-data"));
    assert_eq!(c.debounce.window_ms, 20);
    assert_eq!(c.wiegand.decoder_config(), DecoderConfig::STANDARD);
    assert_eq!(c.wiegand.formats()[0], Format::H10301);
}

#[test]
fn the_sim_default_listens_on_loopback() {
    let c = StationConfig::sim_default();
    assert_eq!(c.backend(), Backend::Sim);
    assert_eq!(c.api.listen, "127.0.0.1:8080".parse().expect("addr"));
    assert_eq!(c.sip.listen, "127.0.0.1:5060".parse().expect("addr"));
    assert_eq!(c.station.data_dir, Path::new("./vto-data"));
    assert!(c.validate().is_ok());
}

#[test]
fn a_baud_rate_out_of_range_names_key_value_and_range() {
    let text = "[station]\nbackend = \"sim\"\n\n[rs485]\nport = \"/dev/ttyS1\"\nbaud = 300\n";
    let e = refused(text);
    assert_eq!(e.kind(), ConfigErrorKind::OutOfRange);
    assert_eq!(e.key(), Some("rs485.baud"));
    assert_eq!(e.value(), Some("300"));
    assert_eq!(e.allowed(), "1200..=115200");
    assert_eq!(
        e.to_string(),
        "line 6, column 1: rs485.baud = 300 is outside 1200..=115200"
    );
}

#[test]
fn an_unknown_key_is_refused_with_its_path() {
    let e = refused(&linux("active_high = true\n"));
    assert_eq!(e.kind(), ConfigErrorKind::UnknownKey);
    assert_eq!(e.key(), Some("locks.local.active_high"));
    assert!(e.allowed().contains("active_low"), "{e}");
    assert_eq!(e.position().map(|p| p.line), Some(6));

    let e = refused(
        "[station]\nbackend = \"sim\"\n[locks.local]\nrelay = { chip = \"gpiochip0\", pin = 3 }\n",
    );
    assert_eq!(e.key(), Some("locks.local.relay.pin"));
    let e = refused("[station]\nbackend = \"sim\"\n[cameras]\ndevice = \"/dev/video0\"\n");
    assert_eq!(e.key(), Some("cameras"));
}

#[test]
fn a_syntax_error_gives_line_and_column() {
    let e = refused("[station]\nbackend = \"sim\"\n[api\n");
    assert_eq!(e.kind(), ConfigErrorKind::Syntax);
    assert_eq!(e.position().map(|p| p.line), Some(3));
    assert!(e.to_string().starts_with("line 3, column "), "{e}");
}

#[test]
fn values_of_the_wrong_type_or_form_are_invalid() {
    let e = refused("[station]\nbackend = \"windows\"\n");
    assert_eq!(e.kind(), ConfigErrorKind::Invalid);
    assert_eq!(e.key(), Some("station.backend"));
    assert!(e.allowed().contains("sim, linux, rpi"), "{e}");

    let e = refused("[station]\nbackend = \"sim\"\n[api]\nlisten = \"localhost\"\n");
    assert_eq!(
        (e.kind(), e.key()),
        (ConfigErrorKind::Invalid, Some("api.listen"))
    );

    let e = refused(&linux(
        "[locks.local.contact]\nchip = \"gpiochip0\"\noffset = 27\nbias = \"pull-sideways\"\n",
    ));
    assert_eq!(e.key(), Some("locks.local.contact.bias"));
    assert!(e.allowed().contains("as-is"), "{e}");

    let e = refused(&linux(
        "[inputs]\nexit_button = { chip = \"gpiochip0\", offset = -1 }\n",
    ));
    assert_eq!(
        (e.kind(), e.key()),
        (
            ConfigErrorKind::OutOfRange,
            Some("inputs.exit_button.offset")
        )
    );
}

#[test]
fn a_missing_backend_is_named() {
    let e = refused("[station]\nname = \"gate\"\n");
    assert_eq!(e.key(), Some("station.backend"));
    assert_eq!(e.value(), None);
    let e = refused("[api]\nlisten = \"127.0.0.1:8080\"\n");
    assert_eq!(e.key(), Some("station"));
}

#[test]
fn the_same_pin_twice_names_both_keys() {
    let e = refused(&linux(
        "[inputs]\nexit_button = { chip = \"/dev/gpiochip0\", offset = 17 }\n",
    ));
    assert_eq!(e.kind(), ConfigErrorKind::Invalid);
    assert_eq!(e.key(), Some("inputs.exit_button"));
    assert!(e.to_string().contains("locks.local.relay"), "{e}");
    assert_eq!(e.position().map(|p| p.line), Some(7));
}

#[test]
fn each_backend_takes_its_own_pin_form() {
    let e = refused("[station]\nbackend = \"linux\"\n[locks.local]\nrelay = { bcm = 17 }\n");
    assert_eq!(
        (e.kind(), e.key()),
        (ConfigErrorKind::Invalid, Some("locks.local.relay"))
    );
    assert!(e.allowed().contains("chip"), "{e}");

    let e = refused("[station]\nbackend = \"rpi\"\n[locks.local]\nrelay = { chip = \"gpiochip0\", offset = 17 }\n");
    assert_eq!(e.key(), Some("locks.local.relay"));
    assert!(e.allowed().contains("bcm"), "{e}");

    let e = refused("[station]\nbackend = \"rpi\"\n[locks.local]\nrelay = { bcm = 28 }\n");
    assert_eq!(
        (e.kind(), e.key(), e.allowed()),
        (
            ConfigErrorKind::OutOfRange,
            Some("locks.local.relay.bcm"),
            "0..=27 (BCM GPIO numbers, not physical header pin numbers)"
        )
    );

    let ok = StationConfig::from_toml_str(
        "[station]\nbackend = \"rpi\"\n[locks.local]\nrelay = { bcm = 17 }\nactive_low = true\n",
    )
    .expect("valid");
    assert_eq!(
        ok.locks.local.relay.as_ref().and_then(Pin::spec),
        Some(PinSpec::Bcm(17))
    );
    assert_eq!(ok.locks.local.polarity(), vto_hal::Polarity::ActiveLow);

    let named = StationConfig::from_toml_str("[station]\nbackend = \"linux\"\n[locks.local]\nrelay = { chip = \"gpiochip0\", name = \"RELAY1\" }\n")
        .expect("valid");
    assert_eq!(
        named
            .locks
            .local
            .relay
            .as_ref()
            .and_then(Pin::spec)
            .map(|s| s.to_string()),
        Some("name:RELAY1".into())
    );
}

#[test]
fn hardware_backends_need_the_local_relay() {
    let e = refused("[station]\nbackend = \"linux\"\n");
    assert_eq!(e.key(), Some("locks.local.relay"));
    assert!(StationConfig::from_toml_str("[station]\nbackend = \"sim\"\n").is_ok());
}

#[test]
fn the_second_lock_has_one_driver() {
    let text = linux("[locks.rs485]\nrelay = { chip = \"gpiochip0\", offset = 18 }\n[rs485]\nport = \"/dev/ttyS1\"\n");
    let e = refused(&text);
    assert_eq!(e.key(), Some("locks.rs485.relay"));
    let e = refused(&linux("[locks.rs485]\naddress = 248\n"));
    assert_eq!(
        (e.kind(), e.key()),
        (ConfigErrorKind::OutOfRange, Some("locks.rs485.address"))
    );
}

#[test]
fn wiegand_lines_formats_and_timing_are_checked() {
    let e = refused(&linux(
        "[wiegand]\nd0 = { chip = \"gpiochip0\", offset = 5 }\n",
    ));
    assert_eq!(e.key(), Some("wiegand.d1"));
    let e = refused(&linux(
        "[wiegand]\nd0 = { chip = \"gpiochip0\", offset = 5 }\nd1 = { chip = \"gpiochip1\", offset = 6 }\n",
    ));
    assert_eq!(e.key(), Some("wiegand.d1"));
    assert!(e.allowed().contains("one GPIO chip"), "{e}");
    let e =
        refused("[station]\nbackend = \"sim\"\n[wiegand]\nformats = [\"h10301\", \"h99999\"]\n");
    assert_eq!(e.key(), Some("wiegand.formats[1]"));
    assert!(e.allowed().contains("corp1000"), "{e}");
    assert_eq!(e.position().map(|p| p.line), Some(4));
    let e = refused("[station]\nbackend = \"sim\"\n[wiegand]\ngap_factor = 21\n");
    assert_eq!(
        (e.key(), e.allowed()),
        (Some("wiegand.gap_factor"), "2..=20")
    );
    let e = refused("[station]\nbackend = \"sim\"\n[wiegand]\nmin_gap_us = 60000\n");
    assert_eq!(e.key(), Some("wiegand.min_gap_us"));
}

#[test]
fn the_debounce_window_is_limited_to_a_second() {
    let e = refused("[station]\nbackend = \"sim\"\n[debounce]\nwindow_ms = 1001\n");
    assert_eq!(
        e.to_string(),
        "line 4, column 1: debounce.window_ms = 1001 is outside 0..=1000"
    );
}

#[test]
fn listeners_may_not_collide() {
    let e = refused("[station]\nbackend = \"sim\"\n[api]\nlisten = \"0.0.0.0:5060\"\n");
    assert_eq!(e.key(), Some("sip.listen"));
    assert!(e.to_string().contains("api.listen"), "{e}");
    let e = refused("[station]\nbackend = \"sim\"\n[sip]\ntls_listen = \"0.0.0.0:5061\"\n");
    assert_eq!(e.key(), Some("tls"));
    let e =
        refused("[station]\nbackend = \"sim\"\n[sip]\nrtp_port_min = 5000\nrtp_port_max = 6000\n");
    assert_eq!(e.key(), Some("sip.listen"));
    let e = refused("[station]\nbackend = \"sim\"\n[sip]\nrtp_port_min = 10001\n");
    assert_eq!(e.key(), Some("sip.rtp_port_min"));
}

#[test]
fn input_pins_become_hal_input_configs() {
    let c = StationConfig::from_toml_str(&linux(
        "[inputs]\ntamper = { chip = \"gpiochip0\", offset = 9, contact = \"nc\", bias = \"disabled\", active_low = false }\n",
    ))
    .expect("valid");
    let tamper = c
        .inputs
        .tamper
        .expect("present")
        .input_config(c.debounce.window());
    assert_eq!(tamper.wiring.contact, vto_hal::Contact::NormallyClosed);
    assert_eq!(tamper.wiring.polarity, vto_hal::Polarity::ActiveHigh);
    assert_eq!(tamper.bias, vto_hal::Bias::Disabled);
    assert_eq!(tamper.window, vto_hal::Duration::from_millis(20));
}

#[test]
fn loading_a_missing_file_is_an_io_error_naming_it() {
    let e = StationConfig::load(Path::new("/nonexistent/station.toml")).expect_err("missing");
    assert_eq!(e.kind(), ConfigErrorKind::Io);
    assert!(e.to_string().contains("/nonexistent/station.toml"), "{e}");
}

#[test]
fn errors_from_a_file_carry_its_name_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.toml");
    std::fs::write(
        &path,
        "[station]\nbackend = \"sim\"\n\n[debounce]\nwindow_ms = 5000\n",
    )
    .expect("write");
    let e = check_config(&path).expect_err("out of range");
    assert_eq!(
        e.to_string(),
        format!(
            "{}:5:1: debounce.window_ms = 5000 is outside 0..=1000",
            path.display()
        )
    );
}

#[test]
fn check_config_reads_the_tls_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.toml");
    std::fs::write(
        &path,
        "[station]\nbackend = \"sim\"\n[tls]\ncertificate = \"/nonexistent/cert.pem\"\nprivate_key = \"/nonexistent/key.pem\"\n",
    )
    .expect("write");
    let e = check_config(&path).expect_err("no certificate");
    assert_eq!(
        (e.kind(), e.key()),
        (ConfigErrorKind::Io, Some("tls.certificate"))
    );
    std::fs::write(&path, "[station]\nbackend = \"sim\"\n").expect("write");
    assert!(check_config(&path).is_ok());
}

#[test]
fn check_config_refuses_a_backend_this_binary_lacks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.toml");
    for backend in [Backend::Linux, Backend::Rpi] {
        let pin = if backend == Backend::Rpi {
            "{ bcm = 17 }"
        } else {
            "{ chip = \"gpiochip0\", offset = 17 }"
        };
        std::fs::write(
            &path,
            format!(
                "[station]\nbackend = \"{}\"\n[locks.local]\nrelay = {pin}\n",
                backend.name()
            ),
        )
        .expect("write");
        match check_config(&path) {
            Ok(_) => assert!(backend.is_compiled_in()),
            Err(e) => {
                assert!(!backend.is_compiled_in());
                assert_eq!(e.key(), Some("station.backend"));
            }
        }
    }
}
