// The native half of a plugin, as the worker runtime sees it: described with the rest of the addon in
// src/native.ts, re-exported here for the runtime's modules.
export type { Dispatch, DispatchKind, NativePluginStats, NativePluginWorker } from '../native.js';

/** The packet record layout, its flag bits and the tape op codes: generated (codegen/plugin-wire.json), shared with native/src. */
export { Pck, PckFlag, Tape } from '../../generated/plugin-wire.js';
