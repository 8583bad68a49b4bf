// The public entry point of gpac-ts: the filter session API, library-level calls, errors, option
// validation, libgpac discovery, and every generated constant and type (C names kept).
// First, so that it is evaluated before the rest of the package: importing native.js starts loading
// libgpac on a native thread (see prefetchLibgpac), and the rest of the import overlaps that.
import './native.js';
export { FilterSession } from './session/session.js';
export type { FilterSessionOptions, FilterListener, FlushMode, SchedulerName, SessionFlagName } from './session/session.js';
export { Filter } from './session/filter.js';
export type { FilterArg, FilterStatistics, PidStatistics, PidStatsLocation } from './session/filter.js';
export { FilterTask } from './session/task.js';
export type { TaskLike, TaskResult } from './session/task.js';
export type { FilterEventInit, FilterEventTypeName } from './session/events.js';
export { close, errorToString, init, libraryInfo, setArgs, setLogs, version } from './library.js';
export type { InitOptions, MemTracker } from './library.js';
export { GpacError } from './errors.js';
export type { Fraction, Fraction64, PropertyType, PropertyValue, Vec2, Vec3, Vec4 } from './properties.js';
export { FilterOptionsError, optionsToGpacString, validateFilterOptions } from './options.js';
export { checkAbi, GpacAbiError, GpacNotFoundError, locateLibgpac } from './discovery.js';
export * from '../generated/index.js';
export { GF_ABI_MAJOR, GF_ABI_MINOR, GPAC_ABI, GPAC_VERSION } from '../generated/abi.js';
// Plugins, run in worker threads (FilterSession.loadPlugin): what a plugin module imports,
// and the main thread's handle on a loaded plugin.
export * from './plugin/index.js';
export { Plugin, resolvePluginSpec } from './plugin/load.js';
export type { LoadPluginOptions } from './plugin/load.js';
// Hook plugins (DASH algorithms …), bound to a session or a filter: the main thread's handle.
export { HookPlugin } from './hook/load.js';
export { FileIO } from './hook/file-io.js';
export type { HookPluginOptions } from './hook/load.js';
