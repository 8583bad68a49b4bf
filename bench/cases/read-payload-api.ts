// read-payload case, gpac-ts side: IN -> TS plugin reading every payload byte through the zero-copy view,
// then forwarding -> OUT.
import './report.js'; // first: starts the clock before the binding is imported
import { runForwardCase } from './plugin-case.js';

await runForwardCase('bench/cases/read-payload-api.ts', { mode: 'forward', readPayload: true });
