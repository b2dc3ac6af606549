//! What the client does to a request body after the operation serialized it and before it is
//! signed: `@requestCompression`, then `@httpChecksumRequired` (a checksum of the body as sent).

use super::http::HttpRequest;

/// The checksum an `@httpChecksumRequired` operation's requests carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestChecksum {
    /// `x-amz-checksum-crc32`, as botocore 1.36 and later sends it.
    Crc32,
    /// `Content-MD5`, as the Smithy specification says.
    Md5,
}

impl RequestChecksum {
    /// Adds the checksum of `request`'s body.
    pub fn apply(self, request: &mut HttpRequest) {
        match self {
            RequestChecksum::Crc32 => {
                let sum = super::rest::checksum_crc32(&request.body);
                request.headers.insert("x-amz-checksum-crc32", sum);
            }
            RequestChecksum::Md5 => {
                let sum = super::rest::content_md5(&request.body);
                request.headers.insert("content-md5", sum);
            }
        }
    }
}

/// What an operation's `@requestCompression` says, and how its crate writes the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestCompression {
    /// The model's `encodings`, in its order of preference: the first one the runtime knows
    /// is used (`gzip`).
    pub encodings: &'static [&'static str],
    /// Put between a `Content-Encoding` the input already set and the one added: `,` as
    /// botocore writes it, `, ` as the Smithy specification does.
    pub separator: &'static str,
}

/// The client's settings: `disable_request_compression` and
/// `request_min_compression_size_bytes` (botocore's names, as configuration keys and
/// `AWS_DISABLE_REQUEST_COMPRESSION` / `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressionSettings {
    pub disabled: bool,
    /// Bodies shorter than this go uncompressed (default 10240, at most 10485760).
    pub min_size: u32,
}

impl CompressionSettings {
    /// The default threshold of the AWS SDKs and the Smithy specification.
    pub const DEFAULT_MIN_SIZE: u32 = 10_240;
    /// The largest threshold the specification allows.
    pub const MAX_MIN_SIZE: u32 = 10_485_760;
}

impl Default for CompressionSettings {
    fn default() -> Self {
        CompressionSettings {
            disabled: false,
            min_size: Self::DEFAULT_MIN_SIZE,
        }
    }
}

/// Compresses `request`'s body with the first encoding of `spec` the runtime knows, when the
/// settings allow it and the body is at least the threshold, and names the encoding last in
/// `Content-Encoding`. Returns whether it did.
pub fn compress(
    request: &mut HttpRequest,
    spec: &RequestCompression,
    settings: &CompressionSettings,
) -> bool {
    if settings.disabled || request.body.len() < settings.min_size as usize {
        return false;
    }
    // gzip is known with the `compression` feature, which crates with the trait turn on.
    let known = |e: &&&str| cfg!(feature = "compression") && e.eq_ignore_ascii_case("gzip");
    let Some(encoding) = spec.encodings.iter().find(known) else {
        return false;
    };
    #[cfg(feature = "compression")]
    {
        request.body = gzip(&request.body);
    }
    let value = match request.headers.get("content-encoding") {
        Some(given) => format!("{given}{}{encoding}", spec.separator),
        None => encoding.to_string(),
    };
    request.headers.insert("content-encoding", value);
    true
}

/// `data` as a gzip member (RFC 1952), at the default level, with no file name and no time.
#[cfg(feature = "compression")]
pub fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 2 + 32),
        flate2::Compression::default(),
    );
    encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .expect("writing to memory cannot fail")
}

#[cfg(all(test, feature = "compression"))]
mod tests {
    use super::*;

    const GZIP: RequestCompression = RequestCompression {
        encodings: &["br", "gzip"],
        separator: ", ",
    };

    fn request(body: Vec<u8>) -> HttpRequest {
        let mut r = HttpRequest::new("POST", "/".to_string());
        r.body = body;
        r
    }

    fn gunzip(data: &[u8]) -> Vec<u8> {
        use std::io::Read as _;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn a_body_at_the_threshold_is_gzipped_and_named_after_the_given_encoding() {
        let body: Vec<u8> = (0..10_240u32).map(|i| (i % 251) as u8).collect();
        let mut r = request(body.clone());
        r.headers.insert("content-encoding", "custom");
        assert!(compress(&mut r, &GZIP, &CompressionSettings::default()));
        assert_eq!(r.headers.get("content-encoding"), Some("custom, gzip"));
        assert_eq!(&r.body[..3], &[0x1f, 0x8b, 8], "a gzip member, deflated");
        assert_eq!(gunzip(&r.body), body);

        let botocore = RequestCompression {
            separator: ",",
            ..GZIP
        };
        let mut r = request(body);
        r.headers.insert("content-encoding", "custom");
        compress(&mut r, &botocore, &CompressionSettings::default());
        assert_eq!(r.headers.get("content-encoding"), Some("custom,gzip"));
    }

    #[test]
    fn small_bodies_unknown_encodings_and_disabled_settings_leave_the_request_alone() {
        let below = request(vec![b'a'; 10_239]);
        let mut r = below.clone();
        assert!(!compress(&mut r, &GZIP, &CompressionSettings::default()));
        assert_eq!(r.body, below.body);
        assert_eq!(r.headers.get("content-encoding"), None);

        let mut r = request(vec![b'a'; 20_000]);
        let disabled = CompressionSettings {
            disabled: true,
            ..Default::default()
        };
        assert!(!compress(&mut r, &GZIP, &disabled));
        let only_br = RequestCompression {
            encodings: &["br"],
            separator: ",",
        };
        assert!(!compress(&mut r, &only_br, &CompressionSettings::default()));
        assert_eq!(r.body.len(), 20_000);

        let always = CompressionSettings {
            disabled: false,
            min_size: 0,
        };
        let mut r = request(b"tiny".to_vec());
        assert!(compress(&mut r, &GZIP, &always));
        assert_eq!(gunzip(&r.body), b"tiny");
    }
}
