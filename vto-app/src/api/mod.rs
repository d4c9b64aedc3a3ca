//! The REST API under `/api/v1`: the base the web UI and integrations build on.
//!
//! JSON in and out; errors are `{ "code", "message" }` with a stable code. The OpenAPI
//! document at `/api/v1/openapi.json` is generated from the handlers. Until the security
//! release adds authentication, the station binds the API to loopback only.

mod credentials;
mod error;
mod events;
mod secrets;
mod settings;
#[cfg(feature = "sim")]
mod sim;
mod status;

use std::sync::{Arc, Mutex};

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::OpenApi;

pub use error::{ApiError, ErrorBody};

use crate::station::StationHandle;
use crate::store::Store;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The station thread.
    pub station: StationHandle,
    /// The API's own connection for queries; credential writes go through the station
    /// thread.
    pub reads: Arc<Mutex<Store>>,
    /// Becomes `true` when the station stops: long-lived responses end.
    pub stopping: tokio::sync::watch::Receiver<bool>,
    /// Hands on the simulated hardware, in sim mode.
    #[cfg(feature = "sim")]
    pub sim: Option<crate::hardware::sim::SimControls>,
}

impl AppState {
    /// Runs `f` on the API's own connection, off the async threads: queries, and writes the engine does not need to hear of (rooms).
    pub(crate) async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, crate::store::StoreError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let reads = self.reads.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = reads
                .lock()
                .map_err(|_| ApiError::internal("the API's connection is poisoned"))?;
            f(&mut store).map_err(ApiError::from)
        })
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
    }
}

/// The largest request body: a CSV of 100,000 cards is about 5 MB.
pub const MAX_BODY: usize = 64 * 1024 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "vto-station API",
        description = "The door station's REST API. Unauthenticated in this release: the \
                       station binds it to loopback only."
    ),
    paths(
        status::health,
        status::status,
        status::doors,
        status::unlock,
        credentials::list_cards,
        credentials::get_card,
        credentials::put_card,
        credentials::delete_card,
        credentials::import_cards,
        credentials::export_cards,
        credentials::list_rooms,
        credentials::put_room,
        credentials::delete_room,
        credentials::list_door_users,
        credentials::put_door_user,
        credentials::delete_door_user,
        settings::list_sections,
        settings::get_section,
        settings::put_section,
        events::query,
        events::export,
        events::stream,
    ),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

/// The OpenAPI document, with the sim endpoints when they are compiled in.
pub fn openapi() -> utoipa::openapi::OpenApi {
    #[allow(unused_mut)]
    let mut doc = ApiDoc::openapi();
    #[cfg(feature = "sim")]
    doc.merge(sim::SimDoc::openapi());
    doc
}

/// The API's routes.
pub fn router(state: AppState) -> Router {
    let doc = openapi();
    let api = Router::new()
        .route("/health", get(status::health))
        .route("/status", get(status::status))
        .route("/doors", get(status::doors))
        .route("/doors/{lock}/unlock", post(status::unlock))
        .route("/cards", get(credentials::list_cards))
        .route("/cards/import", post(credentials::import_cards))
        .route("/cards/export", get(credentials::export_cards))
        .route(
            "/cards/{card}",
            get(credentials::get_card)
                .put(credentials::put_card)
                .delete(credentials::delete_card),
        )
        .route("/rooms", get(credentials::list_rooms))
        .route(
            "/rooms/{room}",
            axum::routing::put(credentials::put_room).delete(credentials::delete_room),
        )
        .route("/door-users", get(credentials::list_door_users))
        .route(
            "/door-users/{user}",
            axum::routing::put(credentials::put_door_user).delete(credentials::delete_door_user),
        )
        .route("/settings", get(settings::list_sections))
        .route(
            "/settings/{name}",
            get(settings::get_section).put(settings::put_section),
        )
        .route("/events", get(events::query))
        .route("/events/export", get(events::export))
        .route("/events/stream", get(events::stream))
        .route("/openapi.json", get(move || async move { Json(doc) }));
    #[cfg(feature = "sim")]
    let api = api.nest("/sim", sim::routes());
    Router::new()
        .nest("/api/v1", api)
        .fallback(|| async { ApiError::not_found("no such endpoint; see /api/v1/openapi.json") })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}
