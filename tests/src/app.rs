//! A running `wrangler dev` on a free port with a fresh local state directory (D1 and the
//! rest of the simulated bindings), migrated and, by default, loaded with the demo data.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::{free_port, repo_root, request};

/// How to start the Worker.
#[derive(Debug, Clone)]
pub struct AppOptions {
    /// Load `fixtures/demo` into D1 before starting.
    pub demo_data: bool,
    /// Extra `--var NAME:VALUE` overrides (e.g. a short deadline, an upstream URL).
    pub vars: Vec<(String, String)>,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            demo_data: true,
            vars: Vec::new(),
        }
    }
}

/// A `wrangler dev` process. Dropping it stops the process and everything it started.
pub struct App {
    pub base_url: String,
    pub state_dir: PathBuf,
    port: u16,
    options: AppOptions,
    child: Option<Child>,
}

static BUILD: Once = Once::new();

impl App {
    /// Builds the Worker (once per test run), prepares a fresh state and starts it.
    pub fn spawn(options: AppOptions) -> App {
        BUILD.call_once(|| {
            run(
                Command::new("bash").args(["scripts/build-worker.sh", "--simulator"]),
                "build",
            )
        });
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let state_dir = repo_root()
            .join("target/e2e")
            .join(format!("state-{}-{nanos}", std::process::id()));
        fs::create_dir_all(&state_dir).expect("state directory");
        let port = free_port();
        let mut app = App {
            base_url: format!("http://127.0.0.1:{port}"),
            state_dir,
            port,
            options,
            child: None,
        };
        app.prepare_state();
        app.start();
        app
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Runs SQL against this instance's local D1 and returns the result rows.
    ///
    /// `wrangler d1 execute` opens the same SQLite file as the running Worker, so while other
    /// tests write, it can find the database locked; it is then tried again (up to 10 times,
    /// 300 ms apart) before the test fails with wrangler's output.
    pub fn d1(&self, sql: &str) -> Vec<serde_json::Value> {
        let mut last = String::new();
        for _ in 0..10 {
            let output = Command::new("wrangler")
                .current_dir(repo_root())
                .args(["d1", "execute", "DB", "--local", "--env", "dev", "--json"])
                .arg("--persist-to")
                .arg(&self.state_dir)
                .args(["--command", sql])
                .output()
                .expect("wrangler d1 execute");
            let text = String::from_utf8_lossy(&output.stdout);
            let parsed: Option<serde_json::Value> = serde_json::from_str(&text).ok();
            let results = parsed
                .as_ref()
                .filter(|_| output.status.success())
                .and_then(|p| p[0]["results"].as_array().cloned());
            if let Some(rows) = results {
                return rows;
            }
            last = format!(
                "status {}: {text}\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
            std::thread::sleep(Duration::from_millis(300));
        }
        panic!("d1 {sql:?} failed 10 times; last: {last}");
    }

    /// Stops the Worker, keeping its state directory.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // SIGINT, as Ctrl-C would: wrangler then stops the workerd processes it started.
            let pid = child.id().to_string();
            let _ = Command::new("kill").args(["-INT", &pid]).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Sets a `--var` for the next [`App::start`] (e.g. to restart with another setting).
    pub fn set_var(&mut self, name: &str, value: &str) {
        self.options.vars.retain(|(k, _)| k != name);
        self.options.vars.push((name.to_owned(), value.to_owned()));
    }

    /// Starts the Worker again on the same state and port (after [`App::stop`]).
    pub fn start(&mut self) {
        let log = fs::File::create(self.state_dir.join("wrangler.log")).expect("log file");
        let mut command = Command::new("wrangler");
        command
            .current_dir(repo_root())
            .env("ORDERBRIDGE_PREBUILT", "1")
            .args(["dev", "--env", "dev", "--ip", "127.0.0.1"])
            .args(["--port", &self.port.to_string()])
            .args(["--inspector-port", &free_port().to_string()])
            .args(["--show-interactive-dev-session=false", "--test-scheduled"])
            .arg("--persist-to")
            .arg(&self.state_dir);
        for (name, value) in &self.options.vars {
            command.args(["--var", &format!("{name}:{value}")]);
        }
        // The development simulator plays JET Connect inside this very Worker: point the
        // outcome calls at this instance's port (wrangler.toml assumes `make dev`'s 8787).
        if !self
            .options
            .vars
            .iter()
            .any(|(k, _)| k == "JET_STATUS_BASE_URL")
        {
            command.args([
                "--var",
                &format!("JET_STATUS_BASE_URL:{}/sim/jet", self.base_url),
            ]);
        }
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("wrangler dev starts");
        self.child = Some(child);
        self.wait_until_healthy();
    }

    fn wait_until_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        let health = self.url("/health");
        while Instant::now() < deadline {
            if let Ok(reply) = request("GET", &health, &[], None) {
                if reply.status == 200 {
                    return;
                }
            }
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("wrangler dev exited ({status}):\n{}", self.log());
                }
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!(
            "wrangler dev did not become healthy in 120 s:\n{}",
            self.log()
        );
    }

    /// Fires the Worker's scheduled handler once, as a cron tick would. `wrangler dev` never
    /// fires cron triggers by itself; with `--test-scheduled` it serves `/__scheduled` for
    /// this. (Its `/cdn-cgi/handler/scheduled` answers 500 once the Worker has static
    /// assets: that route reaches wrangler's asset router, which has no scheduled handler.)
    pub fn trigger_scheduled(&self) {
        let reply = request("GET", &self.url("/__scheduled"), &[], None)
            .unwrap_or_else(|e| panic!("scheduled trigger: {e}"));
        assert_eq!(reply.status, 200, "scheduled trigger: {}", reply.body);
    }

    /// Fires the scheduled handler as the cron expression `cron` of `[triggers] crons`
    /// would (the Worker dispatches its periodic jobs on it), and waits for it to finish.
    pub fn trigger_cron(&self, cron: &str) {
        let url = self.url(&format!("/__scheduled?cron={}", cron.replace(' ', "+")));
        let reply = request("GET", &url, &[], None)
            .unwrap_or_else(|e| panic!("scheduled trigger {cron}: {e}"));
        assert_eq!(
            reply.status, 200,
            "scheduled trigger {cron}: {}",
            reply.body
        );
    }

    /// What wrangler and the Worker printed so far.
    pub fn log(&self) -> String {
        fs::read_to_string(self.state_dir.join("wrangler.log")).unwrap_or_default()
    }

    fn prepare_state(&self) {
        let dir = &self.state_dir;
        run(
            Command::new("wrangler")
                .args(["d1", "migrations", "apply", "DB", "--local", "--env", "dev"])
                .arg("--persist-to")
                .arg(dir),
            "migrations",
        );
        if self.options.demo_data {
            let sql = dir.join("demo-data.sql");
            let output = Command::new("node")
                .current_dir(repo_root())
                .arg("scripts/demo-sql.mjs")
                .output()
                .expect("node scripts/demo-sql.mjs");
            assert!(output.status.success(), "demo-sql failed: {output:?}");
            fs::write(&sql, output.stdout).expect("demo SQL written");
            run(
                Command::new("wrangler")
                    .args(["d1", "execute", "DB", "--local", "--env", "dev"])
                    .arg("--persist-to")
                    .arg(dir)
                    .arg("--file")
                    .arg(&sql),
                "demo data",
            );
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.stop();
    }
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .current_dir(repo_root())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: could not start: {e}"));
    assert!(
        output.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Removes state directories of earlier runs (they are under `target/`, never committed).
pub fn clean_old_states(root: &Path) {
    let _ = fs::remove_dir_all(root.join("target/e2e"));
}
