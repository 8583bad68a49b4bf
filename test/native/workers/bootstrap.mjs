// Entry of the native tests' worker threads: registers tsx's loader in this thread (a worker does not
// inherit the test runner's TypeScript transform), then runs the TypeScript worker named in workerData.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.script);
