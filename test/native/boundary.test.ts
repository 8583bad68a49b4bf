// The native boundary of plugins says what it means: the name-selected operations (filterCall, filterQuery,
// pidQuery, pidSet, pckSet, pckOp) accept exactly the names src/native.ts lists (which type the runtime's
// calls), and refuse any other with a TypeError naming it and the valid ones — they used to return 0 or
// false, or do nothing. Driven from this thread on a plugin's native half that no worker runs.
import { expect } from 'vitest';
import {
  FILTER_CALLS,
  FILTER_QUERIES,
  native,
  PCK_FIELDS,
  PCK_OPS,
  PID_QUERIES,
  PID_SETTERS,
  type NativeCustomWorker,
  type NativeSession,
} from '../../src/native.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';

/** A session with a custom filter whose native worker half is attached here; closed after `fn`. */
function withCustom(fn: (nw: NativeCustomWorker) => void): void {
  const addon = native();
  const session: NativeSession = new addon.Session({ threads: 0, scheduler: 0, flags: 0, blacklist: undefined }, () => undefined);
  try {
    const { id } = addon.newCustom(session, 'boundary', { file: 'test/native/boundary.test.ts' });
    const nw = addon.attachCustom(id, () => undefined);
    try {
      fn(nw);
    } finally {
      nw.close();
      addon.customWorkerGone(id, undefined, true);
    }
  } finally {
    session.close();
  }
}

type Case = { fn: string; kind: string; names: readonly string[]; call: (nw: NativeCustomWorker, name: string) => unknown; answers: boolean };
// `answers`: a query needs the GPAC thread of a running callback (none here), so a valid name gets that far
// and fails there; the others record an intent and return.
const CASES: Case[] = [
  { fn: 'filterCall', kind: 'operation', names: FILTER_CALLS, call: (nw, n) => nw.filterCall(n as never, 0), answers: false },
  { fn: 'filterQuery', kind: 'query', names: FILTER_QUERIES, call: (nw, n) => nw.filterQuery(n as never), answers: true },
  { fn: 'pidQuery', kind: 'query', names: PID_QUERIES, call: (nw, n) => nw.pidQuery(1, n as never), answers: true },
  { fn: 'pidSet', kind: 'setter', names: PID_SETTERS, call: (nw, n) => nw.pidSet(1, n as never, true), answers: false },
  { fn: 'pckSet', kind: 'packet field', names: PCK_FIELDS, call: (nw, n) => nw.pckSet(1, n as never, 0), answers: false },
  { fn: 'pckOp', kind: 'packet operation', names: PCK_OPS, call: (nw, n) => nw.pckOp(1, n as never, 0), answers: false },
];

describeGpac('name-selected native operations', () => {
  for (const c of CASES) {
    itGpac(`${c.fn}: an unknown name is a TypeError listing the ${c.names.length} that src/native.ts lists`, () => {
      withCustom((nw) => {
        const expected = `${c.fn}: unknown ${c.kind} "noSuchName" (expected one of: ${c.names.join(', ')})`;
        expect(() => c.call(nw, 'noSuchName')).toThrow(TypeError);
        expect(() => c.call(nw, 'noSuchName')).toThrow(expected);
        expect(() => c.call(nw, 3 as unknown as string)).toThrow(`${c.fn}: unknown ${c.kind} number 3 (expected one of:`);
      });
    });

    itGpac(`${c.fn}: every name src/native.ts lists is one native code knows`, () => {
      withCustom((nw) => {
        for (const name of c.names) {
          // reschedule outside a callback asks GPAC for a process() call at once: not for a filter about to go.
          if (c.fn === 'filterCall' && name === 'reschedule') continue;
          let err: unknown;
          try {
            c.call(nw, name);
          } catch (e) {
            err = e;
          }
          if (c.answers) expect((err as { code?: string } | undefined)?.code, `${c.fn}('${name}')`).toBe('ERR_GPAC_NOT_IN_CALLBACK');
          else expect(err, `${c.fn}('${name}')`).toBeUndefined();
        }
      });
    });
  }
});
