//! A load test of `eligo serve`: `POST /v1/check` (one profile against every
//! shipped role, with projection, as the candidate page asks) from many
//! concurrent keep-alive clients on loopback, for a bounded time. Prints
//! requests per second, latency percentiles, errors and the process's
//! resident memory before and after (docs/performance.md).
//!
//! `cargo bench --bench serve_load -- [CLIENTS] [SECONDS] [ROLES]`
//! (defaults 16 clients, 10 s, every role; ROLES `mls` checks one role).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmRSS:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

/// One keep-alive client: requests until `stop`, returning each latency and
/// the count of answers that were not 200.
fn client(
    port: u16,
    path: String,
    body: Arc<Vec<u8>>,
    stop: Arc<AtomicBool>,
) -> (Vec<Duration>, u64) {
    let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_nodelay(true).ok();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut writer = stream;
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut line = String::new();
    let mut answer = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let started = Instant::now();
        writer.write_all(head.as_bytes()).expect("write");
        writer.write_all(&body).expect("write");
        line.clear();
        reader.read_line(&mut line).expect("status");
        let ok = line.split(' ').nth(1) == Some("200");
        let mut length = 0usize;
        loop {
            line.clear();
            reader.read_line(&mut line).expect("header");
            if line == "\r\n" {
                break;
            }
            if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = value.trim().parse().expect("length");
            }
        }
        answer.resize(length, 0);
        reader.read_exact(&mut answer).expect("body");
        latencies.push(started.elapsed());
        if !ok {
            errors += 1;
        }
    }
    (latencies, errors)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let clients: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(16);
    let seconds: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let roles = args.get(2).cloned();
    let loaded = eligo::loader::load_rules(std::path::Path::new("rules"));
    let rules = loaded
        .ok()
        .and_then(|l| l.rules)
        .expect("the shipped rules load");
    let options = eligo::serve::ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        check_body_limit: eligo::serve::ServeOptions::DEFAULT_CHECK_BODY_LIMIT,
        screen_body_limit: eligo::serve::ServeOptions::DEFAULT_SCREEN_BODY_LIMIT,
        timeout: Duration::from_secs(30),
        max_screens: 2,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(options.addr))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = eligo::serve::router(rules, options);
    runtime.spawn(async move { axum::serve(listener, app).await });

    let body = Arc::new(std::fs::read("examples/profiles/experienced-mlt.json").unwrap());
    let path = match &roles {
        Some(roles) => format!("/v1/check?as_of=2026-11-21&role={roles}"),
        None => "/v1/check?as_of=2026-11-21".to_string(),
    };
    // Warm up, then measure.
    let warm = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&warm);
        let handle = {
            let (path, body) = (path.clone(), Arc::clone(&body));
            std::thread::spawn(move || client(port, path, body, stop))
        };
        std::thread::sleep(Duration::from_millis(500));
        warm.store(true, Ordering::Relaxed);
        handle.join().unwrap();
    }
    let before = resident_kib();
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|_| {
            let (path, body, stop) = (path.clone(), Arc::clone(&body), Arc::clone(&stop));
            std::thread::spawn(move || client(port, path, body, stop))
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut errors = 0;
    for handle in handles {
        let (mut l, e) = handle.join().unwrap();
        latencies.append(&mut l);
        errors += e;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let after = resident_kib();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "POST {path}: {clients} clients, {seconds} s, {} requests, {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms, errors {errors}, RSS {} MiB before, {} MiB after",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
        before >> 10,
        after >> 10,
    );
}
