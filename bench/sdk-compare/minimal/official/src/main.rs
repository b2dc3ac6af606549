//! One call with aws-sdk-kinesisvideo; region and credentials from the environment.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_kinesisvideo::Client::new(&config);
    let out = client
        .describe_image_generation_configuration()
        .stream_name("cam-1")
        .send()
        .await?;
    println!("{:?}", out.image_generation_configuration());
    Ok(())
}
