//! The generator's error: always names what it is about (a shape, member or trait) so that a
//! malformed or unsupported model can be fixed without guessing.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// A shape or member id (`ns#Shape$member`), or `<model>` for the document itself.
    subject: String,
    message: String,
}

impl Error {
    /// `subject` is usually a shape id; `message` continues the sentence after it.
    pub fn model(subject: impl fmt::Display, message: impl Into<String>) -> Self {
        Error {
            subject: subject.to_string(),
            message: message.into(),
        }
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.subject, self.message)
    }
}

impl std::error::Error for Error {}
