//! The stdio framing of the language server protocol (`Content-Length`
//! headers), with limits. lsp-server's own stdio transport trusts the
//! header and allocates whatever length it names; this one refuses a
//! message over [`MAX_MESSAGE`] and a header line over [`MAX_HEADER_LINE`],
//! so a broken or hostile client cannot exhaust memory.

use lsp_server::{Connection, Message};
use std::io::{self, BufRead, Read, Write};
use std::thread::JoinHandle;

/// The largest message accepted: far above any rule file's size limit.
pub const MAX_MESSAGE: usize = 64 << 20;
/// The longest header line accepted.
pub const MAX_HEADER_LINE: usize = 1024;

/// Why the connection ended other than by `exit`.
#[derive(Debug)]
pub struct TransportError(pub String);

/// A connection over stdin/stdout, and the threads that move its bytes.
pub struct Stdio {
    pub connection: Connection,
    reader: JoinHandle<Result<(), TransportError>>,
    writer: JoinHandle<Result<(), TransportError>>,
}

impl Stdio {
    pub fn start() -> Stdio {
        let (server, client) = Connection::memory();
        let Connection {
            sender: to_server,
            receiver: from_server,
        } = client;
        let reader = std::thread::spawn(move || {
            let stdin = io::stdin();
            let mut input = stdin.lock();
            loop {
                match read_message(&mut input)? {
                    None => return Ok(()),
                    Some(message) => {
                        let exit =
                            matches!(&message, Message::Notification(n) if n.method == "exit");
                        if to_server.send(message).is_err() || exit {
                            return Ok(());
                        }
                    }
                }
            }
        });
        let writer = std::thread::spawn(move || {
            let stdout = io::stdout();
            let mut output = stdout.lock();
            for message in from_server {
                message
                    .write(&mut output)
                    .map_err(|e| TransportError(format!("cannot write to the client: {e}")))?;
            }
            Ok(())
        });
        Stdio {
            connection: server,
            reader,
            writer,
        }
    }

    /// Waits for the writer to flush what the server sent; the reader's
    /// error (a malformed message) is reported too.
    pub fn finish(self) -> Result<(), TransportError> {
        let Stdio {
            connection,
            reader,
            writer,
        } = self;
        drop(connection);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(TransportError("the writer thread failed".into())));
        // The reader may be blocked on stdin after `exit`: only a finished
        // reader's error is reported.
        if reader.is_finished() {
            reader
                .join()
                .unwrap_or_else(|_| Err(TransportError("the reader thread failed".into())))?;
        }
        written
    }
}

/// One framed message; `None` at the end of input between messages.
pub fn read_message(input: &mut impl BufRead) -> Result<Option<Message>, TransportError> {
    let mut length = None;
    let mut first = true;
    loop {
        let line = match read_header_line(input)? {
            None if first => return Ok(None),
            None => return Err(TransportError("the input ended inside a header".into())),
            Some(line) => line,
        };
        first = false;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(TransportError(format!("malformed header line {line:?}")));
        };
        if name.trim().eq_ignore_ascii_case("Content-Length") {
            let value: usize = value
                .trim()
                .parse()
                .map_err(|_| TransportError(format!("bad Content-Length {:?}", value.trim())))?;
            if value > MAX_MESSAGE {
                return Err(TransportError(format!(
                    "a message of {value} bytes is over the limit of {MAX_MESSAGE}"
                )));
            }
            length = Some(value);
        }
    }
    let length = length.ok_or_else(|| TransportError("a message without Content-Length".into()))?;
    let mut body = vec![0; length];
    input
        .read_exact(&mut body)
        .map_err(|e| TransportError(format!("the input ended inside a message: {e}")))?;
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| TransportError(format!("a message is not JSON-RPC: {e}")))
}

/// A header line without its `\r\n`; `None` at the end of input.
fn read_header_line(input: &mut impl BufRead) -> Result<Option<String>, TransportError> {
    let mut line = Vec::new();
    let read = input
        .take(MAX_HEADER_LINE as u64 + 1)
        .read_until(b'\n', &mut line)
        .map_err(|e| TransportError(format!("cannot read from the client: {e}")))?;
    if read == 0 {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return Err(TransportError(if line.len() > MAX_HEADER_LINE {
            format!("a header line is longer than {MAX_HEADER_LINE} bytes")
        } else {
            "the input ended inside a header".into()
        }));
    }
    line.pop();
    if line.ends_with(b"\r") {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| TransportError("a header line is not UTF-8".into()))
}

/// Writes one message with its header (used by tests and clients).
pub fn write_message(output: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    #[test]
    fn reads_messages_one_after_another() {
        let mut bytes = framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#);
        bytes.extend(framed(r#"{"jsonrpc":"2.0","method":"exit"}"#));
        let mut input = &bytes[..];
        assert!(
            matches!(read_message(&mut input), Ok(Some(Message::Request(r))) if r.method == "shutdown")
        );
        assert!(
            matches!(read_message(&mut input), Ok(Some(Message::Notification(n))) if n.method == "exit")
        );
        assert!(matches!(read_message(&mut input), Ok(None)));
    }

    #[test]
    fn refuses_huge_lengths_long_headers_and_junk() {
        let huge = format!("Content-Length: {}\r\n\r\n", usize::MAX);
        let long = format!("X-{}: y\r\n\r\n", "a".repeat(5000));
        for bad in [
            huge.as_str(),
            long.as_str(),
            "Content-Length: 5\r\n\r\nabc",
            "Content-Length: 3\r\n\r\n{x}",
            "no colon here\r\n\r\n",
            "Content-Type: x\r\n\r\n{}",
        ] {
            let mut input = bad.as_bytes();
            assert!(read_message(&mut input).is_err(), "{bad:?}");
        }
    }
}
