// Filter: a handle on a filter of a FilterSession (libgpac.py's Filter, camelCased). A handle outlives
// the filter: once GPAC destroys it, `alive` is false, name and id keep their last values, and every
// other call throws a clear error.
import { call } from '../errors.js';
import type { NativeFilter, NativeOptionInfo } from '../native.js';
import { gpacConstant } from '../native.js';
import { filterOptionInfo, optionsToGpacString, type FilterOptionsOf } from '../options.js';
import type { PropertyMap, PropertyOf, PropertyValue } from '../properties.js';
import { enumerateProps, propsObject } from '../prop-enum.js';
import type { GF_FilterPidStatsLocation } from '../../generated/constants.js';
import type { HookPlugin, HookPluginOptions } from '../hook/load.js';

/** Where pid statistics are gathered: a GF_STATS_* name (generated: GF_FilterPidStatsLocation). */
export type PidStatsLocation = keyof typeof GF_FilterPidStatsLocation;

/** An option (argument) of a filter, with its current value (as the addon reads it, plus `updatable`). */
export interface FilterArg extends NativeOptionInfo {
  /** GF_FS_ARG_UPDATE is set: update() may change it while the session runs. */
  updatable: boolean;
}

/** GF_FilterStats, camelCased; 64-bit counters are bigints. */
export type FilterStatistics = Record<string, unknown> & { name?: string | null; regName?: string | null };
/** GF_FilterPidStatistics, camelCased; 64-bit values are bigints. */
export type PidStatistics = Record<string, unknown>;

export interface PropertyEnumCallback {
  onPropEnum(name: string, value: PropertyValue, type: string): void;
}

/** @internal the session side a Filter needs: identity-preserving wrapping of other filters, hook plugins. */
export interface FilterOwner {
  wrapFilter(nf: NativeFilter): Filter;
  bindFilterHook(filter: Filter, kind: 'dash' | 'http', spec: string | URL, options?: HookPluginOptions): Promise<HookPlugin>;
}

const token = Symbol('gpac-ts filter');

/**
 * `N` is the filter's register name when it is known at compile time (`fs.load('dasher', …)` gives a
 * Filter<'dasher'>, whose update() is typed by the dasher's options), else `string`.
 */
export class Filter<N extends string = string> {
  readonly #native: NativeFilter;
  readonly #owner: FilterOwner;

  /** @internal Filters come from a FilterSession (loadSrc, loadDst, load, getFilter …). */
  private constructor(key: symbol, owner: FilterOwner, nf: NativeFilter) {
    if (key !== token) throw new TypeError('Filter handles come from a FilterSession (loadSrc, loadDst, load, getFilter …)');
    this.#owner = owner;
    this.#native = nf;
  }

  /** @internal */
  static create(owner: FilterOwner, nf: NativeFilter): Filter {
    return new Filter(token, owner, nf);
  }

  /** @internal */
  get native(): NativeFilter {
    return this.#native;
  }

  /** False once GPAC destroyed the filter (or the session closed). */
  get alive(): boolean {
    return this.#native.alive;
  }
  /** gf_filter_get_name. */
  get name(): string {
    return this.#native.name;
  }
  /** The filter's ID (gf_filter_get_id, set with `:FID=`), or null when it has none. */
  get id(): string | null {
    return this.#native.id;
  }
  get nbIpid(): number {
    return call(() => this.#native.nbIpid);
  }
  get nbOpid(): number {
    return call(() => this.#native.nbOpid);
  }
  get status(): string | null {
    return call(() => this.#native.status);
  }
  get bytesDone(): bigint {
    return call(() => this.#native.bytesDone);
  }

  toString(): string {
    return this.name;
  }

  // ------------------------------------------------------------------ PIDs

  /** A property of input PID `idx` by name (or 4CC), or undefined when the PID does not have it. */
  ipidProp<K extends string>(idx: number, name: K): PropertyOf<K> | undefined {
    return call(() => this.#native.pidProp(true, idx, name)) as PropertyOf<K> | undefined;
  }
  opidProp<K extends string>(idx: number, name: K): PropertyOf<K> | undefined {
    return call(() => this.#native.pidProp(false, idx, name)) as PropertyOf<K> | undefined;
  }
  /** Every property of input PID `idx`, by name. */
  ipidProps(idx: number): PropertyMap {
    return propsObject(call(() => this.#native.pidProps(true, idx)));
  }
  opidProps(idx: number): PropertyMap {
    return propsObject(call(() => this.#native.pidProps(false, idx)));
  }
  /** libgpac.py's enumeration form: callback.onPropEnum(name, value, type) for each property. */
  ipidEnumProps(idx: number, callback: PropertyEnumCallback | ((name: string, value: PropertyValue, type: string) => void)): void {
    enumerateProps(call(() => this.#native.pidProps(true, idx)), callback);
  }
  opidEnumProps(idx: number, callback: PropertyEnumCallback | ((name: string, value: PropertyValue, type: string) => void)): void {
    enumerateProps(call(() => this.#native.pidProps(false, idx)), callback);
  }
  /** The PID's name. */
  ipidName(idx: number): string | null {
    return call(() => this.#native.pidName(true, idx));
  }
  opidName(idx: number): string | null {
    return call(() => this.#native.pidName(false, idx));
  }
  ipidStats(idx: number, mode: PidStatsLocation | number = 0): PidStatistics {
    return call(() => this.#native.pidStats(true, idx, statsMode(mode)));
  }
  opidStats(idx: number, mode: PidStatsLocation | number = 0): PidStatistics {
    return call(() => this.#native.pidStats(false, idx, statsMode(mode)));
  }
  /** The filter feeding input PID `idx`. */
  ipidSource(idx: number): Filter | null {
    const nf = call(() => this.#native.ipidSource(idx));
    return nf ? this.#owner.wrapFilter(nf) : null;
  }
  /** The filters output PID `idx` is connected to. */
  opidSinks(idx: number): Filter[] {
    return call(() => this.#native.opidSinks(idx)).map((nf) => this.#owner.wrapFilter(nf));
  }

  /** gf_filter_get_info: a property looked up on the filter's PIDs. */
  getInfo<K extends string>(name: K): PropertyOf<K> | undefined {
    return call(() => this.#native.getInfo(name)) as PropertyOf<K> | undefined;
  }

  /** gf_filter_get_stats, camelCased. */
  getStatistics(): FilterStatistics {
    return call(() => this.#native.statistics()) as FilterStatistics;
  }
  get statistics(): FilterStatistics {
    return this.getStatistics();
  }

  // ------------------------------------------------------------------ options

  /** Every option of the filter with its current value (libgpac.py's all_args + values). */
  allArgs(): FilterArg[] {
    const upd = gpacConstant('GF_FS_ARG_UPDATE');
    return call(() => this.#native.options()).map((o: NativeOptionInfo) => ({ ...o, updatable: (o.flags & upd) !== 0 }));
  }
  /** The options' current values by name. */
  get options(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const a of this.allArgs()) out[a.name] = a.value;
    return out;
  }
  /** One option's current value (undefined when the filter has no such option). */
  getArgValue(name: string): unknown {
    return call(() => this.#native.getArg(name));
  }

  /**
   * Changes an option while the session runs (gf_fs_send_update). The option must exist and be updatable,
   * and the value is checked against the filter's schema like load()'s options. A string is taken as
   * GPAC syntax. propagateMask: 0 this filter only, 1 down the chain, 2 up, 3 both.
   */
  update<K extends keyof FilterOptionsOf<N> & string>(name: K, value: FilterOptionsOf<N>[K], propagateMask = 0): void {
    const arg = this.allArgs().find((a) => a.name === name);
    const reg = this.#registerName();
    if (!arg) {
      const names = this.allArgs().map((a) => a.name);
      throw new TypeError(`${reg}: no option ${JSON.stringify(name)} (options: ${names.join(', ')})`);
    }
    if (!arg.updatable) throw new TypeError(`${reg}: option ${JSON.stringify(name)} cannot be changed while the session runs (not updatable)`);
    let text: string;
    if (filterOptionInfo(reg)) {
      const s = optionsToGpacString(reg, { [name]: value });
      const at = s.indexOf(`${name}=`, reg.length);
      text = s.slice(at + name.length + 1);
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
      text = String(value);
    } else {
      throw new TypeError(`${reg}: option ${JSON.stringify(name)}: no schema for this filter, give the value as a string in GPAC syntax`);
    }
    if (!Number.isInteger(propagateMask) || propagateMask < 0 || propagateMask > 3)
      throw new RangeError(`update: propagateMask must be 0, 1, 2 or 3 (received ${propagateMask})`);
    call(() => this.#native.update(name, text, propagateMask));
  }

  #registerName(): string {
    const st = this.getStatistics();
    return typeof st.regName === 'string' ? st.regName : this.name;
  }

  /**
   * Binds a plugin to this filter, as libgpac.py's Filter.bind: on a `dashin` filter, a DASH adaptation
   * algorithm (a module whose default export extends DASHCustomAlgorithm); on an `httpout` filter, an HTTP
   * request handler (default export extending HTTPOutRequest). Call it before run() or from onFilterNew:
   * GPAC waits for that listener when it creates a dashin or httpout filter, so nothing is missed. Resolves
   * once the plugin's worker is ready (GPAC's calls wait for it meanwhile); another filter is a TypeError,
   * and a running filter past its creation ERR_GPAC_RUNNING (its thread reads what binding writes).
   */
  bind(spec: string | URL, options?: HookPluginOptions): Promise<HookPlugin> {
    return this.#owner.bindFilterHook(this, this.#registerName() === 'httpout' ? 'http' : 'dash', spec, options);
  }

  // ------------------------------------------------------------------ graph

  /** Removes the filter from the session (gf_filter_remove). */
  remove(): void {
    call(() => this.#native.remove());
  }
  /**
   * Links this filter's input to `source` (gf_filter_set_source). `linkArgs` filters the PIDs taken, in
   * GPAC's fragment syntax: `#PID=1`, `#StreamType=Audio`, `#ID=2`… (the leading '#' is optional:
   * gf_filter_set_source adds it, so it is removed here rather than doubled).
   */
  setSource(source: Filter, linkArgs?: string): void {
    const src = nativeOf(source, 'setSource');
    call(() => this.#native.setSource(src, linkFragment(linkArgs), false));
  }
  /** gf_filter_set_source_restricted: like setSource, and `source` then feeds only filters linked to it explicitly. */
  setSourceRestricted(source: Filter, linkArgs?: string): void {
    const src = nativeOf(source, 'setSourceRestricted');
    call(() => this.#native.setSource(src, linkFragment(linkArgs), true));
  }
  /** Inserts `filter` after this one: it takes this filter as source, then output `opid` (-1: all) is relinked. */
  insert(filter: Filter, opid = -1, linkArgs?: string): void {
    filter.setSource(this, linkArgs);
    this.reconnect(opid);
  }
  /** gf_filter_reconnect_output for output PID `opid` (-1: all of them). */
  reconnect(opid = -1): void {
    call(() => this.#native.reconnect(opid));
  }
  requireSourceId(): void {
    call(() => this.#native.requireSourceId());
  }
  /** The filter chain GPAC would build from output `opid` to `description`, or null when none. */
  probeLink(opid: number, description: string): string[] | null {
    return call(() => this.#native.probeLink(opid, description));
  }
  /** Filters output `opid` (-1: any) could connect to directly, or null. */
  getDestinations(opid = -1): string[] | null {
    return call(() => this.#native.destinations(opid));
  }
}

function nativeOf(f: unknown, op: string): NativeFilter {
  if (!(f instanceof Filter)) throw new TypeError(`${op}: expected a Filter, received ${f === null ? 'null' : typeof f}`);
  return f.native;
}

function linkFragment(linkArgs: string | undefined): string | undefined {
  if (linkArgs === undefined) return undefined;
  if (typeof linkArgs !== 'string') throw new TypeError(`setSource: link arguments must be a string such as '#PID=1' (received ${typeof linkArgs})`);
  return linkArgs.startsWith('#') ? linkArgs.slice(1) : linkArgs;
}

function statsMode(mode: PidStatsLocation | number): number {
  return typeof mode === 'number' ? mode : gpacConstant(mode);
}
