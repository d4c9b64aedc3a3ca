use crate::store::ErrorKind;

use super::memory;

#[test]
fn saving_with_a_stale_version_is_a_conflict_and_keeps_the_newer_settings() {
    let mut store = memory();
    let v1 = store
        .save_section("access", r#"{"unlock_s":2}"#, Some(0))
        .unwrap();
    assert_eq!(v1, 1);
    // Two administrators loaded version 1; the first saves.
    let v2 = store
        .save_section("access", r#"{"unlock_s":5}"#, Some(1))
        .unwrap();
    assert_eq!(v2, 2);
    // The second still holds version 1.
    let e = store
        .save_section("access", r#"{"unlock_s":9}"#, Some(1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert!(e.to_string().contains("version 1 is stale"), "{e}");
    let stored = store.load_section("access").unwrap().unwrap();
    assert_eq!(
        (stored.version, stored.json.as_str()),
        (2, r#"{"unlock_s":5}"#)
    );
}

#[test]
fn expected_version_zero_creates_a_section_only_once_and_none_always_saves() {
    let mut store = memory();
    assert_eq!(store.load_section("sip").unwrap(), None);
    store.save_section("sip", "{}", Some(0)).unwrap();
    let e = store.save_section("sip", "{}", Some(0)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conflict);
    assert_eq!(store.save_section("sip", "[]", None).unwrap(), 2);
    store.save_section("network", "{}", None).unwrap();
    let names: Vec<_> = store
        .sections()
        .unwrap()
        .into_iter()
        .map(|s| (s.name, s.version))
        .collect();
    assert_eq!(names, [("network".to_owned(), 1), ("sip".to_owned(), 2)]);
}

#[test]
fn malformed_json_and_odd_section_names_are_refused_naming_the_field() {
    let mut store = memory();
    let e = store.save_section("access", "{unlock", None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert!(e.to_string().starts_with("json: not JSON"), "{e}");
    let e = store.save_section("a/b", "{}", None).unwrap_err();
    assert!(e.to_string().starts_with("section: "), "{e}");
    assert!(store.save_section("", "{}", None).is_err());
    assert!(store.sections().unwrap().is_empty());
}
