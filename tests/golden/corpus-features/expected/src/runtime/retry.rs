// @generated: a verbatim copy of `runtime/src/retry.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The AWS "standard" retry mode: which failures are retried, how long to wait, and a quota
//! that stops retry storms when the service is struggling.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Error codes that mean "slow down".
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient failures.
pub const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
    "ServiceUnavailable",
];

/// HTTP statuses of transient failures.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    Throttling,
    Transient,
    /// Connection refused or reset, I/O error, timeout: the request may not have arrived.
    Connection,
}

/// Should a service error be retried, and why?
pub fn classify(status: u16, code: Option<&str>) -> Option<RetryReason> {
    match code {
        Some(c) if THROTTLING_CODES.contains(&c) => Some(RetryReason::Throttling),
        Some(c) if TRANSIENT_CODES.contains(&c) => Some(RetryReason::Transient),
        _ if status == 429 => Some(RetryReason::Throttling),
        _ if TRANSIENT_STATUSES.contains(&status) => Some(RetryReason::Transient),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The backoff ceiling grows as `initial_backoff * 2^(attempt - 1)`, up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryConfig {
    /// How long to wait before attempt `attempt + 1` (full jitter: a uniform draw between 0
    /// and the ceiling). `random` is in `[0, 1)`.
    pub fn backoff(&self, attempt: u32, random: f64) -> Duration {
        let exp = 2u32.saturating_pow(attempt.saturating_sub(1).min(30));
        let ceiling = self
            .initial_backoff
            .saturating_mul(exp)
            .min(self.max_backoff);
        ceiling.mul_f64(random.clamp(0.0, 1.0))
    }
}

/// The standard mode's retry quota: retries spend tokens, successes return them.
#[derive(Debug)]
pub struct RetryQuota {
    tokens: AtomicI64,
}

const INITIAL_TOKENS: i64 = 500;
const RETRY_COST: i64 = 5;
const TIMEOUT_RETRY_COST: i64 = 10;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            tokens: AtomicI64::new(INITIAL_TOKENS),
        }
    }
}

impl RetryQuota {
    /// Takes the cost of a retry; `None` when the quota is spent (do not retry).
    pub fn acquire(&self, reason: RetryReason) -> Option<i64> {
        let cost = if reason == RetryReason::Connection {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut current = self.tokens.load(Ordering::Relaxed);
        loop {
            if current < cost {
                return None;
            }
            match self.tokens.compare_exchange(
                current,
                current - cost,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Some(cost),
                Err(now) => current = now,
            }
        }
    }

    /// A request succeeded: give back what its retries took (or 1 token for a first-try success).
    pub fn release(&self, spent: i64) {
        let refund = if spent == 0 { 1 } else { spent };
        let _ = self
            .tokens
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
                Some((t + refund).min(INITIAL_TOKENS))
            });
    }

    pub fn available(&self) -> i64 {
        self.tokens.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_like_the_standard_mode() {
        assert_eq!(
            classify(400, Some("ThrottlingException")),
            Some(RetryReason::Throttling)
        );
        assert_eq!(classify(503, None), Some(RetryReason::Transient));
        assert_eq!(
            classify(500, Some("InternalFailure")),
            Some(RetryReason::Transient)
        );
        assert_eq!(classify(429, None), Some(RetryReason::Throttling));
        assert_eq!(classify(400, Some("InvalidArgumentException")), None);
        assert_eq!(classify(404, Some("ResourceNotFoundException")), None);
    }

    #[test]
    fn backoff_is_jittered_and_capped() {
        let cfg = RetryConfig::default();
        assert_eq!(cfg.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(cfg.backoff(2, 1.0), Duration::from_secs(2));
        assert_eq!(cfg.backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(cfg.backoff(10, 1.0), Duration::from_secs(20));
        assert_eq!(cfg.backoff(2, 0.0), Duration::ZERO);
    }

    #[test]
    fn quota_runs_out_and_refills() {
        let q = RetryQuota::default();
        let mut spent = 0;
        while let Some(c) = q.acquire(RetryReason::Transient) {
            spent += c;
        }
        assert_eq!(spent, 500);
        assert!(q.acquire(RetryReason::Connection).is_none());
        q.release(5);
        assert_eq!(q.available(), 5);
    }
}
