//! The station as a black box: started in-process on port 0 with simulated hardware and a
//! real SQLite file, driven only over HTTP, as an integrator or the web UI would.

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::sync::oneshot;
use vto::app::hardware::sim::{self, SimOptions};
use vto::app::store::StoreOptions;
use vto::app::{run, Listeners, RunSettings};
use vto::hal::sim::SimClock;

struct Station {
    base: String,
    http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), vto::app::RunError>>,
}

impl Station {
    async fn start(dir: &Path, options: SimOptions) -> Self {
        let hardware = sim::build(SimClock::system(), sim::default_port_configs(), &options);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}/api/v1", listener.local_addr().unwrap());
        let settings = RunSettings {
            data_dir: dir.to_path_buf(),
            store: StoreOptions::default(),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(
            settings,
            hardware,
            Listeners { api: listener },
            async {
                let _ = stopped.await;
            },
        ));
        let station = Self {
            base,
            http: reqwest::Client::new(),
            stop: Some(stop),
            task,
        };
        // Ready when it answers.
        let deadline = Instant::now() + Duration::from_secs(20);
        while station
            .http
            .get(station.url("/health"))
            .send()
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the station did not come up");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        station
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str) -> Value {
        let r = self.http.get(self.url(path)).send().await.unwrap();
        assert!(r.status().is_success(), "GET {path}: {}", r.status());
        r.json().await.unwrap()
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .http
            .request(method, self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, body).await
    }

    async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::PUT, path, body).await
    }

    async fn relay(&self, lock: usize) -> String {
        let relays = self.get("/sim/relays").await;
        relays[lock - 1]["state"].as_str().unwrap().to_string()
    }

    /// Waits until `f` holds, polling; panics with `what` after 5 s.
    async fn until<F, Fut>(&self, what: &str, f: F)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !f().await {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn events(&self, query: &str) -> Vec<Value> {
        self.get(&format!("/events?{query}"))
            .await
            .as_array()
            .unwrap()
            .clone()
    }

    async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the station stops within 10 s")
            .unwrap()
            .expect("the station stops cleanly");
    }
}

async fn add_card(s: &Station, card: &str, room: u32, state: &str) {
    let (status, body) = s
        .put(
            &format!("/cards/{card}"),
            json!({ "room": room, "owner": "Ada", "state": state }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_swipe_energizes_the_relay_for_the_unlock_period_and_is_logged_and_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    add_card(&s, "1:42", 101, "normal").await;

    let stream = s.http.get(s.url("/events/stream")).send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let mut body = stream.bytes_stream();

    let (status, _) = s
        .post("/sim/card", json!({ "facility": 1, "number": 42 }))
        .await;
    assert_eq!(status, 204);
    s.until("relay 1 energized", || async {
        s.relay(1).await == "energized"
    })
    .await;

    // The decision arrives on the event stream.
    let mut seen = String::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !seen.contains("\"outcome\":\"granted\"") {
        let chunk = tokio::time::timeout_at(deadline.into(), body.next())
            .await
            .expect("a decision on the stream within 5 s")
            .unwrap()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("event: decision"), "{seen}");
    assert!(seen.contains("\"card\":\"1:42\""), "{seen}");

    // Released after the unlock period (2 s by default), by the engine's deadline.
    tokio::time::sleep(Duration::from_millis(2_600)).await;
    let relays = s.get("/sim/relays").await;
    let history = relays[0]["history"].as_array().unwrap();
    let times: Vec<(f64, &str)> = history
        .iter()
        .map(|c| (c["at_ms"].as_f64().unwrap(), c["state"].as_str().unwrap()))
        .collect();
    let on = times.iter().position(|t| t.1 == "energized").unwrap();
    let (start, end) = (times[on].0, times[on + 1].0);
    assert_eq!(times[on + 1].1, "released");
    assert!(
        (1_950.0..2_300.0).contains(&(end - start)),
        "energized for {} ms, expected the 2 s unlock period",
        end - start
    );

    let logged = s.events("kind=decision&card=1:42").await;
    assert_eq!(logged[0]["outcome"], "granted");
    assert_eq!(logged[0]["door"], 1);
    assert_eq!(logged[0]["room"], 101);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_card_is_denied_and_logged_as_lost() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    add_card(&s, "1:77", 102, "lost").await;
    s.post("/sim/card", json!({ "facility": 1, "number": 77 }))
        .await;
    s.until("the denial in the log", || async {
        !s.events("kind=decision").await.is_empty()
    })
    .await;
    let logged = s.events("kind=decision").await;
    assert_eq!(logged[0]["outcome"], "denied");
    assert_eq!(logged[0]["reason"], "lost_card");
    let relays = s.get("/sim/relays").await;
    assert!(relays[0]["history"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["state"] == "released"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fire_alarm_opens_both_doors_until_it_clears() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    let mut section = s.get("/settings/local.access_control").await["value"].clone();
    section["local"]["fire_alarm"] = json!(true);
    let (status, body) = s.put("/settings/local.access_control", section).await;
    assert_eq!(status, 200, "{body}");
    s.post("/sim/fire", json!({ "lock": 1, "alarm": true }))
        .await;
    s.until("both relays energized", || async {
        s.relay(1).await == "energized" && s.relay(2).await == "energized"
    })
    .await;
    // Still open well past any unlock period.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(s.relay(1).await, "energized");
    assert_eq!(s.relay(2).await, "energized");
    s.post("/sim/fire", json!({ "lock": 1, "alarm": false }))
        .await;
    s.until("both relays released", || async {
        s.relay(1).await == "released" && s.relay(2).await == "released"
    })
    .await;
    let alarms = s.events("kind=alarm").await;
    assert!(
        alarms.iter().any(|e| e["outcome"] == "raised"),
        "{alarms:?}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_cards_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    add_card(&s, "3:1000", 205, "normal").await;
    let mut section = s.get("/settings/local.access_control").await["value"].clone();
    section["local"]["unlock_period_s"] = json!(5);
    let (status, body) = s.put("/settings/local.access_control", section).await;
    assert_eq!(status, 200, "{body}");
    s.stop().await;

    let s = Station::start(dir.path(), SimOptions::default()).await;
    let card = s.get("/cards/3:1000").await;
    assert_eq!(card["room"], 205);
    let section = s.get("/settings/local.access_control").await;
    assert_eq!(section["value"]["local"]["unlock_period_s"], 5);
    assert!(section["version"].as_u64().unwrap() >= 1);
    // And the engine has them: the card opens the door.
    s.post("/sim/card", json!({ "facility": 3, "number": 1000 }))
        .await;
    s.until("relay 1 energized", || async {
        s.relay(1).await == "energized"
    })
    .await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_left_energized_by_a_crash_is_released_at_start_and_logged() {
    let dir = tempfile::tempdir().unwrap();
    let options = SimOptions {
        energized_at_boot: [true, false],
        ..Default::default()
    };
    let s = Station::start(dir.path(), options).await;
    assert_eq!(s.relay(1).await, "released");
    let logged = s.events("door=1").await;
    assert!(
        logged
            .iter()
            .any(|e| e["detail"].as_str().unwrap().contains("energized at start")),
        "{logged:?}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_part_starts_the_station_degraded_and_the_rest_works() {
    let dir = tempfile::tempdir().unwrap();
    let options = SimOptions {
        missing: vec!["reader".into()],
        ..Default::default()
    };
    let s = Station::start(dir.path(), options).await;
    let status = s.get("/status").await;
    assert_eq!(status["degraded"], true);
    assert!(status["failures"][0]["part"]
        .as_str()
        .unwrap()
        .contains("Wiegand reader"));
    let (code, body) = s
        .post("/doors/1/unlock", json!({ "by": "installer" }))
        .await;
    assert_eq!(code, 200);
    assert_eq!(body["outcome"], "granted");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_unlock_is_logged_with_who_asked_and_obeys_the_responding_interval() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    let (_, first) = s.post("/doors/2/unlock", json!({ "by": "alice" })).await;
    assert_eq!(first["outcome"], "granted");
    let (_, second) = s.post("/doors/2/unlock", json!({ "by": "bob" })).await;
    assert_eq!(second["outcome"], "denied");
    assert_eq!(second["reason"], "responding_interval");
    let logged = s.events("kind=decision&door=2").await;
    assert_eq!(logged[0]["actor"], "web:alice");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_json_errors_with_a_stable_code() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    let (status, body) = s.put("/cards/not-a-card", json!({ "room": 1 })).await;
    assert_eq!(status, 422);
    assert_eq!(body["code"], "invalid");
    let (status, body) = s.post("/doors/3/unlock", json!({})).await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "not_found");
    let mut section = s.get("/settings/local.access_control").await["value"].clone();
    section["local"]["unlock_period_s"] = json!(21);
    let (status, body) = s.put("/settings/local.access_control", section).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("unlock_period"),
        "{body}"
    );
    let r = s.http.get(s.url("/no/such/thing")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let doc = s.get("/openapi.json").await;
    assert!(doc["paths"]["/api/v1/doors/{lock}/unlock"].is_object());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_of_100000_cards_imports_and_every_card_works() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    let mut csv = String::from("facility,number,room,owner,state,valid_from,valid_until\n");
    for n in 0..100_000u32 {
        csv.push_str(&format!("7,{n},{},Owner {n},normal,,\n", 100 + n % 300));
    }
    let started = Instant::now();
    let r = s
        .http
        .post(s.url("/cards/import"))
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["imported"], 100_000);
    eprintln!("imported 100,000 cards over HTTP in {took:.2?}");
    assert_eq!(s.get("/status").await["cards"], 100_000);
    let (status, body) = s
        .post("/sim/card", json!({ "facility": 7, "number": 65_000 }))
        .await;
    assert_eq!(status, 204, "{body}");
    s.until("relay 1 energized", || async {
        s.relay(1).await == "energized"
    })
    .await;
    // A bad line is named and nothing is written.
    let r = s
        .http
        .post(s.url("/cards/import"))
        .body("facility,number,room,owner,state,valid_from,valid_until\n8,1,101,A,normal,,\n8,x,101,B,normal,,\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains('3'), "{body}");
    let r = s.http.get(s.url("/cards/8:1")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_door_forced_open_after_boot_raises_the_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    let mut section = s.get("/settings/local.access_control").await["value"].clone();
    section["local"]["door_sensor_sync"] = json!(true);
    let (status, body) = s.put("/settings/local.access_control", section).await;
    assert_eq!(status, 200, "{body}");
    // Nobody unlocked it: the door was shut at boot and now opens.
    s.post("/sim/door", json!({ "lock": 1, "open": true }))
        .await;
    s.until("the forced-open alarm", || async {
        s.events("kind=alarm")
            .await
            .iter()
            .any(|e| e["detail"] == "alarm: door forced open")
    })
    .await;
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn section_passwords_are_never_shown_and_survive_a_masked_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let s = Station::start(dir.path(), SimOptions::default()).await;
    let mut section = s.get("/settings/network.sip_server").await["value"].clone();
    section["password"] = json!("Reg1stration-pw");
    let (status, body) = s.put("/settings/network.sip_server", section).await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.to_string().contains("Reg1stration-pw"), "{body}");
    let shown = s.get("/settings/network.sip_server").await;
    assert_eq!(shown["value"]["password"], "********");
    // Edit something else and send the mask back: the password stays.
    let (status, body) = s
        .put("/settings/network.sip_server", shown["value"].clone())
        .await;
    assert_eq!(status, 200, "{body}");
    s.stop().await;
    let store =
        vto::app::store::Store::open(&dir.path().join("vto.sqlite3"), &StoreOptions::default())
            .unwrap();
    let stored = store.load_section("network.sip_server").unwrap().unwrap();
    assert!(stored.json.contains("Reg1stration-pw"), "{}", stored.json);
}
