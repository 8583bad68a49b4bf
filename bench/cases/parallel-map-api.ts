// parallel-map case, gpac-ts side: decode -> blur plugin on a pool of one thread per CPU -> /dev/null.
import './report.js'; // first: starts the clock before the binding is imported
import { runParallelMapCase } from './parallel-map-case.js';

await runParallelMapCase('bench/cases/parallel-map-api.ts', 'auto');
