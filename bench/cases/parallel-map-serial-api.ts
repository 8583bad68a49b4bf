// parallel-map-serial case, gpac-ts side: the same blur as parallel-map, serially in the plugin's worker.
import './report.js'; // first: starts the clock before the binding is imported
import { runParallelMapCase } from './parallel-map-case.js';

await runParallelMapCase('bench/cases/parallel-map-serial-api.ts', 0);
