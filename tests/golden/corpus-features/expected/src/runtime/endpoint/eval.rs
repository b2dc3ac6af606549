// @generated: a verbatim copy of `runtime/src/endpoint/eval.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! Evaluation of the parsed rules against parameter values.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::functions::{
    get_attr, is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_path, parse_url,
    substring, uri_encode,
};
use super::rules::{Call, EndpointSpec, Expr, Func, Part, Rule, RuleKind, Template};
use super::{Endpoint, EndpointError, Partitions, Result};

pub(super) struct Eval<'a> {
    pub(super) partitions: &'a Partitions,
    /// Set parameters, then variables assigned by the conditions of the enclosing rules.
    pub(super) scope: Vec<(&'a str, Value)>,
}

impl<'a> Eval<'a> {
    /// `Ok(None)`: no rule matched. Error rules end evaluation with `Err`.
    pub(super) fn rules(&mut self, rules: &'a [Rule]) -> Result<Option<Endpoint>> {
        for rule in rules {
            let mark = self.scope.len();
            let outcome = self.rule(rule);
            self.scope.truncate(mark);
            if let Some(endpoint) = outcome? {
                return Ok(Some(endpoint));
            }
        }
        Ok(None)
    }

    fn rule(&mut self, rule: &'a Rule) -> Result<Option<Endpoint>> {
        for c in &rule.conditions {
            match self.call(&c.call)? {
                None | Some(Value::Bool(false)) => return Ok(None),
                Some(value) => {
                    if let Some(name) = &c.assign {
                        self.scope.push((name, value));
                    }
                }
            }
        }
        match &rule.kind {
            RuleKind::Endpoint(spec) => self.endpoint(spec).map(Some),
            RuleKind::Error(message) => Err(EndpointError::new(self.string(message)?)),
            // A tree whose conditions matched is final: the spec forbids falling through it.
            RuleKind::Tree(rules) => match self.rules(rules)? {
                Some(endpoint) => Ok(Some(endpoint)),
                None => Err(EndpointError::new(
                    "endpoint rules exhausted: no rule of a matching tree rule matched",
                )),
            },
        }
    }

    fn endpoint(&self, spec: &EndpointSpec) -> Result<Endpoint> {
        let mut headers = BTreeMap::new();
        for (name, values) in &spec.headers {
            let values = values
                .iter()
                .map(|v| self.string(v))
                .collect::<Result<_>>()?;
            headers.insert(name.clone(), values);
        }
        let mut properties = Map::new();
        for (name, p) in &spec.properties {
            properties.insert(name.clone(), self.required(p)?);
        }
        Ok(Endpoint {
            url: self.string(&spec.url)?,
            headers,
            properties,
        })
    }

    fn lookup(&self, name: &str) -> Option<&Value> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    fn eval(&self, expr: &Expr) -> Result<Option<Value>> {
        Ok(Some(match expr {
            Expr::Template(t) => Value::String(self.expand(t)?),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Number(n) => Value::Number(n.clone()),
            Expr::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| self.required(i))
                    .collect::<Result<_>>()?,
            ),
            Expr::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.required(v)?)))
                    .collect::<Result<_>>()?,
            ),
            Expr::Ref(name) => return Ok(self.lookup(name).cloned()),
            Expr::Call(call) => return self.call(call),
        }))
    }

    /// Values that must be set: the url, headers, properties, error messages.
    fn required(&self, expr: &Expr) -> Result<Value> {
        self.eval(expr)?.ok_or_else(|| {
            EndpointError::new(match expr {
                Expr::Ref(name) => format!("endpoint rules used `{name}`, which is unset"),
                Expr::Call(call) => format!("`{}` returned no value", call.func.name()),
                _ => "endpoint rules used an unset value".to_owned(),
            })
        })
    }

    fn string(&self, expr: &Expr) -> Result<String> {
        match self.required(expr)? {
            Value::String(s) => Ok(s),
            other => Err(EndpointError::new(format!(
                "expected a string, got {other}"
            ))),
        }
    }

    fn expand(&self, template: &Template) -> Result<String> {
        let mut out = String::new();
        for part in &template.0 {
            let (name, value) = match part {
                Part::Literal(s) => {
                    out.push_str(s);
                    continue;
                }
                Part::Ref(name) => (name, self.lookup(name)),
                Part::Attr(name, path) => (name, self.lookup(name).and_then(|v| get_attr(v, path))),
            };
            match value {
                Some(Value::String(s)) => out.push_str(s),
                Some(v @ (Value::Bool(_) | Value::Number(_))) => out.push_str(&v.to_string()),
                Some(other) => {
                    return Err(EndpointError::new(format!(
                        "template uses `{name}`, which is not a string: {other}"
                    )))
                }
                None => {
                    return Err(EndpointError::new(format!(
                        "template uses `{name}`, which is unset"
                    )))
                }
            }
        }
        Ok(out)
    }

    fn call(&self, call: &Call) -> Result<Option<Value>> {
        // The two functions that take optional values; the rest take set values only.
        match call.func {
            Func::IsSet => return Ok(Some(Value::Bool(self.eval(&call.args[0])?.is_some()))),
            Func::Coalesce => {
                let mut last = None;
                for arg in &call.args {
                    last = self.eval(arg)?;
                    if last.is_some() {
                        break;
                    }
                }
                return Ok(last);
            }
            _ => {}
        }
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            match self.eval(arg)? {
                Some(value) => args.push(value),
                // An unset argument (e.g. `getAttr(parseURL(x), ..)` of a bad URL) is unset.
                None => return Ok(None),
            }
        }
        let args = Args {
            func: call.func,
            values: &args,
        };
        Ok(match call.func {
            Func::BooleanEquals => Some(Value::Bool(args.bool(0)? == args.bool(1)?)),
            Func::StringEquals => Some(Value::Bool(args.str(0)? == args.str(1)?)),
            Func::Not => Some(Value::Bool(!args.bool(0)?)),
            Func::GetAttr => {
                let path = parse_path(args.str(1)?).map_err(EndpointError::new)?;
                get_attr(&args.values[0], &path).cloned()
            }
            Func::Substring => substring(args.str(0)?, args.int(1)?, args.int(2)?, args.bool(3)?)
                .map(Value::String),
            Func::UriEncode => Some(Value::String(uri_encode(args.str(0)?))),
            Func::ParseUrl => parse_url(args.str(0)?).map(|u| u.to_value()),
            Func::IsValidHostLabel => Some(Value::Bool(is_valid_host_label(
                args.str(0)?,
                args.bool(1)?,
            ))),
            Func::AwsPartition => self
                .partitions
                .lookup(args.str(0)?)
                .map(|p| Value::Object(p.clone())),
            Func::AwsParseArn => parse_arn(args.str(0)?).map(|a| a.to_value()),
            Func::AwsIsVirtualHostableS3Bucket => Some(Value::Bool(is_virtual_hostable_s3_bucket(
                args.str(0)?,
                args.bool(1)?,
            ))),
            Func::IsSet | Func::Coalesce => unreachable!("handled above"),
        })
    }
}

/// Typed access to evaluated arguments; a wrong type is a rule set bug, reported as an error.
struct Args<'v> {
    func: Func,
    values: &'v [Value],
}

impl Args<'_> {
    fn wrong(&self, i: usize, expected: &str) -> EndpointError {
        EndpointError::new(format!(
            "{} argument {i} must be a {expected}, got {}",
            self.func.name(),
            self.values[i]
        ))
    }

    fn str(&self, i: usize) -> Result<&str> {
        self.values[i]
            .as_str()
            .ok_or_else(|| self.wrong(i, "string"))
    }

    fn bool(&self, i: usize) -> Result<bool> {
        self.values[i]
            .as_bool()
            .ok_or_else(|| self.wrong(i, "boolean"))
    }

    fn int(&self, i: usize) -> Result<i64> {
        self.values[i]
            .as_i64()
            .ok_or_else(|| self.wrong(i, "integer"))
    }
}
