// Preloaded (NODE_OPTIONS=--import) into every Node process of `npm run asan`: vitest ends its forks with
// SIGTERM, whose default action skips exit handlers, LeakSanitizer's among them. Exiting normally instead lets
// LeakSanitizer report the fork's leaks.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) process.on('SIGTERM', () => process.exit(0));
