// A child process of the native tests (run with tsx): leaves a session in the state argv[2] names and
// lets the process end, to show that Node exits (or is not held) as it should and nothing crashes.
import { FilterSession } from '../../../src/session/session.js';

const [, , mode, src, out] = process.argv;
const fs = new FilterSession({ threads: 1 });
fs.loadSrc(src!);
if (mode === 'idle') {
  // Created, never run, never closed: must not keep the process alive.
  console.log('idle');
} else if (mode === 'exit-during-run') {
  fs.load('reframer:rt=on');
  fs.loadDst(out!);
  void fs.run();
  setTimeout(() => {
    console.log('exiting');
    process.exit(0); // environment teardown with the session running on its thread
  }, 200);
} else if (mode === 'run-unclosed') {
  fs.loadDst(out!);
  // The pending run keeps the process alive until it ends; the session is never closed.
  fs.run().then(() => console.log('ran'));
}
