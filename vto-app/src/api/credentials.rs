//! Cards, rooms and door-password users. Every write goes through the station thread:
//! committed to SQLite first, then given to the access engine.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use utoipa::{IntoParams, ToSchema};
use vto_core::access::{
    CardId, CardState, Password, PasswordHash, RoomNumber, UnixTime, UserId, Validity,
    DEFAULT_ITERATIONS,
};

use super::{ApiError, AppState};
use crate::station::live::card_text;
use crate::station::{Command, CredentialWrite};
use crate::store::{CardRecord, DoorUserRecord, RoomRecord};

/// A card as the API shows it.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct CardView {
    /// `facility:number`.
    pub card: String,
    /// The room it belongs to.
    pub room: u32,
    /// Its owner's name.
    pub owner: String,
    /// `normal`, `main` or `lost`.
    pub state: String,
    /// Valid from (Unix seconds), if limited.
    pub valid_from: Option<i64>,
    /// Valid until (Unix seconds, exclusive), if limited.
    pub valid_until: Option<i64>,
}

/// A card as written by `PUT /cards/{card}`.
#[derive(Deserialize, ToSchema, Debug)]
#[serde(deny_unknown_fields)]
pub struct CardInput {
    /// The room it belongs to.
    pub room: u32,
    /// Its owner's name (up to 64 characters).
    #[serde(default)]
    pub owner: String,
    /// `normal` (default), `main` or `lost`.
    #[serde(default)]
    pub state: Option<String>,
    /// Valid from (Unix seconds).
    pub valid_from: Option<i64>,
    /// Valid until (Unix seconds, exclusive).
    pub valid_until: Option<i64>,
}

fn state_text(state: CardState) -> &'static str {
    match state {
        CardState::Normal => "normal",
        CardState::Main => "main",
        CardState::Lost => "lost",
    }
}

fn parse_state(text: Option<&str>) -> Result<CardState, ApiError> {
    match text.unwrap_or("normal") {
        "normal" => Ok(CardState::Normal),
        "main" => Ok(CardState::Main),
        "lost" => Ok(CardState::Lost),
        other => Err(ApiError::invalid(format!(
            "state {other:?} is not one of normal, main, lost"
        ))),
    }
}

fn validity(from: Option<i64>, until: Option<i64>) -> Result<Validity, ApiError> {
    let v = Validity {
        from: from.map_or(UnixTime::MIN, UnixTime),
        until: until.map_or(UnixTime::MAX, UnixTime),
    };
    if v.from >= v.until {
        return Err(ApiError::invalid("valid_from must be before valid_until"));
    }
    Ok(v)
}

fn bound(t: UnixTime) -> Option<i64> {
    (t != UnixTime::MIN && t != UnixTime::MAX).then_some(t.0)
}

impl From<&CardRecord> for CardView {
    fn from(c: &CardRecord) -> Self {
        Self {
            card: card_text(c.id),
            room: c.room.0,
            owner: c.owner.clone(),
            state: state_text(c.state).into(),
            valid_from: bound(c.validity.from),
            valid_until: bound(c.validity.until),
        }
    }
}

/// Parses `facility:number` (or a bare number, facility 0).
pub(crate) fn parse_card(text: &str) -> Result<CardId, ApiError> {
    let bad = || {
        ApiError::invalid(format!(
            "card {text:?} is not `facility:number` (e.g. `12:3456`)"
        ))
    };
    let (facility, number) = match text.split_once(':') {
        Some((f, n)) => (f.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?),
        None => (0, text.parse().map_err(|_| bad())?),
    };
    Ok(CardId::new(facility, number))
}

/// Paging and filtering of the card list.
#[derive(Deserialize, IntoParams, Debug)]
#[serde(deny_unknown_fields)]
pub struct CardQuery {
    /// Only this room's cards.
    pub room: Option<u32>,
    /// Skip this many (default 0).
    pub offset: Option<u64>,
    /// At most this many (default 100, at most 10,000).
    pub limit: Option<u64>,
}

async fn write(state: &AppState, write: CredentialWrite) -> Result<(), ApiError> {
    let (reply, answer) = oneshot::channel();
    if !state.station.send(Command::Credentials { write, reply }) {
        return Err(ApiError::unavailable("the station is stopping"));
    }
    answer
        .await
        .map_err(|_| ApiError::unavailable("the station did not answer"))?
        .map_err(ApiError::from)
}

/// Lists cards, optionally of one room.
#[utoipa::path(get, path = "/api/v1/cards", params(CardQuery),
    responses((status = 200, body = Vec<CardView>)))]
pub async fn list_cards(
    State(state): State<AppState>,
    Query(q): Query<CardQuery>,
) -> Result<Json<Vec<CardView>>, ApiError> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=10_000).contains(&limit) {
        return Err(ApiError::invalid(format!(
            "limit {limit} is outside 1..=10000"
        )));
    }
    let room = q.room.map(RoomNumber);
    let offset = q.offset.unwrap_or(0);
    let cards = state.db(move |s| s.cards_page(room, offset, limit)).await?;
    Ok(Json(cards.iter().map(CardView::from).collect()))
}

/// One card.
#[utoipa::path(get, path = "/api/v1/cards/{card}",
    params(("card" = String, Path, description = "facility:number")),
    responses((status = 200, body = CardView), (status = 404, body = super::ErrorBody)))]
pub async fn get_card(
    State(state): State<AppState>,
    Path(card): Path<String>,
) -> Result<Json<CardView>, ApiError> {
    let id = parse_card(&card)?;
    let found = state.db(move |s| s.card(id)).await?;
    found
        .map(|c| Json(CardView::from(&c)))
        .ok_or_else(|| ApiError::not_found(format!("card {card} is not registered")))
}

/// Adds or changes a card (e.g. marks it lost).
#[utoipa::path(put, path = "/api/v1/cards/{card}",
    params(("card" = String, Path, description = "facility:number")),
    request_body = CardInput,
    responses((status = 200, body = CardView), (status = 422, body = super::ErrorBody)))]
pub async fn put_card(
    State(state): State<AppState>,
    Path(card): Path<String>,
    Json(input): Json<CardInput>,
) -> Result<Json<CardView>, ApiError> {
    let record = CardRecord {
        id: parse_card(&card)?,
        room: RoomNumber(input.room),
        owner: input.owner,
        state: parse_state(input.state.as_deref())?,
        validity: validity(input.valid_from, input.valid_until)?,
        created_at_ms: crate::store::now_ms(),
    };
    let view = CardView::from(&record);
    write(&state, CredentialWrite::UpsertCard(record)).await?;
    Ok(Json(view))
}

/// Deletes a card.
#[utoipa::path(delete, path = "/api/v1/cards/{card}",
    params(("card" = String, Path, description = "facility:number")),
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn delete_card(
    State(state): State<AppState>,
    Path(card): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = parse_card(&card)?;
    if state.db(move |s| s.card(id)).await?.is_none() {
        return Err(ApiError::not_found(format!(
            "card {card} is not registered"
        )));
    }
    write(&state, CredentialWrite::DeleteCard(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many cards an import wrote.
#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    /// Cards added or changed.
    pub imported: usize,
}

/// Imports cards from CSV (`facility,number,room,owner,state,valid_from,valid_until`),
/// all or nothing: a bad line is named and nothing is written.
#[utoipa::path(post, path = "/api/v1/cards/import",
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportResult), (status = 422, body = super::ErrorBody)))]
pub async fn import_cards(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<ImportResult>, ApiError> {
    let cards = tokio::task::spawn_blocking(move || {
        crate::store::parse_cards_csv(&body[..]).collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?
    .map_err(|e| ApiError::invalid(e.to_string()))?;
    let imported = cards.len();
    write(&state, CredentialWrite::ImportCards(cards)).await?;
    Ok(Json(ImportResult { imported }))
}

/// Exports every card as CSV, in the import format.
#[utoipa::path(get, path = "/api/v1/cards/export",
    responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn export_cards(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let csv = state
        .db(|s| {
            let cards = s.cards()?;
            let mut out = Vec::new();
            crate::store::write_cards_csv(&cards, &mut out)?;
            Ok(out)
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv))
}

/// A room (an indoor monitor's household).
#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct RoomView {
    /// Room number (up to 9 digits).
    #[serde(default)]
    pub number: u32,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Nick name.
    #[serde(default)]
    pub nick_name: String,
}

/// Lists the rooms.
#[utoipa::path(get, path = "/api/v1/rooms", responses((status = 200, body = Vec<RoomView>)))]
pub async fn list_rooms(State(state): State<AppState>) -> Result<Json<Vec<RoomView>>, ApiError> {
    let rooms = state.db(|s| s.rooms()).await?;
    Ok(Json(
        rooms
            .into_iter()
            .map(|r| RoomView {
                number: r.number.0,
                first_name: r.first_name,
                last_name: r.last_name,
                nick_name: r.nick_name,
            })
            .collect(),
    ))
}

/// Adds or changes a room.
#[utoipa::path(put, path = "/api/v1/rooms/{room}",
    params(("room" = u32, Path, description = "room number")),
    request_body = RoomView,
    responses((status = 200, body = RoomView), (status = 422, body = super::ErrorBody)))]
pub async fn put_room(
    State(state): State<AppState>,
    Path(room): Path<u32>,
    Json(mut input): Json<RoomView>,
) -> Result<Json<RoomView>, ApiError> {
    input.number = room;
    let record = RoomRecord {
        number: RoomNumber(room),
        first_name: input.first_name.clone(),
        last_name: input.last_name.clone(),
        nick_name: input.nick_name.clone(),
        registration_password: None,
    };
    state.db(move |s| s.upsert_room(&record)).await?;
    Ok(Json(input))
}

/// Deletes a room; refused while cards belong to it.
#[utoipa::path(delete, path = "/api/v1/rooms/{room}",
    params(("room" = u32, Path, description = "room number")),
    responses((status = 204), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn delete_room(
    State(state): State<AppState>,
    Path(room): Path<u32>,
) -> Result<StatusCode, ApiError> {
    let deleted = state.db(move |s| s.delete_room(RoomNumber(room))).await?;
    if deleted {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!("room {room} does not exist")))
    }
}

/// A door-password user as listed (the hash is never shown).
#[derive(Serialize, ToSchema)]
pub struct DoorUserView {
    /// The number keyed in before the password.
    pub id: u32,
    /// The room.
    pub room: u32,
    /// The name.
    pub name: String,
    /// Valid from (Unix seconds), if limited.
    pub valid_from: Option<i64>,
    /// Valid until (Unix seconds), if limited.
    pub valid_until: Option<i64>,
}

/// A door-password user as written.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DoorUserInput {
    /// The room.
    pub room: u32,
    /// The name (up to 64 characters).
    #[serde(default)]
    pub name: String,
    /// The unlock password: 4–32 characters; digits only if it is to be keyed in.
    pub password: String,
    /// Valid from (Unix seconds).
    pub valid_from: Option<i64>,
    /// Valid until (Unix seconds).
    pub valid_until: Option<i64>,
}

/// Lists the door-password users.
#[utoipa::path(get, path = "/api/v1/door-users", responses((status = 200, body = Vec<DoorUserView>)))]
pub async fn list_door_users(
    State(state): State<AppState>,
) -> Result<Json<Vec<DoorUserView>>, ApiError> {
    let users = state.db(|s| s.door_users()).await?;
    Ok(Json(
        users
            .iter()
            .map(|u| DoorUserView {
                id: u.id.get(),
                room: u.room.0,
                name: u.name.clone(),
                valid_from: bound(u.validity.from),
                valid_until: bound(u.validity.until),
            })
            .collect(),
    ))
}

/// Adds a door-password user or changes one (the password is stored as a salted hash).
#[utoipa::path(put, path = "/api/v1/door-users/{user}",
    params(("user" = u32, Path, description = "user number, 1-999999999")),
    request_body = DoorUserInput,
    responses((status = 204), (status = 422, body = super::ErrorBody)))]
pub async fn put_door_user(
    State(state): State<AppState>,
    Path(user): Path<u32>,
    Json(input): Json<DoorUserInput>,
) -> Result<StatusCode, ApiError> {
    let id = UserId::new(user)
        .filter(|u| u.get() <= 999_999_999)
        .ok_or_else(|| ApiError::invalid(format!("user number {user} is outside 1..=999999999")))?;
    let len = input.password.chars().count();
    if !(4..=32).contains(&len) {
        return Err(ApiError::invalid(format!(
            "the password has {len} characters; 4 to 32 are allowed"
        )));
    }
    let password = Password::new(input.password.as_bytes())
        .ok_or_else(|| ApiError::invalid("the password is longer than 32 bytes"))?;
    let validity = validity(input.valid_from, input.valid_until)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ApiError::internal(format!("no randomness: {e}")))?;
    let hash = tokio::task::spawn_blocking(move || {
        PasswordHash::derive(&password, salt, DEFAULT_ITERATIONS)
    })
    .await
    .map_err(|e| ApiError::internal(e.to_string()))?;
    let (salt, iterations, digest) = hash.parts();
    let record = DoorUserRecord {
        id,
        room: RoomNumber(input.room),
        name: input.name,
        salt,
        iterations,
        digest,
        validity,
    };
    write(&state, CredentialWrite::UpsertDoorUser(record)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a door-password user.
#[utoipa::path(delete, path = "/api/v1/door-users/{user}",
    params(("user" = u32, Path, description = "user number")),
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn delete_door_user(
    State(state): State<AppState>,
    Path(user): Path<u32>,
) -> Result<StatusCode, ApiError> {
    let id = UserId::new(user).ok_or_else(|| ApiError::not_found("user 0 does not exist"))?;
    write(&state, CredentialWrite::DeleteDoorUser(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
