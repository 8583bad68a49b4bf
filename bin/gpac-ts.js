#!/usr/bin/env node
// The gpac-ts command. The package (npm pack, or an install from git, whose `prepare` builds dist/) runs
// dist/src/cli/main.js. A clone runs its TypeScript sources through tsx (a devDependency): src/ is not in
// the package, and there dist/ is whatever the last build left, possibly older than the sources.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');
const source = join(root, 'src', 'cli', 'main.ts');

/** tsx's ESM loader API, or the reason it cannot be loaded. */
async function tsxApi() {
  try {
    return { api: await import('tsx/esm/api') };
  } catch (err) {
    return { why: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}

async function loadMain() {
  const fromSource = existsSync(source);
  const tsx = fromSource ? await tsxApi() : { why: 'not needed' };
  if (tsx.api) {
    tsx.api.register();
    return import(pathToFileURL(source).href);
  }
  if (existsSync(built)) return import(pathToFileURL(built).href);
  process.stderr.write(
    `gpac-ts: ${built} does not exist` +
      (fromSource ? ` and tsx is not installed to run the TypeScript sources (${tsx.why})` : '') +
      `. Run \`npm install\` (which builds dist/) in ${root}.\n`,
  );
  process.exit(1);
}

// `gpac-ts -h filters | head`: a closed pipe ends the command quietly, as it does for gpac.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const { main } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
