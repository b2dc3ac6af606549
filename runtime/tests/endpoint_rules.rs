//! The endpoint rules engine against the `smithy.rules#endpointTests` of the shared models, plus
//! unit tests of the standard library functions and templates.

use std::path::{Path, PathBuf};

// The shared-data rule, included by path: the runtime's manifest is vendored as it is, so it
// names no workspace-only crate.
#[allow(dead_code)]
#[path = "../../tests/shared-data/src/lib.rs"]
mod shared_data;

use serde_json::{json, Value};
use smithy_lite_runtime::endpoint::{
    get_attr, is_valid_host_label, is_virtual_hostable_s3_bucket, parse_arn, parse_path, parse_url,
    substring, uri_encode, ParamType, ParamValue, Params, Partitions, PathSegment, RuleSet,
};

/// The models folder and the partition table (`<shared>/endpoints/partitions.json`), or
/// `None` to skip when they are missing.
fn models_and_partitions() -> Option<(PathBuf, PathBuf)> {
    let models = shared_data::require_models("endpoint tests")?;
    let partitions = shared_data::require("endpoint tests", "endpoints/partitions.json")?;
    Some((models, partitions))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

fn to_params(json: Option<&Value>) -> Params {
    let mut params = Params::new();
    for (name, value) in json.and_then(Value::as_object).into_iter().flatten() {
        let value = match value {
            Value::String(s) => ParamValue::String(s.clone()),
            Value::Bool(b) => ParamValue::Bool(*b),
            Value::Array(items) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|i| i.as_str().unwrap().to_owned())
                    .collect(),
            ),
            other => panic!("unsupported test parameter {name} = {other}"),
        };
        params.insert(name.clone(), value);
    }
    params
}

/// Runs one test case; `Err` describes the mismatch.
fn check(rules: &RuleSet, partitions: &Partitions, case: &Value) -> Result<(), String> {
    let got = rules.resolve(&to_params(case.get("params")), partitions);
    let expect = &case["expect"];
    match (got, expect.get("endpoint"), expect.get("error")) {
        (Ok(got), Some(want), _) => {
            let want_headers = want.get("headers").cloned().unwrap_or(json!({}));
            let want_props = want.get("properties").cloned().unwrap_or(json!({}));
            let got_headers = serde_json::to_value(&got.headers).unwrap();
            let got_props = Value::Object(got.properties.clone());
            if want["url"] != got.url || want_headers != got_headers || want_props != got_props {
                return Err(format!(
                    "expected {want}, got url {} headers {got_headers} properties {got_props}",
                    got.url
                ));
            }
            Ok(())
        }
        (Err(e), _, Some(want)) if want == e.message() => Ok(()),
        (Err(e), _, _) => Err(format!("expected {expect}, got error {e:?}")),
        (Ok(got), _, _) => Err(format!("expected {expect}, got endpoint {}", got.url)),
    }
}

#[test]
fn endpoint_rule_set_test_cases() {
    let Some((models, partitions_file)) = models_and_partitions() else {
        return;
    };
    let partitions = std::fs::read_to_string(&partitions_file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", partitions_file.display()));
    // The models' endpoint tests were written when the `aws-iso` and `aws-iso-b` partitions
    // did not support dual-stack; the pinned table (botocore 1.44.8) says they do, and
    // botocore resolves `api.aws.ic.gov` / `api.aws.scloud` endpoints for them. Cases that fail
    // only for that reason must pass against the table as it was, and resolve to the
    // dual-stack endpoint with the pinned one.
    let older = older_partitions(&partitions);
    let older = Partitions::from_json(&older).expect("older partitions");
    let partitions = Partitions::from_json(&partitions).expect("partitions.json");

    let mut files: Vec<PathBuf> = std::fs::read_dir(&models)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();

    let (mut passed, mut total, mut failures) = (0, 0, Vec::new());
    let mut drift = Vec::new();
    for file in &files {
        let model = read_json(file);
        let name = file.file_name().unwrap().to_string_lossy();
        let services = model["shapes"].as_object().unwrap().values();
        for service in services.filter(|s| s["type"] == "service") {
            let traits = &service["traits"];
            let Some(rule_set) = traits.get("smithy.rules#endpointRuleSet") else {
                continue;
            };
            let rules =
                RuleSet::from_json(&rule_set.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let cases = traits["smithy.rules#endpointTests"]["testCases"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: no endpoint test cases"));
            let mut model_passed = 0;
            for case in cases {
                match check(&rules, &partitions, case) {
                    Ok(()) => model_passed += 1,
                    Err(why) if is_dual_stack_drift(case) => {
                        // Explained drift: passes with the older table, and the pinned table
                        // gives the dual-stack endpoint.
                        let older_ok = check(&rules, &older, case);
                        let pinned = rules.resolve(&to_params(case.get("params")), &partitions);
                        match (older_ok, pinned) {
                            (Ok(()), Ok(e)) if e.url.contains(".api.aws.ic.gov") || e.url.contains(".api.aws.scloud") => {
                                drift.push(format!("{name}: {} -> {}", case["documentation"], e.url));
                            }
                            (older_ok, pinned) => failures.push(format!(
                                "{name}: {}: {why}; with the older table: {older_ok:?}; pinned gives {:?}",
                                case["documentation"],
                                pinned.map(|e| e.url)
                            )),
                        }
                    }
                    Err(why) => failures.push(format!("{name}: {}: {why}", case["documentation"])),
                }
            }
            println!(
                "{name}: endpoint tests: {model_passed} passed of {}",
                cases.len()
            );
            passed += model_passed;
            total += cases.len();
        }
    }
    for failure in &failures {
        println!("FAILED {failure}");
    }
    for d in &drift {
        println!("partition drift (passes with the models' older table): {d}");
    }
    println!(
        "total: endpoint tests: {passed} passed of {total} with the pinned partitions; {} more pass with the models' older partition table (dual-stack in aws-iso/aws-iso-b)",
        drift.len()
    );
    assert_eq!(passed + drift.len() + failures.len(), total);
    assert!(
        total > 0,
        "no endpoint test cases found in {}",
        models.display()
    );
    assert!(
        failures.is_empty(),
        "{} endpoint test(s) failed",
        failures.len()
    );
}

/// A case that expects a "does not support DualStack" error ("DualStack is enabled but this
/// partition does not support DualStack", or "FIPS and DualStack are enabled, but this
/// partition does not support one or both") in an `aws-iso` (`us-iso-*`) or `aws-iso-b`
/// (`us-isob-*`) region.
fn is_dual_stack_drift(case: &Value) -> bool {
    let region = case["params"]["Region"].as_str().unwrap_or("");
    let error = case["expect"]["error"].as_str().unwrap_or("");
    (region.starts_with("us-iso-") || region.starts_with("us-isob-"))
        && case["params"]["UseDualStack"] == json!(true)
        && (error.contains("does not support DualStack")
            || error.contains("does not support one or both"))
}

/// The pinned table with dual-stack turned off for `aws-iso` and `aws-iso-b`, as it was when
/// the models' tests were written.
fn older_partitions(pinned: &str) -> String {
    let mut table: Value = serde_json::from_str(pinned).expect("partitions.json is JSON");
    for p in table["partitions"].as_array_mut().expect("partitions") {
        if p["id"] == "aws-iso" || p["id"] == "aws-iso-b" {
            p["outputs"]["supportsDualStack"] = json!(false);
        }
    }
    table.to_string()
}

// ---- Unit tests ----

const PARTITIONS: &str = r#"{"partitions": [
    {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$", "regions": {"aws-global": {}},
     "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                 "supportsFIPS": true, "supportsDualStack": true}},
    {"id": "aws-cn", "regionRegex": "^cn\\-\\w+\\-\\d+$", "regions": {},
     "outputs": {"name": "aws-cn", "dnsSuffix": "amazonaws.com.cn",
                 "dualStackDnsSuffix": "api.amazonwebservices.com.cn",
                 "supportsFIPS": true, "supportsDualStack": false}}
]}"#;

/// A rule set with one `Input` string parameter and the given rules.
fn rule_set(rules: Value) -> RuleSet {
    let doc = json!({
        "version": "1.0",
        "parameters": {
            "Input": {"type": "String", "required": false, "documentation": "input"},
            "Flag": {"type": "Boolean", "required": true, "default": true, "documentation": "f"}
        },
        "rules": rules,
    });
    RuleSet::from_json(&doc.to_string()).unwrap()
}

fn resolve(rules: &RuleSet, input: &str) -> Result<String, String> {
    let partitions = Partitions::from_json(PARTITIONS).unwrap();
    rules
        .resolve(&Params::new().set("Input", input), &partitions)
        .map(|e| e.url)
        .map_err(|e| e.to_string())
}

#[test]
fn parse_url_cases() {
    let u = parse_url("https://example.com").unwrap();
    assert_eq!(
        (u.scheme.as_str(), u.authority.as_str(), u.path.as_str()),
        ("https", "example.com", "")
    );
    assert_eq!((u.normalized_path.as_str(), u.is_ip), ("/", false));

    let u = parse_url("http://example.com:80/foo/bar").unwrap();
    assert_eq!(u.authority, "example.com:80"); // written ports are kept
    assert_eq!(
        (u.path.as_str(), u.normalized_path.as_str()),
        ("/foo/bar", "/foo/bar/")
    );

    let u = parse_url("https://example.com/").unwrap();
    assert_eq!((u.path.as_str(), u.normalized_path.as_str()), ("/", "/"));

    let u = parse_url("https://127.0.0.1:8443/a/").unwrap();
    assert_eq!((u.authority.as_str(), u.is_ip), ("127.0.0.1:8443", true));
    assert_eq!(u.normalized_path, "/a/");

    let u = parse_url("https://[fe80::1]:443").unwrap();
    assert_eq!((u.authority.as_str(), u.is_ip), ("[fe80::1]:443", true));
    assert!(!parse_url("https://127.0.0.1.example.com").unwrap().is_ip);
    assert!(!parse_url("https://999.0.0.1").unwrap().is_ip);
    assert!(parse_url("https://010.0.0.1").unwrap().is_ip);
    assert_eq!(
        parse_url("https://user@host.com").unwrap().authority,
        "host.com"
    );

    for bad in [
        "https://example.com:8443?foo=bar",
        "https://example.com/path#frag",
        "example.com",
        "ftp://example.com",
        "https://",
        "https://:80",
        "https://host:port",
        "https://host:99999",
        "https://[not-v6]",
        "https://[::1]junk",
        "https://exa mple.com",
    ] {
        assert!(parse_url(bad).is_none(), "{bad} should not parse");
    }
}

#[test]
fn host_labels() {
    assert!(is_valid_host_label("abc-123", false));
    assert!(is_valid_host_label("0abc", false));
    assert!(is_valid_host_label(&"a".repeat(63), false));
    assert!(!is_valid_host_label(&"a".repeat(64), false));
    assert!(!is_valid_host_label("", false));
    assert!(!is_valid_host_label("-abc", false));
    assert!(!is_valid_host_label("a_b", false));
    assert!(!is_valid_host_label("a.b", false));
    assert!(is_valid_host_label("a.b.c", true));
    assert!(!is_valid_host_label("a..b", true));
    assert!(!is_valid_host_label("a.", true));
    assert!(!is_valid_host_label("a.-b", true));

    for (bucket, dots, ok) in [
        ("abc", false, true),
        ("ab", false, false), // too short
        (&"a".repeat(63), false, true),
        (&"a".repeat(64), false, false),
        ("-abc", false, false),
        ("abc-", false, false),
        ("a-b--c", false, true),
        ("a.b-c", false, false), // dots not allowed
        ("a.b-c", true, true),
        ("a0.b1.c2", true, true), // short labels are fine within a longer name
        (".abc", true, false),
        ("abc.", true, false),
        ("a..b", true, false),
        ("a-.b", true, false),
        ("a.-b", true, false),
        ("192.168.1.1", true, false),
        ("999.999.999.999", true, false), // not an address, but shaped like one
        ("192.168.1.word", true, true),
        ("abcDef", true, false),
        ("abc_def", true, false),
    ] {
        assert_eq!(
            is_virtual_hostable_s3_bucket(bucket, dots),
            ok,
            "{bucket} {dots}"
        );
    }
}

#[test]
fn uri_encode_cases() {
    assert_eq!(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
    assert_eq!(uri_encode("a b/c:d?e#f"), "a%20b%2Fc%3Ad%3Fe%23f");
    assert_eq!(
        uri_encode("%{}|@!$&'()*+;=<>\"^`\\,[]"),
        "%25%7B%7D%7C%40%21%24%26%27%28%29%2A%2B%3B%3D%3C%3E%22%5E%60%5C%2C%5B%5D"
    );
    assert_eq!(uri_encode("é"), "%C3%A9");
}

#[test]
fn substring_cases() {
    assert_eq!(substring("abcdefg", 0, 4, false).as_deref(), Some("abcd"));
    assert_eq!(substring("abcdefg", 0, 4, true).as_deref(), Some("defg"));
    assert_eq!(substring("abcdefg", 1, 3, true).as_deref(), Some("ef"));
    assert_eq!(
        substring("abcdefg", 0, 7, false).as_deref(),
        Some("abcdefg")
    );
    assert_eq!(substring("abcdefg", 0, 8, false), None); // too short
    assert_eq!(substring("abcdefg", 3, 3, false), None);
    assert_eq!(substring("abcdefg", 4, 2, false), None);
    assert_eq!(substring("abcdefg", -1, 2, false), None);
    assert_eq!(substring("abcdé", 0, 2, false), None); // non-ASCII input
}

#[test]
fn get_attr_paths() {
    assert_eq!(
        parse_path("a.b[0]").unwrap(),
        vec![
            PathSegment::Key("a".into()),
            PathSegment::Key("b".into()),
            PathSegment::Index(0)
        ]
    );
    assert_eq!(parse_path("[2]").unwrap(), vec![PathSegment::Index(2)]);
    for bad in ["", "a..b", "a[x]", "a[1", "a[1]b"] {
        assert!(parse_path(bad).is_err(), "{bad:?} should not parse");
    }
    let v = json!({"a": {"b": ["x", "y"]}, "n": 1});
    let at = |p: &str| get_attr(&v, &parse_path(p).unwrap()).cloned();
    assert_eq!(at("a.b[1]"), Some(json!("y")));
    assert_eq!(at("a.b[2]"), None);
    assert_eq!(at("a.c"), None);
    assert_eq!(at("n.x"), None);
    assert_eq!(at("a.b"), Some(json!(["x", "y"])));
}

#[test]
fn parse_arn_cases() {
    let arn = parse_arn("arn:aws:ec2:us-east-1:012345678910:vpc/vpc-0e98").unwrap();
    assert_eq!(
        (arn.partition.as_str(), arn.service.as_str()),
        ("aws", "ec2")
    );
    assert_eq!(
        (arn.region.as_str(), arn.account_id.as_str()),
        ("us-east-1", "012345678910")
    );
    assert_eq!(arn.resource_id, ["vpc", "vpc-0e98"]);
    let arn = parse_arn("arn:aws:s3:::bucket_name:obj/a:b").unwrap();
    assert_eq!((arn.region.as_str(), arn.account_id.as_str()), ("", ""));
    assert_eq!(arn.resource_id, ["bucket_name", "obj", "a", "b"]);
    for bad in [
        "11111111-2222",
        "arn:aws:s3:::",
        "arn::s3:::x",
        "arn:aws::::x",
        "urn:a:b:c:d:e",
    ] {
        assert!(parse_arn(bad).is_none(), "{bad} should not parse");
    }
}

#[test]
fn partitions_lookup() {
    let p = Partitions::from_json(PARTITIONS).unwrap();
    assert_eq!(p.lookup("cn-north-1").unwrap()["name"], "aws-cn");
    assert_eq!(p.lookup("us-west-2").unwrap()["name"], "aws");
    assert_eq!(p.lookup("aws-global").unwrap()["name"], "aws"); // listed, not regex-matched
    assert_eq!(p.lookup("mars-east-1").unwrap()["name"], "aws"); // unknown: falls back to aws
}

#[test]
fn templates() {
    let rules = rule_set(json!([
        {"type": "endpoint", "conditions": [
            {"fn": "aws.partition", "argv": [{"ref": "Input"}], "assign": "P"},
            {"fn": "stringEquals", "argv": ["{P#name}", "aws-cn"]}
        ], "endpoint": {"url": "https://{Input}.{P#dnsSuffix}/{{literal}}/}"}},
        {"type": "endpoint", "conditions": [
            {"fn": "aws.parseArn", "argv": [{"ref": "Input"}], "assign": "Arn"}
        ], "endpoint": {
            "url": "https://{Arn#resourceId[1]}.{Arn#region}.example.com",
            "headers": {"x-service": ["{Arn#service}", "static"]},
            "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Arn#region}",
                                             "disableDoubleEncoding": true}]}
        }},
        {"type": "error", "conditions": [], "error": "bad input: {Input} (flag {Flag})"}
    ]));
    assert_eq!(
        resolve(&rules, "cn-north-1").unwrap(),
        "https://cn-north-1.amazonaws.com.cn/{literal}/}"
    );
    let partitions = Partitions::from_json(PARTITIONS).unwrap();
    let arn = "arn:aws:kinesisvideo:us-west-2:123:stream/s1/99";
    let e = rules
        .resolve(&Params::new().set("Input", arn), &partitions)
        .unwrap();
    assert_eq!(e.url, "https://s1.us-west-2.example.com");
    assert_eq!(e.headers["x-service"], ["kinesisvideo", "static"]);
    assert_eq!(
        Value::Object(e.properties),
        json!({"authSchemes": [{"name": "sigv4", "signingRegion": "us-west-2",
                                "disableDoubleEncoding": true}]})
    );
    assert_eq!(
        resolve(&rules, "us-east-1").unwrap_err(),
        "bad input: us-east-1 (flag true)"
    );
}

#[test]
fn functions_in_rules() {
    let rules = rule_set(json!([
        {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Input"}]}], "rules": [
            {"type": "endpoint", "conditions": [
                {"fn": "parseURL", "argv": [{"ref": "Input"}], "assign": "Url"},
                {"fn": "not", "argv": [{"fn": "getAttr", "argv": [{"ref": "Url"}, "isIp"]}]}
            ], "endpoint": {"url": "{Url#scheme}://{Url#authority}{Url#normalizedPath}v1"}},
            {"type": "endpoint", "conditions": [
                {"fn": "substring", "argv": [{"ref": "Input"}, 0, 3, true], "assign": "Tail"},
                {"fn": "isValidHostLabel", "argv": [{"ref": "Input"}, true]}
            ], "endpoint": {"url": "https://{Tail}.example.com/{Input}"}},
            {"type": "endpoint", "conditions": [
                {"fn": "booleanEquals", "argv": [{"ref": "Flag"}, false]}
            ], "endpoint": {"url": "https://unreachable"}}
        ]},
        {"type": "endpoint", "conditions": [], "endpoint": {
            "url": {"fn": "coalesce", "argv": [{"ref": "Input"}, "https://default.example.com"]}
        }}
    ]));
    assert_eq!(
        resolve(&rules, "https://h.com:8443/p").unwrap(),
        "https://h.com:8443/p/v1"
    );
    assert_eq!(
        resolve(&rules, "a.bcd").unwrap(),
        "https://bcd.example.com/a.bcd"
    );
    // A tree whose conditions matched but whose rules did not is an error, not a fall-through.
    assert!(resolve(&rules, "https://127.0.0.1")
        .unwrap_err()
        .contains("exhausted"));
    let partitions = Partitions::from_json(PARTITIONS).unwrap();
    let e = rules.resolve(&Params::new(), &partitions).unwrap();
    assert_eq!(e.url, "https://default.example.com");
}

#[test]
fn parameters_and_errors() {
    let rules = rule_set(json!([{"type": "error", "conditions": [], "error": "x"}]));
    let flag = rules
        .parameters()
        .iter()
        .find(|p| p.name == "Flag")
        .unwrap();
    assert_eq!(flag.param_type, ParamType::Boolean);
    assert_eq!(flag.default, Some(ParamValue::Bool(true)));
    assert!(flag.required);
    let partitions = Partitions::from_json(PARTITIONS).unwrap();
    let wrong_type = Params::new().set("Flag", "yes");
    assert!(rules.resolve(&wrong_type, &partitions).is_err());

    let doc = json!({"version": "1.0", "parameters": {
        "Region": {"type": "String", "required": true, "builtIn": "AWS::Region", "documentation": "r"}
    }, "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region}"}}]});
    let rules = RuleSet::from_json(&doc.to_string()).unwrap();
    assert_eq!(
        rules.parameters()[0].built_in.as_deref(),
        Some("AWS::Region")
    );
    let missing = rules.resolve(&Params::new(), &partitions).unwrap_err();
    assert!(missing.message().contains("Region"), "{missing}");

    // Unknown references and functions are caught when the rule set is loaded.
    for bad in [
        json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Nope}"}}]),
        json!([{"type": "error", "conditions": [{"fn": "frob", "argv": []}], "error": "x"}]),
        json!([{"type": "error", "conditions": [], "error": "unclosed {Input"}]),
    ] {
        let doc = json!({"version": "1.0", "parameters": {}, "rules": bad});
        assert!(RuleSet::from_json(&doc.to_string()).is_err(), "{bad}");
    }
}
