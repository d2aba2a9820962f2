//! The README's sample sessions are real: each block that starts with
//! `$ eligo …` is run, and its lines must appear in the output in order
//! (a line `…` stands for lines left out).

mod common;

use common::eligo;

/// `(command, expected lines)` for every sample session in `text`.
fn sessions(text: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("```") {
            continue;
        }
        let mut block: Vec<&str> = Vec::new();
        for inner in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
            block.push(inner);
        }
        if let Some(command) = block.first().and_then(|l| l.strip_prefix("$ eligo ")) {
            found.push((
                command.to_string(),
                block[1..].iter().map(|l| l.to_string()).collect(),
            ));
        }
    }
    found
}

#[test]
fn the_readme_sessions_are_what_eligo_prints() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let sessions = sessions(&readme);
    assert!(sessions.len() >= 3, "found {} sessions", sessions.len());
    for (command, expected) in sessions {
        let args: Vec<&str> = command.split_whitespace().collect();
        let (code, stdout, stderr) = eligo(&args);
        assert!(
            code == 0 || code == 1,
            "`eligo {command}`: exit {code}\n{stderr}"
        );
        let mut actual = stdout.lines();
        for line in expected.iter().filter(|l| l.as_str() != "…") {
            assert!(
                actual.any(|out| out == line),
                "`eligo {command}` no longer prints, in this order:\n{line}\n--- it prints:\n{stdout}"
            );
        }
    }
}
