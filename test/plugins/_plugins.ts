// Shared by the plugin tests: where the example plugins are, and running one in a session.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FilterSession } from '../../src/session/session.js';
import type { Filter } from '../../src/session/filter.js';
import type { LoadPluginOptions } from '../../src/plugin/load.js';

export { AV, AUDIO, VIDEO, MEDIA } from '../native/_media.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A plugin of plugins/ by file name. */
export const plugin = (name: string): string => join(ROOT, 'plugins', name);
/** A test-only plugin of test/plugins/fixtures/. */
export const fixture = (name: string): string => join(ROOT, 'test', 'plugins', 'fixtures', name);

export interface Chain {
  fs: FilterSession;
  filter: Filter;
  messages: unknown[];
}

/**
 * src → plugin [→ dst]: a session with the plugin linked after a source (and before a destination when
 * `dst` is given). The caller runs and closes it.
 */
export async function chain(src: string, spec: string, opts: LoadPluginOptions & { threads?: number; dst?: string; srcArgs?: string } = {}): Promise<Chain> {
  const fs = new FilterSession({ threads: opts.threads ?? 0 });
  const messages: unknown[] = [];
  try {
    const s = fs.loadSrc(src + (opts.srcArgs ?? ''));
    const filter = await fs.loadPlugin(spec, { ...opts, onMessage: (m) => messages.push(m) });
    filter.setSource(s);
    if (opts.dst) fs.loadDst(opts.dst).setSource(filter);
    return { fs, filter, messages };
  } catch (e) {
    fs.close();
    throw e;
  }
}

/** Runs the session, waits for the plugin's last messages, closes it. Returns run()'s error, if any. */
export async function runChain(c: Chain): Promise<unknown> {
  let error: unknown;
  try {
    await c.fs.run();
  } catch (e) {
    error = e;
  }
  await c.fs.plugin(c.filter)?.flush(2000);
  c.fs.close();
  return error;
}
