//! Rule checking benchmarks (criterion): how parsing and checking scale with
//! the size of a rule set. See docs/performance.md ("Checking large rule
//! sets") for the figures.
//!
//! ```text
//! cargo bench --bench check                # everything
//! cargo bench --bench check -- routes      # one shape
//! ```
//!
//! Groups, each over generated rule files of growing size:
//! - `routes/N`: one role whose `any` has N routes of two conditions each
//!   (the shape that was quadratic: duplicate route names were found by a
//!   linear search per route);
//! - `roles/N`: N roles, each requiring the one before it, with a `let` list.
//!
//! - `shipped/keystroke`: the work `eligo lsp` does on every change of a
//!   buffer: the whole shipped rule set checked from memory as `lint` does
//!   (with the rule tests' profiles), then every file lexed for the
//!   editor's index (the checker's syntax trees are reused);
//!   `shipped/lint` is the check alone, `shipped/index` a parse and lex of
//!   every file (what the index cost before the trees were reused).
//!
//! Within a group, `parse` is `syntax::parse_recovering` alone (linear, the
//! baseline) and `check` is `loader::check_sources`, parse and check.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eligo::source::SourceFile;
use std::fmt::Write;
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 3] = [1_000, 10_000, 50_000];

fn many_routes(routes: usize) -> String {
    let mut text =
        String::from("role big \"Many routes\" {\n  source \"https://example.org/big\"\n  any {\n");
    for route in 0..routes {
        let _ = write!(
            text,
            "    route \"{route}\" {{\n      degree >= bachelor\n      experience >= {} months within 5 years\n    }}\n",
            route % 48 + 1
        );
    }
    text.push_str("  }\n}\n");
    text
}

fn many_roles(roles: usize) -> String {
    let mut text = String::from("let states = [CA, NY, FL]\n\n");
    for role in 0..roles {
        let _ = write!(
            text,
            "role r{role} \"Role {role}\" {{\n  source \"https://example.org/{role}\"\n  degree >= associate\n"
        );
        if role > 0 {
            let _ = writeln!(text, "  role r{}", role - 1);
        }
        text.push_str("  when state in states {\n    license state [CLS]\n  }\n}\n\n");
    }
    text
}

fn bench_shape(c: &mut Criterion, name: &str, generate: fn(usize) -> String) {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for size in SIZES {
        let file = SourceFile::new(format!("{name}.elig"), generate(size));
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::new("parse", size), &file, |b, file| {
            b.iter(|| black_box(eligo::syntax::parse_recovering(file)));
        });
        group.bench_with_input(BenchmarkId::new("check", size), &file, |b, file| {
            b.iter(|| {
                let loaded = eligo::loader::check_sources(vec![file.clone()]);
                assert!(!loaded.has_errors(), "the generated rules are valid");
                black_box(loaded)
            });
        });
    }
    group.finish();
}

fn routes(c: &mut Criterion) {
    bench_shape(c, "routes", many_routes);
}

fn roles(c: &mut Criterion) {
    bench_shape(c, "roles", many_roles);
}

fn shipped(c: &mut Criterion) {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let sources: Vec<SourceFile> = eligo::loader::find_rule_files(&folder)
        .expect("the shipped rules are found")
        .iter()
        .map(|path| eligo::loader::read_source(path).expect("a shipped rule file reads"))
        .collect();
    let mut group = c.benchmark_group("shipped");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("keystroke", |b| {
        b.iter(|| {
            let (loaded, parsed) = eligo::loader::check_workspace(sources.clone(), Some(&folder));
            assert!(!loaded.has_errors(), "the shipped rules check");
            for source in &sources {
                black_box(eligo::syntax::lexer::tokens(&source.text));
            }
            black_box((loaded, parsed))
        });
    });
    group.bench_function("lint", |b| {
        b.iter(|| {
            black_box(eligo::loader::check_workspace(
                sources.clone(),
                Some(&folder),
            ))
        });
    });
    group.bench_function("index", |b| {
        b.iter(|| {
            for source in &sources {
                black_box(eligo::syntax::parse_recovering(source));
                black_box(eligo::syntax::lexer::tokens(&source.text));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, routes, roles, shipped);
criterion_main!(benches);
