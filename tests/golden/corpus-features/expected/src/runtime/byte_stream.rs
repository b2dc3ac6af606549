// @generated: a verbatim copy of `runtime/src/byte_stream.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! `ByteStream`: the body of a `@streaming` blob payload (an MP4 clip, a live MKV stream).
//!
//! The client hands the HTTP body over as it arrives, chunk by chunk, so that a payload of any
//! size is never held in memory whole. The sans-I/O `parse_response` (a whole body in hand)
//! gives a buffered `ByteStream` holding that body.

use std::fmt;

#[cfg(feature = "client")]
use std::pin::Pin;
#[cfg(feature = "client")]
use std::task::{Context, Poll};

#[cfg(feature = "client")]
use super::transport::TransportError;

/// Chunks of a payload as the transport reads them.
#[cfg(feature = "client")]
pub type ChunkStream =
    Pin<Box<dyn futures_util::Stream<Item = Result<Vec<u8>, TransportError>> + Send>>;

/// A payload read incrementally: `next().await` gives each chunk as it arrives, and a connection
/// that breaks before the body's end gives an error (never a short success).
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    /// Bytes already in memory (an empty payload, a test, the sans-I/O path); given out once.
    Buffered(Option<Vec<u8>>),
    #[cfg(feature = "client")]
    Live(ChunkStream),
}

impl ByteStream {
    /// An empty payload.
    pub fn new() -> Self {
        ByteStream {
            inner: Inner::Buffered(None),
        }
    }

    /// A payload read from `chunks` as they come (what the client builds from the connection).
    #[cfg(feature = "client")]
    pub fn from_chunks(chunks: ChunkStream) -> Self {
        ByteStream {
            inner: Inner::Live(chunks),
        }
    }

    /// The bytes, if they are all in memory already (not yet read by `next`).
    pub fn as_buffered(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Buffered(bytes) => Some(bytes.as_deref().unwrap_or_default()),
            #[cfg(feature = "client")]
            Inner::Live(_) => None,
        }
    }

    /// The next chunk; `None` at the end of the payload.
    #[cfg(feature = "client")]
    pub async fn next(&mut self) -> Option<Result<Vec<u8>, TransportError>> {
        futures_util::StreamExt::next(self).await
    }

    /// Reads the rest of the payload into memory.
    #[cfg(feature = "client")]
    pub async fn collect(mut self) -> Result<Vec<u8>, TransportError> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    /// Copies the rest of the payload into `sink` chunk by chunk (a file, say); returns the
    /// number of bytes written. Reading errors and writing errors are both `io::Error`s.
    #[cfg(feature = "client")]
    pub async fn write_to(mut self, sink: &mut impl std::io::Write) -> std::io::Result<u64> {
        let mut written = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk.map_err(std::io::Error::other)?;
            sink.write_all(&chunk)?;
            written += chunk.len() as u64;
        }
        sink.flush()?;
        Ok(written)
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::new()
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream {
            inner: Inner::Buffered(Some(bytes)),
        }
    }
}

impl From<&[u8]> for ByteStream {
    fn from(bytes: &[u8]) -> Self {
        ByteStream::from(bytes.to_vec())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_buffered() {
            Some(bytes) => write!(f, "ByteStream({} bytes buffered)", bytes.len()),
            None => f.write_str("ByteStream(streaming)"),
        }
    }
}

#[cfg(feature = "client")]
impl futures_util::Stream for ByteStream {
    type Item = Result<Vec<u8>, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.inner {
            // An empty buffer is no chunk at all, as an empty HTTP body.
            Inner::Buffered(bytes) => Poll::Ready(bytes.take().filter(|b| !b.is_empty()).map(Ok)),
            Inner::Live(chunks) => chunks.as_mut().poll_next(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffered_payloads_are_visible_without_reading() {
        let s = ByteStream::from(b"abc".to_vec());
        assert_eq!(s.as_buffered(), Some(&b"abc"[..]));
        assert_eq!(format!("{s:?}"), "ByteStream(3 bytes buffered)");
        assert_eq!(ByteStream::new().as_buffered(), Some(&[][..]));
    }

    #[cfg(feature = "client")]
    #[test]
    fn live_chunks_are_read_in_order_and_errors_surface() {
        use super::super::transport::TransportErrorKind;
        let chunks: Vec<Result<Vec<u8>, TransportError>> = vec![
            Ok(b"ab".to_vec()),
            Ok(b"cd".to_vec()),
            Err(TransportError::new(TransportErrorKind::Io, "cut")),
        ];
        let s = ByteStream::from_chunks(Box::pin(futures_util::stream::iter(chunks)));
        assert_eq!(format!("{s:?}"), "ByteStream(streaming)");
        assert!(s.as_buffered().is_none());
        let result = futures_util::FutureExt::now_or_never(s.collect()).expect("ready stream");
        let err = result.expect_err("a cut connection is an error, not a short success");
        assert_eq!(err.kind(), TransportErrorKind::Io);
    }
}
