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
    region_regex: regress::Regex,
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
            // Region regexes are ASCII (`^us\-gov\-\w+\-\d+$`): the same in ECMAScript, whose
            // engine the runtime has for `@pattern`.
            let region_regex =
                regress::Regex::new(pattern).map_err(|e| bad(format!("{id}: regionRegex: {e}")))?;
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
            .or_else(|| ps.iter().find(|p| p.region_regex.find(region).is_some()))
            .or_else(|| ps.iter().find(|p| p.id == "aws"))
            .map(|p| &p.outputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"{"partitions": [
        {"id": "aws", "regionRegex": "^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$",
         "regions": {"us-east-1": {}, "aws-global": {}}, "outputs": {"dnsSuffix": "amazonaws.com"}},
        {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$",
         "regions": {"cn-north-1": {}}, "outputs": {"dnsSuffix": "amazonaws.com.cn"}},
        {"id": "aws-us-gov", "regionRegex": "^us\\-gov\\-\\w+\\-\\d+$",
         "regions": {}, "outputs": {"dnsSuffix": "amazonaws.com", "name": "aws-us-gov"}},
        {"id": "aws-eusc", "regionRegex": "^eusc\\-(de)\\-\\w+\\-\\d+$",
         "regions": {}, "outputs": {"dnsSuffix": "amazonaws.eu"}}
    ]}"#;

    fn partition_of(region: &str) -> String {
        let table = Partitions::from_json(TABLE).unwrap();
        table.lookup(region).unwrap()["name"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn listed_regions_then_region_regexes_then_aws() {
        assert_eq!(partition_of("aws-global"), "aws");
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        // Not listed: the first partition whose regex matches, in table order.
        assert_eq!(partition_of("cn-southwest-9"), "aws-cn");
        assert_eq!(partition_of("eu-central-42"), "aws");
        assert_eq!(partition_of("eusc-de-east-2"), "aws-eusc");
        // Not `aws`'s: its `\w+` takes no `-`.
        assert_eq!(partition_of("us-gov-west-9"), "aws-us-gov");
        assert_eq!(partition_of("eusc-fr-east-1"), "aws");
        assert_eq!(partition_of("mars-1"), "aws");
    }

    #[test]
    fn an_invalid_region_regex_is_an_error() {
        let bad = TABLE.replace("^cn\\\\-\\\\w+\\\\-\\\\d+$", "^cn(");
        let e = Partitions::from_json(&bad).unwrap_err();
        assert!(e.to_string().contains("aws-cn: regionRegex"), "{e}");
    }
}
