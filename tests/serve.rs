//! `eligo serve` over real HTTP on loopback: every endpoint, every error
//! status, the documents equal to the CLI's, the limits, the headers, and
//! the candidate page in headless Chromium (tests/web/candidate.mjs).
#![cfg(feature = "serve")]

mod common;

use common::eligo;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const AS_OF: &str = "2026-11-21";

/// A running `eligo serve` on a free loopback port, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("ELIGO_RULES")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("eligo serve starts");
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().expect("a first line").unwrap();
        let port = first
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        // Keep reading the log so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, port }
    }

    /// One request with `Connection: close`; the status, the headers
    /// (lower-case names) and the body (chunked encoding decoded).
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before reading all of a large body.
        let _ = stream.write_all(body);
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[], b"")
    }

    fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Response {
        self.request("POST", path, &[("Content-Type", content_type)], body)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut body = raw[split + 4..].to_vec();
        if headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v == "chunked")
        {
            body = dechunk(&body);
        }
        Response {
            status,
            headers,
            body: String::from_utf8(body).unwrap(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The error document's code, checking its shape.
    fn error_code(&self) -> String {
        let json = self.json();
        assert_eq!(json["error"]["status"], self.status, "{}", self.body);
        assert!(json["error"]["message"].is_string(), "{}", self.body);
        assert!(json["error"]["diagnostics"].is_array(), "{}", self.body);
        json["error"]["code"].as_str().unwrap().to_string()
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = body.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[end + 2..end + 2 + size]);
        body = &body[end + 2 + size + 2..];
    }
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn the_read_only_endpoints_answer_what_the_cli_prints() {
    let server = Server::start(&[]);
    let health = server.get("/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(
        health.json()["rules"]["fingerprint"],
        env!("ELIGO_SHIPPED_RULES_FINGERPRINT")
    );

    let roles = server.get("/v1/roles");
    assert_eq!(roles.status, 200);
    assert!(
        roles
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(roles.body, eligo(&["roles", "--format", "json"]).1);

    let explain = server.get(&format!("/v1/roles/ascp-mls?as_of={AS_OF}"));
    assert_eq!(explain.status, 200);
    assert_eq!(
        explain.body,
        eligo(&["explain", "ascp-mls", "--format", "json", "--as-of", AS_OF]).1
    );
    let text = server.get(&format!("/v1/roles/ascp-mls?as_of={AS_OF}&format=text"));
    assert!(
        text.header("content-type")
            .unwrap()
            .starts_with("text/plain")
    );
    assert_eq!(
        text.body,
        eligo(&["explain", "ascp-mls", "--as-of", AS_OF]).1
    );

    assert_eq!(
        server.get("/v1/vocabulary").body,
        eligo(&["vocabulary", "--format", "json"]).1
    );
    assert_eq!(server.get("/v1/schema").body, eligo(&["schema"]).1);

    // The OpenAPI document served is the one committed, and it names every
    // endpoint.
    let openapi = server.get("/openapi.json");
    assert_eq!(
        openapi.body,
        String::from_utf8(read("docs/openapi.json")).unwrap()
    );
    let paths = openapi.json()["paths"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect::<Vec<_>>();
    for path in [
        "/healthz",
        "/v1/check",
        "/v1/screen",
        "/v1/profile",
        "/v1/roles",
        "/v1/roles/{id}",
        "/v1/vocabulary",
        "/v1/schema",
    ] {
        assert!(paths.iter().any(|p| p == path), "{path} in openapi.json");
    }
}

#[test]
fn check_answers_the_document_of_eligo_check() {
    let server = Server::start(&[]);
    for (file, content_type) in [
        ("examples/profiles/experienced-mlt.json", "application/json"),
        (
            "examples/profiles/phlebotomist-moving-to-california.json",
            "application/json",
        ),
    ] {
        let answer = server.post(
            &format!("/v1/check?role=mls&role=ascp-mls,ca-cpt1&as_of={AS_OF}"),
            content_type,
            &read(file),
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        let cli = eligo(&[
            "check", file, "--role", "mls", "--role", "ascp-mls", "--role", "ca-cpt1", "--as-of",
            AS_OF, "--format", "json",
        ]);
        assert_eq!(answer.body, cli.1, "{file}");
    }
    // Every role, a state override, no projection: still the CLI's document.
    let answer = server.post(
        &format!("/v1/check?state=NY&project=false&as_of={AS_OF}"),
        "application/json",
        &read("examples/profiles/new-mlt-graduate.json"),
    );
    let cli = eligo(&[
        "check",
        "examples/profiles/new-mlt-graduate.json",
        "--state",
        "NY",
        "--no-project",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(answer.body, cli.1);

    // TOML, as `check` reads a `.toml` file.
    let toml = "id = \"t\"\nstate = \"TX\"\n[[education]]\ndegree = \"bachelor\"\nfield = \"biology\"\ncompleted = 2020-05-15\n";
    let answer = server.post(
        &format!("/v1/check?role=mls&as_of={AS_OF}"),
        "application/toml",
        toml.as_bytes(),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["profiles"][0]["profile"], "t");
    assert_eq!(
        answer.json()["profiles"][0]["roles"][0]["unmet"][0]["kind"],
        "certification"
    );
}

/// `application/x-www-form-urlencoded`, as a browser encodes a form.
fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    let encode = |text: &str| {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// The text inside the page's `<pre class="check">`, unescaped.
fn pre_text(page: &str) -> String {
    let start =
        page.find("<pre class=\"check\">").expect("a <pre>") + "<pre class=\"check\">".len();
    let end = start + page[start..].find("</pre>").expect("a </pre>");
    page[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn the_page_without_javascript_posts_a_form_and_gets_the_check_text() {
    let server = Server::start(&[]);
    let file = "examples/profiles/phlebotomist-moving-to-california.json";
    let text = String::from_utf8(read(file)).unwrap();
    let answer = server.post(
        "/check",
        "application/x-www-form-urlencoded",
        &form(&[("profile", &text), ("state", "CA"), ("as_of", AS_OF)]),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
    );
    let cli = eligo(&["check", file, "--state", "CA", "--as-of", AS_OF]);
    assert_eq!(
        pre_text(&answer.body),
        cli.1,
        "the page holds what `eligo check` prints"
    );
    assert!(answer.body.contains("CPT I"), "{}", answer.body);

    // TOML works too, and a name with markup is text on the page.
    let toml = "name = \"<script>alert(1)</script>\"\n[[education]]\ndegree = \"bachelor\"\nfield = \"biology\"\ncompleted = 2020-05-15\n";
    let answer = server.post(
        "/check",
        "application/x-www-form-urlencoded",
        &form(&[("profile", toml), ("as_of", AS_OF)]),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(!answer.body.contains("<script>"), "{}", answer.body);

    // Mistakes are pages with the CLI's located diagnostics.
    let typo = String::from_utf8(read("examples/profiles/with-a-typo.json")).unwrap();
    let bad = server.post(
        "/check",
        "application/x-www-form-urlencoded",
        &form(&[("profile", &typo)]),
    );
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("did you mean `accreditation`?"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("profile.json:7:34"),
        "located: {}",
        bad.body
    );
    for (body, status) in [
        (form(&[("state", "CA")]), 400),
        (form(&[("profile", "{}"), ("colour", "red")]), 400),
        (form(&[("profile", "{}"), ("as_of", "2026-02-30")]), 400),
        (form(&[("profile", "{}"), ("state", "ZZ")]), 400),
        // A stray `%` is kept as written, so this is a profile with a mistake.
        (b"profile=%ZZ%".to_vec(), 422),
    ] {
        let answer = server.post("/check", "application/x-www-form-urlencoded", &body);
        assert_eq!(answer.status, status, "{}", answer.body);
        assert!(answer.body.contains("Back to the form"));
    }
    let json = server.post("/check", "application/json", b"{}");
    assert_eq!(json.status, 415);
    let huge = form(&[("profile", &"x".repeat(3 * 2048 * 1024 + 10))]);
    assert_eq!(
        server
            .post("/check", "application/x-www-form-urlencoded", &huge)
            .status,
        413
    );
}

#[test]
fn bad_requests_get_located_errors_and_the_fitting_status() {
    let server = Server::start(&["--max-profile-kib", "4"]);
    let check = |query: &str, body: &[u8]| {
        server.post(&format!("/v1/check{query}"), "application/json", body)
    };

    // Not JSON at all: 400, located.
    let answer = check("", b"{\"id\": \"a\", ");
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error_code(), "malformed-profile");
    assert_eq!(answer.json()["error"]["diagnostics"][0]["start"]["line"], 1);
    // JSON, but not a profile: 422 with the CLI's diagnostic and did-you-mean.
    let answer = check("", b"{\n  \"id\": \"a\",\n  \"stat\": \"CA\"\n}");
    assert_eq!(answer.status, 422);
    assert_eq!(answer.error_code(), "invalid-profile");
    let diagnostic = &answer.json()["error"]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "unknown-field");
    assert_eq!(diagnostic["start"]["line"], 3);
    assert_eq!(diagnostic["help"], "did you mean `state`?");
    // A birth date after the evaluation date.
    let answer = check(
        &format!("?as_of={AS_OF}"),
        br#"{"birth_date": "2030-01-01"}"#,
    );
    assert_eq!(answer.status, 422);
    // Query parameters: unknown, misspelt role, bad date, bad state.
    let answer = check("?rol=mls", b"{}");
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "bad-request")
    );
    assert!(
        answer.body.contains("did you mean `role`?"),
        "{}",
        answer.body
    );
    let answer = check("?role=mlss", b"{}");
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "unknown-role")
    );
    assert!(
        answer.body.contains("did you mean `mls`?"),
        "{}",
        answer.body
    );
    assert_eq!(check("?as_of=2026-13-01", b"{}").status, 400);
    assert_eq!(check("?state=California", b"{}").status, 400);
    assert_eq!(check("?as_of=%zz", b"{}").status, 400);
    // Not UTF-8.
    let answer = check("", b"{\"id\": \"\xff\"}");
    assert_eq!(answer.status, 400);
    // Too large: 413 before anything is parsed.
    let big = format!("{{\"id\": \"{}\"}}", "x".repeat(8 << 10));
    let answer = check("", big.as_bytes());
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (413, "too-large")
    );
    // A media type that is no profile.
    let answer = server.post("/v1/check", "image/png", b"\x89PNG");
    assert_eq!(answer.status, 415);
    // Unknown endpoints and methods, an unknown role id.
    assert_eq!(server.get("/v2/check").status, 404);
    assert_eq!(server.get("/v1/check").status, 405);
    let answer = server.get("/v1/roles/ml");
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (404, "unknown-role")
    );
    assert!(answer.body.contains("did you mean `mls`?"));
    // `/v1/screen` needs its roles.
    let answer = server.post("/v1/screen", "application/x-ndjson", b"{}\n");
    assert_eq!(answer.status, 400);
    // The server is still serving after all of that.
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn screen_streams_the_rows_of_eligo_screen() {
    let server = Server::start(&[]);
    let dir = std::env::temp_dir().join(format!("eligo-serve-screen-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut lines = String::new();
    for file in [
        "examples/profiles/experienced-mlt.json",
        "examples/profiles/new-mlt-graduate.json",
        "examples/profiles/phlebotomist-moving-to-california.json",
    ] {
        let value: Value = serde_json::from_slice(&read(file)).unwrap();
        lines.push_str(&value.to_string());
        lines.push('\n');
    }
    lines.push_str("{\"id\": \"broken\", \"stat\": \"CA\"}\n");
    let path = dir.join("applicants.jsonl");
    std::fs::write(&path, &lines).unwrap();
    let answer = server.post(
        &format!("/v1/screen?role=mls,mlt&as_of={AS_OF}"),
        "application/x-ndjson",
        lines.as_bytes(),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer
            .header("content-type")
            .unwrap()
            .starts_with("application/x-ndjson")
    );
    let (_, cli, _) = eligo(&[
        "screen",
        path.to_str().unwrap(),
        "--role",
        "mls,mlt",
        "--as-of",
        AS_OF,
        "--format",
        "jsonl",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    // The same rows; only the file name differs (`request` for a body).
    let normalise = |text: &str| -> Vec<Value> {
        text.lines()
            .map(|line| {
                let mut row: Value = serde_json::from_str(line).unwrap();
                row["file"] = "".into();
                if row["profile"].as_str().is_some_and(|p| p.ends_with(":4")) {
                    row["profile"] = "line 4".into();
                }
                row
            })
            .collect()
    };
    let rows = normalise(&answer.body);
    assert_eq!(rows.len(), 8);
    assert_eq!(rows, normalise(&cli));
    assert_eq!(rows[6]["verdict"], "error");
    assert!(
        rows[6]["message"]
            .as_str()
            .unwrap()
            .contains("unknown field `stat`")
    );
}

#[test]
fn the_page_has_its_headers_and_no_outside_assets() {
    let server = Server::start(&[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    // No inline script (the policy forbids it) and nothing from elsewhere.
    assert!(!page.body.contains("<script>"));
    for asset in ["/app.js", "/app.css"] {
        let answer = server.get(asset);
        assert_eq!(answer.status, 200, "{asset}");
        assert!(!answer.body.contains("http://") && !answer.body.contains("@import"));
    }
    assert!(!page.body.contains("https://") && !page.body.contains("http://"));
}

#[test]
fn a_broken_rule_set_or_a_taken_port_refuses_to_start() {
    let dir = std::env::temp_dir().join(format!("eligo-serve-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("broken.elig"),
        "role x \"X\" {\n  degree >= bachelr\n}\n",
    )
    .unwrap();
    let (code, _, stderr) = eligo(&[
        "serve",
        "--rules",
        dir.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 2);
    assert!(stderr.contains("broken.elig:2"), "{stderr}");

    let server = Server::start(&[]);
    let taken = format!("127.0.0.1:{}", server.port);
    let (code, _, stderr) = eligo(&["serve", "--addr", &taken]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot serve on"), "{stderr}");
}

/// The candidate's story in headless Chromium, driven by playwright-core
/// (`npm ci --prefix tests/web`). Without Node.js, the browser or the
/// package the test says so and passes, unless `ELIGO_REQUIRE_BROWSER=1`.
#[test]
fn the_candidate_page_in_a_real_browser() {
    let required = std::env::var("ELIGO_REQUIRE_BROWSER").as_deref() == Ok("1");
    let root = env!("CARGO_MANIFEST_DIR");
    let chromium = std::env::var("ELIGO_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let package = std::path::Path::new(root).join("tests/web/node_modules/playwright-core");
    let missing = match (
        node_ok,
        std::path::Path::new(&chromium).exists(),
        package.exists(),
    ) {
        (false, _, _) => Some("Node.js"),
        (_, false, _) => Some("Chromium"),
        (_, _, false) => Some("playwright-core (run `npm ci --prefix tests/web`)"),
        _ => None,
    };
    if let Some(missing) = missing {
        assert!(
            !required,
            "ELIGO_REQUIRE_BROWSER=1 but {missing} is missing"
        );
        eprintln!("the_candidate_page_in_a_real_browser: {missing} is missing; not run");
        return;
    }
    let server = Server::start(&[]);
    let artifacts = std::path::Path::new(root).join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let output = Command::new("node")
        .arg("tests/web/candidate.mjs")
        .current_dir(root)
        .env("ELIGO_URL", format!("http://127.0.0.1:{}", server.port))
        .env("CHROMIUM", &chromium)
        .env("ELIGO_ROOT", root)
        .env("ARTIFACTS", &artifacts)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for shot in [
        "candidate-phlebotomist.png",
        "candidate-mlt.png",
        "candidate-phone.png",
    ] {
        let png = std::fs::read(artifacts.join(shot)).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{shot}");
    }
    // The downloaded form is a profile the CLI reads, the same Ana Ruiz.
    let (code, json, stderr) = eligo(&[
        "check",
        artifacts.join("downloaded-profile.json").to_str().unwrap(),
        "--role",
        "mls",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "Ana is not yet an MLS\n{stderr}");
    let original = eligo(&[
        "check",
        "examples/profiles/experienced-mlt.json",
        "--role",
        "mls",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    assert_eq!(json, original.1);
}
