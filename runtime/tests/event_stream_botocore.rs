//! The event stream codec against botocore's decoder (`botocore.eventstream.EventStreamBuffer`)
//! and against frames built by hand in Python from the specification:
//!
//! - messages our encoder writes are decoded by botocore to the same headers and payloads;
//! - frames Python lays out byte by byte (`struct` and `zlib.crc32`) decode with ours, fed in
//!   odd chunk sizes, to what Python says they hold, and botocore agrees;
//! - damaged frames are refused by both;
//! - the event messages of Smithy's restJson1 event stream protocol tests decode with ours
//!   and botocore alike, and our encoder writes them back byte for byte;
//! - the chained message signatures equal a Python computation from the documented
//!   algorithm (`hmac`, `hashlib`).
//!
//! Python comes from `KVS_PYTHON` (default `python3`) and must have botocore; without it the
//! test is skipped, and fails under `CI`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, UNIX_EPOCH};

// The shared-data rule, included by path: the runtime's manifest is vendored as it is, so it
// names no workspace-only crate.
#[allow(dead_code)]
#[path = "../../tests/shared-data/src/lib.rs"]
mod shared_data;

use base64::Engine as _;
use serde_json::{json, Value};
use smithy_lite_runtime::event_stream::{HeaderValue, Message, MessageDecoder, MessageSigner};
use smithy_lite_runtime::sigv4::Credentials;

const SCRIPT: &str = r#"
import base64, hashlib, hmac, json, struct, sys, zlib
from botocore.eventstream import EventStreamBuffer

def b64(b): return base64.b64encode(b).decode()

def plain(v):
    if isinstance(v, bool): return v
    if isinstance(v, int): return v
    if isinstance(v, str): return v
    return {"b64": b64(v)}

def decode(data, sizes):
    buf = EventStreamBuffer()
    out, at, i = [], 0, 0
    while at < len(data):
        n = sizes[i % len(sizes)]; i += 1
        buf.add_data(data[at:at + n]); at += n
        for m in buf:
            out.append({"headers": [[k, plain(v)] for k, v in m.headers.items()],
                        "payload": b64(m.payload)})
    return out

def refuses(data):
    buf = EventStreamBuffer()
    buf.add_data(data)
    try:
        list(buf)
    except Exception as e:
        return type(e).__name__
    return None

def header(name, ty, raw):
    n = name.encode()
    return struct.pack(">B", len(n)) + n + struct.pack(">B", ty) + raw

def frame(headers, payload):
    hb = b"".join(headers)
    total = 16 + len(hb) + len(payload)
    prelude = struct.pack(">II", total, len(hb))
    prelude += struct.pack(">I", zlib.crc32(prelude))
    body = prelude + hb + payload
    return body + struct.pack(">I", zlib.crc32(body))

def by_hand():
    """Frames laid out from the specification, with what they hold (typed)."""
    cases = []
    s = lambda v: struct.pack(">H", len(v)) + v
    cases.append(([header("t", 0, b""), header("f", 1, b"")], b"",
                  [["t", "bool", True], ["f", "bool", False]]))
    cases.append(([header("b", 2, struct.pack(">b", -128)), header("s", 3, struct.pack(">h", -32768)),
                   header("i", 4, struct.pack(">i", 2**31 - 1)), header("l", 5, struct.pack(">q", -2**63))],
                  b"\x00\xff",
                  [["b", "byte", -128], ["s", "short", -32768], ["i", "int", 2**31 - 1], ["l", "long", -2**63]]))
    cases.append(([header(":message-type", 7, s(b"event")), header(":event-type", 7, s(b"chunk")),
                   header(":content-type", 7, s(b"application/json"))],
                  b'{"bytes":"aGk="}',
                  [[":message-type", "string", "event"], [":event-type", "string", "chunk"],
                   [":content-type", "string", "application/json"]]))
    cases.append(([header("blob", 6, s(bytes(range(256)))), header("ts", 8, struct.pack(">q", 1730384114000)),
                   header("id", 9, bytes(range(16))), header("\u00e9t\u00e9", 7, s("\u2603".encode()))],
                  bytes(range(256)) * 300,
                  [["blob", "bytes", b64(bytes(range(256)))], ["ts", "timestamp", 1730384114000],
                   ["id", "uuid", b64(bytes(range(16)))], ["\u00e9t\u00e9", "string", "\u2603"]]))
    cases.append(([], b"", []))
    cases.append(([header("long", 7, s(b"x" * 32767))], b"p",
                  [["long", "string", "x" * 32767]]))
    frames = [frame(h, p) for h, p, _ in cases]
    return frames, [{"headers": t, "payload": b64(p)} for _, p, t in cases]

def sign_chain(req):
    """Event signatures from the documented algorithm, chained from the seed."""
    def h(key, msg): return hmac.new(key, msg, hashlib.sha256).digest()
    secret, region, service = req["secret"], req["region"], req["service"]
    prev, out = req["seed"], []
    for item in req["messages"]:
        secs = item["time"]
        import datetime
        t = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc)
        amz, day = t.strftime("%Y%m%dT%H%M%SZ"), t.strftime("%Y%m%d")
        payload = base64.b64decode(item["payload"])
        date_header = header(":date", 8, struct.pack(">q", secs * 1000))
        sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz, f"{day}/{region}/{service}/aws4_request", prev,
                         hashlib.sha256(date_header).hexdigest(), hashlib.sha256(payload).hexdigest()])
        key = h(h(h(h(("AWS4" + secret).encode(), day.encode()), region.encode()), service.encode()), b"aws4_request")
        prev = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
        out.append(prev)
    return out

req = json.load(sys.stdin)
ours = base64.b64decode(req["ours"])
frames, expected = by_hand()
print(json.dumps({
    "ours_by_botocore": decode(ours, req["sizes"]),
    "by_hand": [b64(f) for f in frames],
    "by_hand_expected": expected,
    "by_hand_by_botocore": decode(b"".join(frames), [7, 1, 300]),
    "refused": [refuses(base64.b64decode(d)) for d in req["damaged"]],
    "vectors_by_botocore": [decode(base64.b64decode(v), [5]) for v in req["vectors"]],
    "signatures": sign_chain(req["signing"]),
}))
"#;

/// A Python with botocore, or `None` (skipped) outside CI.
fn python() -> Option<PathBuf> {
    shared_data::python_with(
        "event stream agreement with botocore",
        "botocore.eventstream",
    )
    .map(PathBuf::from)
}

/// The Smithy restJson1 event stream protocol tests (`bytes:` of each event), found next to
/// the models folder like the other shared data.
fn protocol_test_vectors() -> Vec<Vec<u8>> {
    let Some(file) = shared_data::require(
        "event stream protocol test vectors",
        "smithy/protocol-tests/restJson1/event-stream.smithy",
    ) else {
        return Vec::new();
    };
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut out: Vec<Vec<u8>> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("bytes: \""))
        .filter_map(|l| l.strip_suffix('"'))
        .map(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .expect("base64 in the protocol tests")
        })
        .collect();
    out.sort();
    out.dedup();
    assert!(
        out.len() >= 20,
        "only {} vectors in {}",
        out.len(),
        file.display()
    );
    out
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// Headers as botocore shows them (types folded: every integer is a number, byte arrays and
/// uuids are bytes).
fn as_botocore(m: &Message) -> Value {
    let headers: Vec<Value> = m
        .headers()
        .iter()
        .map(|h| {
            let v = match h.value() {
                HeaderValue::Bool(b) => json!(b),
                HeaderValue::Byte(v) => json!(v),
                HeaderValue::Int16(v) => json!(v),
                HeaderValue::Int32(v) => json!(v),
                HeaderValue::Int64(v) | HeaderValue::Timestamp(v) => json!(v),
                HeaderValue::ByteArray(b) => json!({ "b64": b64(b) }),
                HeaderValue::String(s) => json!(s),
                HeaderValue::Uuid(u) => json!({ "b64": b64(u) }),
            };
            json!([h.name(), v])
        })
        .collect();
    json!({ "headers": headers, "payload": b64(m.payload()) })
}

/// Headers with their exact types, as the Python layout names them.
fn typed(m: &Message) -> Value {
    let headers: Vec<Value> = m
        .headers()
        .iter()
        .map(|h| {
            let (ty, v) = match h.value() {
                HeaderValue::Bool(b) => ("bool", json!(b)),
                HeaderValue::Byte(v) => ("byte", json!(v)),
                HeaderValue::Int16(v) => ("short", json!(v)),
                HeaderValue::Int32(v) => ("int", json!(v)),
                HeaderValue::Int64(v) => ("long", json!(v)),
                HeaderValue::ByteArray(b) => ("bytes", json!(b64(b))),
                HeaderValue::String(s) => ("string", json!(s)),
                HeaderValue::Timestamp(v) => ("timestamp", json!(v)),
                HeaderValue::Uuid(u) => ("uuid", json!(b64(u))),
            };
            json!([h.name(), ty, v])
        })
        .collect();
    json!({ "headers": headers, "payload": b64(m.payload()) })
}

fn ours() -> Vec<Message> {
    let s = |v: &str| HeaderValue::String(v.to_string());
    vec![
        Message::new(Vec::new()),
        Message::new(b"{\"foo\":\"bar\"}".to_vec())
            .with_header(":message-type", s("event"))
            .with_header(":event-type", s("structure"))
            .with_header(":content-type", s("application/json")),
        Message::new(vec![0, 1, 2, 255])
            .with_header("yes", HeaderValue::Bool(true))
            .with_header("no", HeaderValue::Bool(false))
            .with_header("byte", HeaderValue::Byte(-1))
            .with_header("short", HeaderValue::Int16(i16::MIN))
            .with_header("int", HeaderValue::Int32(i32::MAX))
            .with_header("long", HeaderValue::Int64(i64::MIN))
            .with_header("blob", HeaderValue::ByteArray(vec![0xde, 0xad]))
            .with_header("str", s("snow ☃"))
            .with_header("ts", HeaderValue::Timestamp(1_730_384_114_000))
            .with_header("uuid", HeaderValue::Uuid(*b"0123456789abcdef")),
        Message::new(vec![7u8; 100_000]).with_header("big", s(&"y".repeat(32_767))),
        Message::new(b"text".to_vec()).with_header("é", HeaderValue::ByteArray(Vec::new())),
    ]
}

fn decode_in_pieces(bytes: &[u8], size: usize) -> Result<Vec<Message>, String> {
    let mut d = MessageDecoder::new();
    let mut out = Vec::new();
    for chunk in bytes.chunks(size) {
        d.push(chunk);
        while let Some(m) = d.next_message().map_err(|e| e.to_string())? {
            out.push(m);
        }
    }
    d.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[test]
fn event_stream_codec_agrees_with_botocore() {
    let Some(python) = python() else { return };
    let messages = ours();
    let stream: Vec<u8> = messages.iter().flat_map(|m| m.encode().unwrap()).collect();

    // Damage: a flipped bit in each part of a message (prelude length, prelude CRC, header,
    // payload, message CRC), and a changed byte in the middle of the big payload.
    let one = messages[2].encode().unwrap();
    let mut damaged = Vec::new();
    for at in [2, 9, 14, one.len() - 7, one.len() - 1] {
        let mut d = one.clone();
        d[at] ^= 0x10;
        damaged.push(d);
    }
    let mut big = messages[3].encode().unwrap();
    let mid = big.len() / 2;
    big[mid] = big[mid].wrapping_add(1);
    damaged.push(big);

    let vectors = protocol_test_vectors();
    let seed = "e".repeat(64);
    let times = [1_700_000_000u64, 1_700_000_000, 1_700_000_061];
    let inner: Vec<Vec<u8>> = messages[..3]
        .iter()
        .map(|m| m.encode().unwrap())
        .chain([Vec::new()])
        .collect();
    let request = json!({
        "ours": b64(&stream),
        "sizes": [1, 3, 17, 1000, 65536],
        "damaged": damaged.iter().map(|d| b64(d)).collect::<Vec<_>>(),
        "vectors": vectors.iter().map(|v| b64(v)).collect::<Vec<_>>(),
        "signing": {
            "secret": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "region": "us-west-2",
            "service": "transcribe",
            "seed": seed,
            "messages": inner.iter().zip(times.iter().chain([&1_700_000_062])).map(|(p, t)| json!({
                "payload": b64(p), "time": t
            })).collect::<Vec<_>>(),
        },
    });
    let mut child = Command::new(&python)
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(request.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).expect("python prints JSON");

    // 1. Our frames, decoded by botocore.
    let expected: Vec<Value> = messages.iter().map(as_botocore).collect();
    assert_eq!(answer["ours_by_botocore"], json!(expected));

    // 2. Frames laid out by hand, decoded by ours in odd chunk sizes, and by botocore.
    let by_hand: Vec<u8> = answer["by_hand"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            base64::engine::general_purpose::STANDARD
                .decode(f.as_str().unwrap())
                .unwrap()
        })
        .collect();
    for size in [1, 2, 7, 12, 13, 4096, by_hand.len()] {
        let decoded = decode_in_pieces(&by_hand, size).unwrap();
        let got: Vec<Value> = decoded.iter().map(typed).collect();
        assert_eq!(json!(got), answer["by_hand_expected"], "chunk size {size}");
        let folded: Vec<Value> = decoded.iter().map(as_botocore).collect();
        assert_eq!(json!(folded), answer["by_hand_by_botocore"]);
        // And our encoder lays them out exactly as Python did.
        let again: Vec<u8> = decoded.iter().flat_map(|m| m.encode().unwrap()).collect();
        assert_eq!(again, by_hand);
    }

    // 3. Damage is refused by both.
    let refused = answer["refused"].as_array().unwrap();
    for (i, d) in damaged.iter().enumerate() {
        assert!(
            refused[i].is_string(),
            "botocore accepted damaged frame {i}"
        );
        assert!(
            decode_in_pieces(d, 5).is_err(),
            "ours accepted damaged frame {i} (botocore: {})",
            refused[i]
        );
    }

    // 4. The protocol test vectors: same messages for both; our encoder writes them back.
    let by_botocore = answer["vectors_by_botocore"].as_array().unwrap();
    for (v, theirs) in vectors.iter().zip(by_botocore) {
        let decoded = decode_in_pieces(v, 3).unwrap();
        let folded: Vec<Value> = decoded.iter().map(as_botocore).collect();
        assert_eq!(&json!(folded), theirs);
        assert_eq!(decoded.len(), 1);
        assert_eq!(&decoded[0].encode().unwrap(), v);
    }

    // 5. Chained signatures.
    let credentials = Credentials::new("AKID", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
    let mut signer = MessageSigner::new(seed, credentials, "us-west-2", "transcribe");
    let mut ours_signatures = Vec::new();
    for (m, t) in messages[..3].iter().zip(times) {
        let envelope = signer
            .sign(m, UNIX_EPOCH + Duration::from_millis(t * 1000 + 999))
            .unwrap();
        assert_eq!(Message::decode(envelope.payload()).unwrap(), *m);
        ours_signatures.push(signer.previous_signature().to_string());
    }
    let end = signer.sign_end(UNIX_EPOCH + Duration::from_secs(1_700_000_062));
    assert!(end.payload().is_empty());
    ours_signatures.push(signer.previous_signature().to_string());
    assert_eq!(json!(ours_signatures), answer["signatures"]);
}
