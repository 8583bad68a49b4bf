// Tests live in test/**/*.test.ts. Native tests drive real libgpac sessions, hence the 30 s timeouts; forks
// (child processes) rather than worker threads so a native addon that spawns its own threads and workers is
// isolated per test file and a crash takes down one fork, not the runner.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**', 'build/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One test file at a time: each native file runs GPAC sessions with up to 4 threads plus plugin workers,
    // and two such files on a 2-CPU machine oversubscribe it (timing assertions get flaky; it is also how the
    // crashes inside libgpac of README "Known issues" were made frequent). One file at a time is also faster
    // here (80 s instead of ~95 s).
    fileParallelism: false,
    watch: false,
  },
});
