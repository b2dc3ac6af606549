//! The SigV4 signing key (`kSigning`: four HMACs over the date, region and service), kept in a
//! small cache: it changes once a day per secret, region and service, so signing a request
//! costs one HMAC of the string to sign instead of five.
//!
//! The cache holds the secret key to compare entries; nothing here implements `Debug` or
//! `Display`, so neither the secret nor the derived key can reach a log.

use std::sync::Mutex;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Most distinct (secret, date, region, service) entries kept; the oldest goes first.
const CAPACITY: usize = 8;

struct Entry {
    secret: String,
    date: [u8; 8],
    region: String,
    service: String,
    /// HMAC keyed with `kSigning`, its pads already absorbed: clone it, feed the string to sign.
    mac: Hmac<Sha256>,
}

impl Entry {
    fn is(&self, secret: &str, date: &[u8; 8], region: &str, service: &str) -> bool {
        self.date == *date
            && self.region == region
            && self.service == service
            && self.secret == secret
    }
}

static CACHE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());

/// The HMAC keyed with the signing key of `secret` on `date` (`YYYYMMDD`) for `region` and
/// `service`, ready for the string to sign.
pub fn signing_mac(secret: &str, date: &str, region: &str, service: &str) -> Hmac<Sha256> {
    let Ok(day) = <[u8; 8]>::try_from(date.as_bytes()) else {
        return derive(secret, date, region, service);
    };
    // A poisoned lock only means another thread panicked mid-update: the entries are whole.
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(entry) = cache.iter().find(|e| e.is(secret, &day, region, service)) {
        return entry.mac.clone();
    }
    let mac = derive(secret, date, region, service);
    if cache.len() == CAPACITY {
        cache.remove(0);
    }
    cache.push(Entry {
        secret: secret.to_owned(),
        date: day,
        region: region.to_owned(),
        service: service.to_owned(),
        mac: mac.clone(),
    });
    mac
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
fn derive(secret: &str, date: &str, region: &str, service: &str) -> Hmac<Sha256> {
    let mut k_secret = Vec::with_capacity(4 + secret.len());
    k_secret.extend_from_slice(b"AWS4");
    k_secret.extend_from_slice(secret.as_bytes());
    let mut key = hmac(&k_secret, date.as_bytes());
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    Hmac::<Sha256>::new_from_slice(&key).expect("HMAC takes keys of any length")
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signature(mac: Hmac<Sha256>, data: &[u8]) -> String {
        let mut mac = mac;
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn cached_key_equals_a_fresh_derivation() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let fresh = derive(secret, "20150830", "us-east-1", "service");
        let first = signing_mac(secret, "20150830", "us-east-1", "service");
        let cached = signing_mac(secret, "20150830", "us-east-1", "service");
        let expected = signature(fresh, b"string to sign");
        assert_eq!(signature(first, b"string to sign"), expected);
        assert_eq!(signature(cached, b"string to sign"), expected);
    }

    #[test]
    fn every_input_of_the_key_is_part_of_the_cache_key() {
        let base = ("secret-a", "20150830", "us-east-1", "service");
        let variants = [
            ("secret-b", "20150830", "us-east-1", "service"),
            ("secret-a", "20150831", "us-east-1", "service"),
            ("secret-a", "20150830", "us-west-2", "service"),
            ("secret-a", "20150830", "us-east-1", "other"),
        ];
        let sign =
            |(s, d, r, v): (&str, &str, &str, &str)| signature(signing_mac(s, d, r, v), b"x");
        let base_sig = sign(base);
        for v in variants {
            let sig = sign(v);
            assert_ne!(sig, base_sig, "{v:?}");
            assert_eq!(sig, signature(derive(v.0, v.1, v.2, v.3), b"x"), "{v:?}");
        }
        // Still right after the others pushed entries in.
        assert_eq!(sign(base), base_sig);
    }

    #[test]
    fn the_cache_stays_bounded() {
        for i in 0..(3 * CAPACITY) {
            let region = format!("region-{i}");
            signing_mac("secret", "20150830", &region, "service");
        }
        assert!(CACHE.lock().unwrap().len() <= CAPACITY);
    }
}
