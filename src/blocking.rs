//! Running blocking work (SQLite, document reading, building drafts, LibreOffice) from async
//! code without stalling the tasks that share the thread.

/// Runs `f`, which blocks, from async code. On the binary's multi-threaded runtime the thread
/// hands its other tasks to another worker first (`block_in_place`), so IDLE, the scheduler
/// and the console go on meanwhile; elsewhere (a test's single-threaded runtime, plain code)
/// `f` simply runs.
pub fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::blocking;
    use std::time::Duration;

    #[test]
    fn other_tasks_run_while_one_blocks() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let ticks = rt.block_on(async {
            let counter = tokio::spawn(async {
                let mut n = 0;
                for _ in 0..10 {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    n += 1;
                }
                n
            });
            // Blocks the only worker far longer than the counter needs in all: without the
            // hand-over the counter could not tick until it ends.
            let blocked = tokio::spawn(async {
                blocking(|| std::thread::sleep(Duration::from_millis(3000)));
            });
            let n = tokio::time::timeout(Duration::from_millis(1500), counter).await;
            blocked.await.expect("blocked task");
            n
        });
        assert_eq!(
            ticks
                .expect("the counter finished while the other task blocked")
                .ok(),
            Some(10)
        );
        // Without a runtime it just runs.
        assert_eq!(blocking(|| 7), 7);
    }
}
