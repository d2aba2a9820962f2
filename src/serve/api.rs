//! The JSON API: `/v1/check`, `/v1/screen`, `/v1/profile`, `/v1/roles`,
//! `/v1/vocabulary`, `/v1/schema`, `/healthz`, `/openapi.json`. Each answer
//! is the document the CLI prints for the same question; errors are
//! `{"error": {"status", "code", "message", "diagnostics"}}`.

use super::{AppState, Shared};
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::Context;
use crate::profile::Profile;
use crate::render::check_text::Checked;
use crate::ruleset::RoleId;
use crate::screen::RowVerdict;
use crate::screen::output::{Format, Row, RowSink};
use crate::source::SourceFile;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// An answer other than 2xx.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    diagnostics: Vec<serde_json::Value>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }

    /// The first diagnostic's message, and every diagnostic as the CLI's
    /// `--format json` writes it.
    fn from_diagnostics(
        status: StatusCode,
        code: &'static str,
        diagnostics: &[Diagnostic],
    ) -> ApiError {
        ApiError {
            status,
            code,
            message: diagnostics
                .first()
                .map(|d| d.message.clone())
                .unwrap_or_else(|| "invalid input".to_string()),
            diagnostics: diagnostics.iter().map(Diagnostic::to_json).collect(),
        }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": {
                "status": self.status.as_u16(),
                "code": self.code,
                "message": self.message,
                "diagnostics": self.diagnostics,
            }
        });
        let mut response = (self.status, json_text(format!("{body:#}\n"))).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// A JSON document as a response body.
fn json_text(text: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response()
}

pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "no such page or endpoint",
    )
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "this endpoint does not take that method (see /openapi.json)",
    )
}

pub async fn health(State(state): Shared) -> Response {
    let info = crate::render::json::RulesInfo::of(&state.rules);
    json_text(format!(
        "{:#}\n",
        serde_json::json!({ "status": "ok", "roles": state.rules.roles.len(), "rules": info })
    ))
}

pub async fn openapi() -> Response {
    json_text(include_str!("../../docs/openapi.json").to_string())
}

pub async fn roles(State(state): Shared) -> Response {
    json_text(state.roles_json.clone())
}

pub async fn vocabulary(State(state): Shared) -> Response {
    json_text(state.vocabulary_json.clone())
}

pub async fn schema(State(state): Shared) -> Response {
    json_text(state.schema_json.clone())
}

/// `GET /v1/roles/{id}[?as_of=DATE][&format=text]`: `explain` as JSON (or text).
pub async fn role(
    State(state): Shared,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let mut as_of = None;
    let mut text = false;
    for (key, value) in parse_query(query.as_deref())? {
        match key.as_str() {
            "as_of" => as_of = Some(parse_as_of(&value)?),
            "format" if value == "json" => text = false,
            "format" if value == "text" => text = true,
            "format" => return Err(ApiError::bad_request("`format` is `json` or `text`")),
            other => return Err(unknown_parameter(other, &["as_of", "format"])),
        }
    }
    let Some(role) = state.rules.role(&id) else {
        let diagnostics = crate::cli::resolve_roles(&state.rules, std::slice::from_ref(&id))
            .err()
            .unwrap_or_default();
        return Err(ApiError::from_diagnostics(
            StatusCode::NOT_FOUND,
            "unknown-role",
            &diagnostics,
        ));
    };
    let explanation =
        crate::render::explain::explain(&state.rules, role, as_of.unwrap_or_else(Date::today));
    Ok(if text {
        (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            crate::render::explain::render_text(&explanation),
        )
            .into_response()
    } else {
        json_text(crate::render::explain::explain_json(
            &state.rules,
            &explanation,
        ))
    })
}

/// The query's `key=value` pairs, decoded (`+` is a space, `%XX` a byte).
fn parse_query(query: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let Some(query) = query else {
        return Ok(Vec::new());
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((percent_decode(key)?, percent_decode(value)?))
        })
        .collect()
}

fn percent_decode(text: &str) -> Result<String, ApiError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            "a `%` in the query is not followed by two hex digits",
                        )
                    })?;
                out.push(hex);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ApiError::bad_request("the query is not UTF-8"))
}

fn unknown_parameter(name: &str, known: &[&str]) -> ApiError {
    let mut diagnostic = Diagnostic::error(
        Code::UnknownName,
        format!(
            "unknown query parameter `{}`",
            crate::diagnostic::shorten(name)
        ),
    )
    .help(format!(
        "known parameters: {}",
        known
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let Some(help) = crate::diagnostic::suggestion(name, known.iter().copied()) {
        diagnostic = diagnostic.help(help);
    }
    ApiError::from_diagnostics(StatusCode::BAD_REQUEST, "bad-request", &[diagnostic])
}

fn parse_as_of(value: &str) -> Result<Date, ApiError> {
    Date::parse(value).map_err(|message| ApiError::bad_request(format!("`as_of`: {message}")))
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" | "1" | "" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(ApiError::bad_request(format!(
            "`{name}` is `true` or `false`"
        ))),
    }
}

/// What `/v1/check` and `/v1/screen` take in the query.
struct EvalParams {
    roles: Vec<String>,
    state: Option<String>,
    as_of: Option<Date>,
    project: Option<bool>,
    horizon: u32,
    require_verified: bool,
}

const EVAL_PARAMETERS: &[&str] = &[
    "role",
    "state",
    "as_of",
    "project",
    "horizon",
    "require_verified",
];

fn eval_params(query: Option<&str>) -> Result<EvalParams, ApiError> {
    let mut params = EvalParams {
        roles: Vec::new(),
        state: None,
        as_of: None,
        project: None,
        horizon: 5,
        require_verified: false,
    };
    for (key, value) in parse_query(query)? {
        match key.as_str() {
            "role" => params.roles.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(String::from),
            ),
            "state" => params.state = Some(value),
            "as_of" => params.as_of = Some(parse_as_of(&value)?),
            "project" => params.project = Some(parse_bool("project", &value)?),
            "horizon" => {
                params.horizon = value
                    .parse::<u32>()
                    .ok()
                    .filter(|years| (1..=50).contains(years))
                    .ok_or_else(|| {
                        ApiError::bad_request("`horizon` is a number of years, 1 to 50")
                    })?;
            }
            "require_verified" => params.require_verified = parse_bool("require_verified", &value)?,
            other => return Err(unknown_parameter(other, EVAL_PARAMETERS)),
        }
    }
    Ok(params)
}

/// The roles named, or every role; unknown ids are a 400 with did-you-mean.
fn resolve_roles(state: &AppState, ids: &[String]) -> Result<Vec<RoleId>, ApiError> {
    if ids.is_empty() {
        return Ok(state.rules.role_ids().collect());
    }
    crate::cli::resolve_roles(&state.rules, ids).map_err(|diagnostics| {
        ApiError::from_diagnostics(StatusCode::BAD_REQUEST, "unknown-role", &diagnostics)
    })
}

fn resolve_state(state: Option<String>) -> Result<Option<String>, ApiError> {
    crate::cli::resolve_state(state).map_err(|diagnostic| {
        ApiError::from_diagnostics(StatusCode::BAD_REQUEST, "bad-request", &[*diagnostic])
    })
}

/// The body, at most `limit` bytes (413 beyond), as UTF-8 text.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<String, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            format!(
                "the request body is larger than {} bytes, the most this endpoint reads",
                limit
            ),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    let bytes: Bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())?;
    String::from_utf8(bytes.to_vec()).map_err(|error| {
        ApiError::bad_request(format!(
            "the request body is not UTF-8 (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        ))
    })
}

/// The profile's format, from `Content-Type`: JSON unless it says TOML.
fn profile_file_name(headers: &HeaderMap) -> Result<&'static str, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        // curl's `-d` says form-urlencoded; the body is still the profile.
        "application/json"
        | "text/json"
        | ""
        | "text/plain"
        | "application/x-www-form-urlencoded" => Ok("profile.json"),
        "application/toml" | "text/toml" | "text/x-toml" => Ok("profile.toml"),
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            format!("a profile is `application/json` or `application/toml`, not `{essence}`"),
        )),
    }
}

/// Parses a profile as `check` reads a file: located diagnostics, 400 when
/// the text is not JSON (or TOML) at all, 422 when it is but is not a
/// valid profile.
fn parse_profile(
    name: &str,
    text: String,
    as_of: Option<Date>,
) -> Result<(Profile, SourceFile), ApiError> {
    let file = SourceFile::new(name, text);
    match crate::profile::parse_profile(&file) {
        Ok(profile) => {
            if let Some(as_of) = as_of
                && let Some(message) = crate::screen::input::born_after(&profile, as_of)
            {
                let diagnostic = Diagnostic::error(Code::FutureBirthDate, message)
                    .help("check the year of `birth_date`, or `as_of`");
                return Err(ApiError::from_diagnostics(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-profile",
                    &[diagnostic],
                ));
            }
            Ok((profile, file))
        }
        Err(diagnostics) => {
            let well_formed = if name.ends_with(".toml") {
                toml::from_str::<toml::Table>(&file.text).is_ok()
            } else {
                serde_json::from_str::<serde::de::IgnoredAny>(&file.text).is_ok()
            };
            let (status, code) = if well_formed {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid-profile")
            } else {
                (StatusCode::BAD_REQUEST, "malformed-profile")
            };
            Err(ApiError::from_diagnostics(status, code, &diagnostics))
        }
    }
}

/// Runs CPU work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the evaluation stopped unexpectedly",
        )
    })
}

/// `POST /v1/check?role=…&state=…&as_of=…`: the profile in the body; the
/// answer is `eligo check --format json`'s document.
pub async fn check(
    State(state): Shared,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let params = eval_params(query.as_deref())?;
    let name = profile_file_name(&headers)?;
    let text = read_body(&headers, body, state.options.check_body_limit).await?;
    let shared = Arc::clone(&state);
    let document = blocking(move || check_document(&shared, &params, name, text)).await??;
    Ok(json_text(document))
}

/// What `check` reports for a profile read from a request (the page's
/// plain form uses it too): projected `horizon` years ahead when given.
pub(super) fn evaluate<'r>(
    state: &'r AppState,
    roles: &[RoleId],
    profile: &Profile,
    ctx: Context,
    horizon: Option<u32>,
    require_verified: bool,
) -> crate::eval::ProfileOutcome<'r> {
    let id = profile.id.clone().unwrap_or_else(|| "profile".to_string());
    let until = horizon.map(|years| ctx.as_of.years_after(years));
    crate::eval::check_profile(
        &state.rules,
        roles,
        &id,
        profile,
        &ctx,
        until,
        require_verified,
    )
}

fn check_document(
    state: &AppState,
    params: &EvalParams,
    name: &str,
    text: String,
) -> Result<String, ApiError> {
    let roles = resolve_roles(state, &params.roles)?;
    let region = resolve_state(params.state.clone())?;
    let as_of = params.as_of.unwrap_or_else(Date::today);
    let (profile, _) = parse_profile(name, text, Some(as_of))?;
    let project = params.project.unwrap_or(true);
    let outcome = evaluate(
        state,
        &roles,
        &profile,
        Context::new(as_of).with_state(region),
        project.then_some(params.horizon),
        params.require_verified,
    );
    let checked = [Checked {
        profile: &profile,
        outcome: &outcome,
        verified_only: params.require_verified,
    }];
    Ok(crate::render::json::check_json(
        &state.rules,
        as_of,
        &checked,
    ))
}

/// `POST /v1/profile`: a profile file's text (JSON or TOML) → the profile
/// as JSON, with the warnings `check` would print (values no rule knows).
pub async fn profile(
    State(state): Shared,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let name = profile_file_name(&headers)?;
    let text = read_body(&headers, body, state.options.check_body_limit).await?;
    let shared = Arc::clone(&state);
    let document = blocking(move || -> Result<String, ApiError> {
        let (profile, file) = parse_profile(name, text, None)?;
        let warnings = crate::vocabulary_check::profile_warnings(
            &shared.rules,
            &profile,
            std::path::Path::new(name),
            Some(&file),
        );
        let document = serde_json::json!({
            "profile": profile,
            "warnings": warnings.iter().map(Diagnostic::to_json).collect::<Vec<_>>(),
        });
        Ok(format!("{document:#}\n"))
    })
    .await??;
    Ok(json_text(document))
}

/// Rows per streamed chunk of `/v1/screen`.
const SCREEN_CHUNK_LINES: usize = 256;

/// `POST /v1/screen?role=…`: JSON Lines in, `screen --format jsonl` rows
/// out, streamed as they are judged.
pub async fn screen(
    State(state): Shared,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let params = eval_params(query.as_deref())?;
    if params.roles.is_empty() {
        return Err(ApiError::bad_request(
            "name the roles to screen for: `?role=mls` (repeatable, or comma-separated)",
        ));
    }
    let roles = resolve_roles(&state, &params.roles)?;
    let region = resolve_state(params.state.clone())?;
    let permit = state
        .screens
        .try_acquire()
        .map(|permit| permit.forget())
        .is_ok();
    if !permit {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "as many screens as the server runs at once are running; try again shortly",
        ));
    }
    // The permit is given back when the rows are all sent (or the client
    // has gone).
    let release = PermitGuard(Arc::clone(&state));
    let text = read_body(&headers, body, state.options.screen_body_limit).await?;
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    let shared = Arc::clone(&state);
    tokio::task::spawn_blocking(move || {
        let _release = release;
        screen_rows(&shared, &params, roles, region, &text, |chunk| {
            sender.blocking_send(Ok(Bytes::from(chunk))).is_ok()
        });
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(receiver);
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8")],
        Body::from_stream(stream),
    )
        .into_response())
}

struct PermitGuard(Arc<AppState>);

impl Drop for PermitGuard {
    fn drop(&mut self) {
        self.0.screens.add_permits(1);
    }
}

/// Judges every line of `text`, handing rows to `send` a chunk at a time;
/// stops when `send` says the client has gone.
fn screen_rows(
    state: &AppState,
    params: &EvalParams,
    roles: Vec<RoleId>,
    region: Option<String>,
    text: &str,
    mut send: impl FnMut(Vec<u8>) -> bool,
) {
    const FILE: &str = "request";
    let as_of = params.as_of.unwrap_or_else(Date::today);
    let screener = crate::screen::Screener::new(&state.rules, roles, as_of, region)
        .projecting(
            params
                .project
                .unwrap_or(false)
                .then(|| as_of.years_after(params.horizon)),
        )
        .requiring_verified(params.require_verified);
    let mut sink = RowSink::new(Format::Jsonl);
    let mut in_chunk = 0;
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        let parsed = if line.len() > crate::loader::MAX_RECORD_BYTES {
            Err((
                format!(
                    "the line is longer than {} MiB, the most eligo reads in one record",
                    crate::loader::MAX_RECORD_BYTES >> 20
                ),
                None,
            ))
        } else {
            crate::screen::parse_line(FILE, number, line)
                .map_err(|diagnostics| {
                    (
                        crate::screen::diagnostics_message(&diagnostics),
                        crate::screen::salvage_id(line),
                    )
                })
                .and_then(
                    |profile| match crate::screen::input::born_after(&profile, as_of) {
                        Some(message) => Err((message, profile.id.clone())),
                        None => Ok(profile),
                    },
                )
        };
        match parsed {
            Ok(profile) => {
                let id = profile
                    .id
                    .clone()
                    .unwrap_or_else(|| crate::screen::default_id(FILE, Some(number)));
                screener.push_rows(&profile, &id, FILE, Some(number), &mut sink);
            }
            Err((message, id)) => {
                let id = id.unwrap_or_else(|| crate::screen::default_id(FILE, Some(number)));
                for &role in &screener.roles {
                    sink.push(&Row {
                        profile: &id,
                        role: screener.role_id(role),
                        verdict: RowVerdict::Error,
                        unmet: &[],
                        words: None,
                        file: FILE,
                        line: Some(number),
                        message: Some(&message),
                        projected: None,
                        rules: &state.rules.fingerprint,
                        newest_source: state.rules.newest_source(),
                    });
                }
            }
        }
        in_chunk += 1;
        if in_chunk == SCREEN_CHUNK_LINES {
            let (bytes, _) = std::mem::replace(&mut sink, RowSink::new(Format::Jsonl)).finish();
            in_chunk = 0;
            if !send(bytes) {
                return;
            }
        }
    }
    let (bytes, _) = sink.finish();
    if !bytes.is_empty() {
        send(bytes);
    }
}
