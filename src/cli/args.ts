// Command line → what to do, following the `gpac` CLI's conventions (`gpac -h`): options start with one
// '-' and take their value after '=' (`-threads=2`) or, as gpac-ts also allows, as the next argument
// (`-threads 2`); `-i`/`-src` and `-o`/`-dst` take the next argument; `--name=value` is a global filter
// option (handed to libgpac like gpac does); every other argument is a filter description or a link
// directive (`@`, `@1`, `@@0#video`), kept in command-line order. Nothing here touches libgpac.
import type { SchedulerName, SessionFlagName } from '../session/session.js';
import { closest } from '../options.js';

/** A wrong command line: printed as one message, exit code 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Step =
  | { kind: 'src'; url: string }
  | { kind: 'dst'; url: string }
  | { kind: 'filter'; description: string }
  /** `@N` / `@@N`, optionally followed by `#fragment`: links the next filter to an earlier one. */
  | { kind: 'link'; directive: string; fromEnd: boolean; index: number; fragment: string | undefined };

/** How much of a filter's option list `-h NAME` shows, as gpac's -h / -ha / -hx / -hh. */
export type HelpLevel = 'basic' | 'advanced' | 'expert' | 'all';

export interface HelpCommand {
  kind: 'help';
  /** Empty: the usage text. */
  topics: string[];
  level: HelpLevel;
}

export interface VersionCommand {
  kind: 'version';
}

export interface RunCommand {
  kind: 'run';
  steps: Step[];
  threads: number | undefined;
  scheduler: SchedulerName | undefined;
  flags: SessionFlagName[];
  blacklist: string | undefined;
  /** `--name=value` global filter options, passed to gf_sys_set_args. */
  globalArgs: string[];
  logs: string | undefined;
  graph: boolean;
  stats: boolean;
  /** Status line while running (-noprog / -quiet turn it off). */
  progress: boolean;
  /** No progress, no summary line, GPAC's own messages off. */
  quiet: boolean;
  /** Stacks on errors. */
  debug: boolean;
  /** -runfor: abort (flushing) after this many milliseconds. */
  runForMs: number | undefined;
}

export type Command = HelpCommand | VersionCommand | RunCommand;

/** -sched values, as gpac names them, and the GF_FS_SCHEDULER_* each selects. */
export const SCHEDULERS: Readonly<Record<string, SchedulerName>> = {
  free: 'GF_FS_SCHEDULER_LOCK_FREE',
  lock: 'GF_FS_SCHEDULER_LOCK',
  freex: 'GF_FS_SCHEDULER_LOCK_FREE_X',
  flock: 'GF_FS_SCHEDULER_LOCK_FORCE',
  direct: 'GF_FS_SCHEDULER_DIRECT',
};

/** gpac's session switches and the GF_FS_FLAG_* each sets. */
const FLAG_OPTIONS: Readonly<Record<string, SessionFlagName>> = {
  '-no-reg': 'GF_FS_FLAG_NO_REGULATION',
  '-no-probe': 'GF_FS_FLAG_NO_PROBE',
  '-no-reassign': 'GF_FS_FLAG_NO_REASSIGN',
  '-no-graph-cache': 'GF_FS_FLAG_NO_GRAPH_CACHE',
  '-no-reservoir': 'GF_FS_FLAG_NO_RESERVOIR',
  '-no-argchk': 'GF_FS_FLAG_NO_ARG_CHECK',
  '-full-link': 'GF_FS_FLAG_FULL_LINK',
  '-cl': 'GF_FS_FLAG_NO_IMPLICIT',
};

const HELP_OPTIONS: Readonly<Record<string, HelpLevel>> = { '-h': 'basic', '-help': 'basic', '-ha': 'advanced', '-hx': 'expert', '-hh': 'all' };

type ValueOption = '-threads' | '-sched' | '-logs' | '-blacklist' | '-runfor';
const VALUE_OPTIONS: readonly ValueOption[] = ['-threads', '-sched', '-logs', '-blacklist', '-runfor'];
const SWITCHES = ['-graph', '-stats', '-quiet', '-noprog', '-debug', '-version', ...Object.keys(FLAG_OPTIONS)];
const SOURCE_OPTIONS = ['-i', '-src'];
const DEST_OPTIONS = ['-o', '-dst'];

/** Every option name, for "did you mean". */
export const OPTION_NAMES: readonly string[] = [...SOURCE_OPTIONS, ...DEST_OPTIONS, ...Object.keys(HELP_OPTIONS), ...VALUE_OPTIONS, ...SWITCHES];

function integer(option: string, text: string, min: number): number {
  if (!/^[+-]?\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`option ${option} expects an integer ≥ ${min} (received ${JSON.stringify(text)})`);
  return Number(text);
}

/** `@`, `@2`, `@@1`, `@#video`, `@1#PID=2` → a link step; anything else starting with '@' is refused. */
export function parseLinkDirective(arg: string): Step {
  const m = /^(@@?)(\d*)(#.*)?$/.exec(arg);
  if (!m) {
    throw new UsageError(
      `link directive ${JSON.stringify(arg)} is not understood: expected @[N][#fragment] or @@N[#fragment] (e.g. @1, @@0, @#video, @1#PID=2)`,
    );
  }
  const fragment = m[3] !== undefined ? m[3].slice(1) : undefined;
  if (fragment === '') throw new UsageError(`link directive ${JSON.stringify(arg)} has an empty #fragment`);
  return { kind: 'link', directive: arg, fromEnd: m[1] === '@', index: m[2] ? Number(m[2]) : 0, fragment };
}

export function parseArgs(argv: readonly string[]): Command {
  const run: RunCommand = {
    kind: 'run',
    steps: [],
    threads: undefined,
    scheduler: undefined,
    flags: [],
    blacklist: undefined,
    globalArgs: [],
    logs: undefined,
    graph: false,
    stats: false,
    progress: true,
    quiet: false,
    debug: false,
    runForMs: undefined,
  };
  let version = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('-') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('-') && eq > 0 ? arg.slice(eq + 1) : undefined;
    // The option's value: after '=', else the next argument.
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`option ${name} needs a value (${name}=VALUE or ${name} VALUE)`);
      i++;
      return next;
    };

    if (Object.hasOwn(HELP_OPTIONS, name)) {
      // gpac -h [TOPIC...]: every remaining argument is a topic; other options may follow (-h dasher -debug).
      const topics: string[] = inline !== undefined ? [inline] : [];
      for (const rest of argv.slice(i + 1)) if (!rest.startsWith('-')) topics.push(rest);
      return { kind: 'help', topics, level: HELP_OPTIONS[name]! };
    }
    if (SOURCE_OPTIONS.includes(name)) run.steps.push({ kind: 'src', url: value() });
    else if (DEST_OPTIONS.includes(name)) run.steps.push({ kind: 'dst', url: value() });
    else if (name === '-threads') run.threads = integer(name, value(), -1);
    else if (name === '-sched') {
      const v = value();
      const s = Object.hasOwn(SCHEDULERS, v) ? SCHEDULERS[v] : undefined;
      if (!s) throw new UsageError(`option -sched expects one of ${Object.keys(SCHEDULERS).join(', ')} (received ${JSON.stringify(v)})`);
      run.scheduler = s;
    } else if (name === '-logs') run.logs = value();
    else if (name === '-blacklist') run.blacklist = value();
    else if (name === '-runfor') run.runForMs = integer(name, value(), 0);
    else if (SWITCHES.includes(name)) {
      if (inline !== undefined) throw new UsageError(`option ${name} takes no value (received ${JSON.stringify(arg)})`);
      if (name === '-graph') run.graph = true;
      else if (name === '-stats') run.stats = true;
      else if (name === '-quiet') {
        run.quiet = true;
        run.progress = false;
      } else if (name === '-noprog') run.progress = false;
      else if (name === '-debug') run.debug = true;
      else if (name === '-version') version = true;
      else run.flags.push(FLAG_OPTIONS[name]!);
    } else if (arg.startsWith('--')) {
      if (arg.length === 2 || arg.startsWith('--=')) throw new UsageError(`global filter option ${JSON.stringify(arg)} has no name (expected --name=value)`);
      run.globalArgs.push(arg);
    } else if (arg.startsWith('-')) {
      const guess = closest(name, OPTION_NAMES);
      throw new UsageError(`unknown option ${JSON.stringify(name)}${guess ? ` (did you mean ${guess}?)` : ''}; see gpac-ts -h`);
    } else if (arg.startsWith('@')) run.steps.push(parseLinkDirective(arg));
    else if (arg.startsWith('src=')) run.steps.push({ kind: 'src', url: arg.slice(4) });
    else if (arg.startsWith('dst=')) run.steps.push({ kind: 'dst', url: arg.slice(4) });
    else if (arg === '') throw new UsageError('empty argument: expected a filter description, an option or a link directive');
    else run.steps.push({ kind: 'filter', description: arg });
  }

  if (version) return { kind: 'version' };
  if (run.steps.length === 0) throw new UsageError('nothing to do: give at least one filter, e.g. gpac-ts -i in.mp4 -o out.mp4 (see gpac-ts -h)');
  const last = run.steps[run.steps.length - 1]!;
  if (last.kind === 'link') throw new UsageError(`link directive ${last.directive} is not followed by a filter to link`);
  return run;
}
