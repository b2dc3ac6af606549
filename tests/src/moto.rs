//! moto's server (PyPI `moto[server]`, pinned in tests/oracle/requirements.txt), started on a
//! free loopback port for one test.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running moto server, killed however the test ends.
pub struct Server {
    child: Child,
    url: String,
}

impl Server {
    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts moto with `env` added to its environment, or says why it cannot (a failure under CI;
/// see `shared_data::unavailable`).
pub fn start(what: &str, env: &[(&str, String)]) -> Option<Server> {
    let python = shared_data::python_with(what, "moto.server, flask")?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port();
    let child = Command::new(python)
        .args([
            "-m",
            "moto.server",
            "-H",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start moto");
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto did not start within 30 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(server)
}
