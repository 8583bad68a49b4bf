#!/usr/bin/env node
// The gpac-ts command. A built package runs dist/src/cli/main.js; a clone without a build runs the
// TypeScript source through tsx (a devDependency, present after `npm install`).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');

async function loadMain() {
  if (existsSync(built)) return import(pathToFileURL(built).href);
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch (err) {
    process.stderr.write(
      `gpac-ts: ${built} does not exist and tsx is not installed to run the TypeScript sources ` +
        `(${err instanceof Error ? err.message.split('\n')[0] : err}). Run \`npm install\` (and \`npm run build\`) in ${root}.\n`,
    );
    process.exit(1);
  }
  register();
  return import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
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
