//! API errors: a stable machine `code` and a sentence for people, as JSON.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::{ErrorKind as StoreErrorKind, StoreError};

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable, for programs: `not_found`, `invalid`, `conflict`, ...
    pub code: String,
    /// For people.
    pub message: String,
}

/// An error the API answers with.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    /// Something asked for does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
        }
    }

    /// The request is malformed or a value is out of range.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid",
            message: message.into(),
        }
    }

    /// The station cannot do it now (stopping, or a part is missing).
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: message.into(),
        }
    }

    /// Anything that went wrong inside.
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: message.into(),
        }
    }

    /// With another code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let (status, code) = match e.kind() {
            StoreErrorKind::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            StoreErrorKind::Conflict => (StatusCode::CONFLICT, "conflict"),
            StoreErrorKind::InUse => (StatusCode::CONFLICT, "in_use"),
            StoreErrorKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "storage"),
        };
        Self {
            status,
            code,
            message: e.to_string(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                code: self.code.to_string(),
                message: self.message,
            }),
        )
            .into_response()
    }
}
