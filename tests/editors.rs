//! The editor files under editors/: the TextMate grammar scopes every token
//! of every shipped rule file (checked with VS Code's own tokenizer from
//! npm), knows every keyword of the language, the VS Code extension wires
//! it, and Neovim, configured with editors/nvim, receives `eligo lsp`'s
//! diagnostics for a rule file with a mistake.
//!
//! The npm packages (editors/test) and Neovim are installed by `.ci/run`;
//! elsewhere a missing one skips its test with a note, unless
//! `ELIGO_REQUIRE_EDITORS=1` makes it a failure.

mod common;

use common::copy_dir;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var_os("ELIGO_REQUIRE_EDITORS").is_some_and(|v| v == "1")
}

fn skip(what: &str) {
    assert!(!required(), "{what} is missing and ELIGO_REQUIRE_EDITORS=1");
    eprintln!("skipped: {what} is missing");
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("the file exists");
    serde_json::from_str(&text).expect("the file is JSON")
}

#[test]
fn the_grammar_names_every_keyword_and_the_extension_ships_it() {
    let grammar_path = repo().join("editors/eligo.tmLanguage.json");
    let grammar = read_json(&grammar_path);
    assert_eq!(grammar["scopeName"], "source.eligo");
    let patterns = grammar["repository"].to_string();
    for keyword in eligo::syntax::keywords::KEYWORDS {
        let text = keyword.text;
        assert!(
            patterns.contains(&format!("|{text}|"))
                || patterns.contains(&format!("(?:{text}|"))
                || patterns.contains(&format!("|{text})"))
                || patterns.contains(&format!("^({text})")),
            "the grammar does not know the keyword `{text}`"
        );
    }
    let copy = repo().join("editors/vscode/syntaxes/eligo.tmLanguage.json");
    assert_eq!(
        std::fs::read_to_string(&copy).ok(),
        std::fs::read_to_string(&grammar_path).ok(),
        "editors/vscode/syntaxes/ holds a copy of editors/eligo.tmLanguage.json: copy it again"
    );
    let manifest = read_json(&repo().join("editors/vscode/package.json"));
    let grammar_entry = &manifest["contributes"]["grammars"][0];
    assert_eq!(grammar_entry["scopeName"], "source.eligo");
    let wired = repo()
        .join("editors/vscode")
        .join(grammar_entry["path"].as_str().unwrap_or(""));
    assert!(wired.is_file(), "{wired:?}");
    assert_eq!(
        manifest["contributes"]["languages"][0]["extensions"][0],
        ".elig"
    );
    let main = repo()
        .join("editors/vscode")
        .join(manifest["main"].as_str().unwrap_or(""));
    let extension = std::fs::read_to_string(main).expect("the extension's main file");
    assert!(
        extension.contains("args: [\"lsp\"]"),
        "it starts `eligo lsp`"
    );
}

#[test]
fn the_grammar_scopes_every_token_of_the_shipped_rules() {
    let script = repo().join("editors/test/check-grammar.mjs");
    if !repo()
        .join("editors/test/node_modules/vscode-textmate")
        .is_dir()
    {
        return skip("editors/test/node_modules (run `npm ci --prefix editors/test`)");
    }
    let Ok(output) = Command::new("node")
        .arg(&script)
        .arg(repo().join("rules"))
        .output()
    else {
        return skip("node");
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(" 0 unscoped"), "{stdout}");
    let files = stdout
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    let shipped = eligo::loader::find_rule_files(&repo().join("rules"))
        .map(|f| f.len())
        .unwrap_or(0);
    assert_eq!(files, shipped, "every shipped file was tokenized: {stdout}");

    // And a stray character outside any string is flagged, not passed.
    let folder = temp_folder("grammar");
    std::fs::write(
        folder.join("bad.elig"),
        "role a \"A\" {\n  degree >= bachelor %\n}\n",
    )
    .expect("write");
    let bad = Command::new("node")
        .arg(&script)
        .arg(&folder)
        .output()
        .expect("node runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stdout).contains("bad.elig:2:22: \"%\""));
    let _ = std::fs::remove_dir_all(&folder);
}

fn temp_folder(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("eligo-editors-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("create a temporary folder");
    folder
}

const NVIM_SCRIPT: &str = r#"
local out = vim.env.ELIGO_NVIM_OUT
vim.cmd("edit " .. vim.fn.fnameescape(vim.env.ELIGO_NVIM_FILE))
local errors = { severity = vim.diagnostic.severity.ERROR }
local ok = vim.wait(60000, function() return #vim.diagnostic.get(0, errors) > 0 end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get(0, errors)) do
  table.insert(found, { lnum = d.lnum, col = d.col, message = d.message, source = d.source })
end
local hover = vim.lsp.buf_request_sync(0, "textDocument/hover", {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  position = { line = tonumber(vim.env.ELIGO_NVIM_HOVER_LINE), character = tonumber(vim.env.ELIGO_NVIM_HOVER_CHAR) },
}, 20000)
local shown = ""
for _, answer in pairs(hover or {}) do
  if answer.result and answer.result.contents then shown = answer.result.contents.value end
end
local completion = vim.lsp.buf_request_sync(0, "textDocument/completion", {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  position = { line = 0, character = 0 },
}, 20000)
local labels = {}
for _, answer in pairs(completion or {}) do
  local items = answer.result and (answer.result.items or answer.result) or {}
  for _, item in ipairs(items) do table.insert(labels, item.label) end
end
local file = io.open(out, "w")
file:write(vim.fn.json_encode({ ok = ok, filetype = vim.bo.filetype, diagnostics = found, hover = shown,
  omnifunc = vim.bo.omnifunc, completion = labels }))
file:close()
vim.cmd("qa!")
"#;

#[test]
fn neovim_configured_from_editors_receives_the_diagnostics() {
    if Command::new("nvim").arg("--version").output().is_err() {
        return skip("nvim (Debian package `neovim`)");
    }
    let folder = temp_folder("nvim");
    copy_dir(&repo().join("rules"), &folder.join("rules"));
    let file = folder.join("rules/ascp/mls.elig");
    let text = std::fs::read_to_string(&file).expect("mls.elig");
    std::fs::write(&file, text.replacen("see ascp-mlt", "see ascp-mtl", 1)).expect("write");
    let lint = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(["lint", "--format", "json"])
        .arg(&file)
        .output()
        .expect("eligo lint runs");
    let lint: Value = serde_json::from_slice(&lint.stdout).expect("lint JSON");
    let expected = lint["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["severity"] == "error"))
        .cloned()
        .expect("lint finds the mistake");
    // The hover goes to the first "clinical laboratory" (a setting term).
    let at = text
        .find("\"clinical laboratory\"")
        .expect("the term is used")
        + 3;
    let hover_line = text[..at].matches('\n').count();
    let hover_char = at - text[..at].rfind('\n').map_or(0, |n| n + 1);

    let script = folder.join("session.lua");
    std::fs::write(&script, NVIM_SCRIPT).expect("write the script");
    let out = folder.join("session.json");
    let output = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE"])
        .arg("--cmd")
        .arg(format!(
            "set runtimepath^={}",
            repo().join("editors/nvim").display()
        ))
        .arg("--cmd")
        .arg(format!(
            "let g:eligo_path = '{}'",
            env!("CARGO_BIN_EXE_eligo")
        ))
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .current_dir(&folder)
        .env("ELIGO_NVIM_OUT", &out)
        .env("ELIGO_NVIM_FILE", &file)
        .env("ELIGO_NVIM_HOVER_LINE", hover_line.to_string())
        .env("ELIGO_NVIM_HOVER_CHAR", hover_char.to_string())
        .output()
        .expect("nvim runs");
    let session = std::fs::read_to_string(&out).unwrap_or_else(|_| {
        panic!(
            "Neovim wrote no result: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let session: Value = serde_json::from_str(&session).expect("the session's JSON");
    assert_eq!(session["filetype"], "eligo", "{session}");
    assert_eq!(session["ok"], true, "diagnostics arrived: {session}");
    let got = &session["diagnostics"][0];
    assert_eq!(got["source"], "eligo");
    assert!(
        got["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(expected["message"].as_str().unwrap_or("?"))),
        "{session}"
    );
    assert_eq!(
        got["lnum"].as_u64().map(|l| l + 1),
        expected["start"]["line"].as_u64()
    );
    assert_eq!(
        got["col"].as_u64().map(|c| c + 1),
        expected["start"]["column"].as_u64()
    );
    let hover = session["hover"].as_str().unwrap_or("");
    assert!(hover.contains("`setting` vocabulary"), "{session}");
    assert_eq!(session["omnifunc"], "v:lua.vim.lsp.omnifunc");
    let labels: Vec<&str> = session["completion"]
        .as_array()
        .map(|all| all.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for label in ["ascp-mlt", "experience", "hematology"] {
        assert!(
            labels.contains(&label),
            "completion offers {label}: {labels:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&folder);
}
