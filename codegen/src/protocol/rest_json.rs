//! restJson1: request serialization and response parsing of each operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::json::{read_seed, structure_reader, timestamp_format, write_value};
use crate::ir::{
    Binding, Customization, HostPrefixPart, Member, NamedType, Operation, PathSegment, Service,
    StreamDirection, Structure, Target, TimestampFormat, Type, WireProfile,
};
use crate::naming;
use crate::tokens::{ident, type_path};

/// A scalar as text for a label, query value or header (`x: &T`).
fn to_text(svc: &Service, t: &Target, x: TokenStream, default_ts: TimestampFormat) -> TokenStream {
    match &t.ty {
        Type::String | Type::BigInteger | Type::BigDecimal => quote!(#x.to_string()),
        Type::Boolean | Type::Byte | Type::Short | Type::Integer | Type::Long => {
            quote!(#x.to_string())
        }
        Type::Float => quote!(crate::runtime::rest::float32_text(*#x)),
        Type::Double => quote!(crate::runtime::rest::float_text(*#x)),
        Type::Timestamp { format } => {
            let f = timestamp_format(format.unwrap_or(default_ts));
            quote!(#x.fmt(#f))
        }
        Type::Blob { .. } => quote!(crate::runtime::rest::base64(#x)),
        Type::Named(id) => match &svc.types[id] {
            NamedType::IntEnum(_) => quote!(#x.as_i32().to_string()),
            _ => quote!(#x.as_str().to_string()),
        },
        _ => quote!(::std::string::String::new()),
    }
}

/// A scalar read from text (`h: &str`), as `Result<T, DeserializeError>`.
fn from_text(svc: &Service, t: &Target, default_ts: TimestampFormat) -> TokenStream {
    match &t.ty {
        // A header string with a media type comes base64-encoded.
        Type::String if t.media_type.is_some() => {
            quote!(crate::runtime::rest::from_base64_text(h))
        }
        Type::String | Type::BigInteger | Type::BigDecimal => {
            quote!(::std::result::Result::<
                _,
                crate::runtime::json::DeserializeError,
            >::Ok(h.to_string()))
        }
        Type::Boolean => quote!(crate::runtime::rest::header_parse::<bool>(h)),
        Type::Byte => quote!(crate::runtime::rest::header_parse::<i8>(h)),
        Type::Short => quote!(crate::runtime::rest::header_parse::<i16>(h)),
        Type::Integer => quote!(crate::runtime::rest::header_parse::<i32>(h)),
        Type::Long => quote!(crate::runtime::rest::header_parse::<i64>(h)),
        Type::Float => quote!(crate::runtime::rest::header_parse::<f32>(h)),
        Type::Double => quote!(crate::runtime::rest::header_parse::<f64>(h)),
        Type::Timestamp { format } => {
            let f = timestamp_format(format.unwrap_or(default_ts));
            quote!(crate::runtime::rest::header_timestamp(h, #f))
        }
        Type::Blob { .. } => quote!(crate::runtime::rest::from_base64(h)),
        Type::Named(id) => {
            let p = type_path(svc, id);
            match &svc.types[id] {
                NamedType::IntEnum(_) => {
                    quote!(crate::runtime::rest::header_parse::<i32>(h).map(#p::from))
                }
                _ => {
                    quote!(::std::result::Result::<_, crate::runtime::json::DeserializeError>::Ok(#p::from(h)))
                }
            }
        }
        _ => quote!(::std::result::Result::<(), _>::Err(
            crate::runtime::json::DeserializeError::new("unsupported header type")
        )),
    }
}

/// Is `t` a timestamp that travels as an HTTP date in a header (`Mon, 16 Dec 2019 ...`)? Lists
/// of them are written without quotes and read back by rejoining the halves a comma split gives.
fn is_http_date(t: &Target) -> bool {
    matches!(&t.ty, Type::Timestamp { format } if format.unwrap_or(TimestampFormat::HttpDate) == TimestampFormat::HttpDate)
}

fn has_body_members(s: &Structure) -> bool {
    s.members.iter().any(|m| m.binding == Binding::Body)
}

fn payload_member(s: &Structure) -> Option<&Member> {
    s.members.iter().find(|m| m.binding == Binding::Payload)
}

/// `serialize_request` of an operation.
pub fn serialize_request(svc: &Service, op: &Operation) -> TokenStream {
    let input = svc.structure(&op.input);
    let input_path = type_path(svc, &op.input);
    let method = &op.http.method;
    let member = |name: &str| {
        input
            .members
            .iter()
            .find(|m| m.name == name)
            .expect("labels are checked against the input when lowering")
    };
    let path_parts = op.http.path.iter().map(|seg| match seg {
        PathSegment::Literal(l) => {
            let text = format!("/{l}");
            quote!(path.push_str(#text);)
        }
        PathSegment::Label {
            member: name,
            greedy,
        } => {
            let m = member(name);
            let f = ident(&m.field_name);
            let text = to_text(svc, &m.target, quote!(value), TimestampFormat::DateTime);
            let name = &m.name;
            quote! {
                path.push('/');
                if let ::std::option::Option::Some(value) = &input.#f {
                    let text = #text;
                    // An empty label would leave an empty path segment: a different route.
                    if text.is_empty() {
                        return ::std::result::Result::Err(crate::runtime::validate::ValidationErrors::single(#name, crate::runtime::validate::Constraint::EmptyLabel));
                    }
                    path.push_str(&crate::runtime::rest::encode_label(&text, #greedy));
                }
            }
        }
    });
    // `@endpoint` hostPrefix, its labels filled from `@hostLabel` members (validated above).
    let host_prefix = op.host_prefix.as_ref().map(|parts| {
        let pushes = parts.iter().map(|p| match p {
            HostPrefixPart::Literal(text) => quote!(prefix.push_str(#text);),
            HostPrefixPart::Label(name) => {
                let f = ident(&member(name).field_name);
                quote!(prefix.push_str(input.#f.as_deref().unwrap_or_default());)
            }
        });
        quote! {
            let mut prefix = ::std::string::String::new();
            #(#pushes)*
            request.host_prefix = ::std::option::Option::Some(prefix);
        }
    });
    // A trailing `/` in the pattern (or the root) is kept as written.
    let trailing = (op.http.uri.split('?').next().unwrap_or("/").ends_with('/'))
        .then(|| quote!(path.push('/');));

    let literal_query = op.http.literal_query.iter().map(|(k, v)| {
        let v = match v {
            Some(v) => quote!(::std::option::Option::Some(#v)),
            None => quote!(::std::option::Option::None),
        };
        quote!(query.push_literal(#k, #v);)
    });
    let mut query_keys: Vec<&str> = op
        .http
        .literal_query
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    let mut query_writes = Vec::new();
    let mut header_writes = Vec::new();
    if svc.query_compatible {
        header_writes.push(quote!(request.headers.insert("x-amzn-query-mode", "true");));
    }
    for m in &input.members {
        let f = ident(&m.field_name);
        match &m.binding {
            Binding::Query(key) => {
                query_keys.push(key);
                let w = match &m.target.ty {
                    Type::List { item, .. } => {
                        let text = to_text(svc, item, quote!(item), TimestampFormat::DateTime);
                        let item_pat = if matches!(&m.target.ty, Type::List { sparse: true, .. }) {
                            quote!(::std::option::Option::Some(item))
                        } else {
                            quote!(item)
                        };
                        quote! { for #item_pat in value.iter() { query.push(#key, ::std::option::Option::Some(&#text)); } }
                    }
                    _ => {
                        let text =
                            to_text(svc, &m.target, quote!(value), TimestampFormat::DateTime);
                        quote! { query.push(#key, ::std::option::Option::Some(&#text)); }
                    }
                };
                query_writes
                    .push(quote! { if let ::std::option::Option::Some(value) = &input.#f { #w } });
            }
            Binding::QueryParams => {
                let write_value = match &m.target.ty {
                    Type::Map { value, .. } => match &value.ty {
                        Type::List { item, .. } => {
                            let text = to_text(svc, item, quote!(item), TimestampFormat::DateTime);
                            quote! { for item in value.iter() { query.push(key, ::std::option::Option::Some(&#text)); } }
                        }
                        _ => {
                            let text =
                                to_text(svc, value, quote!(value), TimestampFormat::DateTime);
                            quote! { query.push(key, ::std::option::Option::Some(&#text)); }
                        }
                    },
                    _ => quote!(),
                };
                query_writes.push(quote! {
                    if let ::std::option::Option::Some(map) = &input.#f {
                        for (key, value) in map.iter() {
                            // Keys bound by `@httpQuery` members win over the map's.
                            if !BOUND_QUERY_KEYS.contains(&key.as_str()) {
                                #write_value
                            }
                        }
                    }
                });
            }
            Binding::Header(name) => {
                let w = match &m.target.ty {
                    Type::List { item, .. } => {
                        let text = to_text(svc, item, quote!(item), TimestampFormat::HttpDate);
                        // HTTP dates hold a comma but are not quoted (Smithy's protocol tests).
                        let join = if is_http_date(item) {
                            quote!(items.join(", "))
                        } else {
                            quote!(crate::runtime::rest::header_list(
                                items.iter().map(|s| s.as_str())
                            ))
                        };
                        quote! {
                            let items: ::std::vec::Vec<::std::string::String> = value.iter().map(|item| #text).collect();
                            request.headers.insert(#name, #join);
                        }
                    }
                    // A string with a media type (JSON, say) goes base64-encoded.
                    Type::String if m.target.media_type.is_some() => quote! {
                        request.headers.insert(#name, crate::runtime::rest::base64(value.as_bytes()));
                    },
                    _ => {
                        let text =
                            to_text(svc, &m.target, quote!(value), TimestampFormat::HttpDate);
                        quote! { request.headers.insert(#name, #text); }
                    }
                };
                header_writes
                    .push(quote! { if let ::std::option::Option::Some(value) = &input.#f { #w } });
            }
            Binding::PrefixHeaders(prefix) => {
                header_writes.push(quote! {
                    if let ::std::option::Option::Some(map) = &input.#f {
                        for (key, value) in map.iter() {
                            request.headers.insert(format!("{}{}", #prefix, key), value.to_string());
                        }
                    }
                });
            }
            _ => {}
        }
    }
    let has_query = !query_writes.is_empty() || !op.http.literal_query.is_empty();
    let bound_keys = query_keys.iter();
    let query_block = has_query.then(|| {
        quote! {
            #[allow(dead_code)]
            const BOUND_QUERY_KEYS: &[&str] = &[#(#bound_keys),*];
            let mut query = crate::runtime::rest::QueryWriter::new();
            #(#literal_query)*
            #(#query_writes)*
            request.query = query.finish();
        }
    });

    let body = if let Some(p) = payload_member(input) {
        let f = ident(&p.field_name);
        // A blob, string or enum payload is the body as it is: its bytes, and the media type
        // they default to (an enum is its value as text).
        let raw = match &p.target.ty {
            Type::Blob { .. } => Some(("application/octet-stream", quote!(value.clone()))),
            Type::String => Some(("text/plain", quote!(value.as_bytes().to_vec()))),
            Type::Named(id) if matches!(svc.types[id], NamedType::Enum(_)) => {
                Some(("text/plain", quote!(value.as_str().as_bytes().to_vec())))
            }
            _ => None,
        };
        match (&p.target.ty, raw) {
            // The events follow as the body, each signed by the client as it is sent; the
            // request itself is signed with the payload hash of a signed event stream.
            (Type::EventStream { .. }, _) => quote! {
                request.headers.insert("content-type", crate::runtime::event_stream::CONTENT_TYPE);
                request.headers.insert("x-amz-content-sha256", crate::runtime::event_stream::STREAMING_EVENTS_PAYLOAD);
            },
            (_, Some((default_media, bytes))) => {
                // No `content-type` of its own under botocore's profile (only one a member
                // binds); under Smithy's, its `@mediaType` or the default, unless a member
                // binds one.
                let content_type = (svc.wire == WireProfile::Smithy).then(|| {
                    let media = p.target.media_type.as_deref().unwrap_or(default_media);
                    quote! {
                        if !request.headers.contains("content-type") {
                            request.headers.insert("content-type", #media);
                        }
                    }
                });
                quote! {
                    if let ::std::option::Option::Some(value) = &input.#f {
                        #content_type
                        request.body = #bytes;
                    }
                }
            }
            (_, None) => {
                let write = write_value(svc, &p.target, quote!(value));
                // An unset structure payload is sent as an empty document; an unset union
                // one too under botocore's profile, and as no body under Smithy's.
                let union = matches!(&p.target.ty, Type::Named(id) if matches!(svc.types[id], NamedType::Union(_)));
                let unset = (!union || svc.wire == WireProfile::Botocore).then(|| {
                    quote! {
                        request.headers.insert("content-type", "application/json");
                        request.body = b"{}".to_vec();
                    }
                });
                quote! {
                    match &input.#f {
                        ::std::option::Option::Some(value) => {
                            request.headers.insert("content-type", "application/json");
                            let w = &mut crate::runtime::json::JsonWriter::new();
                            #write
                            request.body = ::std::mem::take(w).finish();
                        }
                        ::std::option::Option::None => { #unset }
                    }
                }
            }
        }
    } else if has_body_members(input) {
        let ser = ident(&naming::ser_fn(svc.codec_stem(&input.id)));
        quote! {
            request.headers.insert("content-type", "application/json");
            let mut w = crate::runtime::json::JsonWriter::new();
            crate::protocol::#ser(&mut w, input);
            request.body = w.finish();
        }
    } else {
        quote!()
    };
    let validate = if svc.types.contains_key(&op.input) {
        quote!(input.validate()?;)
    } else {
        quote!()
    };
    // Members the caller left unset that the request fills in before it is validated: an
    // `@idempotencyToken` gets a fresh UUID, as AWS SDKs do, and Glacier's `accountId` is `-`
    // (`Customization::Glacier`, which also fills an empty one). The input is copied only
    // when one of them is needed.
    let glacier = svc.customization == Some(Customization::Glacier);
    // (field, whether an empty string counts as unset, the value).
    let fills: Vec<_> = input
        .members
        .iter()
        .filter_map(|m| {
            let f = ident(&m.field_name);
            if m.idempotency_token && m.target.ty == Type::String {
                Some((
                    f,
                    false,
                    quote!(crate::runtime::operation::idempotency_token()),
                ))
            } else if glacier && m.name == "accountId" && m.binding == Binding::Label {
                Some((f, true, quote!("-".to_string())))
            } else {
                None
            }
        })
        .collect();
    let unset = |owner: TokenStream| {
        fills.iter().map(move |(f, empty_too, _)| {
            if *empty_too {
                quote!(matches!(#owner.#f.as_deref(), ::std::option::Option::None | ::std::option::Option::Some("")))
            } else {
                quote!(#owner.#f.is_none())
            }
        })
    };
    let fill = (!fills.is_empty()).then(|| {
        let on_input = unset(quote!(input));
        let on_copy = unset(quote!(copy));
        let (fields, values) = (fills.iter().map(|f| &f.0), fills.iter().map(|f| &f.2));
        quote! {
            let filled;
            let input = if #(#on_input)||* {
                let mut copy = input.clone();
                #(
                    if #on_copy {
                        copy.#fields = ::std::option::Option::Some(#values);
                    }
                )*
                filled = copy;
                &filled
            } else {
                input
            };
        }
    });
    // What the service needs on the request beyond its model (`Customization`).
    let customized = customization(svc, op, input);
    quote! {
        /// Validates `input` and builds the HTTP request (no host, no signature).
        pub fn serialize_request(input: &#input_path) -> ::std::result::Result<crate::runtime::http::HttpRequest, crate::runtime::validate::ValidationErrors> {
            #fill
            #validate
            let mut path = ::std::string::String::new();
            #(#path_parts)*
            #trailing
            #[allow(unused_mut)]
            let mut request = crate::runtime::http::HttpRequest::new(#method, path);
            #host_prefix
            #query_block
            #(#header_writes)*
            #body
            #customized
            ::std::result::Result::Ok(request)
        }
    }
}

/// What a service's `Customization` adds to a request `serialize_request` has built.
fn customization(svc: &Service, op: &Operation, input: &Structure) -> Option<TokenStream> {
    match svc.customization? {
        Customization::CloudSearchDomain => {
            (op.name == "Search" && op.http.method == "GET").then(|| {
                quote! {
                    if !request.query.is_empty() {
                        request.method = "POST".to_string();
                        request.body = ::std::mem::take(&mut request.query).into_bytes();
                        request.headers.insert("content-type", "application/x-www-form-urlencoded");
                    }
                }
            })
        }
        Customization::ApiGateway => Some(quote! {
            if !request.headers.contains("accept") {
                request.headers.insert("accept", "application/json");
            }
        }),
        Customization::Glacier => {
            let version = &svc.version;
            // The payload hash is the one SigV4 signs with (it takes the header as given).
            let checksums = payload_member(input)
                .filter(|p| matches!(p.target.ty, Type::Blob { .. }))
                .map(|_| {
                    quote! {
                        if !request.headers.contains("x-amz-content-sha256") {
                            request.headers.insert("x-amz-content-sha256", crate::runtime::sigv4::payload_hash(&request.body));
                        }
                        if !request.headers.contains("x-amz-sha256-tree-hash") {
                            request.headers.insert("x-amz-sha256-tree-hash", crate::runtime::rest::glacier_tree_hash(&request.body));
                        }
                    }
                });
            Some(quote! {
                request.headers.insert("x-amz-glacier-version", #version);
                #checksums
            })
        }
    }
}

/// Reads members bound to the HTTP message (headers, status, payload) into `out`.
fn read_http_members(svc: &Service, s: &Structure) -> TokenStream {
    let reads = s.members.iter().map(|m| {
        let f = ident(&m.field_name);
        let name = &m.name;
        match &m.binding {
            Binding::Header(h) => {
                let read = match &m.target.ty {
                    Type::List { item, .. } => {
                        let inner = from_text(svc, item, TimestampFormat::HttpDate);
                        let items = if is_http_date(item) {
                            // `Mon, 16 Dec 2019 23:48:18 GMT, Tue, ...`: a part without a space
                            // is the weekday of a date, which goes on after the comma.
                            quote! {
                                {
                                    let mut dates: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
                                    for part in crate::runtime::rest::split_header_list(h) {
                                        match dates.last_mut() {
                                            ::std::option::Option::Some(last) if !last.contains(' ') => {
                                                last.push_str(", ");
                                                last.push_str(&part);
                                            }
                                            _ => dates.push(part),
                                        }
                                    }
                                    dates
                                }
                            }
                        } else {
                            quote!(crate::runtime::rest::split_header_list(h))
                        };
                        quote! {
                            #items.iter().map(|h| { let h = h.as_str(); #inner }).collect::<::std::result::Result<::std::vec::Vec<_>, _>>()
                        }
                    }
                    _ => from_text(svc, &m.target, TimestampFormat::HttpDate),
                };
                quote! {
                    let joined = response.headers.get_all(#h).collect::<::std::vec::Vec<_>>().join(", ");
                    if response.headers.contains(#h) {
                        let h = joined.as_str();
                        out.#f = ::std::option::Option::Some((#read).map_err(|e| e.at(#name))?);
                    }
                }
            }
            Binding::PrefixHeaders(prefix) => {
                let prefix_lc = prefix.to_ascii_lowercase();
                quote! {
                    let map: ::std::collections::BTreeMap<::std::string::String, ::std::string::String> = response
                        .headers
                        .iter()
                        .filter_map(|(k, v)| k.strip_prefix(#prefix_lc).map(|k| (k.to_string(), v.to_string())))
                        .collect();
                    if !map.is_empty() {
                        out.#f = ::std::option::Option::Some(map);
                    }
                }
            }
            Binding::ResponseCode => quote! {
                out.#f = ::std::option::Option::Some(i32::from(response.status));
            },
            Binding::Payload => match &m.target.ty {
                // Set by `parse_output` from the body, which may still be unread.
                Type::Blob { streaming: true } if svc.streaming_output_member(&s.id).is_some() => {
                    quote!()
                }
                Type::EventStream { .. } => quote!(),
                // An empty body is empty bytes to botocore, no payload to Smithy.
                Type::Blob { .. } => match svc.wire {
                    WireProfile::Botocore => quote! {
                        out.#f = ::std::option::Option::Some(response.body.clone());
                    },
                    WireProfile::Smithy => quote! {
                        if !response.body.is_empty() {
                            out.#f = ::std::option::Option::Some(response.body.clone());
                        }
                    },
                },
                Type::String => quote! {
                    if !response.body.is_empty() {
                        out.#f = ::std::option::Option::Some(::std::string::String::from_utf8(response.body.clone()).map_err(|_| crate::runtime::json::DeserializeError::new("payload is not UTF-8").at(#name))?);
                    }
                },
                Type::Named(id) if matches!(svc.types[id], NamedType::Enum(_)) => {
                    let p = type_path(svc, id);
                    quote! {
                        if !response.body.is_empty() {
                            let text = ::std::str::from_utf8(&response.body).map_err(|_| crate::runtime::json::DeserializeError::new("payload is not UTF-8").at(#name))?;
                            out.#f = ::std::option::Option::Some(#p::from(text));
                        }
                    }
                }
                _ => {
                    let seed = read_seed(svc, &m.target);
                    quote! {
                        if !response.body.iter().all(|b| b.is_ascii_whitespace()) {
                            out.#f = ::std::option::Option::Some(crate::runtime::json_read::from_body(&response.body, #seed).map_err(|e| e.at(#name))?);
                        }
                    }
                }
            },
            _ => quote!(),
        }
    });
    quote! { #(#reads)* }
}

/// `parse_response` of an operation.
pub fn parse_response(svc: &Service, op: &Operation) -> TokenStream {
    let output = svc.structure(&op.output);
    let output_path = type_path(svc, &op.output);
    let error_enum = ident(&op.error_type);
    let http_reads = read_http_members(svc, output);
    let reader = ident(&naming::de_reader(svc.codec_stem(&output.id)));
    let body_read = if payload_member(output).is_some() {
        quote!(#output_path::default())
    } else if output.members.iter().any(|m| m.binding == Binding::Body) {
        // The body straight into the output, in one pass.
        quote!(crate::runtime::json_read::from_body(&response.body, crate::runtime::json_read::Object(crate::protocol::#reader))?)
    } else {
        // No member in the body: it is still checked to be an object (or empty), by the
        // reader every such operation shares.
        quote! {{
            crate::runtime::json_read::from_body(&response.body, crate::runtime::json_read::Object(crate::runtime::json_read::Unit))?;
            #output_path::default()
        }}
    };
    let arms = op.errors.iter().map(|e| {
        let s = svc.structure(e);
        let info = s.error.as_ref().expect("errors have error info");
        // Under `awsQueryCompatible` the code may be the `awsQueryError` one; either names it.
        let code = match (&info.query_code, svc.query_compatible) {
            (Some(q), true) if *q != info.code => {
                let c = &info.code;
                quote!(#c | #q)
            }
            _ => {
                let c = &info.code;
                quote!(#c)
            }
        };
        let variant = ident(&s.rust_name);
        let de = ident(&naming::de_error_fn(&s.rust_name));
        quote! {
            ::std::option::Option::Some(#code) => crate::runtime::error::SdkError::Service(
                #error_enum::#variant(crate::protocol::#de(response, body, meta)),
            ),
        }
    });
    let query_meta = svc
        .query_compatible
        .then(|| quote!(let meta = crate::runtime::error::query_compatible_meta(response, meta);));
    // Reads the head (and, without a streaming payload, the body) of a 2xx `response`.
    let read_output = quote! {
        let read = || -> ::std::result::Result<#output_path, crate::runtime::json::DeserializeError> {
            #[allow(unused_mut)]
            let mut out = #body_read;
            #http_reads
            ::std::result::Result::Ok(out)
        };
        read().map_err(|e| crate::runtime::error::SdkError::Response(crate::runtime::error::ResponseError::new(response, e)))
    };
    // The member read from the body as it arrives: a byte stream, or events.
    let read_later = match (
        svc.streaming_output_member(&op.output),
        svc.event_stream_member(&op.output),
    ) {
        (Some(m), _) => Some((m, quote!(payload))),
        (None, Some((m, union, StreamDirection::Output))) => {
            let unmarshall = ident(&naming::unmarshall_fn(svc.types[union].rust_name()));
            Some((
                m,
                quote! {
                    crate::runtime::event_stream::EventReceiver::new(
                        payload,
                        crate::protocol::#unmarshall,
                        crate::runtime::error::ErrorMeta::new(
                            ::std::option::Option::None,
                            ::std::option::Option::None,
                            head.status,
                            head.headers.get("x-amzn-requestid").map(str::to_owned),
                        ),
                    )
                },
            ))
        }
        _ => None,
    };
    let parse_output = if let Some((m, value)) = read_later {
        let f = ident(&m.field_name);
        quote! {
            /// Reads the response: the output on a 2xx status, the operation's error otherwise.
            /// The whole body is in hand here, so the payload is a buffered `ByteStream`.
            pub fn parse_response(response: &crate::runtime::http::HttpResponse) -> ::std::result::Result<#output_path, crate::runtime::error::SdkError<#error_enum>> {
                if !(200..300).contains(&response.status) {
                    return ::std::result::Result::Err(parse_error(response));
                }
                parse_output(response, crate::runtime::byte_stream::ByteStream::from(response.body.clone()))
            }

            /// Reads the head of a 2xx response (its status and headers) into the output, with
            /// `payload` (the body, read or not) as the streaming member.
            pub fn parse_output(head: &crate::runtime::http::HttpResponse, payload: crate::runtime::byte_stream::ByteStream) -> ::std::result::Result<#output_path, crate::runtime::error::SdkError<#error_enum>> {
                let response = head;
                let mut out = { #read_output }?;
                out.#f = #value;
                ::std::result::Result::Ok(out)
            }
        }
    } else {
        quote! {
            /// Reads the response: the output on a 2xx status, the operation's error otherwise.
            pub fn parse_response(response: &crate::runtime::http::HttpResponse) -> ::std::result::Result<#output_path, crate::runtime::error::SdkError<#error_enum>> {
                if !(200..300).contains(&response.status) {
                    return ::std::result::Result::Err(parse_error(response));
                }
                #read_output
            }
        }
    };
    quote! {
        #parse_output

        fn parse_error(response: &crate::runtime::http::HttpResponse) -> crate::runtime::error::SdkError<#error_enum> {
            let parsed = crate::runtime::error::parse_error_body(&response.body);
            let meta = crate::runtime::error::json_error_meta(response, &parsed);
            #query_meta
            #[allow(unused_variables)]
            let body = parsed.json();
            match meta.code() {
                #(#arms)*
                _ => crate::runtime::error::SdkError::Service(#error_enum::Unhandled(crate::runtime::error::UnhandledError::new(meta))),
            }
        }
    }
}

/// `de_error_*`: an error structure from its response (body members, bound headers, meta).
pub fn error_parser(svc: &Service, s: &Structure) -> TokenStream {
    let path = type_path(svc, &s.id);
    let de = ident(&naming::de_error_fn(&s.rust_name));
    let http_reads = read_http_members(svc, s);
    let reader = ident(&naming::de_reader(svc.codec_stem(&s.id)));
    let read_body = structure_reader(svc, &reader, &path, s);
    // AWS often sends `message` where the model says `Message`: the member gets the message
    // either way.
    let fill_message = s
        .members
        .iter()
        .find(|m| m.name.eq_ignore_ascii_case("message") && m.target.ty == Type::String)
        .map(|m| {
            let f = ident(&m.field_name);
            quote! {
                if out.#f.is_none() {
                    out.#f = meta.message().map(str::to_owned);
                }
            }
        });
    quote! {
        #read_body

        /// A body that does not fit the model still identifies the error: it keeps its code,
        /// message and status, without the members.
        #[allow(unused_variables)]
        pub(crate) fn #de(
            response: &crate::runtime::http::HttpResponse,
            body: ::std::option::Option<&[u8]>,
            meta: crate::runtime::error::ErrorMeta,
        ) -> #path {
            let read = || -> ::std::result::Result<#path, crate::runtime::json::DeserializeError> {
                // A body that is not JSON (a proxy's HTML page) leaves the members unset; a
                // JSON one is read from its bytes, as outputs are.
                #[allow(unused_mut)]
                let mut out = match body {
                    ::std::option::Option::Some(bytes) => crate::runtime::json_read::from_body(bytes, crate::runtime::json_read::Object(crate::protocol::#reader))?,
                    ::std::option::Option::None => #path::default(),
                };
                #http_reads
                #fill_message
                ::std::result::Result::Ok(out)
            };
            let mut out = read().unwrap_or_default();
            out.meta = meta;
            out
        }
    }
}
