//! Tests of the loopback test server (kept apart from `server.rs`, which
//! `benches/update_cycle.rs` includes too).

use std::io;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::server::{Reply, Server};

fn agent(timeout: Option<Duration>) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(timeout)
        .build()
        .into()
}

fn get(url: &str) -> (u16, String) {
    let mut response = agent(None).get(url).call().unwrap();
    let body = response.body_mut().read_to_string().unwrap();
    (response.status().as_u16(), body)
}

#[test]
fn scripted_replies_come_in_order_then_500() {
    let server = Server::scripted(vec![
        Reply::json(200, &json!({"n": 1})),
        Reply::text(404, "nope"),
    ]);
    let base = server.url();
    assert_eq!(get(&format!("{base}/a")), (200, r#"{"n":1}"#.into()));
    assert_eq!(get(&format!("{base}/b")), (404, "nope".into()));
    let (status, body) = get(&format!("{base}/c?x=1"));
    assert_eq!(status, 500);
    assert_eq!(body, "unexpected request: GET /c?x=1");
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/a", "/b", "/c?x=1"]);
}

#[test]
fn records_method_headers_query_and_json_body() {
    let server = Server::scripted(vec![Reply::status(201).header("Location", "/c/1")]);
    let payload = json!({"body": "hello ✅"});
    let url = format!(
        "{}/repos/o/r/issues/1/comments?per_page=100&branch=feat%2Fx+y",
        server.url()
    );
    let response = agent(None)
        .post(&url)
        .header("Authorization", "Bearer t0ken")
        .header("Content-Type", "application/json")
        .send(serde_json::to_vec(&payload).unwrap())
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.headers().get("location").unwrap(), "/c/1");

    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path_without_query(), "/repos/o/r/issues/1/comments");
    assert_eq!(request.query("per_page").as_deref(), Some("100"));
    assert_eq!(request.query("branch").as_deref(), Some("feat/x y"));
    assert_eq!(request.query("page"), None);
    assert_eq!(request.header("AUTHORIZATION"), Some("Bearer t0ken"));
    let length = request.body.len().to_string();
    assert_eq!(request.header("content-length"), Some(length.as_str()));
    assert_eq!(request.body_json(), payload);
}

#[test]
fn reads_chunked_request_bodies() {
    let server = Server::scripted(vec![Reply::status(200)]);
    let bytes = b"x".repeat(20_000);
    let body = ureq::SendBody::from_owned_reader(io::Cursor::new(bytes.clone()));
    agent(None).put(server.url()).send(body).unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.header("transfer-encoding"), Some("chunked"));
    assert_eq!(request.body, bytes);
}

#[test]
fn not_modified_has_headers_and_no_body() {
    let server = Server::scripted(vec![
        Reply::status(304).header("ETag", "\"abc\""),
        Reply::text(200, "after"),
    ]);
    let mut response = agent(None)
        .get(server.url())
        .header("If-None-Match", "\"abc\"")
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 304);
    assert_eq!(response.headers().get("etag").unwrap(), "\"abc\"");
    assert_eq!(response.body_mut().read_to_string().unwrap(), "");
    assert_eq!(get(&server.url()), (200, "after".into()));
    assert_eq!(
        server.requests()[0].header("if-none-match"),
        Some("\"abc\"")
    );
}

#[test]
fn hangup_is_a_client_error() {
    let server = Server::scripted(vec![Reply::Hangup, Reply::text(200, "fine")]);
    let error = agent(None).get(server.url()).call().unwrap_err();
    assert!(
        matches!(error, ureq::Error::Io(_) | ureq::Error::Protocol(_)),
        "{error:?}"
    );
    assert_eq!(get(&server.url()), (200, "fine".into()));
}

#[test]
fn delay_beyond_the_client_timeout_times_out() {
    let started = Instant::now();
    let server = Server::scripted(vec![Reply::text(200, "late").after(Duration::from_secs(3))]);
    let error = agent(Some(Duration::from_millis(300)))
        .get(server.url())
        .call()
        .unwrap_err();
    assert!(matches!(error, ureq::Error::Timeout(_)), "{error:?}");
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "drop waited for the delay"
    );
}

#[test]
fn delay_within_the_client_timeout_is_served() {
    let server = Server::start(|request| match request.path_without_query() {
        "/slow" => Reply::text(200, "slow").after(Duration::from_millis(100)),
        _ => Reply::text(404, "no route"),
    });
    let mut response = agent(Some(Duration::from_secs(5)))
        .get(format!("{}/slow", server.url()))
        .call()
        .unwrap();
    assert_eq!(response.body_mut().read_to_string().unwrap(), "slow");
    assert_eq!(get(&format!("{}/other", server.url())).0, 404);
}
