//! `eligo lsp` driven over stdio with JSON-RPC, as an editor drives it: on a
//! copy of the shipped rule set, with unsaved buffers.
#![cfg(feature = "lsp")]

mod common;

use common::copy_dir;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications read while waiting for something else.
    backlog: Vec<Value>,
}

fn read_framed(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn frame(message: &Value) -> Vec<u8> {
    let body = message.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

impl Client {
    fn start(folder: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
            .arg("lsp")
            .current_dir(folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("eligo lsp starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_framed(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            messages,
            next_id: 1,
            backlog: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(&frame(&message)).expect("the server reads");
        stdin.flush().expect("the server reads");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (keeping notifications).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.receive(deadline);
            if message["id"] == json!(id) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    fn receive(&mut self, deadline: Instant) -> Value {
        match self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The next diagnostics published for `uri` (from the backlog first).
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let wanted = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(index) = self.backlog.iter().position(wanted) {
            let message = self.backlog.remove(index);
            return message["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.receive(deadline);
            if wanted(&message) {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.backlog.push(message);
        }
    }

    fn drop_backlog(&mut self) {
        while let Ok(message) = self.messages.recv_timeout(Duration::from_millis(200)) {
            self.backlog.push(message);
        }
        self.backlog.clear();
    }

    fn finish(mut self) -> std::process::Output {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        drop(self.stdin.take());
        let started = Instant::now();
        loop {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            assert!(started.elapsed() < WAIT, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.child.wait_with_output().expect("the server ends")
    }
}

fn workspace(name: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("eligo-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
        &root.join("rules"),
    );
    root
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn initialize(client: &mut Client, root: &Path) -> Value {
    let response = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": uri(root), "capabilities": {} }),
    );
    client.notify("initialized", json!({}));
    response
}

/// The 0-based line and UTF-16 character of the first `needle` in `text`.
fn position_of(text: &str, needle: &str, skip: usize) -> Value {
    let offset = text.find(needle).expect("the needle is in the text") + skip;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let character = before[before.rfind('\n').map_or(0, |n| n + 1)..]
        .encode_utf16()
        .count();
    json!({ "line": line, "character": character })
}

fn eligo(folder: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(args)
        .current_dir(folder)
        .output()
        .expect("eligo runs");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

#[test]
fn an_editor_session_from_a_typo_to_its_fix() {
    let root = workspace("session");
    let mls_path = root.join("rules/ascp/mls.elig");
    let mlt_path = root.join("rules/ascp/mlt.elig");
    let mls_uri = uri(&mls_path);
    let mls = std::fs::read_to_string(&mls_path).expect("mls.elig");
    let mut client = Client::start(&root);

    let init = initialize(&mut client, &root);
    let capabilities = &init["result"]["capabilities"];
    for capability in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "completionProvider",
        "documentFormattingProvider",
        "codeActionProvider",
        "codeLensProvider",
    ] {
        assert!(!capabilities[capability].is_null(), "{capability}: {init}");
    }
    assert_eq!(init["result"]["serverInfo"]["name"], "eligo");

    // Open the file as it is: the rule set checks, no errors.
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": mls_uri, "languageId": "eligo", "version": 1, "text": mls } }),
    );
    let clean = client.diagnostics_for(&mls_uri);
    assert!(
        clean.iter().all(|d| d["severity"] != 1),
        "no errors in the shipped file: {clean:?}"
    );
    let lint_warnings = eligo(&root, &["lint", "--format", "json", "rules/ascp/mls.elig"]);
    let lint: Value = serde_json::from_str(&lint_warnings).expect("lint JSON");
    assert_eq!(
        clean.len(),
        lint["diagnostics"].as_array().map_or(0, Vec::len),
        "the same warnings as lint"
    );

    // Hover on the reference `see ascp-mlt`: the role's explanation.
    let at_reference = position_of(&mls, "see ascp-mlt", 6);
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": mls_uri }, "position": at_reference }),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap_or("");
    let explained = eligo(&root, &["explain", "ascp-mlt"]);
    let first_line = explained.lines().next().unwrap_or("");
    assert!(
        first_line.contains("MLT(ASCP)") && shown.contains(first_line),
        "hover shows `eligo explain ascp-mlt`: {shown}"
    );
    assert!(
        shown.contains(explained.lines().nth(3).unwrap_or("")),
        "more than the title"
    );

    // Go to definition: the `role ascp-mlt` line of mlt.elig.
    let definition = client.request(
        "textDocument/definition",
        json!({ "textDocument": { "uri": mls_uri }, "position": at_reference }),
    );
    let target = &definition["result"][0];
    assert_eq!(target["uri"], uri(&mlt_path), "{definition}");
    assert_eq!(
        target["range"]["start"],
        json!({ "line": 2, "character": 5 })
    );
    assert_eq!(
        target["range"]["end"],
        json!({ "line": 2, "character": 13 })
    );

    // Find references: both `see ascp-mlt` of mls.elig, and more elsewhere.
    let references = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": mls_uri }, "position": at_reference, "context": { "includeDeclaration": false } }),
    );
    let places = references["result"].as_array().cloned().unwrap_or_default();
    let in_mls = places.iter().filter(|p| p["uri"] == mls_uri).count();
    assert_eq!(in_mls, mls.matches("see ascp-mlt").count(), "{references}");
    assert!(
        places.iter().all(|p| p["uri"] != uri(&mlt_path)
            || p["range"]["start"] != json!({ "line": 2, "character": 5 })),
        "the declaration is left out when asked"
    );

    // Hover on a vocabulary term: its vocabulary and aliases.
    let at_term = position_of(&mls, "\"clinical laboratory\"", 3);
    let term = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": mls_uri }, "position": at_term }),
    );
    let term_text = term["result"]["contents"]["value"].as_str().unwrap_or("");
    assert!(
        term_text.contains("**clinical laboratory**") && term_text.contains("`setting` vocabulary"),
        "{term_text}"
    );

    // Hover on a keyword: what it means.
    let at_within = position_of(&mls, " within 5 years", 2);
    let keyword = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": mls_uri }, "position": at_within }),
    );
    let keyword_text = keyword["result"]["contents"]["value"]
        .as_str()
        .unwrap_or("");
    assert!(
        keyword_text.starts_with("keyword `within`: `within N years`"),
        "{keyword_text}"
    );

    // Outline: the role with its routes, and the tests.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": mls_uri } }),
    );
    let outline = symbols["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(outline[0]["name"], "ascp-mls");
    let routes: Vec<&str> = outline[0]["children"]
        .as_array()
        .map(|c| c.iter().filter_map(|r| r["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(routes.first(), Some(&"route \"1\""), "{routes:?}");
    assert_eq!(
        outline.iter().filter(|s| s["detail"] == "test").count(),
        mls.matches("\ntest \"").count()
    );

    // Completion: role ids, vocabulary terms, keywords and units.
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": mls_uri }, "position": at_reference }),
    );
    let labels: Vec<&str> = completion["result"]
        .as_array()
        .map(|items| items.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    for label in [
        "ascp-mlt",
        "hematology",
        "experience",
        "semester_hours",
        "months",
        "bachelor",
    ] {
        assert!(labels.contains(&label), "{label} is offered");
    }

    // A typo in an unsaved buffer: the same diagnostic as `lint`, located
    // at the same line and column, with its help and a quick fix.
    let broken = mls.replacen("see ascp-mlt", "see ascp-mtl", 1);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": mls_uri, "version": 2 }, "contentChanges": [{ "text": broken }] }),
    );
    let diagnostics = client.diagnostics_for(&mls_uri);
    let errors: Vec<&Value> = diagnostics.iter().filter(|d| d["severity"] == 1).collect();
    assert_eq!(errors.len(), 1, "{diagnostics:?}");
    let error = errors[0];
    std::fs::write(&mls_path, &broken).expect("write the broken file for lint");
    let lint: Value = serde_json::from_str(&eligo(
        &root,
        &["lint", "--format", "json", "rules/ascp/mls.elig"],
    ))
    .expect("lint JSON");
    std::fs::write(&mls_path, &mls).expect("restore the file");
    let linted = lint["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["severity"] == "error"))
        .cloned()
        .expect("lint reports the error");
    assert_eq!(error["code"], linted["code"]);
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(linted["message"].as_str().unwrap_or("?"))),
        "{error}"
    );
    assert_eq!(
        error["range"]["start"]["line"].as_u64().map(|l| l + 1),
        linted["start"]["line"].as_u64()
    );
    assert_eq!(
        error["range"]["start"]["character"].as_u64().map(|c| c + 1),
        linted["start"]["column"].as_u64()
    );
    let related = error["relatedInformation"].to_string();
    assert!(
        related.contains("help: did you mean `ascp-mlt`?"),
        "{related}"
    );
    let actions = client.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": mls_uri }, "range": error["range"], "context": { "diagnostics": [error] } }),
    );
    let fix = &actions["result"][0];
    assert_eq!(fix["title"], "Replace with `ascp-mlt`", "{actions}");
    let edit = &fix["edit"]["changes"][&mls_uri][0];
    assert_eq!(edit["newText"], "ascp-mlt");
    assert_eq!(edit["range"], error["range"]);

    // The fix typed in: the error is gone.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": mls_uri, "version": 3 }, "contentChanges": [{ "text": mls }] }),
    );
    let fixed = client.diagnostics_for(&mls_uri);
    assert!(fixed.iter().all(|d| d["severity"] != 1), "{fixed:?}");

    // A burst of keystrokes: whatever the server skips, the last
    // diagnostics it publishes before answering are those of the last text.
    client.drop_backlog();
    for version in 10..30 {
        let text = if version % 2 == 0 { &broken } else { &mls };
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": mls_uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }
    let after_burst = client.request(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": mls_uri } }),
    );
    assert_eq!(after_burst["result"][0]["name"], "ascp-mls");
    let last = client
        .backlog
        .iter()
        .rev()
        .find(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == mls_uri)
        .cloned()
        .expect("diagnostics were published during the burst");
    assert!(
        last["params"]["diagnostics"]
            .as_array()
            .is_some_and(|all| all.iter().all(|d| d["severity"] != 1)),
        "the last text has no error: {last}"
    );
    client.backlog.clear();

    // Formatting: the `fmt` engine on the unsaved buffer.
    let messy = mls.replacen("  any {", "      any {", 1);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": mls_uri, "version": 4 }, "contentChanges": [{ "text": messy }] }),
    );
    client.diagnostics_for(&mls_uri);
    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": mls_uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(
        formatting["result"][0]["newText"], mls,
        "formatted back to the canonical text"
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": mls_uri, "version": 5 }, "contentChanges": [{ "text": mls }] }),
    );
    client.diagnostics_for(&mls_uri);

    // Code lens and the command it runs: the file's rule tests.
    let lenses = client.request(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": mls_uri } }),
    );
    let first = &lenses["result"][0]["command"];
    assert_eq!(first["command"], "eligo.runTests");
    let tests = mls.matches("\ntest \"").count();
    assert_eq!(first["title"], format!("▶ Run the file's {tests} tests"));
    let run = client.request(
        "workspace/executeCommand",
        json!({ "command": "eligo.runTests", "arguments": first["arguments"] }),
    );
    assert_eq!(run["result"]["passed"], tests, "{run}");
    assert_eq!(run["result"]["failed"], 0, "{run}");
    let one = &lenses["result"][1]["command"];
    let single = client.request(
        "workspace/executeCommand",
        json!({ "command": "eligo.runTests", "arguments": one["arguments"] }),
    );
    assert_eq!(single["result"]["passed"], 1, "{single}");

    // Bad requests get errors, not a crash.
    let unknown = client.request("textDocument/unheardOf", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad = client.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(bad["error"]["code"], -32602);

    client.drop_backlog();
    let output = client.finish();
    assert!(output.status.success(), "{output:?}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn malformed_or_oversized_input_ends_the_server_with_exit_2() {
    let root = workspace("hostile");
    for input in [
        b"Content-Length: 99999999999999\r\n\r\n".to_vec(),
        b"this is not a header\r\n\r\n".to_vec(),
        [b"X: ".to_vec(), vec![b'a'; 1 << 20]].concat(),
        b"Content-Length: 4\r\n\r\n{x:1".to_vec(),
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
            .arg("lsp")
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("eligo lsp starts");
        let mut stdin = child.stdin.take().expect("stdin");
        let _ = stdin.write_all(&input);
        drop(stdin);
        let output = child.wait_with_output().expect("it ends");
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("eligo lsp:"), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn unsaved_and_odd_documents_are_checked_alone() {
    let root = workspace("odd");
    let mut client = Client::start(&root);
    let init = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    // This client skips the `initialized` notification: the server works on.

    // A new buffer never saved: checked on its own, from the text sent.
    let untitled = "untitled:Untitled-1";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": untitled, "languageId": "eligo", "version": 1,
                "text": "role a \"A\" {\n  degre >= bachelor\n}\n" } }),
    );
    let diagnostics = client.diagnostics_for(untitled);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(
        diagnostics[0]["range"]["start"],
        json!({ "line": 1, "character": 2 })
    );
    assert!(
        diagnostics[0]["relatedInformation"]
            .to_string()
            .contains("did you mean `degree`?")
    );

    // The file system's root named as a document is one text, not a
    // folder to search: the answer comes at once.
    let slash = "file:///";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": slash, "languageId": "eligo", "version": 1,
                "text": "role b \"B\" {\n  degree >= bachelor\n}\n" } }),
    );
    let answered = client.diagnostics_for(slash);
    let codes: Vec<&Value> = answered.iter().map(|d| &d["code"]).collect();
    assert_eq!(
        codes,
        [&json!("missing-source")],
        "checked as that text alone"
    );
    // Positions past the end are clamped, not a crash.
    let far = client.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": untitled }, "position": { "line": 4_000_000_000u64, "character": 4_000_000_000u64 } }),
    );
    assert!(far["error"].is_null(), "{far}");
    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": untitled }, "position": { "line": 0, "character": 99 } }),
    );
    assert!(
        completion["result"]
            .as_array()
            .is_some_and(|items| !items.is_empty())
    );
    client.drop_backlog();
    let output = client.finish();
    assert!(output.status.success(), "{output:?}");
    let _ = std::fs::remove_dir_all(&root);
}
