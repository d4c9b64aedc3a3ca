//! The sections as the API sees them: by name, as JSON.

use serde_json::{json, Value};

use super::*;

fn refused(name: &str, body: Value) -> FieldError {
    match validate_json(name, &body) {
        Err(SectionError::Invalid { section, error }) => {
            assert_eq!(section, name);
            error
        }
        other => panic!("{name} {body} was not refused: {other:?}"),
    }
}

#[test]
fn every_section_has_a_unique_name_and_a_page() {
    for (i, name) in SECTION_NAMES.iter().enumerate() {
        assert!(!SECTION_NAMES[..i].contains(name), "{name} twice");
        assert!(page(name).is_some(), "{name}");
        assert!(schema_name(name).is_some(), "{name}");
        let prefix = name.split('.').next().unwrap_or("");
        assert!(
            ["local", "household", "network", "logs"].contains(&prefix),
            "{name}"
        );
    }
    assert_eq!(SECTION_NAMES.len(), 17);
}

#[test]
fn the_defaults_of_every_section_validate_and_round_trip() {
    for name in SECTION_NAMES {
        let default = default_json(name).expect("every name has defaults");
        assert!(default.is_object(), "{name}");
        let normalized = validate_json(name, &default).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(normalized, default, "{name}");
        // An empty body is the defaults, too.
        assert_eq!(
            validate_json(name, &json!({})).ok(),
            Some(default),
            "{name}"
        );
    }
}

#[test]
fn an_unknown_section_is_reported_as_such() {
    assert_eq!(
        validate_json("local.nope", &json!({})),
        Err(SectionError::UnknownSection("local.nope".into()))
    );
    assert!(default_json("local.nope").is_none());
}

#[test]
fn an_unknown_field_is_refused_with_its_path() {
    let e = refused("local.basic", json!({ "centre_call_no": "888888" }));
    assert_eq!(e.field, "centre_call_no");
    assert!(e.allowed.contains("centre_call_number"), "{}", e.allowed);
    let e = refused("local.video", json!({ "main_stream": { "fps": 25 } }));
    assert_eq!(e.field, "main_stream.fps");
    let e = refused(
        "network.upnp",
        json!({ "services": [{ "name": "a", "internal_port": 2000, "external_port": 2000, "colour": 1 }] }),
    );
    assert_eq!(e.field, "services[0].colour");
}

#[test]
fn a_value_of_the_wrong_type_names_its_field() {
    let e = refused(
        "local.video",
        json!({ "main_stream": { "resolution": "4K" } }),
    );
    assert_eq!(e.field, "main_stream.resolution");
    assert!(e.allowed.contains("1080P"), "{}", e.allowed);
    let e = refused("network.ports", json!({ "http_port": "eighty" }));
    assert_eq!(e.field, "http_port");
    let e = refused("network.ports", json!({ "http_port": 70000 }));
    assert_eq!(
        (e.field.as_str(), e.allowed.as_str()),
        ("http_port", "an integer 0..=65535")
    );
    let e = refused("local.basic", json!([1, 2]));
    assert_eq!(e.allowed, "a JSON object");
}

#[test]
fn a_centre_call_number_of_10_digits_is_refused() {
    let e = refused("local.basic", json!({ "centre_call_number": "1234567890" }));
    assert_eq!(e.field, "centre_call_number");
    assert_eq!(
        e.to_string(),
        "`centre_call_number` = \"1234567890\" is not allowed: 1 to 9 digits (0-9 only)"
    );
    refused("local.basic", json!({ "centre_call_number": "88a888" }));
    assert!(validate_json("local.basic", &json!({ "centre_call_number": "123456789" })).is_ok());
}

#[test]
fn the_manuals_limits_are_enforced_by_field() {
    let cases = [
        (
            "local.system",
            json!({ "ntp": { "interval_min": 31 } }),
            "ntp.interval_min",
        ),
        ("network.ports", json!({ "http_port": 1000 }), "http_port"),
        ("network.ports", json!({ "https_port": 1024 }), "https_port"),
        (
            "network.ports",
            json!({ "rtsp_port": 8080, "http_port": 8080 }),
            "rtsp_port",
        ),
        (
            "network.upnp",
            json!({ "services": [{ "name": "web", "internal_port": 5001, "external_port": 5001 }] }),
            "services[0].internal_port",
        ),
        (
            "network.upnp",
            json!({ "services": [{ "name": "web", "internal_port": 2000, "external_port": 5001 }] }),
            "services[0].external_port",
        ),
        (
            "network.upnp",
            json!({ "services": [{ "name": "web", "internal_port": 1023, "external_port": 1023 }] }),
            "services[0].internal_port",
        ),
        ("logs.management", json!({ "event_cap": 999 }), "event_cap"),
        (
            "logs.management",
            json!({ "event_cap": 10_000_001 }),
            "event_cap",
        ),
        ("local.video", json!({ "brightness": 101 }), "brightness"),
        (
            "local.video",
            json!({ "speaker_volume": 101 }),
            "speaker_volume",
        ),
        (
            "local.video",
            json!({ "main_stream": { "frame_rate": 26 } }),
            "main_stream.frame_rate",
        ),
        (
            "local.video",
            json!({ "sub_stream": { "resolution": "1080P" } }),
            "sub_stream.resolution",
        ),
        (
            "local.video",
            json!({ "sub_stream": { "bit_rate_kbps": 16 } }),
            "sub_stream.bit_rate_kbps",
        ),
        (
            "local.access_control",
            json!({ "local": { "unlock_period_s": 21 } }),
            "local.unlock_period_s",
        ),
        (
            "local.access_control",
            json!({ "rs485": { "door_sensor_check_s": 301 } }),
            "rs485.door_sensor_check_s",
        ),
        (
            "local.access_control",
            json!({ "lockout": { "max_failures": 2 } }),
            "lockout.max_failures",
        ),
        ("local.basic", json!({ "call_periods": [] }), "call_periods"),
        (
            "local.basic",
            json!({ "calling_centre_period": { "from": "25:00" } }),
            "calling_centre_period.from",
        ),
        (
            "local.security",
            json!({ "login": { "session_timeout_min": 0 } }),
            "login.session_timeout_min",
        ),
        (
            "local.wiegand",
            json!({ "pulse_width_us": 101 }),
            "pulse_width_us",
        ),
        (
            "network.tcp_ip",
            json!({ "ip_address": "192.168.1.300" }),
            "ip_address",
        ),
        (
            "network.sip_server",
            json!({ "registration_expiry_s": 30 }),
            "registration_expiry_s",
        ),
        (
            "network.firewall",
            json!({ "network_access": { "rules": [{ "type": "mac", "address": "zz" }] } }),
            "network_access.rules[0].address",
        ),
        (
            "household.vto_numbers",
            json!({ "vtos": [{ "number": "8002", "ip_address": "300.1.1.1" }] }),
            "vtos[0].ip_address",
        ),
        (
            "household.ipc",
            json!({ "devices": [{ "name": "gate", "ip_address": "192.168.1.20", "channel": 0 }] }),
            "devices[0].channel",
        ),
    ];
    for (name, body, field) in cases {
        assert_eq!(refused(name, body.clone()).field, field, "{name} {body}");
    }
}

#[test]
fn a_changed_section_round_trips_through_json() {
    let basic = Basic {
        device_type: DeviceType::SmallApartment,
        centre_call_number: "999".into(),
        call_periods: vec![DailyPeriod {
            from: "22:00".into(),
            to: "06:00".into(),
        }],
        ..Basic::default()
    };
    let json = serde_json::to_value(&basic).expect("serializes");
    assert_eq!(json["device_type"], "small_apartment");
    let back: Basic = parse(&validate_json(Basic::NAME, &json).expect("valid")).expect("parses");
    assert_eq!(back, basic);

    let mut firewall = Firewall::default();
    firewall.network_access.rules.push(FirewallRule::Ip {
        address: "192.168.1.20".into(),
    });
    let json = serde_json::to_value(&firewall).expect("serializes");
    assert_eq!(json["network_access"]["rules"][0]["type"], "ip");
    assert_eq!(parse::<Firewall>(&json).ok(), Some(firewall));
}

#[test]
fn a_merge_patch_changes_only_what_it_names() {
    let current = default_json("local.system").expect("exists");
    let merged = merge_json(
        "local.system",
        &current,
        &json!({ "ntp": { "enabled": true, "interval_min": 5 } }),
    )
    .expect("valid");
    assert_eq!(merged["ntp"]["enabled"], true);
    assert_eq!(merged["ntp"]["server"], "pool.ntp.org");
    assert_eq!(merged["ntp"]["interval_min"], 5);
    // null resets a field to its default
    let reset = merge_json(
        "local.system",
        &merged,
        &json!({ "ntp": { "interval_min": null } }),
    )
    .expect("valid");
    assert_eq!(reset["ntp"]["interval_min"], 10);
    assert!(merge_json(
        "local.system",
        &current,
        &json!({ "ntp": { "interval_min": 31 } })
    )
    .is_err());
}

#[test]
fn access_control_from_json_gives_the_cores_defaults() {
    let json = default_json(crate::config::ACCESS_CONTROL_SECTION).expect("exists");
    assert_eq!(
        crate::config::access_control_from_json(&json),
        Ok(vto_core::access::ValidSettings::default())
    );
    let mut changed = json.clone();
    changed["rs485"]["unlock_period_s"] = json!(5);
    let core = crate::config::access_control_from_json(&changed).expect("valid");
    assert_eq!(
        core.get().rs485.unlock_period,
        core::time::Duration::from_secs(5)
    );
}

#[test]
fn every_section_publishes_an_openapi_schema() {
    let schemas = openapi_schemas();
    for name in SECTION_NAMES {
        let schema = schema_name(name).expect("named");
        assert!(schemas.iter().any(|(n, _)| *n == schema), "{schema}");
    }
    for nested in [
        "Stream",
        "DailyPeriod",
        "FirewallRule",
        "LockSection",
        "UpnpService",
    ] {
        assert!(schemas.iter().any(|(n, _)| n == nested), "{nested}");
    }
}

#[test]
fn field_errors_read_as_the_api_returns_them() {
    let e = FieldError::new("frame_rate", 26, "1..=25 fps").within("main_stream");
    assert_eq!(
        e.to_string(),
        "`main_stream.frame_rate` = 26 is not allowed: 1..=25 fps"
    );
    let json = serde_json::to_value(&e).expect("serializes");
    assert_eq!(json["field"], "main_stream.frame_rate");
}
