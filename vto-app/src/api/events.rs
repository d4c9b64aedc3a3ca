//! The event log: queries, CSV export, and a live Server-Sent Events stream.

use std::convert::Infallible;

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::Json;
use futures_util::stream::Stream;
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;
use utoipa::IntoParams;
use vto_core::access::RoomNumber;

use super::credentials::parse_card;
use super::{ApiError, AppState};
use crate::station::EventView;
use crate::store::{EventQuery, EventType};

/// Filters of the event log.
#[derive(Deserialize, IntoParams, Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct EventFilter {
    /// From this Unix time in ms (inclusive).
    pub from_ms: Option<i64>,
    /// Until this Unix time in ms (exclusive).
    pub to_ms: Option<i64>,
    /// decision, door, alarm, lockout, issue_mode, settings, system, call.
    pub kind: Option<String>,
    /// 1 or 2.
    pub door: Option<u8>,
    /// `facility:number`.
    pub card: Option<String>,
    /// Room number.
    pub room: Option<u32>,
    /// Only events older than this sequence number (paging backwards).
    pub before_seq: Option<u64>,
    /// At most this many, newest first (default 100, 1–10,000).
    pub limit: Option<u32>,
}

impl EventFilter {
    fn to_query(&self) -> Result<EventQuery, ApiError> {
        let limit = self.limit.unwrap_or(100);
        if !(1..=10_000).contains(&limit) {
            return Err(ApiError::invalid(format!(
                "limit {limit} is outside 1..=10000"
            )));
        }
        let kind = match &self.kind {
            Some(k) => Some(k.parse::<EventType>().map_err(|_| {
                ApiError::invalid(format!(
                    "kind {k:?} is not one of decision, door, alarm, lockout, issue_mode, settings, system, call"
                ))
            })?),
            None => None,
        };
        if let Some(d) = self.door {
            if !(1..=2).contains(&d) {
                return Err(ApiError::invalid(format!("door {d} is not 1 or 2")));
            }
        }
        Ok(EventQuery {
            from_ms: self.from_ms,
            to_ms: self.to_ms,
            kind,
            door: self.door,
            card: self.card.as_deref().map(parse_card).transpose()?,
            room: self.room.map(RoomNumber),
            before_seq: self.before_seq,
            limit,
        })
    }
}

/// Events, newest first, filtered by time range, kind, door, card and room.
#[utoipa::path(get, path = "/api/v1/events", params(EventFilter),
    responses((status = 200, body = Vec<EventView>), (status = 422, body = super::ErrorBody)))]
pub async fn query(
    State(state): State<AppState>,
    Query(filter): Query<EventFilter>,
) -> Result<Json<Vec<EventView>>, ApiError> {
    let q = filter.to_query()?;
    let rows = state.db(move |s| s.query_events(&q)).await?;
    Ok(Json(
        rows.iter()
            .map(|r| EventView::new(r.seq, &r.event))
            .collect(),
    ))
}

/// The same events as CSV (the limit applies; page with `before_seq`).
#[utoipa::path(get, path = "/api/v1/events/export", params(EventFilter),
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export(
    State(state): State<AppState>,
    Query(filter): Query<EventFilter>,
) -> Result<impl IntoResponse, ApiError> {
    let q = filter.to_query()?;
    let csv = state
        .db(move |s| {
            let mut out = Vec::new();
            s.export_events_csv(&q, &mut out)?;
            Ok(out)
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"events.csv\"",
            ),
        ],
        csv,
    ))
}

/// Every decision, alarm and door change as it happens (Server-Sent Events, one JSON
/// event per message, event name = its kind). A client that falls behind by more than
/// 1,024 events gets a `lagged` message and should re-read `/events`.
#[utoipa::path(get, path = "/api/v1/events/stream",
    responses((status = 200, content_type = "text/event-stream", body = EventView)))]
pub async fn stream(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.station.events.subscribe();
    let mut stopping = state.stopping.clone();
    let events = BroadcastStream::new(rx).map(|item| {
        Ok(match item {
            Ok(view) => Event::default()
                .event(view.kind.clone())
                .id(view.seq.to_string())
                .json_data(&view)
                .unwrap_or_else(|_| Event::default().comment("unserializable event")),
            Err(tokio_stream::wrappers::errors::BroadcastStreamRecvError::Lagged(n)) => {
                Event::default().event("lagged").data(n.to_string())
            }
        })
    });
    let stop = async move {
        let _ = stopping.wait_for(|stop| *stop).await;
    };
    Sse::new(futures_util::StreamExt::take_until(events, stop)).keep_alive(KeepAlive::default())
}
