//! Writes the generated issue-8 workload files into a directory (`make bench` does this
//! unless given `WORKLOADS=<dir>`), so the native benchmarks, the wasm run and any other
//! implementation measure the very same bytes.

use std::path::PathBuf;

use orderbridge_bench::workloads::all_files;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "build/bench/workloads".into()),
    );
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in all_files() {
        std::fs::write(dir.join(&name), &bytes)?;
        println!("{:>10} bytes  {}", bytes.len(), dir.join(&name).display());
    }
    Ok(())
}
