//! A scripted HTTP/1.1 server on loopback, for testing HTTP clients.
//!
//! Each connection carries one request and gets one reply, then is closed
//! (`Connection: close`). A handler sees every request in arrival order and
//! decides the reply; every request is recorded. The server stops when
//! dropped. `benches/update_cycle.rs` includes this file too; the server's
//! own tests are in `server_tests.rs`.
//!
//! ```ignore
//! let server = Server::scripted(vec![Reply::json(200, &json!({"ok": true}))]);
//! // … point the client at server.url() …
//! assert_eq!(server.requests()[0].path, "/repos/o/r");
//! ```

use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How often a delayed reply looks at the stop flag.
const POLL: Duration = Duration::from_millis(5);
/// How long a client may take to send its request, or to take the reply.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// One request as received.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub path: String,
    /// Names lowercased, in the order sent.
    pub headers: Vec<(String, String)>,
    /// De-chunked when sent chunked.
    pub body: Vec<u8>,
}

impl Request {
    /// The first header of that name (any case).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query string.
    pub(crate) fn path_without_query(&self) -> &str {
        self.path.split('?').next().unwrap_or_default()
    }

    /// The first query parameter of that name, percent-decoded.
    pub(crate) fn query(&self, key: &str) -> Option<String> {
        let (_, query) = self.path.split_once('?')?;
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k) == key).then(|| percent_decode(v))
        })
    }

    /// The body as JSON; panics (failing the test) when it is not JSON.
    pub(crate) fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "request body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub(crate) enum Reply {
    /// `Content-Length` and `Connection: close` are added unless given.
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Sleep, then reply. To trigger a client timeout, sleep longer than it.
    Delay(Duration, Box<Reply>),
    /// Close the socket without responding (the client sees EOF).
    Hangup,
    /// Send the reply's head and its first `usize` body bytes, then stall
    /// (send nothing) for the duration before closing.
    Stall(Box<Reply>, usize, Duration),
}

impl Reply {
    /// A status with an empty body.
    pub(crate) fn status(status: u16) -> Reply {
        Reply::Respond {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A JSON body with `Content-Type: application/json`.
    pub(crate) fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::bytes(status, "application/json; charset=utf-8", body.to_string())
    }

    /// A plain-text body.
    pub(crate) fn text(status: u16, body: &str) -> Reply {
        Reply::bytes(status, "text/plain; charset=utf-8", body)
    }

    pub(crate) fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        let headers = vec![("Content-Type".into(), content_type.into())];
        let body = body.into();
        Reply::Respond {
            status,
            headers,
            body,
        }
    }

    /// Add a header (to the delayed reply, for `Delay`; `Hangup` has none).
    pub(crate) fn header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Respond {
                status,
                mut headers,
                body,
            } => {
                headers.push((name.into(), value.into()));
                Reply::Respond {
                    status,
                    headers,
                    body,
                }
            }
            Reply::Delay(delay, reply) => Reply::Delay(delay, Box::new(reply.header(name, value))),
            Reply::Hangup => Reply::Hangup,
            Reply::Stall(reply, keep, stall) => {
                Reply::Stall(Box::new(reply.header(name, value)), keep, stall)
            }
        }
    }

    /// This reply's head and first `keep` body bytes, then silence for `stall`.
    pub(crate) fn stalling_after(self, keep: usize, stall: Duration) -> Reply {
        Reply::Stall(Box::new(self), keep, stall)
    }

    /// This reply after a delay: `Reply::status(200).after(secs(2))`.
    pub(crate) fn after(self, delay: Duration) -> Reply {
        Reply::Delay(delay, Box::new(self))
    }
}

/// A running server; stops when dropped.
pub(crate) struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

impl Server {
    /// Start serving on 127.0.0.1; `handler` sees every request, in order,
    /// and decides the reply.
    pub(crate) fn start(handler: impl FnMut(&Request) -> Reply + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let (log, stop) = (Arc::clone(&log), Arc::clone(&stop));
            thread::spawn(move || accept_loop(&listener, handler, &log, &stop))
        };
        Server {
            addr,
            log,
            stop,
            acceptor: Some(acceptor),
        }
    }

    /// Serve a fixed script: the n-th request gets the n-th reply; requests
    /// beyond the script get 500 "unexpected request: METHOD PATH".
    pub(crate) fn scripted(replies: Vec<Reply>) -> Server {
        let mut replies = replies.into_iter();
        Server::start(move |request| {
            replies.next().unwrap_or_else(|| {
                let message = format!("unexpected request: {} {}", request.method, request.path);
                Reply::text(500, &message)
            })
        })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, in order.
    pub(crate) fn requests(&self) -> Vec<Request> {
        self.log.lock().expect("request log").clone()
    }
}

impl Drop for Server {
    /// Stop accepting, cut pending delays short, and re-raise a handler's
    /// panic (unless already panicking).
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop, which blocks in `accept`; it sees the flag
        // and ends. (If it already ended, the connection is refused.)
        let _ = TcpStream::connect_timeout(&self.addr, IO_TIMEOUT);
        if let Some(acceptor) = self.acceptor.take()
            && let Err(panic) = acceptor.join()
            && !thread::panicking()
        {
            std::panic::resume_unwind(panic);
        }
    }
}

/// Accept until stopped; read and record each request, ask the handler, and
/// reply on a thread of its own so a `Delay` does not hold up the next one.
/// `accept` blocks (no polling delay before each request); `Drop` wakes it
/// with a connection of its own after setting the stop flag.
fn accept_loop(
    listener: &TcpListener,
    mut handler: impl FnMut(&Request) -> Reply,
    log: &Mutex<Vec<Request>>,
    stop: &Arc<AtomicBool>,
) {
    let mut responders = Vec::new();
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok((stream, _)) = accepted else {
            thread::sleep(POLL);
            continue;
        };
        let Some(request) = read_request(&stream) else {
            continue;
        };
        log.lock().expect("request log").push(request.clone());
        let reply = handler(&request);
        let stop = Arc::clone(stop);
        // Finished responders need no join: keep only the running ones.
        responders.retain(|r: &JoinHandle<()>| !r.is_finished());
        responders.push(thread::spawn(move || respond(stream, reply, &stop)));
    }
    for responder in responders {
        let _ = responder.join();
    }
}

/// Request line, headers, and a `Content-Length` or chunked body. `None`
/// when the client closes early or sends garbage.
fn read_request(stream: &TcpStream) -> Option<Request> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(IO_TIMEOUT)).ok()?;
    stream.set_write_timeout(Some(IO_TIMEOUT)).ok()?;
    let mut reader = BufReader::new(stream);
    let request_line = read_line(&mut reader)?;
    let mut words = request_line.split(' ');
    let method = words.next()?.to_string();
    let path = words.next()?.to_string();
    let headers = read_headers(&mut reader)?;
    let body = read_body(&mut reader, &headers)?;
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

/// One line without its line ending; `None` at EOF or on error.
fn read_line(reader: &mut impl BufRead) -> Option<String> {
    let mut line = String::new();
    let read = reader.read_line(&mut line).ok()?;
    (read > 0).then(|| line.trim_end_matches(['\r', '\n']).to_string())
}

/// Header lines up to the blank line, names lowercased.
fn read_headers(reader: &mut impl BufRead) -> Option<Vec<(String, String)>> {
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            return Some(headers);
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
}

fn read_body(reader: &mut impl BufRead, headers: &[(String, String)]) -> Option<Vec<u8>> {
    let value = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    if value("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
        return read_chunked(reader);
    }
    let length: usize = value("content-length").map_or(Some(0), |v| v.parse().ok())?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}

/// A chunked body: `SIZE[;ext]\r\nDATA\r\n` … `0\r\n`, trailers, blank line.
fn read_chunked(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let size_line = read_line(reader)?;
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        if size == 0 {
            while !read_line(reader)?.is_empty() {}
            return Some(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).ok()?;
        read_line(reader)?;
    }
}

/// Carry out a reply, then close the connection.
fn respond(mut stream: TcpStream, reply: Reply, stop: &AtomicBool) {
    match reply {
        Reply::Respond {
            status,
            headers,
            body,
        } => {
            let _ = write_response(&mut stream, status, &headers, &body);
            let _ = stream.shutdown(Shutdown::Write);
        }
        Reply::Delay(delay, reply) => {
            if sleep_unless_stopped(delay, stop) {
                respond(stream, *reply, stop);
            }
        }
        Reply::Hangup => drop(stream),
        Reply::Stall(reply, keep, stall) => {
            if let Reply::Respond {
                status,
                headers,
                body,
            } = *reply
            {
                let mut headers = headers;
                headers.push(("Content-Length".into(), body.len().to_string()));
                let _ =
                    write_response(&mut stream, status, &headers, &body[..keep.min(body.len())]);
                sleep_unless_stopped(stall, stop);
            }
            drop(stream);
        }
    }
}

/// Sleep for `delay` in short steps; false when the server stopped first.
fn sleep_unless_stopped(delay: Duration, stop: &AtomicBool) -> bool {
    let deadline = Instant::now() + delay;
    while Instant::now() < deadline {
        if stop.load(Ordering::SeqCst) {
            return false;
        }
        thread::sleep(POLL.min(deadline.saturating_duration_since(Instant::now())));
    }
    true
}

/// Status line, headers, then the body, except for 204 and 304 which have none.
fn write_response(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> io::Result<()> {
    let bodiless = matches!(status, 204 | 304);
    let given = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !bodiless && !given("content-length") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    if !given("connection") {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if !bodiless {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

/// `%XX` escapes and `+` as space; invalid escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = bytes
            .get(i + 1..i + 3)
            .filter(|_| bytes[i] == b'%')
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (b'+', None) => out.push(b' '),
            (byte, None) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
