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
    watch: false,
  },
});
