//! `/api/v1/sim/*`: hands on the simulated hardware and its probes, so the whole station
//! can be tested as a black box over HTTP. Present only in sim mode.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};
use vto_hal::wiegand::format::{CardNumber, FacilityCode};
use vto_hal::wiegand::{Bits, Credential, Format, Key};
use vto_hal::RelayState;

use super::{ApiError, AppState};
use crate::hardware::sim::SimControls;
use crate::hardware::ButtonKind;
use crate::station::live::door_from_number;

#[derive(OpenApi)]
#[openapi(paths(button, card, keys, door, fire, tamper, device, relays))]
pub(super) struct SimDoc;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/button", post(button))
        .route("/card", post(card))
        .route("/keys", post(keys))
        .route("/door", post(door))
        .route("/fire", post(fire))
        .route("/tamper", post(tamper))
        .route("/device", post(device))
        .route("/relays", get(relays))
        .route("/relays/{lock}", get(relay))
}

fn sim(state: &AppState) -> Result<&SimControls, ApiError> {
    state
        .sim
        .as_ref()
        .ok_or_else(|| ApiError::not_found("the station is not running on simulated hardware"))
}

/// A button press.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ButtonPress {
    /// `call` or `exit`.
    pub button: ButtonKind,
}

/// Presses and releases the call or exit button.
#[utoipa::path(post, path = "/api/v1/sim/button", request_body = ButtonPress,
    responses((status = 204)))]
pub async fn button(
    State(state): State<AppState>,
    Json(b): Json<ButtonPress>,
) -> Result<StatusCode, ApiError> {
    sim(&state)?.press(b.button);
    Ok(StatusCode::NO_CONTENT)
}

/// A card at the reader: a number in a Wiegand format, or raw bits.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardSwipe {
    /// Facility code (default 0).
    pub facility: Option<u32>,
    /// Card number.
    pub number: Option<u64>,
    /// Format name: `H10301` (default), `H10306`, `Corporate1000`, `H10302`, `H10304`.
    pub format: Option<String>,
    /// Or a raw frame, as `0` and `1` characters.
    pub bits: Option<String>,
}

fn parse_format(name: &str) -> Result<Format, ApiError> {
    Format::ALL
        .iter()
        .copied()
        .find(|f| {
            format!("{f:?}").eq_ignore_ascii_case(name) || f.to_string().eq_ignore_ascii_case(name)
        })
        .ok_or_else(|| ApiError::invalid(format!("unknown Wiegand format {name:?}")))
}

/// Presents a card at the Wiegand reader, encoded on the wire.
#[utoipa::path(post, path = "/api/v1/sim/card", request_body = CardSwipe,
    responses((status = 204), (status = 422, body = super::ErrorBody)))]
pub async fn card(
    State(state): State<AppState>,
    Json(c): Json<CardSwipe>,
) -> Result<StatusCode, ApiError> {
    let sim = sim(&state)?;
    if let Some(bits) = c.bits {
        let bits = Bits::parse(&bits).map_err(|e| ApiError::invalid(format!("bits: {e}")))?;
        sim.send_bits(&bits);
        return Ok(StatusCode::NO_CONTENT);
    }
    let number = c
        .number
        .ok_or_else(|| ApiError::invalid("give `number` (and `facility`) or `bits`"))?;
    let format = parse_format(c.format.as_deref().unwrap_or("H10301"))?;
    sim.present(
        format,
        &Credential::Card {
            format,
            facility: FacilityCode(c.facility.unwrap_or(0)),
            number: CardNumber(number),
        },
    )
    .map_err(|e| ApiError::invalid(e.to_string()))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Keys typed on the reader's keypad.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyPresses {
    /// Digits, `*` and `#`, e.g. `"101#4711#"`.
    pub keys: String,
}

/// Types keys on the reader's keypad (4-bit bursts).
#[utoipa::path(post, path = "/api/v1/sim/keys", request_body = KeyPresses,
    responses((status = 204), (status = 422, body = super::ErrorBody)))]
pub async fn keys(
    State(state): State<AppState>,
    Json(k): Json<KeyPresses>,
) -> Result<StatusCode, ApiError> {
    let keys = k
        .keys
        .chars()
        .map(|c| match c {
            '*' => Ok(Key::Star),
            '#' => Ok(Key::Hash),
            d if d.is_ascii_digit() => Ok(Key::Digit(d as u8 - b'0')),
            other => Err(ApiError::invalid(format!("{other:?} is not a keypad key"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    sim(&state)?
        .type_keys(&keys)
        .map_err(|e| ApiError::invalid(e.to_string()))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A door movement.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoorMove {
    /// 1 or 2.
    pub lock: u8,
    /// Open (`true`) or close it.
    pub open: bool,
}

/// Opens or closes the door of lock 1 or 2 (its contact moves as the configured NC/NO
/// contact would).
#[utoipa::path(post, path = "/api/v1/sim/door", request_body = DoorMove,
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn door(
    State(state): State<AppState>,
    Json(d): Json<DoorMove>,
) -> Result<StatusCode, ApiError> {
    let door = door_from_number(d.lock)
        .ok_or_else(|| ApiError::not_found(format!("lock {} does not exist", d.lock)))?;
    sim(&state)?.set_door(door, d.open);
    Ok(StatusCode::NO_CONTENT)
}

/// A fire alarm on a lock's contact port.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FireAlarm {
    /// The lock whose contact port carries the alarm (1 or 2).
    pub lock: u8,
    /// Raise (`true`) or clear it.
    pub alarm: bool,
}

/// Raises or clears the fire alarm wired to a lock's contact port (effective when that
/// lock's Fire Alarm setting is on).
#[utoipa::path(post, path = "/api/v1/sim/fire", request_body = FireAlarm,
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn fire(
    State(state): State<AppState>,
    Json(f): Json<FireAlarm>,
) -> Result<StatusCode, ApiError> {
    let door = door_from_number(f.lock)
        .ok_or_else(|| ApiError::not_found(format!("lock {} does not exist", f.lock)))?;
    sim(&state)?.set_fire_alarm(door, f.alarm);
    Ok(StatusCode::NO_CONTENT)
}

/// The station's case.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Tamper {
    /// Opened (`true`) or shut.
    pub open: bool,
}

/// Opens or shuts the station's case (tamper switch).
#[utoipa::path(post, path = "/api/v1/sim/tamper", request_body = Tamper, responses((status = 204)))]
pub async fn tamper(
    State(state): State<AppState>,
    Json(t): Json<Tamper>,
) -> Result<StatusCode, ApiError> {
    sim(&state)?.set_tamper(t.open);
    Ok(StatusCode::NO_CONTENT)
}

/// Plugging a device.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DevicePlug {
    /// `reader`.
    pub device: String,
    /// Plugged in (`true`) or pulled out.
    pub plugged: bool,
}

/// Unplugs or plugs back a simulated device.
#[utoipa::path(post, path = "/api/v1/sim/device", request_body = DevicePlug,
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn device(
    State(state): State<AppState>,
    Json(d): Json<DevicePlug>,
) -> Result<StatusCode, ApiError> {
    sim(&state)?
        .set_plugged(&d.device, d.plugged)
        .map_err(|e| ApiError::not_found(e.to_string()))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A relay change, from the probe.
#[derive(Serialize, ToSchema)]
pub struct RelayChange {
    /// Simulation time in milliseconds since the simulation started.
    pub at_ms: f64,
    /// `energized` or `released`.
    pub state: String,
}

/// A relay's probe.
#[derive(Serialize, ToSchema)]
pub struct RelayReport {
    /// 1 or 2.
    pub lock: u8,
    /// `energized` or `released`.
    pub state: String,
    /// Every change since start.
    pub history: Vec<RelayChange>,
}

fn relay_text(s: RelayState) -> String {
    match s {
        RelayState::Energized => "energized".into(),
        RelayState::Released => "released".into(),
    }
}

fn report(sim: &SimControls, lock: u8) -> Result<RelayReport, ApiError> {
    let door = door_from_number(lock)
        .ok_or_else(|| ApiError::not_found(format!("lock {lock} does not exist")))?;
    let probe = sim.relay(door);
    Ok(RelayReport {
        lock,
        state: relay_text(probe.state),
        history: probe
            .history
            .iter()
            .map(|(t, s)| RelayChange {
                at_ms: t.as_nanos() as f64 / 1e6,
                state: relay_text(*s),
            })
            .collect(),
    })
}

/// Both relays with their history, from the simulation's probes.
#[utoipa::path(get, path = "/api/v1/sim/relays", responses((status = 200, body = Vec<RelayReport>)))]
pub async fn relays(State(state): State<AppState>) -> Result<Json<Vec<RelayReport>>, ApiError> {
    let sim = sim(&state)?;
    Ok(Json(vec![report(sim, 1)?, report(sim, 2)?]))
}

/// One relay with its history.
pub async fn relay(
    State(state): State<AppState>,
    Path(lock): Path<u8>,
) -> Result<Json<RelayReport>, ApiError> {
    Ok(Json(report(sim(&state)?, lock)?))
}
