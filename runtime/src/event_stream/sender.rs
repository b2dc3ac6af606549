//! `EventSender`: the events of an input event stream, given by the caller.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use super::super::error::BoxError;
use super::frame::Message;

/// Turns one event into its (unsigned) message.
pub type Marshaller<T> = fn(&T) -> Result<Message, BoxError>;

/// Messages as the client sends them, one by one.
#[cfg(feature = "client")]
pub type MessageStream =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Message, BoxError>> + Send>>;

/// The events an input stream sends: a list known in advance, or (with the client) a
/// `futures` `Stream` whose items are sent as it yields them (audio as it is recorded); its end
/// ends the input. The events are sent once: clones share them, and a second call with the
/// same input finds them gone.
pub struct EventSender<T> {
    source: Arc<Mutex<Source<T>>>,
}

enum Source<T> {
    Events(Vec<T>),
    #[cfg(feature = "client")]
    Live(std::pin::Pin<Box<dyn futures_util::Stream<Item = T> + Send>>),
    Sent,
}

impl<T> EventSender<T> {
    /// No events: the stream opens and ends at once.
    pub fn new() -> Self {
        Self::from_events(Vec::new())
    }

    /// Events known in advance, sent in order.
    pub fn from_events(events: impl IntoIterator<Item = T>) -> Self {
        EventSender {
            source: Arc::new(Mutex::new(Source::Events(events.into_iter().collect()))),
        }
    }

    /// Events sent as `stream` yields them.
    #[cfg(feature = "client")]
    pub fn from_stream(stream: impl futures_util::Stream<Item = T> + Send + 'static) -> Self {
        EventSender {
            source: Arc::new(Mutex::new(Source::Live(Box::pin(stream)))),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Source<T>> {
        // A panic while holding the lock cannot leave the source half-changed.
        self.source.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The events, while they are a list not sent yet.
    pub fn events(&self) -> Option<Vec<T>>
    where
        T: Clone,
    {
        match &*self.lock() {
            Source::Events(events) => Some(events.clone()),
            _ => None,
        }
    }

    fn take(&self) -> Result<Source<T>, BoxError> {
        match std::mem::replace(&mut *self.lock(), Source::Sent) {
            Source::Sent => Err("the events of this input stream were sent already".into()),
            source => Ok(source),
        }
    }

    /// The messages of a list of events (what the sans-I/O caller signs and sends itself).
    /// Takes the events: they are sent once.
    pub fn take_messages(&self, marshall: Marshaller<T>) -> Result<Vec<Message>, BoxError> {
        match self.take()? {
            Source::Events(events) => events.iter().map(marshall).collect(),
            #[cfg(feature = "client")]
            live @ Source::Live(_) => {
                *self.lock() = live;
                Err("the events of this input stream are a live stream".into())
            }
            Source::Sent => unreachable!("take never gives Sent"),
        }
    }

    /// The messages to send, as the events come. Takes the events: they are sent once.
    #[cfg(feature = "client")]
    pub fn take_message_stream(&self, marshall: Marshaller<T>) -> Result<MessageStream, BoxError>
    where
        T: Send + 'static,
    {
        use futures_util::StreamExt as _;
        Ok(match self.take()? {
            Source::Events(events) => Box::pin(futures_util::stream::iter(
                events.into_iter().map(move |e| marshall(&e)),
            )),
            Source::Live(stream) => Box::pin(stream.map(move |e| marshall(&e))),
            Source::Sent => unreachable!("take never gives Sent"),
        })
    }
}

impl<T> Default for EventSender<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for EventSender<T> {
    fn clone(&self) -> Self {
        EventSender {
            source: self.source.clone(),
        }
    }
}

impl<T> From<Vec<T>> for EventSender<T> {
    fn from(events: Vec<T>) -> Self {
        Self::from_events(events)
    }
}

/// Two senders are equal when they share their events, or hold equal lists.
impl<T: PartialEq> PartialEq for EventSender<T> {
    fn eq(&self, other: &Self) -> bool {
        if Arc::ptr_eq(&self.source, &other.source) {
            return true;
        }
        match (&*self.lock(), &*other.lock()) {
            (Source::Events(a), Source::Events(b)) => a == b,
            _ => false,
        }
    }
}

impl<T> fmt::Debug for EventSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Events may hold sensitive data: only their number is shown.
        match &*self.lock() {
            Source::Events(events) => write!(f, "EventSender({} events)", events.len()),
            #[cfg(feature = "client")]
            Source::Live(_) => f.write_str("EventSender(stream)"),
            Source::Sent => f.write_str("EventSender(sent)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::frame::HeaderValue;
    use super::*;

    fn marshall(e: &String) -> Result<Message, BoxError> {
        if e.is_empty() {
            return Err("empty events cannot be sent".into());
        }
        Ok(Message::new(e.as_bytes().to_vec())
            .with_header(":event-type", HeaderValue::String("e".into())))
    }

    #[test]
    fn events_are_sent_once_and_shared_by_clones() {
        let sender = EventSender::from(vec!["a".to_string(), "b".to_string()]);
        let clone = sender.clone();
        assert_eq!(sender, clone);
        assert_eq!(format!("{sender:?}"), "EventSender(2 events)");
        assert_eq!(sender.events().unwrap().len(), 2);
        let messages = clone.take_messages(marshall).unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[1].payload(), b"b");
        assert!(sender.events().is_none());
        assert_eq!(format!("{sender:?}"), "EventSender(sent)");
        let again = sender.take_messages(marshall).unwrap_err();
        assert!(again.to_string().contains("sent already"), "{again}");
        assert_eq!(EventSender::from(vec![1]), EventSender::from_events([1]));
        assert_ne!(EventSender::from(vec![1]), EventSender::from(vec![2]));
    }

    #[test]
    fn an_event_that_cannot_be_marshalled_is_an_error() {
        let sender = EventSender::from(vec!["a".to_string(), String::new()]);
        assert!(sender.take_messages(marshall).is_err());
    }

    #[cfg(feature = "client")]
    #[test]
    fn a_live_stream_is_sent_as_it_yields() {
        use futures_util::StreamExt as _;
        let sender = EventSender::from_stream(futures_util::stream::iter(vec![
            "x".to_string(),
            "y".to_string(),
        ]));
        assert_eq!(format!("{sender:?}"), "EventSender(stream)");
        // A live stream has no list to give out, and stays there.
        assert!(sender.take_messages(marshall).is_err());
        let stream = sender.take_message_stream(marshall).unwrap();
        let got: Vec<_> = futures_util::FutureExt::now_or_never(stream.collect::<Vec<_>>())
            .expect("ready")
            .into_iter()
            .map(|m| m.unwrap().into_payload())
            .collect();
        assert_eq!(got, [b"x".to_vec(), b"y".to_vec()]);
        assert!(sender.take_message_stream(marshall).is_err());
    }
}
