//! One call with the generated kinesis-video crate; region and credentials from the environment.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = kinesis_video::Client::from_env()?;
    let out = client
        .describe_image_generation_configuration()
        .stream_name("cam-1")
        .send()
        .await?;
    println!("{:?}", out.image_generation_configuration);
    Ok(())
}
