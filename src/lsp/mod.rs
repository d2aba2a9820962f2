//! `eligo lsp`: a language server over stdio for rule authors' editors.
//!
//! Every open buffer is checked with the rest of its rule set as `lint`
//! checks it, on each change, unsaved. The server answers hover, go to
//! definition, find references, document symbols, completion, formatting
//! (the `fmt` engine), quick fixes for did-you-mean diagnostics, and a code
//! lens that runs a file's rule tests. It holds no state but the open
//! buffers and the latest analysis of each rule set.

mod features;
pub mod transport;
mod workspace;

use crate::date::Date;
use crate::ruleset::RuleSet;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{self as types, Url};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use workspace::Analysis;

/// The command the code lens runs: `[uri]` or `[uri, test name]`.
pub const RUN_TESTS: &str = "eligo.runTests";

/// Runs the server on stdin/stdout until the client says `exit`.
pub fn run() -> Result<(), String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        // Started by hand: say what it is waiting for.
        eprintln!(
            "eligo lsp: a language server for rule files; it speaks the Language Server Protocol on stdin and stdout and is started by an editor (see editors/README.md). Ctrl-D ends it."
        );
    }
    let stdio = transport::Stdio::start();
    let result = serve(&stdio.connection);
    // A broken transport explains a failed session better than its effect.
    match stdio.finish() {
        Err(transport) => Err(transport.0),
        Ok(()) => result,
    }
}

fn serve(connection: &lsp_server::Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| {
        format!(
            "the client did not initialize: {}",
            shortened(&e.to_string())
        )
    })?;
    let params: types::InitializeParams = match serde_json::from_value(params) {
        Ok(params) => params,
        Err(error) => {
            let message = format!("bad initialize parameters: {error}");
            let _ = connection.sender.send(
                Response::new_err(id, ErrorCode::InvalidParams as i32, message.clone()).into(),
            );
            return Err(message);
        }
    };
    // The answer is sent without waiting for `initialized`: a client that
    // skips that notification (the protocol asks for it, it carries nothing)
    // still gets a working server; it is ignored when it comes.
    send(
        connection,
        Response::new_ok(
            id,
            serde_json::json!({
                "capabilities": capabilities(),
                "serverInfo": { "name": "eligo", "version": env!("CARGO_PKG_VERSION") },
            }),
        )
        .into(),
    );
    let mut server = Server::new(workspace_roots(&params), Date::today());
    let mut shut_down = false;
    while let Ok(first) = connection.receiver.recv() {
        // Everything already waiting is handled as one batch, so a burst of
        // keystrokes is checked once, at its last change.
        let mut batch = vec![first];
        batch.extend(connection.receiver.try_iter());
        let last_changes = last_change_of_each_document(&batch);
        for (index, message) in batch.into_iter().enumerate() {
            match message {
                Message::Request(request) if shut_down => send(
                    connection,
                    Response::new_err(
                        request.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    )
                    .into(),
                ),
                Message::Request(request) if request.method == "shutdown" => {
                    shut_down = true;
                    send(connection, Response::new_ok(request.id, ()).into());
                }
                Message::Request(request) => {
                    let response = server.request(request);
                    send(connection, response.into());
                }
                Message::Notification(notification) if notification.method == "exit" => {
                    return if shut_down {
                        Ok(())
                    } else {
                        Err("the client exited without shutting the server down".into())
                    };
                }
                Message::Notification(notification) => {
                    let superseded = notification.method == "textDocument/didChange"
                        && !last_changes.contains(&index);
                    server.notification(notification, superseded);
                }
                Message::Response(_) => {}
            }
            for message in server.outbox.drain(..) {
                send(connection, message);
            }
        }
    }
    Ok(())
}

/// The positions in `batch` of the last `didChange` of each document.
fn last_change_of_each_document(batch: &[Message]) -> Vec<usize> {
    let mut last: BTreeMap<String, usize> = BTreeMap::new();
    for (index, message) in batch.iter().enumerate() {
        if let Message::Notification(n) = message
            && n.method == "textDocument/didChange"
            && let Some(uri) = n.params["textDocument"]["uri"].as_str()
        {
            last.insert(uri.to_string(), index);
        }
    }
    last.into_values().collect()
}

/// A message for stderr at most a line long: lsp-server's errors quote the
/// whole message they did not expect, which may hold a whole document.
fn shortened(text: &str) -> String {
    const MOST: usize = 200;
    match text.char_indices().nth(MOST) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn send(connection: &lsp_server::Connection, message: Message) {
    // The writer thread ends only when the client is gone; nothing to tell.
    let _ = connection.sender.send(message);
}

fn capabilities() -> types::ServerCapabilities {
    use types::*;
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![RUN_TESTS.into()],
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        ..ServerCapabilities::default()
    }
}

/// The rule-set folders of the workspace: `rules/` of a folder when it
/// holds rule files, else the folder itself when it directly holds some.
fn workspace_roots(params: &types::InitializeParams) -> Vec<PathBuf> {
    #[expect(deprecated, reason = "older clients send only rootUri")]
    let root_uri = params.root_uri.clone();
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .map(|folder| folder.uri.clone())
        .chain(root_uri)
        .filter_map(|uri| uri.to_file_path().ok())
        .collect();
    let mut roots = Vec::new();
    for folder in folders {
        let rules = folder.join("rules");
        let holds =
            |dir: &Path| crate::loader::find_rule_files(dir).is_ok_and(|files| !files.is_empty());
        let root = if rules.is_dir() && holds(&rules) {
            rules
        } else if crate::loader::holds_rule_files(&folder) {
            folder
        } else {
            continue;
        };
        if !roots.contains(&root) {
            roots.push(root);
        }
    }
    roots
}

struct Server {
    roots: Vec<PathBuf>,
    today: Date,
    /// The open buffers' text, by path (a pseudo-path for unsaved buffers
    /// without a file), and the URI the client named each by.
    open: BTreeMap<PathBuf, String>,
    uris: BTreeMap<PathBuf, Url>,
    analyses: BTreeMap<PathBuf, Arc<Analysis>>,
    /// The last rule set of each key that checked, for hover and tests while
    /// the author's current edit is broken.
    last_good: BTreeMap<PathBuf, Arc<RuleSet>>,
    /// What each key last published, by URI: only changes are sent again,
    /// and a URI no longer reported is cleared.
    published: BTreeMap<PathBuf, BTreeMap<Url, Vec<types::Diagnostic>>>,
    outbox: Vec<Message>,
}

impl Server {
    fn new(roots: Vec<PathBuf>, today: Date) -> Server {
        Server {
            roots,
            today,
            open: BTreeMap::new(),
            uris: BTreeMap::new(),
            analyses: BTreeMap::new(),
            last_good: BTreeMap::new(),
            published: BTreeMap::new(),
            outbox: Vec::new(),
        }
    }

    fn path_of(uri: &Url) -> PathBuf {
        uri.to_file_path()
            .unwrap_or_else(|()| PathBuf::from(uri.as_str()))
    }

    fn uri_of(&self, path: &Path) -> Option<Url> {
        self.uris
            .get(path)
            .cloned()
            .or_else(|| Url::from_file_path(path).ok())
            .or_else(|| Url::parse(&path.to_string_lossy()).ok())
    }

    /// The rule-set folder a file belongs to: a workspace rule folder, else
    /// the set around it as `lint FILE` finds it; `None`: the file alone.
    fn set_folder(&self, path: &Path) -> Option<PathBuf> {
        if let Some(root) = self.roots.iter().find(|root| path.starts_with(root)) {
            return Some(root.clone());
        }
        let folder = crate::loader::rule_set_around(path)?;
        Some(std::path::absolute(&folder).unwrap_or(folder))
    }

    /// What an analysis is keyed by: the set's folder, or the file alone
    /// (never scanned as a folder, whatever the client names).
    fn key_of(&self, path: &Path) -> PathBuf {
        self.set_folder(path).unwrap_or_else(|| path.to_path_buf())
    }

    fn analyse(&self, path: &Path) -> Analysis {
        match self.set_folder(path) {
            Some(folder) => workspace::analyse(&folder, true, &self.open),
            None => workspace::analyse(path, false, &self.open),
        }
    }

    /// Re-checks the rule set of `path` and publishes its diagnostics.
    fn refresh(&mut self, path: &Path) {
        let key = self.key_of(path);
        let analysis = self.analyse(path);
        if let Some(rules) = &analysis.rules {
            self.last_good.insert(key.clone(), Arc::clone(rules));
        }
        self.publish(&analysis, path);
        self.analyses.insert(key, Arc::new(analysis));
    }

    fn analysis(&mut self, path: &Path) -> Arc<Analysis> {
        let key = self.key_of(path);
        if !self.analyses.contains_key(&key) {
            let analysis = Arc::new(self.analyse(path));
            self.analyses.insert(key.clone(), analysis);
        }
        Arc::clone(&self.analyses[&key])
    }

    fn rules_of(&self, analysis: &Analysis) -> Option<Arc<RuleSet>> {
        analysis
            .rules
            .clone()
            .or_else(|| self.last_good.get(&analysis.key).cloned())
    }

    fn publish(&mut self, analysis: &Analysis, changed: &Path) {
        let mut by_file: BTreeMap<PathBuf, Vec<types::Diagnostic>> = BTreeMap::new();
        for file in &analysis.files {
            by_file.entry(file.path.clone()).or_default();
        }
        for diagnostic in &analysis.diagnostics {
            let (path, text) = match &diagnostic.file {
                Some(file) => (PathBuf::from(&file.name), &*file.text),
                None => (changed.to_path_buf(), ""),
            };
            by_file
                .entry(path)
                .or_default()
                .push(features::to_lsp_diagnostic(diagnostic, text, |p| {
                    self.uri_of(p)
                }));
        }
        let mut now = BTreeMap::new();
        for (path, diagnostics) in by_file {
            if let Some(uri) = self.uri_of(&path) {
                now.insert(uri, diagnostics);
            }
        }
        let before = self
            .published
            .insert(analysis.key.clone(), now.clone())
            .unwrap_or_default();
        for (uri, diagnostics) in &now {
            // The changed buffer always hears back, even when nothing changed.
            let changed_uri = self.uri_of(changed).is_some_and(|c| c == *uri);
            let differs = match before.get(uri) {
                None => !diagnostics.is_empty(),
                Some(previous) => previous != diagnostics,
            };
            if differs || changed_uri {
                self.notify::<types::notification::PublishDiagnostics>(
                    types::PublishDiagnosticsParams {
                        uri: uri.clone(),
                        diagnostics: diagnostics.clone(),
                        version: None,
                    },
                );
            }
        }
        for uri in before.keys().filter(|uri| !now.contains_key(*uri)) {
            self.notify::<types::notification::PublishDiagnostics>(
                types::PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics: Vec::new(),
                    version: None,
                },
            );
        }
    }

    fn notify<N: types::notification::Notification>(&mut self, params: N::Params) {
        self.outbox
            .push(Notification::new(N::METHOD.to_string(), params).into());
    }

    /// Handles a notification; a `didChange` that a later one in the same
    /// batch `superseded` only updates the text.
    fn notification(&mut self, notification: Notification, superseded: bool) {
        use types::notification::*;
        let method = notification.method.clone();
        match method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let path = Self::path_of(&params.text_document.uri);
                    self.uris.insert(path.clone(), params.text_document.uri);
                    self.open.insert(path.clone(), params.text_document.text);
                    self.refresh(&path);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<types::DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                {
                    let path = Self::path_of(&params.text_document.uri);
                    // Full synchronisation: the last change is the whole text.
                    if let Some(change) = params.content_changes.into_iter().last() {
                        self.open.insert(path.clone(), change.text);
                        if superseded {
                            let key = self.key_of(&path);
                            self.analyses.remove(&key);
                        } else {
                            self.refresh(&path);
                        }
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<types::DidSaveTextDocumentParams>(DidSaveTextDocument::METHOD)
                {
                    self.refresh(&Self::path_of(&params.text_document.uri));
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) = notification
                    .extract::<types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let path = Self::path_of(&params.text_document.uri);
                    self.open.remove(&path);
                    if path.exists() {
                        self.refresh(&path);
                    } else {
                        // An unsaved buffer is gone: so are its diagnostics.
                        let key = self.key_of(&path);
                        self.analyses.remove(&key);
                        if let Some(uri) = self.uris.remove(&path) {
                            self.notify::<PublishDiagnostics>(types::PublishDiagnosticsParams {
                                uri,
                                diagnostics: Vec::new(),
                                version: None,
                            });
                        }
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let keys: Vec<PathBuf> = self.analyses.keys().cloned().collect();
                for key in keys {
                    let probe = self
                        .open
                        .keys()
                        .find(|p| self.key_of(p) == key)
                        .cloned()
                        .unwrap_or_else(|| key.clone());
                    self.refresh(&probe);
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) -> Response {
        use types::request::*;
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => self.handle::<HoverRequest>(request, |server, params| {
                let position = params.text_document_position_params;
                let (analysis, file, offset) =
                    server.locate(&position.text_document.uri, position.position)?;
                let rules = server.rules_of(&analysis);
                Some(features::hover(
                    &analysis,
                    file,
                    offset,
                    rules.as_deref(),
                    server.today,
                ))
            }),
            GotoDefinition::METHOD => self.handle::<GotoDefinition>(request, |server, params| {
                let position = params.text_document_position_params;
                let (analysis, file, offset) =
                    server.locate(&position.text_document.uri, position.position)?;
                let places = features::definition(&analysis, file, offset);
                let locations = server.locations(&analysis, places);
                Some(Some(types::GotoDefinitionResponse::Array(locations)))
            }),
            References::METHOD => self.handle::<References>(request, |server, params| {
                let position = params.text_document_position;
                let (analysis, file, offset) =
                    server.locate(&position.text_document.uri, position.position)?;
                let places = features::references(
                    &analysis,
                    file,
                    offset,
                    params.context.include_declaration,
                );
                Some(Some(server.locations(&analysis, places)))
            }),
            DocumentSymbolRequest::METHOD => {
                self.handle::<DocumentSymbolRequest>(request, |server, params| {
                    let (analysis, file) = server.locate_file(&params.text_document.uri)?;
                    Some(Some(types::DocumentSymbolResponse::Nested(
                        features::document_symbols(&analysis.files[file]),
                    )))
                })
            }
            Completion::METHOD => self.handle::<Completion>(request, |server, params| {
                let position = params.text_document_position;
                let (analysis, file, offset) =
                    server.locate(&position.text_document.uri, position.position)?;
                Some(Some(types::CompletionResponse::Array(
                    features::completion(&analysis, file, offset),
                )))
            }),
            Formatting::METHOD => self.handle::<Formatting>(request, |server, params| {
                let (analysis, file) = server.locate_file(&params.text_document.uri)?;
                Some(features::formatting(&analysis.files[file]))
            }),
            CodeActionRequest::METHOD => {
                self.handle::<CodeActionRequest>(request, |server, params| {
                    let uri = params.text_document.uri.clone();
                    let (analysis, file) = server.locate_file(&uri)?;
                    Some(Some(features::quick_fixes(
                        &analysis,
                        file,
                        &uri,
                        params.range,
                    )))
                })
            }
            CodeLensRequest::METHOD => self.handle::<CodeLensRequest>(request, |server, params| {
                let uri = params.text_document.uri.clone();
                let (analysis, file) = server.locate_file(&uri)?;
                Some(Some(features::code_lenses(&analysis.files[file], &uri)))
            }),
            ExecuteCommand::METHOD => {
                let params: types::ExecuteCommandParams =
                    match serde_json::from_value(request.params) {
                        Ok(params) => params,
                        Err(error) => return invalid_params(id, &error),
                    };
                return self.execute(id, params);
            }
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("eligo lsp does not handle `{}`", request.method),
                );
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(error) => invalid_params(id, &error),
        }
    }

    /// Decodes a request's parameters and runs `answer`; `None` answers null.
    fn handle<R: types::request::Request>(
        &mut self,
        request: Request,
        answer: impl FnOnce(&mut Server, R::Params) -> Option<R::Result>,
    ) -> Result<Value, serde_json::Error> {
        let params: R::Params = serde_json::from_value(request.params)?;
        let result = answer(self, params);
        serde_json::to_value(result)
    }

    fn locate_file(&mut self, uri: &Url) -> Option<(Arc<Analysis>, usize)> {
        let path = Self::path_of(uri);
        let analysis = self.analysis(&path);
        let file = analysis.file_index(&path)?;
        Some((analysis, file))
    }

    fn locate(
        &mut self,
        uri: &Url,
        position: types::Position,
    ) -> Option<(Arc<Analysis>, usize, usize)> {
        let (analysis, file) = self.locate_file(uri)?;
        let offset = workspace::offset(&analysis.files[file].source.text, position);
        Some((analysis, file, offset))
    }

    fn locations(
        &self,
        analysis: &Analysis,
        places: Vec<(usize, crate::source::Span)>,
    ) -> Vec<types::Location> {
        places
            .into_iter()
            .filter_map(|(file, span)| {
                let parsed = &analysis.files[file];
                Some(types::Location::new(
                    self.uri_of(&parsed.path)?,
                    workspace::range(&parsed.source.text, span),
                ))
            })
            .collect()
    }

    /// `eligo.runTests [uri, name?]`: runs the file's rule tests (or one).
    fn execute(&mut self, id: RequestId, params: types::ExecuteCommandParams) -> Response {
        if params.command != RUN_TESTS {
            return Response::new_err(
                id,
                ErrorCode::InvalidParams as i32,
                format!("unknown command `{}`", params.command),
            );
        }
        let uri = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .and_then(|text| Url::parse(text).ok());
        let Some(uri) = uri else {
            return Response::new_err(
                id,
                ErrorCode::InvalidParams as i32,
                format!("{RUN_TESTS} takes the rule file's URI and, optionally, a test name"),
            );
        };
        let name = params
            .arguments
            .get(1)
            .and_then(Value::as_str)
            .map(str::to_string);
        let path = Self::path_of(&uri);
        let analysis = self.analysis(&path);
        let Some(rules) = analysis.rules.clone() else {
            return Response::new_err(
                id,
                ErrorCode::RequestFailed as i32,
                "the rule set has errors: fix them before running its tests".into(),
            );
        };
        let root = analysis.is_set.then(|| analysis.key.clone());
        let report = features::run_tests(&rules, &path, name.as_deref(), root.as_deref());
        let message_type = if report.failed == 0 {
            types::MessageType::INFO
        } else {
            types::MessageType::ERROR
        };
        self.notify::<types::notification::ShowMessage>(types::ShowMessageParams {
            typ: message_type,
            message: report.summary.clone(),
        });
        Response::new_ok(id, report.to_json())
    }
}

fn invalid_params(id: RequestId, error: &serde_json::Error) -> Response {
    Response::new_err(
        id,
        ErrorCode::InvalidParams as i32,
        format!("bad parameters: {error}"),
    )
}
