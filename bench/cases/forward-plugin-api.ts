// forward-plugin case, gpac-ts side: IN -> TS forwarding plugin (worker thread) -> OUT.
import './report.js'; // first: starts the clock before the binding is imported
import { runForwardCase } from './plugin-case.js';

await runForwardCase('bench/cases/forward-plugin-api.ts', { mode: 'forward' });
