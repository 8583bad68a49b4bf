// The native boundary says what it means. src/native.ts describes every member the addon and its objects
// have (no more, no fewer: the key lists below are checked against the interfaces by tsc, and against the
// addon here). The name-selected operations of plugins (filterCall, filterQuery, pidQuery, pidSet, pckSet,
// pckOp) accept exactly the names src/native.ts lists (which type the runtime's calls), and refuse any other
// with a TypeError naming it and the valid ones — they used to return 0 or false, or do nothing. Driven from
// this thread on a plugin's native half that no worker runs.
import { expect } from 'vitest';
import {
  FILTER_CALLS,
  FILTER_QUERIES,
  native,
  PCK_FIELDS,
  PCK_OPS,
  PID_QUERIES,
  PID_SETTERS,
  type NativeAddon,
  type NativePluginWorker,
  type NativeFilter,
  type NativeSession,
} from '../../src/native.js';
import { AV } from './_media.js';
import { describeGpac, itGpac } from '../helpers/gpac.js';

/** A session with a plugin whose native worker half is attached here; closed after `fn`. */
function withPlugin(fn: (nw: NativePluginWorker, session: NativeSession, filter: NativeFilter) => void): void {
  const addon = native();
  const session: NativeSession = new addon.Session({ threads: 0, scheduler: 0, flags: 0, blacklist: undefined }, () => undefined);
  try {
    const { id, filter } = addon.newPlugin(session, 'boundary', { file: 'test/native/boundary.test.ts' });
    const nw = addon.attachPlugin(id, () => undefined);
    try {
      fn(nw, session, filter);
    } finally {
      nw.close();
      addon.pluginWorkerGone(id, undefined, true);
    }
  } finally {
    session.close();
  }
}

type Case = { fn: string; kind: string; names: readonly string[]; call: (nw: NativePluginWorker, name: string) => unknown; answers: boolean };
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

// Record<keyof T, true>: tsc fails on a member missing here or not in T.
const ADDON: Record<keyof NativeAddon, true> = {
  bind: true, boundPath: true, prefetch: true, generated: true, init: true, setArgs: true, setLogs: true, close: true,
  isClosed: true, errorToString: true, errorName: true, constants: true, propertyInfo: true, Session: true, Filter: true,
  newPlugin: true, pluginSetup: true, pluginWorkerGone: true, pluginStats: true, pluginReturned: true, attachPlugin: true,
  newHook: true, hookBindSession: true, hookBindFilter: true, hookWorkerGone: true, hookStats: true, hookClose: true, attachHook: true,
};
const SESSION: Record<keyof NativeSession, true> = {
  loadSrc: true, loadDst: true, load: true, run: true, step: true, takeFailure: true, lastTask: true, reporting: true, abort: true, post: true,
  nbFilters: true, getFilter: true, printGraph: true, printStats: true, isSupportedMime: true, isSupportedSource: true,
  fireEvent: true, httpBitrate: true, httpMaxBitrate: true, setFilterEvents: true, setCallbackTimeout: true,
  setAbortTimeout: true, setStallTimeout: true, abandoned: true, running: true, queuedCalls: true, closed: true, close: true,
};
const FILTER: Record<keyof NativeFilter, true> = {
  serial: true, alive: true, name: true, id: true, nbIpid: true, nbOpid: true, status: true, bytesDone: true, pidProp: true,
  pidProps: true, pidName: true, pidStats: true, ipidSource: true, opidSinks: true, getInfo: true, statistics: true,
  options: true, getArg: true, update: true, remove: true, setSource: true, reconnect: true, requireSourceId: true,
  probeLink: true, destinations: true,
};
const PLUGIN_WORKER: Record<keyof NativePluginWorker, true> = {
  complete: true, fail: true, reportError: true, stats: true, close: true, newPid: true, filterCall: true, filterQuery: true,
  pidQuery: true, pidSet: true, pidProp: true, pidProps: true, pidSetProp: true, pidCopyProps: true, pidResetProps: true,
  pidSendEvent: true, pidQueryCap: true, pidNegotiateCap: true, applyTape: true, pckRelease: true, pckView: true,
  pckDetach: true, pckAddress: true, pckInfo: true, pckProp: true, pckProps: true, newPck: true, newPckRef: true,
  newPckCopy: true, newPckShared: true, pckSet: true, pckSetProp: true, pckMergeProps: true, pckOp: true,
};

/** The methods and accessors of a wrapped native object (its class's prototype). */
const members = (o: object): string[] => Object.getOwnPropertyNames(Object.getPrototypeOf(o)).filter((k) => k !== 'constructor').sort();

describeGpac('src/native.ts describes the addon', () => {
  itGpac('the addon, its sessions, filters and plugin worker halves have exactly the members their interfaces name', () => {
    expect(Object.getOwnPropertyNames(native()).sort()).toEqual(Object.keys(ADDON).sort());
    withPlugin((nw, session, filter) => {
      expect(members(session)).toEqual(Object.keys(SESSION).sort());
      expect(members(filter)).toEqual(Object.keys(FILTER).sort());
      expect(members(session.loadSrc(AV))).toEqual(Object.keys(FILTER).sort());
      expect(members(nw)).toEqual(Object.keys(PLUGIN_WORKER).sort());
    });
  });
});

describeGpac('name-selected native operations', () => {
  for (const c of CASES) {
    itGpac(`${c.fn}: an unknown name is a TypeError listing the ${c.names.length} that src/native.ts lists`, () => {
      withPlugin((nw) => {
        const expected = `${c.fn}: unknown ${c.kind} "noSuchName" (expected one of: ${c.names.join(', ')})`;
        expect(() => c.call(nw, 'noSuchName')).toThrow(TypeError);
        expect(() => c.call(nw, 'noSuchName')).toThrow(expected);
        expect(() => c.call(nw, 3 as unknown as string)).toThrow(`${c.fn}: unknown ${c.kind} number 3 (expected one of:`);
      });
    });

    itGpac(`${c.fn}: every name src/native.ts lists is one native code knows`, () => {
      withPlugin((nw) => {
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
