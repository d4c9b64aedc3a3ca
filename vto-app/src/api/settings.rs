//! Runtime settings, one section per page of the manual: GET and PUT with validation.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Serialize;
use tokio::sync::oneshot;
use utoipa::ToSchema;

use super::{ApiError, AppState};
use crate::config;
use crate::station::Command;

/// A section as stored.
#[derive(Serialize, ToSchema)]
pub struct SectionView {
    /// Its name, e.g. `local.access_control`.
    pub name: String,
    /// Increases on every change; send it back in `If-Match` to avoid lost updates.
    pub version: u64,
    /// The settings.
    pub value: serde_json::Value,
}

async fn load(state: &AppState, name: String) -> Result<SectionView, ApiError> {
    let default = config::default_json(&name)
        .ok_or_else(|| ApiError::not_found(format!("no settings section {name:?}")))?;
    let key = name.clone();
    let stored = state.db(move |s| s.load_section(&key)).await?;
    let mut view = match stored {
        Some(section) => SectionView {
            name,
            version: section.version,
            value: serde_json::from_str(&section.json)
                .map_err(|e| ApiError::internal(format!("stored section is not JSON: {e}")))?,
        },
        None => SectionView {
            name,
            version: 0,
            value: default,
        },
    };
    super::secrets::mask(&mut view.value);
    Ok(view)
}

/// Every section with its current value (the manual's defaults until changed).
#[utoipa::path(get, path = "/api/v1/settings", responses((status = 200, body = Vec<SectionView>)))]
pub async fn list_sections(
    State(state): State<AppState>,
) -> Result<Json<Vec<SectionView>>, ApiError> {
    let mut out = Vec::new();
    for name in config::SECTION_NAMES {
        out.push(load(&state, name.to_string()).await?);
    }
    Ok(Json(out))
}

/// One section.
#[utoipa::path(get, path = "/api/v1/settings/{name}",
    params(("name" = String, Path, description = "section name, e.g. local.access_control")),
    responses((status = 200, body = SectionView), (status = 404, body = super::ErrorBody)))]
pub async fn get_section(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Json<SectionView>, ApiError> {
    Ok(Json(load(&state, name).await?))
}

/// Replaces a section after validating every field against the manual's limits. With
/// `If-Match: <version>`, a change made by someone else since that version is refused
/// (409) instead of overwritten. Passwords are shown as `********`; sending that back
/// keeps the stored password.
#[utoipa::path(put, path = "/api/v1/settings/{name}",
    params(("name" = String, Path, description = "section name")),
    request_body = serde_json::Value,
    responses((status = 200, body = SectionView), (status = 404, body = super::ErrorBody),
              (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn put_section(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    Json(mut value): Json<serde_json::Value>,
) -> Result<Json<SectionView>, ApiError> {
    if config::default_json(&name).is_none() {
        return Err(ApiError::not_found(format!("no settings section {name:?}")));
    }
    // A password sent back masked keeps the stored one.
    let key = name.clone();
    if let Some(stored) = state.db(move |s| s.load_section(&key)).await? {
        if let Ok(previous) = serde_json::from_str(&stored.json) {
            super::secrets::unmask(&mut value, &previous);
        }
    }
    let expected_version = match headers.get("if-match") {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(|s| s.trim_matches('"').parse().ok())
                .ok_or_else(|| ApiError::invalid("If-Match must be a section version number"))?,
        ),
        None => None,
    };
    let normalized =
        config::validate_json(&name, &value).map_err(|e| ApiError::invalid(e.to_string()))?;
    let core = if name == config::ACCESS_CONTROL_SECTION {
        Some(
            config::access_control_from_json(&normalized)
                .map_err(|e| ApiError::invalid(e.to_string()))?,
        )
    } else {
        None
    };
    let (reply, answer) = oneshot::channel();
    if !state.station.send(Command::Section {
        name: name.clone(),
        json: normalized.to_string(),
        expected_version,
        core,
        reply,
    }) {
        return Err(ApiError::unavailable("the station is stopping"));
    }
    let version = answer
        .await
        .map_err(|_| ApiError::unavailable("the station did not answer"))??;
    let mut value = normalized;
    super::secrets::mask(&mut value);
    Ok(Json(SectionView {
        name,
        version,
        value,
    }))
}
