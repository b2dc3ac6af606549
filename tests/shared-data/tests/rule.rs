//! The rule for missing shared data. Its own test binary: it sets the process's environment,
//! and the runtime's tests include the library's file by path.

// One test: it sets the process's environment, which other tests would share.
#[test]
fn missing_data_skips_outside_ci_and_fails_under_it() {
    let shared = std::env::temp_dir().join(format!("shared-data-{}", std::process::id()));
    std::fs::create_dir_all(shared.join("models")).unwrap();
    std::fs::write(shared.join("present.txt"), "x").unwrap();
    std::env::set_var("KVS_MODEL_MIRROR", shared.join("models"));

    std::env::remove_var("CI");
    assert_eq!(
        shared_data::require_models("t"),
        Some(shared.join("models"))
    );
    assert_eq!(
        shared_data::require("t", "present.txt"),
        Some(shared.join("present.txt"))
    );
    assert_eq!(shared_data::require("t", "absent.txt"), None);

    std::env::set_var("CI", "true");
    assert_eq!(
        shared_data::require("t", "present.txt"),
        Some(shared.join("present.txt"))
    );
    let failed = std::panic::catch_unwind(|| shared_data::require("t", "absent.txt"));
    let message = failed.expect_err("under CI, missing data fails");
    let message = message.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("absent.txt") && message.contains("CI is set"),
        "{message}"
    );

    std::env::remove_var("CI");
    std::fs::remove_dir_all(&shared).unwrap();
}
