//! `kvs whoami`: the source of the credentials and of the region, the key id's last four
//! characters and the expiry, with no request to any service but the credentials source.

use std::path::PathBuf;

use kvs_cli::{run, Outcome, Settings, OTHER_ERROR, USAGE_ERROR};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

async fn whoami(args: &[&str], vars: &[(&str, &str)]) -> Outcome {
    let mut all: Vec<String> = vec!["whoami".into()];
    all.extend(args.iter().map(|s| s.to_string()));
    run(&all, Settings::from_vars(vars.iter().copied())).await
}

fn json(out: &Outcome) -> Value {
    assert_eq!(out.code, 0, "{out:?}");
    assert!(!out.stdout.contains(SECRET), "{}", out.stdout);
    serde_json::from_str(&out.stdout).unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("whoami")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn environment_keys_and_region() {
    let out = whoami(
        &[],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_REGION", "us-west-2"),
            ("HOME", "/nonexistent"),
        ],
    )
    .await;
    let v = json(&out);
    assert_eq!(v["Credentials"]["Source"], "env");
    assert_eq!(v["Credentials"]["AccessKeyId"], "****************MPLE");
    assert_eq!(v["Credentials"]["Expiration"], Value::Null);
    assert_eq!(v["Credentials"]["Temporary"], false);
    assert_eq!(v["Region"]["Name"], "us-west-2");
    assert_eq!(v["Region"]["Source"], "env (AWS_REGION)");
    assert_eq!(v["Profile"], "default");
}

#[tokio::test]
async fn a_profile_with_credential_process_and_region() {
    let dir = scratch("process");
    let script = dir.join("creds.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS1234\", \"SecretAccessKey\": \"{SECRET}\", \"SessionToken\": \"tok\", \"Expiration\": \"2099-01-01T00:00:00Z\"}}'\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!(
            "[default]\nregion = us-east-1\n[profile cam]\nregion = eu-west-1\ncredential_process = {}\n",
            script.display()
        ),
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let home = dir.to_string_lossy().into_owned();
    let vars = [
        ("AWS_CONFIG_FILE", config.as_str()),
        ("HOME", home.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    let v = json(&whoami(&["--profile", "cam"], &vars).await);
    assert_eq!(v["Credentials"]["Source"], "custom-process");
    assert_eq!(v["Credentials"]["AccessKeyId"], "****************1234");
    assert_eq!(v["Credentials"]["Temporary"], true);
    assert_eq!(
        v["Credentials"]["Expiration"]["Time"],
        "2099-01-01T00:00:00Z"
    );
    assert!(
        v["Credentials"]["Expiration"]["SecondsLeft"]
            .as_u64()
            .unwrap()
            > 1_000_000
    );
    assert_eq!(v["Region"]["Name"], "eu-west-1");
    assert_eq!(v["Region"]["Source"], "profile `cam` (region)");
    assert_eq!(v["Profile"], "cam");
    // --region wins.
    let v = json(&whoami(&["--profile", "cam", "--region", "ap-south-1"], &vars).await);
    assert_eq!(v["Region"]["Name"], "ap-south-1");
    assert_eq!(v["Region"]["Source"], "--region");
}

/// A container endpoint that counts its requests: whoami sends exactly one, to it.
#[tokio::test]
async fn only_the_credentials_source_is_called() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let mut paths = Vec::new();
        // Accept until the test ends; record each request line.
        while let Ok(Ok((mut s, _))) =
            tokio::time::timeout(std::time::Duration::from_millis(1500), listener.accept()).await
        {
            let mut buf = vec![0u8; 4096];
            let n = s.read(&mut buf).await.unwrap();
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            paths.push(head.lines().next().unwrap_or("").to_string());
            let body = format!(
                r#"{{"AccessKeyId":"ASIACONTAINERWXYZ","SecretAccessKey":"{SECRET}","Token":"t","Expiration":"2099-06-01T12:00:00Z"}}"#
            );
            let _ = s
                .write_all(
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .await;
        }
        paths
    });
    let uri = format!("http://{addr}/v2/credentials/task");
    let out = whoami(
        &[],
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.as_str()),
            ("AWS_DEFAULT_REGION", "eu-north-1"),
            ("HOME", "/nonexistent"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    )
    .await;
    let v = json(&out);
    assert_eq!(v["Credentials"]["Source"], "container-role");
    assert_eq!(v["Credentials"]["AccessKeyId"], "****************WXYZ");
    assert_eq!(
        v["Credentials"]["Expiration"]["Time"],
        "2099-06-01T12:00:00Z"
    );
    assert_eq!(v["Region"]["Source"], "env (AWS_DEFAULT_REGION)");
    assert_eq!(server.await.unwrap(), ["GET /v2/credentials/task HTTP/1.1"]);
}

#[tokio::test]
async fn no_credentials_names_every_source_tried() {
    let out = whoami(
        &[],
        &[
            ("HOME", "/nonexistent"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
    )
    .await;
    assert_eq!(out.code, OTHER_ERROR);
    for source in [
        "environment:",
        "profile:",
        "web identity (environment):",
        "container endpoint:",
        "instance metadata: instance metadata is disabled",
    ] {
        assert!(
            out.stderr.contains(source),
            "{source} not in {}",
            out.stderr
        );
    }
}

#[tokio::test]
async fn help_and_bad_arguments() {
    let out = whoami(&["--help"], &[]).await;
    assert_eq!(out.code, 0);
    assert!(out
        .stdout
        .contains("No request is sent to a Kinesis Video service"));
    assert!(out
        .stdout
        .contains("the container endpoint, EC2 instance metadata"));
    let out = whoami(&["--bogus"], &[]).await;
    assert_eq!(out.code, USAGE_ERROR);
    let out = whoami(&["--profile"], &[]).await;
    assert_eq!(out.code, USAGE_ERROR);
    let out = run(&["--help".to_string()], Settings::from_vars([("X", "1")])).await;
    assert!(out.stdout.contains("kvs whoami"));
}
