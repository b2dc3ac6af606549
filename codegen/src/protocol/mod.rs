//! Wire protocols. `json` is the document codec the AWS JSON protocols share; `rest_json`
//! adds restJson1's HTTP bindings (method, URI labels, query, headers, payload, status).

pub mod event_stream;
pub mod json;
pub mod rest_json;
