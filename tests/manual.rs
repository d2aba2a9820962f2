//! Shell completions and manual pages come from the same clap definitions
//! as the parser; the pages committed under docs/man/ are never stale.

use std::process::{Command, Output};

fn eligo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(args)
        .output()
        .expect("eligo runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

fn verbs() -> Vec<String> {
    let help = stdout(&eligo(&["--help"]));
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|verb| *verb != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn completion_scripts_name_every_verb_and_parse() {
    let verbs = verbs();
    assert!(verbs.len() > 10, "{verbs:?}");
    for (shell, marker) in [
        ("bash", "complete -F _eligo"),
        ("zsh", "#compdef eligo"),
        ("fish", "complete -c eligo"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = eligo(&["completions", shell]);
        assert!(output.status.success(), "{shell}: {output:?}");
        let script = stdout(&output);
        assert!(script.contains(marker), "{shell} script lacks {marker:?}");
        for verb in &verbs {
            assert!(
                script.contains(verb.as_str()),
                "{shell} script lacks `{verb}`"
            );
        }
    }
    // The bash script is valid bash.
    let bash = stdout(&eligo(&["completions", "bash"]));
    let path = std::env::temp_dir().join(format!("eligo-completion-{}.bash", std::process::id()));
    std::fs::write(&path, bash).expect("write the script");
    if let Ok(checked) = Command::new("bash").arg("-n").arg(&path).output() {
        assert!(checked.status.success(), "{checked:?}");
    }
    let _ = std::fs::remove_file(&path);
    let unknown = eligo(&["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn manual_pages_cover_every_verb_and_refuse_unknown_ones() {
    let page = stdout(&eligo(&["man"]));
    assert!(page.contains(".TH eligo 1"), "{page}");
    assert!(
        page.contains("Exit codes: 0 yes"),
        "the exit codes are in the page"
    );
    for verb in verbs() {
        assert!(page.contains(&verb), "eligo(1) names `{verb}`");
        let own = stdout(&eligo(&["man", &verb]));
        assert!(
            own.contains(&format!(".TH eligo\\-{verb} 1"))
                || own.contains(&format!(".TH eligo-{verb} 1")),
            "{own}"
        );
    }
    let unknown = eligo(&["man", "chek"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("did you mean `check`?"));
}

/// docs/man/ holds `eligo man` and `eligo man VERB` for every verb; rewrite
/// them with `for v in '' check …; do eligo man $v; done` (see docs/man/README.md).
#[cfg(all(feature = "serve", feature = "lsp"))]
#[test]
fn committed_manual_pages_are_current() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/man");
    let mut expected = vec![("eligo.1".to_string(), stdout(&eligo(&["man"])))];
    for verb in verbs() {
        expected.push((format!("eligo-{verb}.1"), stdout(&eligo(&["man", &verb]))));
    }
    for (name, page) in &expected {
        let committed = std::fs::read_to_string(folder.join(name)).unwrap_or_default();
        assert!(
            committed == *page,
            "docs/man/{name} is stale: regenerate it with `eligo man` (docs/man/README.md)"
        );
    }
    let pages = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "1"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(pages, expected.len(), "no page for a verb that is gone");
}
