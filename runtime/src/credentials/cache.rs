//! A cache in front of any credentials provider: temporary credentials are kept until shortly
//! before they expire, then refreshed once however many calls are waiting.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

use super::super::sigv4::Credentials;
use super::{
    CredentialsError, CredentialsErrorKind, ProvideCredentials, ProvideFuture,
    SharedCredentialsProvider, SystemClock, TimeSource,
};

/// Temporary credentials are refreshed this long before they expire, as in the AWS SDKs.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);

/// Wraps a provider. Credentials without an expiry are read once and kept; temporary ones are
/// kept until [`DEFAULT_REFRESH_BUFFER`] before they expire. A refresh is single flight: calls
/// that arrive while one is running wait for it and share its result. When a refresh fails and
/// the cached credentials have not expired yet, they keep being used.
pub struct CredentialsCache {
    provider: SharedCredentialsProvider,
    clock: Arc<dyn TimeSource>,
    buffer: Duration,
    /// Bumped after every call to the provider (success or failure).
    generation: AtomicU64,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    credentials: Option<Credentials>,
    /// The last refresh's error (kind, code, message), shared with the calls that waited for it.
    last_error: Option<(CredentialsErrorKind, Option<String>, String)>,
}

impl CredentialsCache {
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        CredentialsCache {
            provider: SharedCredentialsProvider::new(provider),
            clock: Arc::new(SystemClock),
            buffer: DEFAULT_REFRESH_BUFFER,
            generation: AtomicU64::new(0),
            state: Mutex::new(State::default()),
        }
    }

    /// The clock expiry is judged by.
    pub fn with_clock(mut self, clock: Arc<dyn TimeSource>) -> Self {
        self.clock = clock;
        self
    }

    /// How long before expiry credentials are refreshed.
    pub fn with_refresh_buffer(mut self, buffer: Duration) -> Self {
        self.buffer = buffer;
        self
    }

    fn usable(&self, c: &Credentials, now: SystemTime) -> bool {
        match c.expiry() {
            None => true,
            Some(expiry) => now + self.buffer < expiry,
        }
    }

    /// The cached credentials, refreshed first when they are missing or about to expire.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        let seen = self.generation.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        let now = self.clock.now();
        if let Some(c) = &state.credentials {
            if self.usable(c, now) {
                return Ok(c.clone());
            }
        }
        if self.generation.load(Ordering::Acquire) != seen {
            // A refresh ran while this call waited: share its outcome instead of calling again.
            if let Some((kind, code, message)) = &state.last_error {
                if let Some(c) = still_valid(&state.credentials, now) {
                    return Ok(c);
                }
                let mut e = CredentialsError::new(*kind, message.clone());
                if let Some(code) = code {
                    e = e.with_code(code.clone());
                }
                return Err(e);
            }
        }
        let result = self.provider.provide_credentials().await;
        self.generation.fetch_add(1, Ordering::AcqRel);
        match result {
            Ok(c) => {
                state.credentials = Some(c.clone());
                state.last_error = None;
                Ok(c)
            }
            Err(e) => {
                state.last_error =
                    Some((e.kind(), e.code().map(str::to_owned), e.message().into()));
                match still_valid(&state.credentials, now) {
                    Some(c) => {
                        tracing::warn!(
                            error = %e,
                            "refreshing credentials failed; using the cached ones until they expire"
                        );
                        Ok(c)
                    }
                    None => Err(e),
                }
            }
        }
    }
}

/// Cached credentials that have not expired at `now`.
fn still_valid(c: &Option<Credentials>, now: SystemTime) -> Option<Credentials> {
    c.as_ref()
        .filter(|c| match c.expiry() {
            None => true,
            Some(e) => now < e,
        })
        .cloned()
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.get())
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("CredentialsCache");
        d.field("provider", &self.provider)
            .field("refresh_buffer", &self.buffer);
        // Credentials print redacted by their own Debug.
        match self.state.try_lock() {
            Ok(state) => d.field("cached", &state.credentials),
            Err(_) => d.field("cached", &"<refreshing>"),
        };
        d.finish()
    }
}
