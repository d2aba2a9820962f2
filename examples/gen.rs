//! A deterministic generator of realistic synthetic applicant profiles, one
//! JSON object per line, for trying and benchmarking `eligo screen`:
//!
//! ```text
//! cargo run --release --example gen -- 1000000 > applicants.jsonl
//! cargo run --release --example gen -- 500 --seed 7 > small.jsonl
//! cargo run --release --example gen -- 500 --folder applicants/   # one .json file each
//! ```
//!
//! Record `i` depends only on the seed and `i`, so 10,000 records are the
//! first 10,000 of a million. Dates are laid out around 2026-01-15 (screen
//! with `--as-of 2026-01-15`). The applicants are a mix of people who apply
//! for laboratory jobs: phlebotomy trainees, MLT graduates, MLS graduates,
//! science graduates with laboratory experience, students and career
//! changers, with expired credentials, part-time jobs, quarter-hour
//! transcripts and missing states mixed in.
//!
//! Tests and benchmarks include this file as a module (`profile_line`).

#![allow(dead_code)]

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;
use std::io::Write;

/// JSON with keys kept in the order written (as people write profiles).
pub enum J {
    V(Value),
    O(Vec<(&'static str, J)>),
    A(Vec<J>),
}

impl Serialize for J {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            J::V(value) => value.serialize(serializer),
            J::O(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (key, value) in fields {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
            J::A(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
        }
    }
}

fn v(value: impl Into<Value>) -> J {
    J::V(value.into())
}

/// The date the synthetic careers are laid out around.
pub const REFERENCE_DATE: &str = "2026-01-15";

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, index: u64) -> Rng {
        let mut rng = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A weighted choice.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(u64::from(total)) as u32;
        for (item, weight) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        &items[items.len() - 1].0
    }
}

const FIRST: [&str; 24] = [
    "Ana", "Ben", "Chen", "Dana", "Elif", "Femi", "Grace", "Hiro", "Ines", "Jamal", "Kira", "Luis",
    "Maya", "Nikhil", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vic", "Wen",
    "Yusuf",
];
const LAST: [&str; 24] = [
    "Ruiz", "Okafor", "Nguyen", "Smith", "Kowalski", "Haddad", "Park", "Silva", "Johnson", "Ito",
    "Mensah", "Garcia", "Patel", "Cohen", "Novak", "Brown", "Ali", "Rossi", "Kim", "Lopez",
    "Dubois", "Singh", "Murphy", "Tanaka",
];
const STATES: [(&str, u32); 12] = [
    ("CA", 22),
    ("NY", 14),
    ("TX", 12),
    ("FL", 10),
    ("WA", 6),
    ("IL", 6),
    ("PA", 6),
    ("OH", 5),
    ("GA", 5),
    ("NV", 3),
    ("PR", 2),
    ("", 9), // no state given
];
const AREAS: [&str; 8] = [
    "hematology",
    "chemistry",
    "clinical chemistry",
    "microbiology",
    "blood banking",
    "immunohematology",
    "urinalysis",
    "phlebotomy",
];

/// Days since 1970-01-01 → `YYYY-MM-DD` (proleptic Gregorian).
pub fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// 2026-01-15 in days since 1970-01-01.
const REFERENCE_DAYS: i64 = 20_468;

/// One applicant: a JSON object without line break.
pub fn profile_line(seed: u64, index: u64) -> String {
    serde_json::to_string(&profile(seed, index)).unwrap_or_default()
}

/// A day `years` (fractional) before the reference date, jittered by a month.
fn years_ago(rng: &mut Rng, years: f64) -> i64 {
    REFERENCE_DAYS - (years.max(0.0) * 365.25) as i64 - rng.below(30) as i64
}

/// `low..=high`.
fn between(rng: &mut Rng, low: u64, high: u64) -> u64 {
    low + rng.below(high.saturating_sub(low) + 1)
}

/// A fraction of a year in `low..high` years.
fn years_between(rng: &mut Rng, low: f64, high: f64) -> f64 {
    low + (high - low).max(0.0) * (rng.below(1000) as f64 / 1000.0)
}

/// One applicant. Careers are consistent with the applicant's age: school
/// at 18, degrees after that, jobs after the degree they need.
pub fn profile(seed: u64, index: u64) -> J {
    let rng = &mut Rng::new(seed, index);
    let age = between(rng, 19, 62) as f64;
    let adult = age - 18.0; // years since high school
    let mut p: Vec<(&'static str, J)> = vec![
        ("id", v(format!("applicant-{:07}", index + 1))),
        (
            "name",
            v(format!("{} {}", rng.pick(&FIRST), rng.pick(&LAST))),
        ),
    ];
    if rng.chance(0.9) {
        p.push(("birth_date", v(date(years_ago(rng, age)))));
    }
    let state = *rng.weighted(&STATES);
    if !state.is_empty() {
        p.push(("state", v(state)));
    }
    let mut education = vec![J::O(vec![
        ("degree", v("high_school")),
        ("completed", v(date(years_ago(rng, adult)))),
        ("country", v("US")),
    ])];
    let mut coursework = Vec::new();
    let mut certifications = Vec::new();
    let mut licenses = Vec::new();
    let mut experience = Vec::new();
    let mut training = Vec::new();
    let mut continuing = Vec::new();

    let archetype = *rng.weighted(&[
        ("phlebotomy", 20),
        ("mlt", 28),
        ("mls", 20),
        ("science", 20),
        ("student", 7),
        ("changer", 5),
    ]);
    match archetype {
        "phlebotomy" => {
            if rng.chance(0.85) {
                // Most programmes meet the usual minimums; some are short.
                let scale = if rng.chance(0.8) { 1.0 } else { 0.6 };
                let scaled = |n: u64| (n as f64 * scale) as u64;
                let completed = years_between(rng, 0.2, adult.min(6.0));
                training.push(J::O(vec![
                    ("program", v("phlebotomy")),
                    (
                        "accreditation",
                        v(if rng.chance(0.7) { "NAACLS" } else { "NHA" }),
                    ),
                    ("completed", v(date(years_ago(rng, completed)))),
                    ("duration_weeks", v(between(rng, 8, 16))),
                    ("didactic_hours", v(scaled(between(rng, 40, 80)))),
                    ("clinical_hours", v(scaled(between(rng, 40, 160)))),
                    ("venipunctures", v(scaled(between(rng, 50, 150)))),
                    ("skin_punctures", v(scaled(between(rng, 10, 30)))),
                ]));
                if rng.chance(0.5) {
                    experience.push(job(
                        rng,
                        "phlebotomist",
                        "phlebotomy",
                        "clinical laboratory",
                        state,
                        completed,
                    ));
                }
            }
        }
        "mlt" => {
            let completed = years_between(rng, 0.2, (adult - 2.0).clamp(0.3, 14.0));
            education.push(J::O(vec![
                ("degree", v("associate")),
                ("field", v("medical laboratory technology")),
                ("completed", v(date(years_ago(rng, completed)))),
                (
                    "accreditation",
                    v(if rng.chance(0.85) { "NAACLS" } else { "ABHES" }),
                ),
                ("country", v("US")),
            ]));
            coursework.push(credit(rng, "chemistry", 8, 16));
            coursework.push(credit(rng, "biology", 8, 16));
            if rng.chance(0.75) {
                certifications.push(cert(rng, "ASCP", "MLT", completed - 0.2));
            }
            for _ in 0..rng.below(3) {
                experience.push(lab_job(
                    rng,
                    "medical laboratory technician",
                    state,
                    completed,
                ));
            }
            if state == "CA" && rng.chance(0.6) {
                licenses.push(licence(rng, "CA", "MLT", completed));
            }
        }
        "mls" => {
            let completed = years_between(rng, 0.2, (adult - 4.0).clamp(0.3, 12.0));
            let field = *rng.weighted(&[
                ("medical laboratory science", 8),
                ("clinical laboratory science", 2),
            ]);
            education.push(J::O(vec![
                ("degree", v("bachelor")),
                ("field", v(field)),
                ("completed", v(date(years_ago(rng, completed)))),
                (
                    "accreditation",
                    v(if rng.chance(0.9) { "NAACLS" } else { "none" }),
                ),
                ("country", v("US")),
            ]));
            coursework.push(credit(rng, "chemistry", 16, 24));
            coursework.push(credit(rng, "biology", 16, 24));
            if rng.chance(0.6) {
                certifications.push(cert(rng, "ASCP", "MLS", completed - 0.3));
            }
            if (state == "CA" || state == "NY") && rng.chance(0.55) {
                licenses.push(licence(rng, state, "CLS", completed));
            }
            for _ in 0..rng.below(3) {
                experience.push(lab_job(
                    rng,
                    "medical laboratory scientist",
                    state,
                    completed,
                ));
            }
        }
        "science" => {
            let completed = years_between(rng, 0.5, (adult - 4.0).clamp(0.6, 16.0));
            let degree = if rng.chance(0.85) {
                "bachelor"
            } else {
                "master"
            };
            let field = *rng.pick(&["biology", "chemistry", "biochemistry", "microbiology"]);
            let country = if rng.chance(0.9) { "US" } else { "IN" };
            education.push(J::O(vec![
                ("degree", v(degree)),
                ("field", v(field)),
                ("completed", v(date(years_ago(rng, completed)))),
                ("country", v(country)),
            ]));
            if rng.chance(0.4) {
                // A quarter-system transcript.
                coursework.push(J::O(vec![
                    ("subject", v("chemistry")),
                    ("quarter_hours", v(between(rng, 18, 45))),
                    ("topic", v("organic chemistry")),
                ]));
            } else {
                coursework.push(credit(rng, "chemistry", 12, 30));
            }
            coursework.push(credit(rng, "biology", 12, 30));
            if rng.chance(0.55) {
                certifications.push(cert(rng, "ASCP", "MLT", completed - 0.5));
            }
            if rng.chance(0.15) {
                certifications.push(cert(rng, "AMT", "MT", completed - 0.5));
            }
            for _ in 0..between(rng, 1, 3) {
                experience.push(lab_job(rng, "laboratory technician", state, completed));
            }
            if (state == "CA" || state == "NY") && rng.chance(0.35) {
                licenses.push(licence(rng, state, "CLS", completed));
            }
        }
        "student" => {
            let degree = *rng.pick(&["associate", "bachelor"]);
            let field = *rng.pick(&[
                "medical laboratory technology",
                "medical laboratory science",
                "biology",
            ]);
            education.push(J::O(vec![
                ("degree", v(degree)),
                ("field", v(field)),
                ("country", v("US")),
            ]));
            coursework.push(credit(rng, "chemistry", 4, 12));
            coursework.push(credit(rng, "biology", 4, 12));
            if rng.chance(0.3) {
                experience.push(job(
                    rng,
                    "laboratory assistant",
                    "specimen processing",
                    "clinical laboratory",
                    state,
                    adult.min(2.0),
                ));
            }
        }
        _ => {
            let field = *rng.pick(&["business", "psychology", "nursing"]);
            let completed = years_between(rng, 2.0, (adult - 4.0).clamp(2.1, 20.0));
            education.push(J::O(vec![
                ("degree", v("bachelor")),
                ("field", v(field)),
                ("completed", v(date(years_ago(rng, completed)))),
                ("country", v("US")),
            ]));
            coursework.push(credit(rng, "biology", 3, 9));
            experience.push(job(
                rng,
                "specimen processor",
                "specimen processing",
                "clinical laboratory",
                state,
                completed.min(3.0),
            ));
        }
    }
    if rng.chance(0.35) {
        for _ in 0..between(rng, 1, 3) {
            let years = rng.below(36) as f64 / 12.0;
            let topic = *rng.pick(&[
                "hematology update",
                "laboratory safety",
                "quality control",
                "transfusion medicine",
            ]);
            continuing.push(J::O(vec![
                ("completed", v(date(years_ago(rng, years)))),
                ("hours", v(between(rng, 1, 12))),
                ("topic", v(topic)),
            ]));
        }
    }
    for (key, list) in [
        ("education", education),
        ("coursework", coursework),
        ("certifications", certifications),
        ("licenses", licenses),
        ("experience", experience),
        ("training", training),
        ("continuing_education", continuing),
    ] {
        if !list.is_empty() {
            p.push((key, J::A(list)));
        }
    }
    J::O(p)
}

fn credit(rng: &mut Rng, subject: &'static str, low: u64, high: u64) -> J {
    J::O(vec![
        ("subject", v(subject)),
        ("semester_hours", v(between(rng, low, high))),
    ])
}

/// A credential earned `years` ago; most are current, some have lapsed.
fn cert(rng: &mut Rng, issuer: &'static str, name: &'static str, years: f64) -> J {
    let earned = years_ago(rng, years.max(0.1));
    let expires = if rng.chance(0.12) {
        REFERENCE_DAYS - 30 - rng.below(700) as i64
    } else {
        REFERENCE_DAYS + 30 + rng.below(1000) as i64
    };
    let mut fields = vec![
        ("issuer", v(issuer)),
        ("name", v(name)),
        ("earned", v(date(earned))),
    ];
    if expires > earned {
        fields.push(("expires", v(date(expires))));
    }
    J::O(fields)
}

fn licence(rng: &mut Rng, state: &'static str, kind: &'static str, qualified_years: f64) -> J {
    let years = years_between(rng, 0.1, qualified_years.max(0.2));
    let issued = years_ago(rng, years);
    let expires = if rng.chance(0.1) {
        REFERENCE_DAYS - 10 - rng.below(300) as i64
    } else {
        REFERENCE_DAYS + 60 + rng.below(700) as i64
    };
    J::O(vec![
        ("state", v(state)),
        ("type", v(kind)),
        ("issued", v(date(issued))),
        ("expires", v(date(expires.max(issued + 1)))),
    ])
}

fn lab_job(rng: &mut Rng, role: &'static str, state: &'static str, since_years: f64) -> J {
    let setting = *rng.weighted(&[
        ("clinical laboratory", 6),
        ("hospital laboratory", 3),
        ("clinical lab", 1),
        ("research laboratory", 2),
    ]);
    let area = *rng.pick(&AREAS);
    job(rng, role, area, setting, state, since_years)
}

/// A job that started at most `since_years` ago.
fn job(
    rng: &mut Rng,
    role: &'static str,
    area: &'static str,
    setting: &'static str,
    state: &'static str,
    since_years: f64,
) -> J {
    let years = years_between(rng, 0.1, since_years.max(0.2));
    let start = years_ago(rng, years);
    let mut fields = vec![
        ("role", v(role)),
        ("area", v(area)),
        ("setting", v(setting)),
    ];
    if !state.is_empty() && rng.chance(0.8) {
        fields.push(("state", v(state)));
        fields.push(("licensed", v(rng.chance(0.8))));
    }
    if rng.chance(0.3) {
        let tag = *rng.pick(&["high_complexity", "moderate_complexity", "supervisory"]);
        fields.push(("tags", J::A(vec![v(tag)])));
    }
    fields.push(("start", v(date(start))));
    // Ongoing, or ended some time after it started.
    if rng.chance(0.45) {
        fields.push(("end", J::V(Value::Null)));
    } else {
        let room = (REFERENCE_DAYS - start - 30).max(1) as u64;
        fields.push(("end", v(date(start + 30 + rng.below(room) as i64))));
    }
    if rng.chance(0.3) {
        fields.push(("hours_per_week", v(*rng.pick(&[16, 20, 24, 30, 32, 36]))));
    }
    J::O(fields)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut count: u64 = 1000;
    let mut seed: u64 = 2026;
    let mut folder: Option<std::path::PathBuf> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(seed),
            "--folder" => folder = args.next().map(Into::into),
            "-h" | "--help" => {
                eprintln!("usage: gen [COUNT] [--seed N] [--folder DIR]");
                return;
            }
            number => match number.replace('_', "").parse() {
                Ok(n) => count = n,
                Err(_) => {
                    eprintln!("gen: not a count: {number}");
                    std::process::exit(2);
                }
            },
        }
    }
    if let Some(folder) = folder {
        if let Err(error) = std::fs::create_dir_all(&folder) {
            eprintln!("gen: cannot create {}: {error}", folder.display());
            std::process::exit(2);
        }
        for index in 0..count {
            let text = serde_json::to_string_pretty(&profile(seed, index)).unwrap_or_default();
            let path = folder.join(format!("applicant-{:07}.json", index + 1));
            if let Err(error) = std::fs::write(&path, text + "\n") {
                eprintln!("gen: cannot write {}: {error}", path.display());
                std::process::exit(2);
            }
        }
        return;
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    for index in 0..count {
        let mut line = profile_line(seed, index);
        line.push('\n');
        if out.write_all(line.as_bytes()).is_err() {
            return; // the reader went away
        }
    }
    let _ = out.flush();
}
