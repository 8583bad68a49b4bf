// The gpac-ts command: `gpac-ts -i SRC [FILTER…] -o DST`, with gpac's conventions (src/cli/args.ts).
// bin/gpac-ts.js calls main() and exits with the code it returns; tests call it in-process too.
import { parseArgs, UsageError, type HelpCommand } from './args.js';
import { describeFailure, EXIT_OK } from './failure.js';
import { readFilterDocs, readFilterList } from './gpac-docs.js';
import { filterHelp, filtersHelp, USAGE } from './help.js';
import { runCommand, type CliIO } from './run.js';
import { printVersion } from './version.js';

/** gpac's help topics gpac-ts does not reproduce: the syntax is gpac's, so gpac's text applies. */
const GPAC_TOPICS = new Set([
  'doc', 'alias', 'log', 'core', 'cfg', 'net', 'prompt', 'modules', 'module', 'creds', 'codecs', 'formats',
  'protocols', 'props', 'colors', 'layouts', 'links', 'defer',
]);

function helpText(cmd: HelpCommand): string {
  if (cmd.topics.length === 0) return USAGE;
  const parts: string[] = [];
  for (const topic of cmd.topics) {
    if (topic === 'filters') parts.push(filtersHelp(readFilterList()));
    else if (GPAC_TOPICS.has(topic)) throw new UsageError(`no help topic "${topic}" in gpac-ts: the syntax is gpac's, see \`gpac -h ${topic}\``);
    else parts.push(filterHelp(topic, cmd.level, readFilterDocs(topic)));
  }
  return parts.join('\n\n');
}

const defaultIO: CliIO = { stdout: process.stdout, stderr: process.stderr };

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIO = defaultIO): Promise<number> {
  const debug = argv.includes('-debug');
  try {
    const cmd = parseArgs(argv);
    if (cmd.kind === 'help') {
      io.stdout.write(`${helpText(cmd)}\n`);
      return EXIT_OK;
    }
    if (cmd.kind === 'version') {
      printVersion((line) => io.stdout.write(`${line}\n`));
      return EXIT_OK;
    }
    return await runCommand(cmd, io);
  } catch (err) {
    const { code, message } = describeFailure(err, debug);
    io.stderr.write(`${message}\n`);
    return code;
  }
}
