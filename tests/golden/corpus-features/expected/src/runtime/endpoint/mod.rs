// @generated: a verbatim copy of `runtime/src/endpoint/mod.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The Smithy endpoint rules engine: evaluates a `smithy.rules#endpointRuleSet` document against
//! endpoint parameters and returns the resolved endpoint (or the rule set's error).
//!
//! The rule set is parsed once into a small tree (references are checked then, so typos fail at
//! load time, not per request). Values during evaluation are `serde_json::Value`s: strings, bools,
//! numbers, arrays and the objects that `parseURL`, `aws.partition` and `aws.parseArn` return.
//! Unset values are `None`, as the spec's `option<T>`.

mod eval;
mod functions;
mod partitions;
mod rules;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

pub use functions::{
    get_attr, is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_path, parse_url,
    substring, uri_encode, Arn, PathSegment, Url,
};
pub use partitions::Partitions;

type Result<T> = std::result::Result<T, EndpointError>;

/// Why no endpoint was resolved: a rule set `error` rule (its message verbatim), or a problem
/// with the rule set, the partition table or the parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointError {
    message: String,
}

impl EndpointError {
    pub fn new(message: impl Into<String>) -> Self {
        EndpointError {
            message: message.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

/// A resolved endpoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Endpoint {
    pub url: String,
    pub headers: BTreeMap<String, Vec<String>>,
    pub properties: Map<String, Value>,
}

/// The value of an endpoint parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    String(String),
    Bool(bool),
    StringArray(Vec<String>),
}

impl ParamValue {
    pub fn param_type(&self) -> ParamType {
        match self {
            ParamValue::String(_) => ParamType::String,
            ParamValue::Bool(_) => ParamType::Boolean,
            ParamValue::StringArray(_) => ParamType::StringArray,
        }
    }

    fn to_value(&self) -> Value {
        match self {
            ParamValue::String(s) => Value::String(s.clone()),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::StringArray(items) => items.clone().into(),
        }
    }
}

impl From<&str> for ParamValue {
    fn from(value: &str) -> Self {
        ParamValue::String(value.to_owned())
    }
}

impl From<String> for ParamValue {
    fn from(value: String) -> Self {
        ParamValue::String(value)
    }
}

impl From<bool> for ParamValue {
    fn from(value: bool) -> Self {
        ParamValue::Bool(value)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(value: Vec<String>) -> Self {
        ParamValue::StringArray(value)
    }
}

/// Parameter values by name. Unset parameters take the rule set's default, if any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params(BTreeMap<String, ParamValue>);

impl Params {
    pub fn new() -> Self {
        Params::default()
    }

    /// Builder form of [`Params::insert`].
    pub fn set(mut self, name: impl Into<String>, value: impl Into<ParamValue>) -> Self {
        self.insert(name, value);
        self
    }

    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<ParamValue>) {
        self.0.insert(name.into(), value.into());
    }

    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.0.get(name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    String,
    Boolean,
    StringArray,
}

/// A parameter the rule set declares.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub param_type: ParamType,
    /// E.g. `AWS::Region`, `SDK::Endpoint`: the client fills these from its configuration.
    pub built_in: Option<String>,
    pub default: Option<ParamValue>,
    pub required: bool,
    pub documentation: Option<String>,
}

/// A parsed endpoint rule set, ready to resolve endpoints.
#[derive(Clone, Debug)]
pub struct RuleSet {
    parameters: Vec<Parameter>,
    rules: Vec<rules::Rule>,
}

impl RuleSet {
    /// Parses the JSON value of the `smithy.rules#endpointRuleSet` trait.
    pub fn from_json(json: &str) -> Result<RuleSet> {
        let doc: Value = serde_json::from_str(json)
            .map_err(|e| EndpointError::new(format!("endpoint rule set is not JSON: {e}")))?;
        let params = field(&doc, "parameters", "rule set")?
            .as_object()
            .ok_or_else(|| invalid("rule set `parameters` is not an object"))?;
        let parameters = params
            .iter()
            .map(|(name, p)| parse_parameter(name, p))
            .collect::<Result<Vec<_>>>()?;
        let mut parser = rules::Parser {
            visible: parameters.iter().map(|p| p.name.clone()).collect(),
        };
        let rules = parser.rules(field(&doc, "rules", "rule set")?)?;
        Ok(RuleSet { parameters, rules })
    }

    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    pub fn resolve(&self, params: &Params, partitions: &Partitions) -> Result<Endpoint> {
        let mut eval = eval::Eval {
            partitions,
            scope: Vec::new(),
        };
        for p in &self.parameters {
            match params.get(&p.name).or(p.default.as_ref()) {
                Some(value) if value.param_type() != p.param_type => {
                    return Err(EndpointError::new(format!(
                        "endpoint parameter `{}` must be a {:?}, got {:?}",
                        p.name, p.param_type, value
                    )));
                }
                Some(value) => eval.scope.push((&p.name, value.to_value())),
                None if p.required => {
                    return Err(EndpointError::new(format!(
                        "missing required endpoint parameter `{}`",
                        p.name
                    )));
                }
                None => {}
            }
        }
        // Parameters the rule set does not declare are ignored: clients may set built-ins
        // (region, FIPS, ...) whether or not a service's rule set uses them.
        eval.rules(&self.rules)?
            .ok_or_else(|| EndpointError::new("no endpoint rule matched the parameters"))
    }
}

fn parse_parameter(name: &str, p: &Value) -> Result<Parameter> {
    let what = format!("parameter `{name}`");
    let type_name = field(p, "type", &what)?.as_str().unwrap_or_default();
    // Models spell types `String`/`Boolean`/`StringArray`; the spec lower-cases them.
    let param_type = match type_name.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => {
            return Err(invalid(format!(
                "{what} has unsupported type `{type_name}`"
            )))
        }
    };
    let default = match p.get("default") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(ParamValue::String(s.clone())),
        Some(Value::Bool(b)) => Some(ParamValue::Bool(*b)),
        Some(Value::Array(items)) => Some(ParamValue::StringArray(
            items
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| invalid(format!("{what} has a non-string array default")))?,
        )),
        Some(_) => return Err(invalid(format!("{what} has an unsupported default"))),
    };
    let text = |key: &str| p.get(key).and_then(Value::as_str).map(str::to_owned);
    Ok(Parameter {
        name: name.to_owned(),
        param_type,
        built_in: text("builtIn"),
        default,
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        documentation: text("documentation"),
    })
}

/// An error in the rule set document itself.
fn invalid(message: impl fmt::Display) -> EndpointError {
    EndpointError::new(format!("invalid endpoint rule set: {message}"))
}

fn field<'v>(v: &'v Value, key: &str, what: &str) -> Result<&'v Value> {
    v.get(key)
        .ok_or_else(|| invalid(format!("{what} has no `{key}`")))
}
