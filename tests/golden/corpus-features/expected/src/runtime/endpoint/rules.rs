// @generated: a verbatim copy of `runtime/src/endpoint/rules.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The parsed rule tree, and the parser that builds it from the rule set JSON.

use serde_json::{Number, Value};

use super::functions::{parse_path, PathSegment};
use super::{field, invalid, Result};

#[derive(Clone, Debug)]
pub(super) struct Rule {
    pub(super) conditions: Vec<Condition>,
    pub(super) kind: RuleKind,
}

#[derive(Clone, Debug)]
pub(super) enum RuleKind {
    Endpoint(EndpointSpec),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Clone, Debug)]
pub(super) struct Condition {
    pub(super) call: Call,
    pub(super) assign: Option<String>,
}

#[derive(Clone, Debug)]
pub(super) struct EndpointSpec {
    pub(super) url: Expr,
    pub(super) headers: Vec<(String, Vec<Expr>)>,
    pub(super) properties: Vec<(String, Expr)>,
}

#[derive(Clone, Debug)]
pub(super) enum Expr {
    Template(Template),
    Bool(bool),
    Number(Number),
    Array(Vec<Expr>),
    /// Only in endpoint properties, which are plain data (plus templates).
    Object(Vec<(String, Expr)>),
    Ref(String),
    Call(Call),
}

#[derive(Clone, Debug)]
pub(super) struct Call {
    pub(super) func: Func,
    pub(super) args: Vec<Expr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Func {
    BooleanEquals,
    StringEquals,
    IsSet,
    Not,
    Coalesce,
    GetAttr,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    AwsPartition,
    AwsParseArn,
    AwsIsVirtualHostableS3Bucket,
}

/// Each function's rule set name and (min, max) argument count.
const FUNCTIONS: &[(&str, Func, usize, usize)] = &[
    ("booleanEquals", Func::BooleanEquals, 2, 2),
    ("stringEquals", Func::StringEquals, 2, 2),
    ("isSet", Func::IsSet, 1, 1),
    ("not", Func::Not, 1, 1),
    ("coalesce", Func::Coalesce, 1, usize::MAX),
    ("getAttr", Func::GetAttr, 2, 2),
    ("substring", Func::Substring, 4, 4),
    ("uriEncode", Func::UriEncode, 1, 1),
    ("parseURL", Func::ParseUrl, 1, 1),
    ("isValidHostLabel", Func::IsValidHostLabel, 2, 2),
    ("aws.partition", Func::AwsPartition, 1, 1),
    ("aws.parseArn", Func::AwsParseArn, 1, 1),
    (
        "aws.isVirtualHostableS3Bucket",
        Func::AwsIsVirtualHostableS3Bucket,
        2,
        2,
    ),
];

impl Func {
    /// The rule set name, for error messages.
    pub(super) fn name(self) -> &'static str {
        FUNCTIONS.iter().find(|f| f.1 == self).map_or("?", |f| f.0)
    }
}

/// A string with `{name}` / `{name#path}` holes; `{{` and `}}` are literal braces.
#[derive(Clone, Debug)]
pub(super) struct Template(pub(super) Vec<Part>);

#[derive(Clone, Debug)]
pub(super) enum Part {
    Literal(String),
    Ref(String),
    Attr(String, Vec<PathSegment>),
}

/// Parses rules, tracking which names (parameters, assigned variables) are in scope.
pub(super) struct Parser {
    pub(super) visible: Vec<String>,
}

impl Parser {
    pub(super) fn rules(&mut self, v: &Value) -> Result<Vec<Rule>> {
        let rules = v
            .as_array()
            .ok_or_else(|| invalid("`rules` is not an array"))?;
        rules.iter().map(|r| self.rule(r)).collect()
    }

    fn rule(&mut self, v: &Value) -> Result<Rule> {
        // Variables assigned by a rule's conditions are visible in that rule only.
        let mark = self.visible.len();
        let rule = self.rule_in_scope(v);
        self.visible.truncate(mark);
        rule
    }

    fn rule_in_scope(&mut self, v: &Value) -> Result<Rule> {
        let mut conditions = Vec::new();
        for c in v
            .get("conditions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let call = self.call(c)?;
            let assign = c.get("assign").and_then(Value::as_str).map(str::to_owned);
            if let Some(name) = &assign {
                self.visible.push(name.clone());
            }
            conditions.push(Condition { call, assign });
        }
        let kind = match field(v, "type", "rule")?.as_str() {
            Some("endpoint") => {
                let e = field(v, "endpoint", "endpoint rule")?;
                let mut headers = Vec::new();
                for (name, values) in e
                    .get("headers")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let values = values
                        .as_array()
                        .ok_or_else(|| invalid(format!("header `{name}` is not an array")))?;
                    let values = values.iter().map(|x| self.expr(x)).collect::<Result<_>>()?;
                    headers.push((name.clone(), values));
                }
                let properties = e
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten();
                RuleKind::Endpoint(EndpointSpec {
                    url: self.expr(field(e, "url", "endpoint")?)?,
                    headers,
                    properties: properties
                        .map(|(k, p)| Ok((k.clone(), self.property(p)?)))
                        .collect::<Result<_>>()?,
                })
            }
            Some("error") => RuleKind::Error(self.expr(field(v, "error", "error rule")?)?),
            Some("tree") => RuleKind::Tree(self.rules(field(v, "rules", "tree rule")?)?),
            other => return Err(invalid(format!("unknown rule type {other:?}"))),
        };
        Ok(Rule { conditions, kind })
    }

    fn call(&self, v: &Value) -> Result<Call> {
        let name = field(v, "fn", "function")?.as_str().unwrap_or_default();
        let &(_, func, min, max) = FUNCTIONS
            .iter()
            .find(|f| f.0 == name)
            .ok_or_else(|| invalid(format!("unsupported function `{name}`")))?;
        let args = field(v, "argv", "function")?
            .as_array()
            .ok_or_else(|| invalid(format!("`{name}` argv is not an array")))?;
        if args.len() < min || args.len() > max {
            return Err(invalid(format!("`{name}` given {} arguments", args.len())));
        }
        let args = args.iter().map(|a| self.expr(a)).collect::<Result<_>>()?;
        Ok(Call { func, args })
    }

    fn expr(&self, v: &Value) -> Result<Expr> {
        Ok(match v {
            Value::String(s) => Expr::Template(self.template(s)?),
            Value::Bool(b) => Expr::Bool(*b),
            Value::Number(n) => Expr::Number(n.clone()),
            Value::Array(items) => {
                Expr::Array(items.iter().map(|i| self.expr(i)).collect::<Result<_>>()?)
            }
            Value::Object(o) if o.contains_key("fn") => Expr::Call(self.call(v)?),
            Value::Object(o) => match o.get("ref").and_then(Value::as_str) {
                Some(name) => Expr::Ref(self.check_ref(name)?),
                None => return Err(invalid(format!("unexpected expression {v}"))),
            },
            Value::Null => return Err(invalid("null expression")),
        })
    }

    /// Properties are data: objects are maps, never references or calls.
    fn property(&self, v: &Value) -> Result<Expr> {
        Ok(match v {
            Value::Array(items) => Expr::Array(
                items
                    .iter()
                    .map(|i| self.property(i))
                    .collect::<Result<_>>()?,
            ),
            Value::Object(o) => Expr::Object(
                o.iter()
                    .map(|(k, p)| Ok((k.clone(), self.property(p)?)))
                    .collect::<Result<_>>()?,
            ),
            _ => self.expr(v)?,
        })
    }

    fn check_ref(&self, name: &str) -> Result<String> {
        if self.visible.iter().any(|n| n == name) {
            Ok(name.to_owned())
        } else {
            Err(invalid(format!("reference to unknown name `{name}`")))
        }
    }

    fn template(&self, s: &str) -> Result<Template> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = s;
        while let Some(i) = rest.find(['{', '}']) {
            literal.push_str(&rest[..i]);
            let brace = &rest[i..i + 1];
            rest = &rest[i + 1..];
            if let Some(after) = rest.strip_prefix(brace) {
                literal.push_str(brace); // `{{` or `}}`
                rest = after;
            } else if brace == "}" {
                literal.push('}'); // a lone `}` is not special
            } else {
                let end = rest
                    .find('}')
                    .ok_or_else(|| invalid(format!("unclosed `{{` in template {s:?}")))?;
                let hole = &rest[..end];
                rest = &rest[end + 1..];
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(match hole.split_once('#') {
                    Some((name, path)) => Part::Attr(
                        self.check_ref(name)?,
                        parse_path(path).map_err(|e| invalid(format!("{e} in {s:?}")))?,
                    ),
                    None => Part::Ref(self.check_ref(hole)?),
                });
            }
        }
        literal.push_str(rest);
        if !literal.is_empty() || parts.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template(parts))
    }
}
