//! Health, status, doors and remote unlock.

use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use utoipa::ToSchema;
use vto_core::access::Outcome;

use super::{ApiError, AppState};
use crate::station::live::{door_from_number, door_number, reason_code};
use crate::station::{Command, DoorStatus, StationStatus};

/// The answer of `/health`.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`, or `degraded` when a part failed.
    pub status: String,
}

/// Liveness: answers as long as the station runs.
#[utoipa::path(get, path = "/api/v1/health", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Json<Health> {
    let degraded = state
        .station
        .status
        .read()
        .map(|s| s.degraded)
        .unwrap_or(true);
    Json(Health {
        status: if degraded { "degraded" } else { "ok" }.into(),
    })
}

/// The station: version, backend, locks and doors, failures.
#[utoipa::path(get, path = "/api/v1/status", responses((status = 200, body = StationStatus)))]
pub async fn status(State(state): State<AppState>) -> Result<Json<StationStatus>, ApiError> {
    let status = state
        .station
        .status
        .read()
        .map_err(|_| ApiError::internal("status unavailable"))?
        .clone();
    Ok(Json(status))
}

/// Both locks: relay, door contact, port function.
#[utoipa::path(get, path = "/api/v1/doors", responses((status = 200, body = Vec<DoorStatus>)))]
pub async fn doors(State(state): State<AppState>) -> Result<Json<Vec<DoorStatus>>, ApiError> {
    Ok(status(State(state)).await?.0.doors.into())
}

/// Who asks for a remote unlock (recorded in the log).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UnlockRequest {
    /// A name for the log, e.g. the operator; `api` if absent.
    pub by: Option<String>,
}

/// The decision on a remote unlock.
#[derive(Serialize, ToSchema)]
pub struct UnlockResult {
    /// 1 or 2.
    pub lock: u8,
    /// `granted` or `denied`.
    pub outcome: String,
    /// Why it was denied (e.g. `responding_interval`).
    pub reason: Option<String>,
}

/// Opens lock 1 (local) or 2 (RS-485) for its unlock period.
#[utoipa::path(
    post,
    path = "/api/v1/doors/{lock}/unlock",
    params(("lock" = u8, Path, description = "1 (local) or 2 (RS-485)")),
    request_body = UnlockRequest,
    responses((status = 200, body = UnlockResult), (status = 404, body = super::ErrorBody))
)]
pub async fn unlock(
    State(state): State<AppState>,
    Path(lock): Path<u8>,
    body: Option<Json<UnlockRequest>>,
) -> Result<Json<UnlockResult>, ApiError> {
    let door = door_from_number(lock).ok_or_else(|| {
        ApiError::not_found(format!("lock {lock} does not exist; locks are 1 and 2"))
    })?;
    let by = body.and_then(|b| b.0.by).unwrap_or_else(|| "api".into());
    if by.chars().count() > 64 {
        return Err(ApiError::invalid("`by` is longer than 64 characters"));
    }
    let (reply, answer) = oneshot::channel();
    if !state.station.send(Command::Unlock {
        door,
        actor: format!("web:{by}"),
        reply,
    }) {
        return Err(ApiError::unavailable("the station is stopping"));
    }
    let outcome = answer
        .await
        .map_err(|_| ApiError::unavailable("the station did not answer"))?;
    Ok(Json(match outcome {
        Outcome::Granted(door) => UnlockResult {
            lock: door_number(door),
            outcome: "granted".into(),
            reason: None,
        },
        Outcome::Denied(reason) => UnlockResult {
            lock,
            outcome: "denied".into(),
            reason: Some(reason_code(reason).into()),
        },
    }))
}
