//! The sans-I/O contract of an operation: input to request bytes, response bytes to output.
//! Transports and tests sit on top of it.

use super::byte_stream::ByteStream;
use super::error::SdkError;
use super::http::{HttpRequest, HttpResponse};
use super::validate::ValidationErrors;

/// How an operation's requests are authenticated, as the model says (`@auth`, `@optionalAuth`,
/// `aws.auth#sigv4`, `aws.auth#unsignedPayload`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// SigV4, the payload hashed.
    SigV4,
    /// SigV4 with `x-amz-content-sha256: UNSIGNED-PAYLOAD` in place of the payload hash.
    SigV4UnsignedPayload,
    /// No signature at all (`@auth([])`): sent as botocore sends it, without `authorization`
    /// or `x-amz-date`.
    Anonymous,
}

pub trait Operation {
    /// The model name (`DescribeImageGenerationConfiguration`).
    const NAME: &'static str;
    /// How requests are authenticated.
    const AUTH: Auth = Auth::SigV4;
    type Input;
    /// `Send`, so that a call can run on any thread of a runtime.
    type Output: Send;
    type Error: Send;

    /// Validates the input and builds the request (no host, no signature yet).
    fn serialize_request(input: &Self::Input) -> Result<HttpRequest, ValidationErrors>;

    /// Reads a response: the output on success, the typed error otherwise.
    fn parse_response(response: &HttpResponse) -> Result<Self::Output, SdkError<Self::Error>>;

    /// `@requestCompression`: the client compresses the body before signing it.
    const REQUEST_COMPRESSION: Option<super::request_body::RequestCompression> = None;

    /// `@httpChecksumRequired`: the client adds a checksum of the body as sent (compressed,
    /// when it is), before signing.
    const REQUEST_CHECKSUM: Option<super::request_body::RequestChecksum> = None;

    /// The output's payload is a `@streaming` blob: on a 2xx status the client reads only the
    /// head and hands the body over unread, through [`Operation::parse_streaming_output`].
    const STREAMING_OUTPUT: bool = false;

    /// Reads the head of a 2xx response (`head.body` is empty) into the output, with `payload`
    /// as its streaming member. Operations without one read `head` as a whole response.
    fn parse_streaming_output(
        head: &HttpResponse,
        payload: ByteStream,
    ) -> Result<Self::Output, SdkError<Self::Error>> {
        let _ = payload;
        Self::parse_response(head)
    }

    /// The input's event stream, taken out of `input` for the client to sign and send message
    /// by message after the request head; `None` for operations without one.
    #[cfg(feature = "client")]
    fn event_stream_input(
        input: &Self::Input,
    ) -> Option<Result<super::event_stream::sender::MessageStream, super::error::BoxError>> {
        let _ = input;
        None
    }
}

/// Where the tokens of `@idempotencyToken` members the caller left unset come from
/// (`ConfigBuilder::idempotency_token_provider`): random UUIDs unless set.
#[derive(Clone)]
pub struct IdempotencyTokenProvider(std::sync::Arc<dyn Fn() -> String + Send + Sync>);

impl IdempotencyTokenProvider {
    pub fn new(f: impl Fn() -> String + Send + Sync + 'static) -> Self {
        IdempotencyTokenProvider(std::sync::Arc::new(f))
    }

    /// Always `token` (for reproducible requests: tests, dry runs compared over time).
    pub fn fixed(token: impl Into<String>) -> Self {
        let token = token.into();
        Self::new(move || token.clone())
    }
}

impl std::fmt::Debug for IdempotencyTokenProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdempotencyTokenProvider")
    }
}

thread_local! {
    /// The provider of the configuration whose request is being serialized on this thread.
    static TOKEN_PROVIDER: std::cell::RefCell<Option<IdempotencyTokenProvider>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` (a request's serialization, which is synchronous) with `provider` giving the
/// idempotency tokens.
#[cfg(feature = "client")]
pub(crate) fn with_token_provider<R>(
    provider: Option<&IdempotencyTokenProvider>,
    f: impl FnOnce() -> R,
) -> R {
    let Some(provider) = provider else {
        return f();
    };
    struct Restore(Option<IdempotencyTokenProvider>);
    impl Drop for Restore {
        fn drop(&mut self) {
            TOKEN_PROVIDER.with(|p| *p.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(TOKEN_PROVIDER.with(|p| p.borrow_mut().replace(provider.clone())));
    f()
}

/// The token for an `@idempotencyToken` member the caller left unset: from the configuration's
/// provider while one of its requests is serialized, else a random UUID v4.
pub fn idempotency_token() -> String {
    if let Some(token) = TOKEN_PROVIDER.with(|p| p.borrow().as_ref().map(|p| (p.0)())) {
        return token;
    }
    random_token()
}

/// A random UUID v4. Randomness comes from the standard library's random hasher keys (drawn
/// from the OS once per thread, then stepped for every `RandomState`), mixed with a process-wide
/// counter, so no random-number crate is needed.
fn random_token() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = RandomState::new();
    let half = |salt: u64| {
        let mut h = state.build_hasher();
        h.write_u64(n);
        h.write_u64(salt);
        h.finish()
    };
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&half(1).to_le_bytes());
    b[8..].copy_from_slice(&half(2).to_le_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0x0f)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn idempotency_tokens_are_distinct_uuid_v4() {
        let a = super::idempotency_token();
        let b = super::idempotency_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        let many: std::collections::BTreeSet<String> =
            (0..10_000).map(|_| super::idempotency_token()).collect();
        assert_eq!(many.len(), 10_000);
        for t in &many {
            for (i, c) in t.char_indices() {
                match i {
                    8 | 13 | 18 | 23 => assert_eq!(c, '-', "{t}"),
                    _ => assert!(matches!(c, '0'..='9' | 'a'..='f'), "{t}"),
                }
            }
        }
    }

    #[cfg(feature = "client")]
    #[test]
    fn a_provider_gives_the_tokens_only_while_its_request_is_serialized() {
        let fixed = super::IdempotencyTokenProvider::fixed("token-1");
        let inside = super::with_token_provider(Some(&fixed), super::idempotency_token);
        assert_eq!(inside, "token-1");
        // A panic while serializing leaves no provider behind.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            super::with_token_provider(Some(&fixed), || panic!("serializer failed"))
        }));
        let after = super::idempotency_token();
        assert_ne!(after, "token-1");
        assert_eq!(after.len(), 36);
        assert_eq!(super::with_token_provider(None, || 7), 7);
    }
}
