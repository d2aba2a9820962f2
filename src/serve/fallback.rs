//! The page without JavaScript: a plain form on `/` (inside `<noscript>`)
//! posts a profile file's text, the state and the date to `POST /check`,
//! which answers a server-rendered page holding what `eligo check` prints
//! for that profile. Errors are pages too, with the CLI's located
//! diagnostics; nothing here is a JSON API.

use super::Shared;
use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, render_human};
use crate::eval::Context;
use crate::render::check_text::{Checked, Layout};
use crate::render::record::escape_html;
use crate::source::SourceFile;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// How far ahead the page projects, as `check` does by default.
const HORIZON_YEARS: u32 = 5;

/// A page: the title, then the body's HTML (already escaped).
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}: eligo</title>\n<link rel=\"stylesheet\" href=\"/app.css\">\n</head>\n<body>\n\
         <header><h1>{title}</h1></header>\n<main>\n{body}\n\
         <p><a href=\"/\">Back to the form</a></p>\n</main>\n</body>\n</html>\n",
        title = escape_html(title),
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

fn problem(status: StatusCode, message: &str, diagnostics: &[Diagnostic]) -> Response {
    let mut body = format!("<p class=\"bad\">{}</p>", escape_html(message));
    if !diagnostics.is_empty() {
        body.push_str(&format!(
            "\n<pre class=\"check\">{}</pre>",
            escape_html(&render_human(diagnostics, false))
        ));
    }
    page(status, "The profile could not be checked", &body)
}

/// `POST /check`, `application/x-www-form-urlencoded`: `profile` (the text
/// of a JSON or TOML profile file), optional `state` and `as_of`.
pub async fn check(State(state): Shared, headers: HeaderMap, body: Body) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
    {
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "This address takes the form on the front page (application/x-www-form-urlencoded); programs use POST /v1/check.",
            &[],
        );
    }
    // Percent-encoding can triple a profile's size.
    let limit = state.options.check_body_limit.saturating_mul(3);
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!(
                    "The profile is larger than {} KiB, the most this server reads.",
                    state.options.check_body_limit >> 10
                ),
                &[],
            );
        }
    };
    let fields: Vec<(String, String)> = match serde_urlencoded::from_bytes(&bytes) {
        Ok(fields) => fields,
        Err(error) => {
            return problem(
                StatusCode::BAD_REQUEST,
                &format!("The form could not be read: {error}."),
                &[],
            );
        }
    };
    let shared = Arc::clone(&state);
    match tokio::task::spawn_blocking(move || answer(&shared, fields)).await {
        Ok(response) => response,
        Err(_) => problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The check stopped unexpectedly.",
            &[],
        ),
    }
}

fn answer(state: &super::AppState, fields: Vec<(String, String)>) -> Response {
    let mut text = None;
    let mut region = None;
    let mut as_of = None;
    for (name, value) in fields {
        let value = value.trim().to_string();
        match name.as_str() {
            "profile" => text = Some(value),
            "state" if !value.is_empty() => region = Some(value),
            "as_of" if !value.is_empty() => match Date::parse(&value) {
                Ok(date) => as_of = Some(date),
                Err(_) => {
                    return problem(
                        StatusCode::BAD_REQUEST,
                        &format!("“{value}” is not a date: write it as YYYY-MM-DD."),
                        &[],
                    );
                }
            },
            "state" | "as_of" => {}
            other => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    &format!("The form has an unknown field “{other}”."),
                    &[],
                );
            }
        }
    }
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "Paste the text of a profile file (JSON or TOML) into the box.",
            &[],
        );
    };
    let region = match crate::cli::resolve_state(region) {
        Ok(region) => region,
        Err(diagnostic) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "The state is not one eligo knows.",
                &[*diagnostic],
            );
        }
    };
    let as_of = as_of.unwrap_or_else(Date::today);
    // JSON starts with `{`; anything else is read as TOML.
    let name = if text.starts_with('{') {
        "profile.json"
    } else {
        "profile.toml"
    };
    let file = SourceFile::new(name, text);
    let profile = match crate::profile::parse_profile(&file) {
        Ok(profile) => profile,
        Err(diagnostics) => {
            return problem(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The profile has a mistake:",
                &diagnostics,
            );
        }
    };
    if let Some(message) = crate::screen::input::born_after(&profile, as_of) {
        let diagnostic = Diagnostic::error(Code::FutureBirthDate, message);
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "The profile has a mistake:",
            &[diagnostic],
        );
    }
    let roles: Vec<_> = state.rules.role_ids().collect();
    let ctx = Context::new(as_of).with_state(region);
    let outcome = super::api::evaluate(state, &roles, &profile, ctx, Some(HORIZON_YEARS), false);
    let checked = [Checked {
        profile: &profile,
        outcome: &outcome,
        verified_only: false,
    }];
    let layout = Layout {
        full: false,
        evidence: false,
        color: false,
    };
    let report = crate::render::check_text::render(&state.rules, as_of, &checked, layout);
    let body = format!(
        "<p>What <code>eligo check</code> says for this profile. <code>eligo explain ROLE</code> (or the page with JavaScript) describes any role in full.</p>\n<pre class=\"check\">{}</pre>",
        escape_html(&report)
    );
    page(StatusCode::OK, "Your results", &body)
}
