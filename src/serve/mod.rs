//! `eligo serve`: the candidate page and the JSON HTTP API, on axum.
//!
//! The rule set is loaded and checked once, before the socket is bound; every
//! request evaluates against it on a blocking thread (evaluation is CPU
//! work). Bad input of any kind is a JSON error with the CLI's located
//! diagnostics and a 4xx status, never a 500. Nothing a request carries is
//! written to disk or logged: a log line is method, path, status and time.

mod api;
mod fallback;
mod page;

use crate::ruleset::RuleSet;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Limits of one server.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    /// Largest body of `POST /v1/check` and `POST /v1/profile`, in bytes.
    pub check_body_limit: usize,
    /// Largest body of `POST /v1/screen`, in bytes.
    pub screen_body_limit: usize,
    /// A request still running after this is answered 408.
    pub timeout: Duration,
    /// Screens running at once; one more is answered 503.
    pub max_screens: usize,
}

impl ServeOptions {
    pub const DEFAULT_CHECK_BODY_LIMIT: usize = 2 << 20;
    pub const DEFAULT_SCREEN_BODY_LIMIT: usize = 64 << 20;
    pub const DEFAULT_TIMEOUT_SECONDS: u64 = 30;
    pub const DEFAULT_MAX_SCREENS: usize = 2;
}

/// What every handler reads.
pub(crate) struct AppState {
    pub rules: RuleSet,
    pub options: ServeOptions,
    pub screens: Semaphore,
    /// Documents that never change while the server runs.
    pub roles_json: String,
    pub vocabulary_json: String,
    pub schema_json: String,
}

/// The routes, with their limits and headers: what [`serve`] runs, and
/// what tests can drive without a socket.
pub fn router(rules: RuleSet, options: ServeOptions) -> Router {
    let kinds: Vec<_> = rules.vocabularies.by_kind.keys().copied().collect();
    let state = Arc::new(AppState {
        roles_json: crate::render::json::roles_json(&rules),
        vocabulary_json: crate::render::explain::vocabulary_documents(&rules, &kinds).0,
        schema_json: format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::profile::profile_schema()).unwrap_or_default()
        ),
        screens: Semaphore::new(options.max_screens.max(1)),
        rules,
        options: options.clone(),
    });
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::style))
        .route("/check", post(fallback::check))
        .route("/healthz", get(api::health))
        .route("/openapi.json", get(api::openapi))
        .route("/v1/check", post(api::check))
        .route("/v1/screen", post(api::screen))
        .route("/v1/profile", post(api::profile))
        .route("/v1/roles", get(api::roles))
        .route("/v1/roles/{id}", get(api::role))
        .route("/v1/vocabulary", get(api::vocabulary))
        .route("/v1/schema", get(api::schema))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .layer(middleware::from_fn(headers_and_log))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            options.timeout,
        ))
        .with_state(state)
}

/// Security headers on every response, and one log line per request
/// (method, path without the query, status, milliseconds; never a body).
async fn headers_and_log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    eprintln!(
        "{method} {path} {} {}ms",
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
    response
}

/// Binds `options.addr`, says where on standard error, and serves until
/// interrupted (Ctrl-C or SIGTERM).
pub fn serve(rules: RuleSet, options: ServeOptions) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr).await?;
        let local = listener.local_addr()?;
        eprintln!(
            "eligo serve: {} roles; listening on http://{local}/ (Ctrl-C stops)",
            rules.roles.len()
        );
        let app = router(rules, options);
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
    })
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// The state handlers share.
pub(crate) type Shared = State<Arc<AppState>>;
