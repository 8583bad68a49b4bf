// Runs a parsed command line: filters loaded in order (links applied as gpac does), the session run on
// GPAC's threads with a status line, Ctrl-C turned into an abort, graph/stats printed at the end.
import { FILTER_NAMES } from '../../generated/filter-options.js';
import { GpacError } from '../errors.js';
import type { Filter } from '../session/filter.js';
import { errorToString, setArgs, setLogs } from '../library.js';
import { closest } from '../options.js';
import { FilterSession } from '../session/session.js';
import type { RunCommand, Step } from './args.js';
import { CliError, EXIT_INTERRUPTED, EXIT_OK } from './failure.js';
import { checkFilterDescription } from './filter-desc.js';
import { sampleSession, StatusLine, type StatusStream } from './progress.js';

export interface CliIO {
  stdout: StatusStream;
  stderr: StatusStream;
}

/** What GPAC says about a GF_Err, without failing when even that is unavailable. */
function gpacText(err: GpacError): string {
  try {
    return errorToString(err.code);
  } catch {
    return err.message;
  }
}

/** Runs `load`, turning a GpacError into a CliError that says which argument failed. */
function loading(what: string, load: () => Filter): Filter {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof GpacError)) throw err;
    let hint = '';
    if (err.name === 'GF_FILTER_NOT_FOUND' && what.startsWith('filter')) {
      const name = what.slice(what.indexOf('"') + 1).split(/[:"]/)[0]!;
      const guess = closest(name, FILTER_NAMES);
      hint = guess ? ` (did you mean ${guess}?)` : ' (gpac-ts -h filters lists the filters)';
    }
    throw new CliError(`cannot load ${what}: ${err.name} (${gpacText(err)})${hint}`, { cause: err });
  }
}

type LinkStep = Extract<Step, { kind: 'link' }>;

/** gf_fs_process_link_directive: @N counts back from the last filter loaded, @@N from the first. */
function applyLink(target: Filter, link: LinkStep, loaded: readonly Filter[]): void {
  const idx = link.fromEnd ? loaded.length - 1 - link.index : link.index;
  const from = loaded[idx];
  if (!from) {
    throw new CliError(`link ${link.directive}: there is no such filter before it (${loaded.length} filter(s) loaded so far)`);
  }
  target.setSource(from, link.fragment === undefined ? undefined : `#${link.fragment}`);
}

/** Loads every step in order; returns the sources (for progress). */
function build(fs: FilterSession, steps: readonly Step[]): Filter[] {
  const loaded: Filter[] = [];
  const sources: Filter[] = [];
  let links: LinkStep[] = [];
  for (const step of steps) {
    if (step.kind === 'link') {
      links.push(step);
      continue;
    }
    let f: Filter;
    if (step.kind === 'src') {
      f = loading(`source "${step.url}"`, () => fs.loadSrc(step.url));
      sources.push(f);
    } else if (step.kind === 'dst') {
      f = loading(`destination "${step.url}"`, () => fs.loadDst(step.url));
    } else {
      f = loading(`filter "${step.description}"`, () => fs.load(step.description));
    }
    for (const l of links) applyLink(f, l, loaded);
    links = [];
    loaded.push(f);
  }
  return sources;
}

export async function runCommand(cmd: RunCommand, io: CliIO): Promise<number> {
  // Option checks first: they need no libgpac, and GPAC itself would only warn.
  for (const step of cmd.steps) if (step.kind === 'filter') checkFilterDescription(step.description);

  if (cmd.globalArgs.length > 0) setArgs(['gpac-ts', ...cmd.globalArgs]);

  const fs = new FilterSession({
    ...(cmd.threads !== undefined ? { threads: cmd.threads } : {}),
    ...(cmd.scheduler !== undefined ? { scheduler: cmd.scheduler } : {}),
    ...(cmd.flags.length > 0 ? { flags: cmd.flags } : {}),
    ...(cmd.blacklist !== undefined ? { blacklist: cmd.blacklist } : {}),
  });
  const status = new StatusLine(io.stderr, { prefix: 'gpac-ts: ' });
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      io.stderr.write(`\ngpac-ts: ${signal} again, exiting without waiting for the session\n`);
      process.exit(EXIT_INTERRUPTED);
    }
    interrupted = true;
    status.clear();
    io.stderr.write(`gpac-ts: ${signal}: stopping the session (flushing what is pending; ${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to exit at once)\n`);
    fs.abort('GF_FS_FLUSH_FAST');
  };
  let runFor: NodeJS.Timeout | undefined;
  let stoppedEarly = false;
  try {
    // After the session exists: log levels set before libgpac's initialisation (the first session) are lost.
    if (cmd.quiet) setLogs('all@quiet');
    if (cmd.logs !== undefined) setLogs(cmd.logs);
    const sources = build(fs, cmd.steps);
    const startedAt = performance.now();
    const sample = (finished = false) => sampleSession(fs, sources, startedAt, finished);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (cmd.runForMs !== undefined) {
      runFor = setTimeout(() => {
        stoppedEarly = true;
        fs.abort('GF_FS_FLUSH_ALL');
      }, cmd.runForMs);
    }
    if (cmd.progress) status.start(sample);
    try {
      await fs.run();
    } catch (err) {
      status.stop();
      throw err;
    }
    if (cmd.quiet) status.stop();
    else {
      const label = interrupted ? 'interrupted after' : stoppedEarly ? 'stopped (-runfor) after' : 'done in';
      status.stop(label, sample(!interrupted && !stoppedEarly));
    }
    if (cmd.graph) fs.printGraph();
    if (cmd.stats) fs.printStats();
    return interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  } finally {
    if (runFor) clearTimeout(runFor);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    fs.close();
  }
}
