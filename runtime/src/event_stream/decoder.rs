//! Reading messages from a byte stream that arrives in chunks of any size: a message may span
//! many chunks and a chunk may hold many messages.

use super::frame::{FrameError, Message, Prelude, PRELUDE_LEN};

/// Splits incoming bytes into messages. Feed it with [`push`](Self::push), take messages with
/// [`next_message`](Self::next_message) until it gives `None`, and call
/// [`finish`](Self::finish) when the stream ends (a message cut short is an error there).
/// After an error every call gives that error again: the stream is over.
#[derive(Debug, Default)]
pub struct MessageDecoder {
    buf: Vec<u8>,
    /// Bytes of `buf` already given out as messages.
    start: usize,
    /// The checked prelude of the message being read.
    prelude: Option<Prelude>,
    failed: Option<FrameError>,
}

impl MessageDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes as they arrive.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.failed.is_some() {
            return;
        }
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// The next whole message, `None` when more bytes are needed. A prelude is checked as soon
    /// as its 12 bytes are in, so a corrupt length is reported before its message would be.
    pub fn next_message(&mut self) -> Result<Option<Message>, FrameError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let result = self.read();
        if let Err(e) = &result {
            self.failed = Some(e.clone());
            self.buf = Vec::new();
            self.start = 0;
        }
        result
    }

    fn read(&mut self) -> Result<Option<Message>, FrameError> {
        let available = &self.buf[self.start..];
        let prelude = match self.prelude {
            Some(p) => p,
            None => {
                let Some(bytes) = available.get(..PRELUDE_LEN) else {
                    return Ok(None);
                };
                let p = Prelude::read(bytes.try_into().expect("12 bytes"))?;
                self.prelude = Some(p);
                p
            }
        };
        let Some(bytes) = available.get(..prelude.total_len) else {
            return Ok(None);
        };
        let message = Message::decode(bytes)?;
        self.start += prelude.total_len;
        self.prelude = None;
        Ok(Some(message))
    }

    /// Bytes received but not yet given out as messages.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// The stream has ended: an error if it ended inside a message (or had failed before).
    pub fn finish(&mut self) -> Result<(), FrameError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let have = self.buffered();
        if have == 0 {
            return Ok(());
        }
        let need = self
            .prelude
            .map(|p| p.total_len)
            .unwrap_or(super::frame::MIN_MESSAGE_LEN);
        let e = FrameError::Truncated { have, need };
        self.failed = Some(e.clone());
        Err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::super::frame::HeaderValue;
    use super::*;

    fn messages() -> Vec<Message> {
        (0..20)
            .map(|i| {
                Message::new(vec![i as u8; i * 7])
                    .with_header(":message-type", HeaderValue::String("event".into()))
                    .with_header(":event-type", HeaderValue::String(format!("e{i}")))
                    .with_header("n", HeaderValue::Int64(i as i64))
            })
            .collect()
    }

    fn wire(msgs: &[Message]) -> Vec<u8> {
        msgs.iter().flat_map(|m| m.encode().unwrap()).collect()
    }

    /// Feeds `bytes` in pieces of `sizes` (cycled), collecting messages.
    fn decode_in_pieces(bytes: &[u8], sizes: &[usize]) -> Result<Vec<Message>, FrameError> {
        let mut d = MessageDecoder::new();
        let mut out = Vec::new();
        let mut at = 0;
        let mut i = 0;
        while at < bytes.len() {
            let n = sizes[i % sizes.len()].min(bytes.len() - at);
            d.push(&bytes[at..at + n]);
            at += n;
            i += 1;
            while let Some(m) = d.next_message()? {
                out.push(m);
            }
        }
        d.finish()?;
        Ok(out)
    }

    #[test]
    fn chunks_of_any_size_give_the_same_messages() {
        let msgs = messages();
        let bytes = wire(&msgs);
        for sizes in [
            &[1][..],
            &[2],
            &[3, 1, 7],
            &[11],
            &[12],
            &[13],
            &[100, 1],
            &[bytes.len()],
        ] {
            assert_eq!(decode_in_pieces(&bytes, sizes).unwrap(), msgs, "{sizes:?}");
        }
    }

    #[test]
    fn a_stream_cut_inside_a_message_is_an_error_at_the_end() {
        let bytes = wire(&messages()[..3]);
        for cut in [1, 11, 12, 13, bytes.len() - 1] {
            let err = decode_in_pieces(&bytes[..cut], &[5]).unwrap_err();
            assert!(matches!(err, FrameError::Truncated { .. }), "{cut}: {err}");
        }
        // A cut between two messages is a clean end.
        let first = messages()[0].encode().unwrap().len();
        assert_eq!(decode_in_pieces(&bytes[..first], &[5]).unwrap().len(), 1);
    }

    #[test]
    fn a_bad_prelude_is_reported_before_its_message_arrives() {
        let mut bytes = wire(&messages()[..2]);
        bytes[1] ^= 0x40; // the total length of the first message
        let mut d = MessageDecoder::new();
        d.push(&bytes[..12]);
        assert!(matches!(
            d.next_message(),
            Err(FrameError::PreludeCrc { .. })
        ));
        // The stream stays failed.
        d.push(&bytes[12..]);
        assert!(d.next_message().is_err());
        assert!(d.finish().is_err());
    }

    #[test]
    fn a_bad_message_crc_fails_the_stream() {
        let msgs = messages();
        let mut bytes = wire(&msgs[..3]);
        let second_start = msgs[0].encode().unwrap().len();
        bytes[second_start + 20] ^= 1;
        let mut d = MessageDecoder::new();
        d.push(&bytes);
        assert_eq!(d.next_message().unwrap().as_ref(), Some(&msgs[0]));
        assert!(matches!(
            d.next_message(),
            Err(FrameError::MessageCrc { .. })
        ));
        assert!(d.next_message().is_err());
    }

    /// A small deterministic generator (xorshift), so the test needs no random-number crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Random truncations, bit flips, byte overwrites and garbage never panic; whatever is
    /// decoded before the damage is exactly the original messages, and damage to a message
    /// is always reported (CRC32 catches every change of one to three bits and every burst
    /// of up to 32 bits).
    #[test]
    fn damaged_streams_never_panic_and_damage_is_reported() {
        let msgs = messages();
        let bytes = wire(&msgs);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..3000 {
            let mut damaged = bytes.clone();
            let first_damage = match round % 4 {
                0 => {
                    let cut = rng.below(damaged.len());
                    damaged.truncate(cut);
                    cut
                }
                1 => {
                    let at = rng.below(damaged.len());
                    damaged[at] ^= 1 << rng.below(8);
                    at
                }
                2 => {
                    let at = rng.below(damaged.len());
                    let n = (1 + rng.below(4)).min(damaged.len() - at);
                    for b in &mut damaged[at..at + n] {
                        *b = rng.next() as u8;
                    }
                    at
                }
                _ => {
                    damaged = (0..rng.below(300)).map(|_| rng.next() as u8).collect();
                    0
                }
            };
            let sizes = [1 + rng.below(64), 1 + rng.below(3)];
            let result = std::panic::catch_unwind(|| decode_in_pieces(&damaged, &sizes));
            let result = result.unwrap_or_else(|_| panic!("round {round} panicked"));
            // Messages wholly before the damage decode unchanged.
            let mut end = 0;
            let intact = msgs
                .iter()
                .take_while(|m| {
                    end += m.encode().unwrap().len();
                    end <= first_damage
                })
                .count();
            match result {
                Ok(got) => {
                    if damaged == bytes {
                        // The overwrite happened to write the same bytes.
                        assert_eq!(got, msgs);
                    } else if round % 4 == 0 {
                        // A cut at a message boundary is a clean, shorter stream.
                        assert_eq!(got[..], msgs[..got.len()], "round {round}");
                        assert_eq!(got.len(), intact, "round {round}");
                    } else if round % 4 != 3 {
                        panic!("round {round}: damage went unnoticed");
                    }
                }
                Err(_) if round % 4 == 3 => {}
                Err(_) => {
                    // Every message before the damage was still delivered.
                    let partial = {
                        let mut d = MessageDecoder::new();
                        d.push(&damaged);
                        let mut n = 0;
                        while let Ok(Some(m)) = d.next_message() {
                            assert_eq!(m, msgs[n], "round {round}");
                            n += 1;
                        }
                        n
                    };
                    assert!(partial >= intact, "round {round}: {partial} < {intact}");
                }
            }
        }
    }
}
