//! The streaming, parallel, order-keeping pipeline (see the module docs of
//! `screen`).

use super::input::{Source, SourceKind};
use super::output::{Format, Row, RowSink, TableRow};
use super::summary::Tally;
use super::{Filter, RowVerdict, Screener, Unreadable};
use crate::eval::Verdict;
use crate::profile::Profile;
use crate::render::{Voice, Words};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

/// How to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub format: Format,
    /// Which rows are written.
    pub filter: Filter,
    /// Tally blocking conditions and close applicants (explains every
    /// applicant who is not eligible).
    pub summary: bool,
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Records per batch.
    pub batch_records: usize,
}

impl RunOptions {
    pub const DEFAULT_BATCH_RECORDS: usize = 512;
}

/// Batches in flight per worker: enough to keep every worker busy while
/// the caller writes, few enough to keep memory flat.
const IN_FLIGHT_PER_JOB: usize = 4;
/// A batch is also sent once it holds this many bytes of input.
const MAX_BATCH_BYTES: usize = 4 << 20;

/// One batch's results, handed to the caller in input order.
#[derive(Debug, Default)]
pub struct BatchOutput {
    /// 0, 1, 2… in input order.
    pub seq: u64,
    /// The rows written, as CSV or JSON Lines (no header).
    pub text: String,
    /// The rows written, for the table.
    pub table: Vec<TableRow>,
    pub tally: Tally,
    /// Input bytes the batch covers (for progress).
    pub bytes: u64,
    /// Each profile read: its id, source and line, so the caller can report
    /// ids given to more than one record.
    pub ids: BatchIds,
}

/// The ids of a batch's profiles, compact: all their text in one buffer and,
/// per record, a 64-bit hash of the id (what the duplicate check keeps, so
/// its memory is 8 bytes a profile whatever the ids' length), the source
/// (index into the sources) and the line.
#[derive(Debug, Default)]
pub struct BatchIds {
    text: String,
    records: Vec<IdRecord>,
}

#[derive(Debug, Clone, Copy)]
struct IdRecord {
    key: u64,
    end: usize,
    source: usize,
    line: Option<usize>,
}

/// One profile's id as [`BatchIds::iter`] gives it.
#[derive(Debug, Clone, Copy)]
pub struct ProfileId<'a> {
    pub id: &'a str,
    /// A hash of `id`, the same for the same text in every batch and run.
    pub key: u64,
    pub source: usize,
    pub line: Option<usize>,
}

impl BatchIds {
    fn push(&mut self, id: &str, source: usize, line: Option<usize>) {
        use std::hash::{Hash, Hasher};
        // SipHash with fixed keys: deterministic across runs and threads.
        let mut hasher = std::hash::DefaultHasher::new();
        id.hash(&mut hasher);
        self.text.push_str(id);
        self.records.push(IdRecord {
            key: hasher.finish(),
            end: self.text.len(),
            source,
            line,
        });
    }

    pub fn iter(&self) -> impl Iterator<Item = ProfileId<'_>> {
        let mut start = 0;
        self.records.iter().map(move |record| {
            let id = &self.text[start..record.end];
            start = record.end;
            ProfileId {
                id,
                key: record.key,
                source: record.source,
                line: record.line,
            }
        })
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

/// Screens every record of `sources` on `options.jobs` threads. `on_batch` is
/// called on the calling thread with each batch's output, in input order;
/// returning `false` stops the run early (e.g. the reader of the output has
/// gone away): reading stops, and work in flight is dropped. Fails only when
/// the system refuses to start a thread.
pub fn run(
    screener: &Screener,
    sources: &[Source],
    options: &RunOptions,
    mut on_batch: impl FnMut(BatchOutput) -> bool,
) -> std::io::Result<()> {
    let jobs = options.jobs.max(1);
    let in_flight = jobs * IN_FLIGHT_PER_JOB;
    let stop = AtomicBool::new(false);
    let (token_tx, token_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        // The channel has room for every token.
        let _ = token_tx.try_send(());
    }
    let (batch_tx, batch_rx) = sync_channel::<Batch>(in_flight);
    let batch_rx = Mutex::new(batch_rx);
    let (out_tx, out_rx) = channel::<BatchOutput>();
    std::thread::scope(|scope| {
        let stop = &stop;
        let batch_rx = &batch_rx;
        // Workers first: if one cannot be started, dropping the batch sender
        // (never given to a reader) lets those started end at once.
        for _ in 0..jobs {
            let out_tx = out_tx.clone();
            std::thread::Builder::new()
                .name("screen-work".to_string())
                .spawn_scoped(scope, move || {
                    worker(screener, options, sources, batch_rx, out_tx, stop)
                })?;
        }
        drop(out_tx);
        let reader = Reader {
            tokens: token_rx,
            tx: batch_tx,
            stop,
            batch_records: options.batch_records.max(1),
            next_seq: 0,
            current: None,
        };
        std::thread::Builder::new()
            .name("screen-read".to_string())
            .spawn_scoped(scope, move || {
                let mut reader = reader;
                reader.read_all(sources);
            })?;
        let mut token_tx = Some(token_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0;
        for output in out_rx {
            pending.insert(output.seq, output);
            while let Some(output) = pending.remove(&next) {
                next += 1;
                let Some(tokens) = &token_tx else { continue };
                if on_batch(output) {
                    // Never full: tokens out ≤ capacity.
                    let _ = tokens.try_send(());
                } else {
                    stop.store(true, Ordering::Relaxed);
                    token_tx = None;
                }
            }
        }
        Ok(())
    })
}

/// Records as read, before parsing.
struct Batch {
    seq: u64,
    /// The lines' bytes, back to back.
    buf: Vec<u8>,
    records: Vec<Raw>,
    bytes: u64,
}

struct Raw {
    /// Index into the sources.
    source: usize,
    /// 1-based line (JSON Lines); 0 for a profile file.
    line: usize,
    kind: RawKind,
}

enum RawKind {
    /// A line: `buf[start..end]`, without its line break.
    Line(usize, usize),
    /// A profile file, read by the worker.
    File,
    /// Reading failed here.
    Failed(String),
}

struct Reader<'a> {
    tokens: Receiver<()>,
    tx: SyncSender<Batch>,
    stop: &'a AtomicBool,
    batch_records: usize,
    next_seq: u64,
    current: Option<Batch>,
}

impl Reader<'_> {
    /// The batch being filled, started when needed (which waits for a
    /// token); `None` once the run stops.
    fn batch(&mut self) -> Option<&mut Batch> {
        if self.current.is_none() {
            if self.stop.load(Ordering::Relaxed) {
                return None;
            }
            self.tokens.recv().ok()?;
            if self.stop.load(Ordering::Relaxed) {
                return None;
            }
            self.current = Some(Batch {
                seq: self.next_seq,
                buf: Vec::with_capacity(self.batch_records * 512),
                records: Vec::with_capacity(self.batch_records),
                bytes: 0,
            });
            self.next_seq += 1;
        }
        self.current.as_mut()
    }

    /// Sends the current batch when full; `false` once the run stops.
    fn send_if_full(&mut self) -> bool {
        let full = self.current.as_ref().is_some_and(|b| {
            b.records.len() >= self.batch_records || b.buf.len() >= MAX_BATCH_BYTES
        });
        !full || self.send()
    }

    fn send(&mut self) -> bool {
        match self.current.take() {
            Some(batch) => self.tx.send(batch).is_ok(),
            None => true,
        }
    }

    fn push(&mut self, record: Raw, bytes: u64) -> bool {
        let Some(batch) = self.batch() else {
            return false;
        };
        batch.records.push(record);
        batch.bytes += bytes;
        self.send_if_full()
    }

    fn read_all(&mut self, sources: &[Source]) {
        for (index, source) in sources.iter().enumerate() {
            let going = match (&source.path, source.kind) {
                (Some(_), SourceKind::Profile) => self.push(
                    Raw {
                        source: index,
                        line: 0,
                        kind: RawKind::File,
                    },
                    source.len.unwrap_or(0),
                ),
                (None, _) => self.read_lines(index, source, std::io::stdin().lock()),
                (Some(path), SourceKind::JsonLines) => match open_regular(path) {
                    Ok(file) => self.read_lines(index, source, file),
                    Err(error) => self.push(
                        Raw {
                            source: index,
                            line: 0,
                            kind: RawKind::Failed(format!(
                                "cannot read the file: {}",
                                crate::loader::io_reason(&error)
                            )),
                        },
                        0,
                    ),
                },
            };
            if !going {
                return;
            }
        }
        self.send();
    }

    /// Reads JSON Lines; blank lines are skipped (but counted).
    fn read_lines(&mut self, index: usize, source: &Source, input: impl Read) -> bool {
        let mut input = BufReader::with_capacity(256 * 1024, input);
        let mut line = 0;
        loop {
            let Some(batch) = self.batch() else {
                return false;
            };
            line += 1;
            let start = batch.buf.len();
            match read_line_bounded(&mut input, &mut batch.buf, LINE_LIMIT) {
                Ok(Line::End) => return true,
                Ok(Line::TooLong(read)) => {
                    batch.buf.truncate(start);
                    let failed = Raw {
                        source: index,
                        line,
                        kind: RawKind::Failed(format!(
                            "the line is longer than {} MiB, the most eligo reads in one record (a profile is rarely more than a few kilobytes)",
                            crate::loader::MAX_RECORD_BYTES >> 20
                        )),
                    };
                    if !self.push(failed, read as u64) {
                        return false;
                    }
                }
                Ok(Line::Read(read)) => {
                    batch.bytes += read as u64;
                    let text = &batch.buf[start..];
                    let text = text.strip_suffix(b"\n").unwrap_or(text);
                    let text = text.strip_suffix(b"\r").unwrap_or(text);
                    if text.iter().all(u8::is_ascii_whitespace) {
                        batch.buf.truncate(start);
                        continue;
                    }
                    let end = start + text.len();
                    batch.records.push(Raw {
                        source: index,
                        line,
                        kind: RawKind::Line(start, end),
                    });
                    if !self.send_if_full() {
                        return false;
                    }
                }
                Err(error) => {
                    batch.buf.truncate(start);
                    let message = format!(
                        "cannot read `{}` from this line on: {}",
                        source.name,
                        crate::loader::io_reason(&error)
                    );
                    let failed = Raw {
                        source: index,
                        line,
                        kind: RawKind::Failed(message),
                    };
                    return self.push(failed, 0);
                }
            }
        }
    }
}

/// Opens a file after checking that it is a regular one (a named pipe would
/// block, a device never end).
fn open_regular(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let metadata = std::fs::metadata(path)?;
    if let Some(kind) = crate::loader::special_kind(metadata.file_type()) {
        return Err(std::io::Error::other(format!(
            "it is {kind}, not a regular file"
        )));
    }
    std::fs::File::open(path)
}

/// The longest line kept: one record and its line ending (`\r\n`).
const LINE_LIMIT: usize = crate::loader::MAX_RECORD_BYTES + 2;

enum Line {
    /// A line (with its `\n`, if any) of this many bytes was appended.
    Read(usize),
    /// A line of this many bytes was longer than the limit: it was read and
    /// dropped (the buffer may hold its start).
    TooLong(usize),
    End,
}

/// Reads one line into `buf`, but never more than `limit` bytes of it: the
/// rest of a longer line is consumed and dropped, so memory stays bounded
/// whatever the input.
fn read_line_bounded(
    input: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<Line> {
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            break;
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(end) => (&available[..=end], true),
            None => (available, false),
        };
        let length = chunk.len();
        if !too_long && consumed + length <= limit {
            buf.extend_from_slice(chunk);
        } else {
            too_long = true;
        }
        input.consume(length);
        consumed += length;
        if done {
            break;
        }
    }
    Ok(match (consumed, too_long) {
        (0, _) => Line::End,
        (read, true) => Line::TooLong(read),
        (read, false) => Line::Read(read),
    })
}

fn worker(
    screener: &Screener,
    options: &RunOptions,
    sources: &[Source],
    batches: &Mutex<Receiver<Batch>>,
    out: Sender<BatchOutput>,
    stop: &AtomicBool,
) {
    loop {
        let batch = match batches.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(batch) = batch else { return };
        let output = if stop.load(Ordering::Relaxed) {
            BatchOutput {
                seq: batch.seq,
                ..BatchOutput::default()
            }
        } else {
            process(screener, options, sources, &batch)
        };
        if out.send(output).is_err() {
            return;
        }
    }
}

/// A record that could not be read, before it becomes rows.
struct Failure {
    message: String,
    line: Option<usize>,
    id: Option<String>,
}

fn parse(sources: &[Source], batch: &Batch, raw: &Raw) -> Result<Profile, Failure> {
    let source = &sources[raw.source];
    let line = (raw.line > 0).then_some(raw.line);
    match &raw.kind {
        RawKind::Line(start, end) => match std::str::from_utf8(&batch.buf[*start..*end]) {
            Ok(text) => {
                super::parse_line(&source.name, raw.line, text).map_err(|diagnostics| Failure {
                    message: super::diagnostics_message(&diagnostics),
                    line,
                    id: super::salvage_id(text),
                })
            }
            Err(error) => {
                let at = error.valid_up_to();
                let byte = batch.buf[*start + at];
                Err(Failure {
                    message: format!(
                        "the line is not UTF-8 text: byte 0x{byte:02X} at column {} (save the file as UTF-8)",
                        at + 1
                    ),
                    line,
                    id: None,
                })
            }
        },
        RawKind::File => {
            let path = source.path.as_deref().unwrap_or(std::path::Path::new(""));
            crate::profile::load_profile(path).map_err(|diagnostics| Failure {
                message: super::diagnostics_message(&diagnostics),
                line: super::diagnostics_line(&diagnostics),
                id: None,
            })
        }
        RawKind::Failed(message) => Err(Failure {
            message: message.clone(),
            line,
            id: None,
        }),
    }
}

fn process(
    screener: &Screener,
    options: &RunOptions,
    sources: &[Source],
    batch: &Batch,
) -> BatchOutput {
    let mut sink = RowSink::new(options.format);
    let mut tally = Tally::new(screener.roles.len());
    let filter = options.filter;
    let wanted = |verdict: Verdict| options.summary || filter.shows(verdict.into());
    let mut ids = BatchIds::default();
    for (position, raw) in batch.records.iter().enumerate() {
        tally.records += 1;
        let source = &sources[raw.source];
        let line = (raw.line > 0).then_some(raw.line);
        let parsed =
            parse(sources, batch, raw).and_then(|profile| {
                match super::input::born_after(&profile, screener.as_of()) {
                    Some(message) => Err(Failure {
                        message,
                        line,
                        id: profile.id.clone(),
                    }),
                    None => Ok(profile),
                }
            });
        match parsed {
            Ok(profile) => {
                let id = profile.id.as_deref().unwrap_or_default();
                ids.push(id, raw.source, line);
                let words = Words::new(screener.rules, &profile, Voice::Applicant)
                    .verified_only(screener.require_verified)
                    .with_phrases(&screener.phrases);
                let verified = screener
                    .require_verified
                    .then(|| crate::eval::verified_only(&profile));
                let judged = verified.as_ref().map_or(&profile, |only| &only.profile);
                for (index, &role) in screener.roles.iter().enumerate() {
                    let mut outcome = screener.evaluate(role, judged, wanted);
                    if let Some(only) = &verified {
                        // Paths and words refer to the file's records.
                        only.restore_paths(&mut outcome);
                    }
                    let verdict = RowVerdict::from(outcome.verdict);
                    let projected = screener.project(role, judged);
                    if let Some(projected) = projected {
                        tally.projected(index, projected, screener.as_of());
                    }
                    tally.outcome(
                        index,
                        &outcome,
                        words,
                        id,
                        (batch.seq, position as u32),
                        options.summary,
                    );
                    if filter.shows(verdict) {
                        sink.push(&Row {
                            profile: id,
                            role: screener.role_id(role),
                            verdict,
                            unmet: &outcome.unmet,
                            words: Some(words),
                            file: &source.name,
                            line,
                            message: None,
                            projected,
                            rules: &screener.rules.fingerprint,
                            newest_source: screener.newest_source,
                        });
                    }
                }
            }
            Err(failure) => {
                let unreadable = Unreadable {
                    file: source.name.clone(),
                    line: failure.line,
                    message: failure.message,
                };
                tally.unreadable(&unreadable);
                let id = failure
                    .id
                    .unwrap_or_else(|| super::default_id(&source.name, line));
                if filter.shows(RowVerdict::Error) {
                    for &role in &screener.roles {
                        sink.push(&Row {
                            profile: &id,
                            role: screener.role_id(role),
                            verdict: RowVerdict::Error,
                            unmet: &[],
                            words: None,
                            file: &source.name,
                            line: unreadable.line,
                            message: Some(&unreadable.message),
                            // Empty date cells, so every CSV row has the header's columns.
                            projected: screener.projects().then(Default::default),
                            rules: &screener.rules.fingerprint,
                            newest_source: screener.newest_source,
                        });
                    }
                }
            }
        }
    }
    let (bytes, table) = sink.finish();
    BatchOutput {
        seq: batch.seq,
        text: String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        table,
        tally,
        bytes: batch.bytes,
        ids,
    }
}
