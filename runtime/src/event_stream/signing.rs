//! Signing the messages of an input event stream (SigV4, `AWS4-HMAC-SHA256-PAYLOAD`).
//!
//! The HTTP request that opens the stream is signed as usual, with
//! `x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-EVENTS` as its payload hash; its
//! signature is the seed. Each message is then encoded and sent as the payload of an envelope
//! message with two headers, `:chunk-signature` (the 32 signature bytes) and `:date` (the
//! signing time, whole seconds), signed over this string:
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! <date-time, 20150830T123600Z>
//! <date>/<region>/<service>/aws4_request
//! <hex signature of the previous message, or the seed>
//! <hex SHA-256 of the encoded `:date` header>
//! <hex SHA-256 of the payload (the encoded message)>
//! ```
//!
//! The stream ends with an envelope whose payload is empty, signed the same way. This is how
//! the AWS SDKs sign event streams (the Amazon Transcribe streaming documentation describes
//! the format).

use std::time::SystemTime;

use super::super::datetime::DateTime;
use super::super::sigv4::{format_amz_date, hmac_sha256, payload_hash, signing_key, Credentials};
use super::frame::{FrameError, HeaderValue, Message};

/// The payload hash of a request whose body is a signed event stream.
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// Signs messages one after another, each signature chained to the one before.
pub struct MessageSigner {
    credentials: Credentials,
    region: String,
    service: String,
    previous: String,
}

impl std::fmt::Debug for MessageSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The credentials print redacted by their own `Debug`.
        f.debug_struct("MessageSigner")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("previous", &self.previous)
            .finish()
    }
}

impl MessageSigner {
    /// A signer whose first message chains to `seed_signature`, the hex signature of the
    /// HTTP request that opened the stream.
    pub fn new(
        seed_signature: impl Into<String>,
        credentials: Credentials,
        region: impl Into<String>,
        service: impl Into<String>,
    ) -> Self {
        MessageSigner {
            credentials,
            region: region.into(),
            service: service.into(),
            previous: seed_signature.into(),
        }
    }

    /// The hex signature the next message will chain to.
    pub fn previous_signature(&self) -> &str {
        &self.previous
    }

    /// The signed envelope of `message` at `time`.
    pub fn sign(&mut self, message: &Message, time: SystemTime) -> Result<Message, FrameError> {
        Ok(self.sign_payload(message.encode()?, time))
    }

    /// The signed empty envelope that ends the stream.
    pub fn sign_end(&mut self, time: SystemTime) -> Message {
        self.sign_payload(Vec::new(), time)
    }

    fn sign_payload(&mut self, payload: Vec<u8>, time: SystemTime) -> Message {
        // Whole seconds: the `:date` header must say exactly the time the string to sign says.
        let secs = DateTime::from(time).secs();
        let date_header = Message::new(Vec::new())
            .with_header(":date", HeaderValue::Timestamp(secs.saturating_mul(1000)));
        let sts = string_to_sign(
            &format_amz_date(time),
            &self.region,
            &self.service,
            &self.previous,
            &date_header,
            &payload,
        );
        let key = signing_key(
            self.credentials.secret_access_key(),
            &format_amz_date(time)[..8],
            &self.region,
            &self.service,
        );
        let signature = hmac_sha256(&key, sts.as_bytes());
        self.previous = hex::encode(&signature);
        let mut envelope = Message::new(payload)
            .with_header(":chunk-signature", HeaderValue::ByteArray(signature));
        for h in date_header.headers() {
            envelope.add_header(h.name(), h.value().clone());
        }
        envelope
    }
}

/// The string to sign of one message; `date_header` holds the `:date` header only.
fn string_to_sign(
    amz_date: &str,
    region: &str,
    service: &str,
    previous: &str,
    date_header: &Message,
    payload: &[u8],
) -> String {
    let headers = super::frame::encode_headers(date_header.headers())
        .expect("a :date timestamp header always encodes");
    format!(
        "AWS4-HMAC-SHA256-PAYLOAD\n{amz_date}\n{}/{region}/{service}/aws4_request\n{previous}\n{}\n{}",
        &amz_date[..8],
        payload_hash(&headers),
        payload_hash(payload),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    /// The string to sign of the AWS SDK for Rust's own event stream signing test (message
    /// `test payload` with header `some-header: value`, previous signature the SHA-256 of
    /// `last message sts`, 123456789.000001234 s after the epoch, `us-east-1`, `testservice`).
    #[test]
    fn string_to_sign_matches_the_aws_sdk_vector() {
        let message = Message::new(b"test payload".to_vec())
            .with_header("some-header", HeaderValue::String("value".into()));
        let time = UNIX_EPOCH + Duration::new(123_456_789, 1234);
        let secs = DateTime::from(time).secs();
        let date_header =
            Message::new(Vec::new()).with_header(":date", HeaderValue::Timestamp(secs * 1000));
        let sts = string_to_sign(
            &format_amz_date(time),
            "us-east-1",
            "testservice",
            &payload_hash(b"last message sts"),
            &date_header,
            &message.encode().unwrap(),
        );
        assert_eq!(
            sts,
            "AWS4-HMAC-SHA256-PAYLOAD\n\
             19731129T213309Z\n\
             19731129/us-east-1/testservice/aws4_request\n\
             be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n\
             0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n\
             f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6"
        );
    }

    #[test]
    fn envelopes_carry_the_signature_and_date_and_chain() {
        let creds = Credentials::new("AKID", "SECRET", Some("TOKEN".into()));
        let seed = "a".repeat(64);
        let mut signer = MessageSigner::new(seed.clone(), creds.clone(), "us-west-2", "svc");
        let time = UNIX_EPOCH + Duration::new(1_440_938_160, 999_000_000);
        let inner =
            Message::new(b"x".to_vec()).with_header(":event-type", HeaderValue::String("e".into()));
        let first = signer.sign(&inner, time).unwrap();
        let names: Vec<&str> = first.headers().iter().map(|h| h.name()).collect();
        assert_eq!(names, [":chunk-signature", ":date"]);
        assert_eq!(
            first.header(":date"),
            Some(&HeaderValue::Timestamp(1_440_938_160_000))
        );
        let HeaderValue::ByteArray(sig1) = first.header(":chunk-signature").unwrap() else {
            panic!("signature is a byte array")
        };
        assert_eq!(sig1.len(), 32);
        assert_eq!(hex::encode(sig1), signer.previous_signature());
        // The payload is the encoded inner message.
        assert_eq!(Message::decode(first.payload()).unwrap(), inner);

        // The same message signed again chains to the first signature: another signature.
        let second = signer.sign(&inner, time).unwrap();
        assert_ne!(
            second.header(":chunk-signature"),
            first.header(":chunk-signature")
        );
        // Signing from the same seed again gives the first signature again.
        let mut again = MessageSigner::new(seed, creds.clone(), "us-west-2", "svc");
        assert_eq!(again.sign(&inner, time).unwrap(), first);

        // The end: an empty payload, still signed and chained.
        let end = signer.sign_end(time);
        assert!(end.payload().is_empty());
        assert_eq!(end.headers().len(), 2);
        // The session token travels in the request, never in messages.
        let shown = format!("{signer:?}");
        assert!(
            !shown.contains("SECRET") && !shown.contains("TOKEN"),
            "{shown}"
        );
    }

    /// The signature recomputed step by step from the documented algorithm.
    #[test]
    fn signature_is_the_hmac_of_the_string_to_sign_with_the_day_key() {
        let creds = Credentials::new("AKID", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
        let seed = payload_hash(b"seed");
        let mut signer = MessageSigner::new(seed.clone(), creds, "us-east-1", "transcribe");
        let time = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let envelope = signer.sign_end(time);
        let date = HeaderValue::Timestamp(1_700_000_000_000);
        // `:date` encoded by hand: name length 5, name, type 8, 8 bytes of milliseconds.
        let mut date_bytes = vec![5u8];
        date_bytes.extend_from_slice(b":date");
        date_bytes.push(8);
        date_bytes.extend_from_slice(&1_700_000_000_000i64.to_be_bytes());
        let sts = format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n20231114T221320Z\n20231114/us-east-1/transcribe/aws4_request\n{seed}\n{}\n{}",
            payload_hash(&date_bytes),
            payload_hash(b"")
        );
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20231114",
            "us-east-1",
            "transcribe",
        );
        assert_eq!(
            envelope.header(":chunk-signature"),
            Some(&HeaderValue::ByteArray(hmac_sha256(&key, sts.as_bytes())))
        );
        assert_eq!(envelope.header(":date"), Some(&date));
    }
}
