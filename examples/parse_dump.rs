//! Prints the AST and diagnostics of a rule file (a debugging aid for rule authors).
//! `cargo run --example parse_dump -- rules/ascp/mls.elig`
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: parse_dump FILE.elig");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::exit(2);
        }
    };
    let file = eligo::source::SourceFile::new(path, text);
    let (ast, diagnostics) = eligo::syntax::parse_recovering(&file);
    println!("{ast:#?}");
    eprint!("{}", eligo::diagnostic::render_human(&diagnostics, false));
}
