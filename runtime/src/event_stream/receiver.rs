//! `EventReceiver`: an output event stream, read as typed events while the body arrives.

use std::fmt;

use super::super::byte_stream::ByteStream;
use super::super::error::{BoxError, ErrorMeta};
use super::super::json::DeserializeError;
use super::decoder::MessageDecoder;
use super::frame::{FrameError, Message};
use super::{message_kind, MessageKind};

/// Turns one message into an event (`Ok(None)` skips it), or into the stream's error. The
/// `ErrorMeta` holds the response's status and request id, for errors to carry.
pub type Unmarshaller<T, E> = fn(&Message, &ErrorMeta) -> Result<Option<T>, ReceiveError<E>>;

/// Why an event stream gave no event.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReceiveError<E> {
    /// The service sent an exception (a modeled error of the stream, or one it does not model:
    /// `Unhandled`). The stream ends with it.
    Service(E),
    /// The bytes are not a valid event stream: a checksum or length is wrong, a message is
    /// malformed, or the stream ended inside a message (a cut connection). The stream ends.
    Frame(FrameError),
    /// A well-framed event does not fit the model (its payload or a header). The stream goes
    /// on with the next event.
    Event(DeserializeError),
    /// The connection broke. The stream ends.
    Transport(BoxError),
}

impl<E> ReceiveError<E> {
    /// Does the stream end with this error?
    pub fn is_terminal(&self) -> bool {
        !matches!(self, ReceiveError::Event(_))
    }
}

impl<E: fmt::Display> fmt::Display for ReceiveError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReceiveError::Service(e) => write!(f, "the event stream ended with an error: {e}"),
            ReceiveError::Frame(e) => e.fmt(f),
            ReceiveError::Event(e) => write!(f, "event does not fit the model: {e}"),
            ReceiveError::Transport(e) => write!(f, "event stream broken: {e}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ReceiveError<E> {}

/// Events of an output stream, in order. With the client, `next().await` gives each event as
/// its message arrives (it is also a `futures` `Stream`); a body already in memory (the
/// sans-I/O `parse_response`) is read with [`next_buffered`](Self::next_buffered). An
/// exception, a broken frame or a cut connection is an error after which the stream is over.
pub struct EventReceiver<T, E> {
    body: ByteStream,
    decoder: MessageDecoder,
    unmarshall: Unmarshaller<T, E>,
    base: ErrorMeta,
    done: bool,
}

/// One step of reading: an item, the end, or more bytes needed.
enum Step<T, E> {
    Item(Result<T, ReceiveError<E>>),
    End,
    NeedBytes,
}

impl<T, E> EventReceiver<T, E> {
    /// Events read from `body` with `unmarshall`; `base` (status, request id) goes into errors.
    pub fn new(body: ByteStream, unmarshall: Unmarshaller<T, E>, base: ErrorMeta) -> Self {
        EventReceiver {
            body,
            decoder: MessageDecoder::new(),
            unmarshall,
            base,
            done: false,
        }
    }

    /// Decodes what is buffered: an event, an error, or the need for more bytes.
    fn step(&mut self) -> Step<T, E> {
        if self.done {
            return Step::End;
        }
        loop {
            let message = match self.decoder.next_message() {
                Ok(Some(m)) => m,
                Ok(None) => return Step::NeedBytes,
                Err(e) => return self.fail(ReceiveError::Frame(e)),
            };
            // RPC protocols send their initial response as an event; it is no event of the
            // union, and REST protocols carry it in the HTTP head.
            if message_kind(&message) == Ok(MessageKind::Event("initial-response")) {
                continue;
            }
            match (self.unmarshall)(&message, &self.base) {
                Ok(Some(event)) => return Step::Item(Ok(event)),
                Ok(None) => continue,
                Err(e) if e.is_terminal() => return self.fail(e),
                Err(e) => return Step::Item(Err(e)),
            }
        }
    }

    fn fail(&mut self, e: ReceiveError<E>) -> Step<T, E> {
        self.done = true;
        Step::Item(Err(e))
    }

    /// The body has ended: the end of the stream, or an error if a message was cut short.
    fn end_of_body(&mut self) -> Step<T, E> {
        match self.decoder.finish() {
            Ok(()) => {
                self.done = true;
                Step::End
            }
            Err(e) => self.fail(ReceiveError::Frame(e)),
        }
    }

    /// The next event of a body already in memory; `None` at the end. A body still on the
    /// wire gives an error here: read it with `next().await`.
    pub fn next_buffered(&mut self) -> Option<Result<T, ReceiveError<E>>> {
        loop {
            match self.step() {
                Step::Item(item) => return Some(item),
                Step::End => return None,
                Step::NeedBytes => {}
            }
            let body = std::mem::take(&mut self.body);
            match body.into_buffered() {
                Ok(bytes) if !bytes.is_empty() => self.decoder.push(&bytes),
                Ok(_) => match self.end_of_body() {
                    Step::Item(item) => return Some(item),
                    _ => return None,
                },
                Err(live) => {
                    self.body = live;
                    return Some(Err(ReceiveError::Transport(
                        "the event stream is still on the wire; read it with `next().await`".into(),
                    )));
                }
            }
        }
    }

    /// The next event as it arrives; `None` at the end of the stream.
    #[cfg(feature = "client")]
    pub async fn next(&mut self) -> Option<Result<T, ReceiveError<E>>>
    where
        T: Unpin,
        E: Unpin,
    {
        futures_util::StreamExt::next(self).await
    }

    /// Every remaining event, or the first error (events that do not fit the model included).
    #[cfg(feature = "client")]
    pub async fn collect(mut self) -> Result<Vec<T>, ReceiveError<E>>
    where
        T: Unpin,
        E: Unpin,
    {
        let mut out = Vec::new();
        while let Some(event) = self.next().await {
            out.push(event?);
        }
        Ok(out)
    }
}

impl<T, E> Default for EventReceiver<T, E> {
    /// A stream without events.
    fn default() -> Self {
        fn none<T, E>(_: &Message, _: &ErrorMeta) -> Result<Option<T>, ReceiveError<E>> {
            Ok(None)
        }
        EventReceiver::new(ByteStream::new(), none, ErrorMeta::default())
    }
}

impl<T, E> fmt::Debug for EventReceiver<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventReceiver")
            .field("body", &self.body)
            .field("buffered", &self.decoder.buffered())
            .field("done", &self.done)
            .finish()
    }
}

#[cfg(feature = "client")]
impl<T: Unpin, E: Unpin> futures_util::Stream for EventReceiver<T, E> {
    type Item = Result<T, ReceiveError<E>>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = self.get_mut();
        loop {
            match this.step() {
                Step::Item(item) => return Poll::Ready(Some(item)),
                Step::End => return Poll::Ready(None),
                Step::NeedBytes => {}
            }
            match futures_util::Stream::poll_next(std::pin::Pin::new(&mut this.body), cx) {
                Poll::Ready(Some(Ok(chunk))) => this.decoder.push(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    return match this.fail(ReceiveError::Transport(Box::new(e))) {
                        Step::Item(item) => Poll::Ready(Some(item)),
                        _ => Poll::Ready(None),
                    }
                }
                Poll::Ready(None) => {
                    return match this.end_of_body() {
                        Step::Item(item) => Poll::Ready(Some(item)),
                        _ => Poll::Ready(None),
                    }
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::frame::HeaderValue;
    use super::*;

    /// Events are the payload as text; exceptions are errors carrying the exception type.
    fn unmarshall(m: &Message, base: &ErrorMeta) -> Result<Option<String>, ReceiveError<String>> {
        match message_kind(m).map_err(ReceiveError::Frame)? {
            MessageKind::Event("skip") => Ok(None),
            MessageKind::Event("bad") => Err(ReceiveError::Event(DeserializeError::new("bad"))),
            MessageKind::Event(_) => Ok(Some(String::from_utf8_lossy(m.payload()).into_owned())),
            MessageKind::Exception(t) => Err(ReceiveError::Service(format!(
                "{t} (HTTP {})",
                base.status()
            ))),
            MessageKind::Error { code, .. } => {
                Err(ReceiveError::Service(code.unwrap_or("?").to_string()))
            }
        }
    }

    fn event(ty: &str, payload: &str) -> Vec<u8> {
        Message::new(payload.as_bytes().to_vec())
            .with_header(":message-type", HeaderValue::String("event".into()))
            .with_header(":event-type", HeaderValue::String(ty.into()))
            .encode()
            .unwrap()
    }

    fn exception(ty: &str) -> Vec<u8> {
        Message::new(b"{}".to_vec())
            .with_header(":message-type", HeaderValue::String("exception".into()))
            .with_header(":exception-type", HeaderValue::String(ty.into()))
            .encode()
            .unwrap()
    }

    fn receiver(bytes: Vec<u8>) -> EventReceiver<String, String> {
        EventReceiver::new(
            ByteStream::from(bytes),
            unmarshall,
            ErrorMeta::new(None, None, 200, None),
        )
    }

    fn drain(mut r: EventReceiver<String, String>) -> Vec<Result<String, String>> {
        let mut out = Vec::new();
        while let Some(item) = r.next_buffered() {
            out.push(item.map_err(|e| match e {
                ReceiveError::Service(s) => format!("service: {s}"),
                ReceiveError::Frame(f) => format!("frame: {f}"),
                ReceiveError::Event(e) => format!("event: {e}"),
                ReceiveError::Transport(e) => format!("transport: {e}"),
            }));
        }
        out
    }

    #[test]
    fn events_in_order_skipping_initial_responses_and_skipped_events() {
        let bytes = [
            event("initial-response", "{}"),
            event("a", "1"),
            event("skip", "x"),
            event("b", "2"),
        ]
        .concat();
        assert_eq!(drain(receiver(bytes)), [Ok("1".into()), Ok("2".into())]);
        assert!(drain(receiver(Vec::new())).is_empty());
        assert!(drain(EventReceiver::default()).is_empty());
    }

    #[test]
    fn an_exception_ends_the_stream() {
        let bytes = [event("a", "1"), exception("throttled"), event("b", "2")].concat();
        assert_eq!(
            drain(receiver(bytes)),
            [Ok("1".into()), Err("service: throttled (HTTP 200)".into())]
        );
    }

    #[test]
    fn an_event_that_does_not_fit_is_an_error_and_the_stream_goes_on() {
        let bytes = [event("bad", ""), event("b", "2")].concat();
        let got = drain(receiver(bytes));
        assert_eq!(got.len(), 2);
        assert!(got[0].as_ref().unwrap_err().starts_with("event:"));
        assert_eq!(got[1], Ok("2".into()));
    }

    #[test]
    fn a_cut_or_corrupt_stream_is_an_error_after_the_good_events() {
        let mut bytes = [event("a", "1"), event("b", "2")].concat();
        bytes.pop();
        let got = drain(receiver(bytes));
        assert_eq!(got[0], Ok("1".into()));
        assert!(
            got[1].as_ref().unwrap_err().contains("ended inside"),
            "{got:?}"
        );
        assert_eq!(got.len(), 2);

        let mut bytes = [event("a", "1"), event("b", "2")].concat();
        let n = bytes.len();
        bytes[n - 6] ^= 1;
        let got = drain(receiver(bytes));
        assert!(got[1].as_ref().unwrap_err().contains("checksum"), "{got:?}");
        assert_eq!(got.len(), 2);
    }

    #[cfg(feature = "client")]
    #[test]
    fn live_chunks_of_any_size_and_a_broken_connection() {
        use super::super::super::transport::{TransportError, TransportErrorKind};
        let bytes = [event("a", "1"), event("b", "22"), event("c", "333")].concat();
        for size in [1, 5, 13, 1000] {
            let chunks: Vec<Result<Vec<u8>, TransportError>> =
                bytes.chunks(size).map(|c| Ok(c.to_vec())).collect();
            let r: EventReceiver<String, String> = EventReceiver::new(
                ByteStream::from_chunks(Box::pin(futures_util::stream::iter(chunks))),
                unmarshall,
                ErrorMeta::default(),
            );
            let got = futures_util::FutureExt::now_or_never(r.collect())
                .expect("ready")
                .unwrap();
            assert_eq!(got, ["1", "22", "333"], "{size}");
        }
        let chunks: Vec<Result<Vec<u8>, TransportError>> = vec![
            Ok(event("a", "1")),
            Ok(bytes[..3].to_vec()),
            Err(TransportError::new(TransportErrorKind::Io, "reset")),
        ];
        let mut r: EventReceiver<String, String> = EventReceiver::new(
            ByteStream::from_chunks(Box::pin(futures_util::stream::iter(chunks))),
            unmarshall,
            ErrorMeta::default(),
        );
        let mut next = || futures_util::FutureExt::now_or_never(r.next()).expect("ready");
        assert_eq!(next().unwrap().unwrap(), "1");
        assert!(matches!(next(), Some(Err(ReceiveError::Transport(_)))));
        assert!(next().is_none());
    }
}
