// @generated: a verbatim copy of `runtime/src/endpoint/partitions.rs` of smithy-lite-runtime.
// Do not edit: run `cargo xtask codegen`.

//! The AWS partition table that `aws.partition` consults.

use serde_json::{Map, Value};

use super::{EndpointError, Result};

/// The AWS partition table (`partitions.json`) that `aws.partition` consults.
#[derive(Clone, Debug)]
pub struct Partitions {
    partitions: Vec<Partition>,
}

#[derive(Clone, Debug)]
struct Partition {
    id: String,
    regions: Vec<String>,
    region_regex: regex::Regex,
    /// What `aws.partition` returns: name, dnsSuffix, dualStackDnsSuffix, supportsFIPS, ...
    outputs: Map<String, Value>,
}

impl Partitions {
    pub fn from_json(json: &str) -> Result<Partitions> {
        let bad = |m: String| EndpointError::new(format!("invalid partitions.json: {m}"));
        let doc: Value = serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        let list = doc
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("no `partitions` array".into()))?;
        let mut partitions = Vec::new();
        for p in list {
            let id = p.get("id").and_then(Value::as_str).unwrap_or_default();
            let text = |key: &str| p.get(key).and_then(Value::as_str);
            let pattern =
                text("regionRegex").ok_or_else(|| bad(format!("{id}: no regionRegex")))?;
            // The runtime's `regex` lacks Unicode classes; region regexes are ASCII (`\w`, `\d`).
            let region_regex = regex::RegexBuilder::new(pattern)
                .unicode(false)
                .build()
                .or_else(|_| regex::Regex::new(pattern))
                .map_err(|e| bad(format!("{id}: regionRegex: {e}")))?;
            let mut outputs = p
                .get("outputs")
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| bad(format!("{id}: no outputs")))?;
            outputs.entry("name").or_insert_with(|| id.into());
            let regions = p.get("regions").and_then(Value::as_object);
            partitions.push(Partition {
                id: id.to_owned(),
                regions: regions
                    .into_iter()
                    .flatten()
                    .map(|(r, _)| r.clone())
                    .collect(),
                region_regex,
                outputs,
            });
        }
        Ok(Partitions { partitions })
    }

    /// The partition of a region: the one listing it, else the first whose regex matches it,
    /// else `aws` (so that new regions resolve before the table knows them).
    pub fn lookup(&self, region: &str) -> Option<&Map<String, Value>> {
        let ps = &self.partitions;
        ps.iter()
            .find(|p| p.regions.iter().any(|r| r == region))
            .or_else(|| ps.iter().find(|p| p.region_regex.is_match(region)))
            .or_else(|| ps.iter().find(|p| p.id == "aws"))
            .map(|p| &p.outputs)
    }
}
