//! Screening benchmarks (criterion). See docs/performance.md for the figures
//! and how to read them.
//!
//! ```text
//! cargo bench --bench screen                      # everything
//! cargo bench --bench screen -- evaluate          # one group
//! ELIGO_BENCH_RULES=rules cargo bench --bench screen   # another rule set
//! ```
//!
//! Groups:
//! - `evaluate`: evaluations of already-parsed profiles, verdict only and
//!   with full explanations, one role and every role; plus `screener`, what
//!   `eligo screen` does per row (verdict first, explanation when not
//!   eligible).
//! - `parse`: one JSON Lines record into a `Profile`: serde_json alone (the
//!   baseline), `eligo::screen::parse_line` (what screening uses: serde_json
//!   plus the profile checks, the full diagnostic parser only on failure),
//!   and `eligo::profile::parse_profile_line` (the full parser).
//! - `limit`: the shipped `mls` job written by hand in plain Rust, verdict
//!   only (`benches/support/hand_written.rs`; `tests/hand_written_agrees.rs`
//!   checks it agrees with the engine), against the engine's verdict-only and
//!   explained evaluations of the same role on the same parsed profiles.
//!   Always the shipped rules, whatever `ELIGO_BENCH_RULES` says.
//! - `end_to_end`: a JSON Lines file to CSV through `eligo::screen::run` on 1
//!   and 2 threads, against reading the same file and parsing each line with
//!   serde_json on one thread (the parse-only baseline).
//! - `project`: issue 11's two speed figures on the shipped rules: one
//!   profile against every shipped role, with and without projection (the
//!   four example profiles, each on its own), and `screen`'s CSV for the
//!   generated file with `--project` against without, on 2 threads.
//!
//! Profiles come from the generator in `examples/gen.rs` (seed 2026); the
//! rule set is `tests/fixtures/screen/rules` unless `ELIGO_BENCH_RULES`
//! names another, and the role screened alone is `mls` (or
//! `ELIGO_BENCH_ROLE`).

#[allow(dead_code, clippy::all)]
#[path = "../examples/gen.rs"]
mod synthetic;

#[path = "support/hand_written.rs"]
mod hand_written;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use eligo::date::Date;
use eligo::eval::{Context, evaluate_role};
use eligo::profile::Profile;
use eligo::ruleset::{RoleId, RuleSet};
use eligo::screen::{Filter, Format, RunOptions, Screener, Source, expand_inputs, run};
use std::hint::black_box;
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Duration;

const SEED: u64 = 2026;
const PROFILES: usize = 2_000;
const FILE_PROFILES: u64 = 20_000;

fn as_of() -> Date {
    Date::parse(synthetic::REFERENCE_DATE).unwrap()
}

fn rules() -> RuleSet {
    let path = std::env::var_os("ELIGO_BENCH_RULES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/screen/rules"),
        PathBuf::from,
    );
    let loaded = eligo::loader::load_rules(&path).expect("the rule set loads");
    assert!(!loaded.has_errors(), "the rule set has errors");
    loaded.rules.expect("a rule set")
}

fn one_role(rules: &RuleSet) -> RoleId {
    let id = std::env::var("ELIGO_BENCH_ROLE").unwrap_or_else(|_| "mls".to_string());
    rules.role_id(&id).expect("the benchmark role exists")
}

fn lines(count: usize) -> Vec<String> {
    (0..count as u64)
        .map(|index| synthetic::profile_line(SEED, index))
        .collect()
}

fn profiles(count: usize) -> Vec<Profile> {
    lines(count)
        .iter()
        .map(|line| serde_json::from_str(line).expect("a generated profile"))
        .collect()
}

fn evaluate(c: &mut Criterion) {
    let rules = rules();
    let profiles = profiles(PROFILES);
    let one = [one_role(&rules)];
    let all: Vec<RoleId> = rules.role_ids().collect();
    let verdict_only = Context::new(as_of()).verdict_only();
    let explaining = Context::new(as_of());
    // What `check --role` and `screen` rows need: the closest route only.
    let closest = Context::new(as_of()).without_routes();
    let mut group = c.benchmark_group("evaluate");
    for (roles_name, roles) in [("one_role", &one[..]), ("all_roles", &all[..])] {
        group.throughput(Throughput::Elements((profiles.len() * roles.len()) as u64));
        for (mode, ctx) in [
            ("verdict_only", &verdict_only),
            ("explained", &explaining),
            ("explained_closest", &closest),
        ] {
            group.bench_function(format!("{mode}/{roles_name}"), |b| {
                b.iter(|| {
                    for profile in &profiles {
                        for &role in roles {
                            black_box(evaluate_role(&rules, role, black_box(profile), ctx));
                        }
                    }
                })
            });
        }
        // As `screen` without `--summary`: rows show the closest route only.
        let screener = Screener::new(&rules, roles.to_vec(), as_of(), None).listing_routes(false);
        group.bench_function(format!("screener/{roles_name}"), |b| {
            b.iter(|| {
                for profile in &profiles {
                    for &role in roles {
                        black_box(screener.evaluate(role, black_box(profile), |_| true));
                    }
                }
            })
        });
    }
    group.finish();
}

fn limit(c: &mut Criterion) {
    let loaded =
        eligo::loader::load_rules(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules"))
            .expect("the shipped rules load");
    let rules = loaded.rules.expect("a rule set");
    let mls = rules.role_id("mls").expect("the shipped mls job");
    let profiles = profiles(PROFILES);
    let as_of = as_of();
    let verdict_only = Context::new(as_of).verdict_only();
    let explaining = Context::new(as_of);
    let mut group = c.benchmark_group("limit");
    group.throughput(Throughput::Elements(profiles.len() as u64));
    group.bench_function("hand_written/mls", |b| {
        b.iter(|| {
            for profile in &profiles {
                black_box(hand_written::mls_verdict(black_box(profile), as_of, None));
            }
        })
    });
    for (mode, ctx) in [("verdict_only", &verdict_only), ("explained", &explaining)] {
        group.bench_function(format!("engine_{mode}/mls"), |b| {
            b.iter(|| {
                for profile in &profiles {
                    black_box(evaluate_role(&rules, mls, black_box(profile), ctx).verdict);
                }
            })
        });
    }
    group.finish();
}

fn parse(c: &mut Criterion) {
    let lines = lines(PROFILES);
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("serde_json_only", |b| {
        b.iter(|| {
            for line in &lines {
                black_box(serde_json::from_str::<Profile>(black_box(line)).ok());
            }
        })
    });
    group.bench_function("screen_parse_line", |b| {
        b.iter(|| {
            for (index, line) in lines.iter().enumerate() {
                black_box(eligo::screen::parse_line("a.jsonl", index + 1, black_box(line)).ok());
            }
        })
    });
    group.bench_function("validate_profile", |b| {
        let parsed: Vec<Profile> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        b.iter(|| {
            for profile in &parsed {
                black_box(eligo::profile::validate_profile(black_box(profile)));
            }
        })
    });
    group.bench_function("full_parse_profile_line", |b| {
        b.iter(|| {
            for (index, line) in lines.iter().enumerate() {
                black_box(
                    eligo::profile::parse_profile_line("a.jsonl", index + 1, black_box(line)).ok(),
                );
            }
        })
    });
    group.finish();
    eprintln!(
        "parse: {} records, {:.0} bytes per record on average",
        lines.len(),
        bytes as f64 / lines.len() as f64
    );
}

/// The generated file the end-to-end group reads.
fn jsonl_file() -> PathBuf {
    let path = std::env::temp_dir().join(format!("eligo-bench-{FILE_PROFILES}.jsonl"));
    if !path.exists() {
        let mut text = String::new();
        for index in 0..FILE_PROFILES {
            text.push_str(&synthetic::profile_line(SEED, index));
            text.push('\n');
        }
        std::fs::write(&path, text).expect("write the benchmark file");
    }
    path
}

fn end_to_end(c: &mut Criterion) {
    let rules = rules();
    let path = jsonl_file();
    let sources: Vec<Source> = expand_inputs(std::slice::from_ref(&path)).unwrap().sources;
    let bytes = std::fs::metadata(&path).unwrap().len();
    let mut group = c.benchmark_group("end_to_end");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(FILE_PROFILES));
    group.bench_function("serde_json_parse_only_1_thread", |b| {
        b.iter(|| {
            let file =
                std::io::BufReader::with_capacity(256 * 1024, std::fs::File::open(&path).unwrap());
            let mut count = 0;
            for line in file.lines() {
                let line = line.unwrap();
                if serde_json::from_str::<Profile>(&line).is_ok() {
                    count += 1;
                }
            }
            assert_eq!(count, FILE_PROFILES);
        })
    });
    for jobs in [1, 2] {
        for (roles_name, roles) in [
            ("one_role", vec![one_role(&rules)]),
            ("all_roles", rules.role_ids().collect::<Vec<_>>()),
        ] {
            let screener = Screener::new(&rules, roles, as_of(), None).listing_routes(false);
            let options = RunOptions {
                format: Format::Csv,
                filter: Filter::all(),
                summary: false,
                jobs,
                batch_records: RunOptions::DEFAULT_BATCH_RECORDS,
            };
            group.bench_function(format!("csv/{roles_name}/jobs_{jobs}"), |b| {
                b.iter_batched(
                    || (),
                    |()| {
                        let mut written = 0usize;
                        run(&screener, &sources, &options, |output| {
                            written += black_box(output.text.len());
                            true
                        })
                        .expect("threads start");
                        written
                    },
                    BatchSize::PerIteration,
                )
            });
        }
    }
    group.finish();
    eprintln!("end_to_end: {FILE_PROFILES} profiles, {bytes} bytes");
}

fn project(c: &mut Criterion) {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let loaded = eligo::loader::load_rules(&folder.join("rules")).expect("the shipped rules load");
    let rules = loaded.rules.expect("a rule set");
    let roles: Vec<RoleId> = rules.role_ids().collect();
    let as_of = as_of();
    let until = as_of.add_days(3 * 365);
    let ctx = Context::new(as_of);
    let mut group = c.benchmark_group("project");
    group.sample_size(20);
    for name in [
        "experienced-mlt",
        "new-mlt-graduate",
        "part-time-microbiologist",
        "phlebotomist-moving-to-california",
    ] {
        let path = folder.join(format!("examples/profiles/{name}.json"));
        let profile = eligo::load_profile(&path).expect("an example profile");
        for (label, projecting) in [("check", None), ("check_projected", Some(until))] {
            group.bench_function(format!("{label}/{name}"), |b| {
                b.iter(|| {
                    black_box(eligo::eval::check_profile(
                        &rules, &roles, name, &profile, &ctx, projecting, false,
                    ))
                })
            });
        }
    }
    let path = jsonl_file();
    let sources: Vec<Source> = expand_inputs(std::slice::from_ref(&path)).unwrap().sources;
    let mls = rules.role_id("mls").expect("the shipped mls job");
    let options = RunOptions {
        format: Format::Csv,
        filter: Filter::all(),
        summary: false,
        jobs: 2,
        batch_records: RunOptions::DEFAULT_BATCH_RECORDS,
    };
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(FILE_PROFILES));
    for (label, projecting) in [("screen", None), ("screen_projected", Some(until))] {
        let screener = Screener::new(&rules, vec![mls], as_of, None)
            .listing_routes(false)
            .projecting(projecting);
        group.bench_function(format!("{label}/mls/jobs_2"), |b| {
            b.iter(|| {
                let mut written = 0usize;
                run(&screener, &sources, &options, |output| {
                    written += black_box(output.text.len());
                    true
                })
                .expect("threads start");
                written
            })
        });
    }
    group.finish();
}

criterion_group!(benches, evaluate, limit, parse, end_to_end, project);
criterion_main!(benches);
