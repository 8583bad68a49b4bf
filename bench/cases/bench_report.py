# Child side of the benchmark protocol for the libgpac.py column (see report.ts): the clock starts when this
# module is imported, before libgpac is; results go to $BENCH_RESULT as JSON.
import json
import os
import sys
import time

_t0 = time.perf_counter()
_stopped = None


def stop():
    global _stopped
    if _stopped is None:
        _stopped = time.perf_counter()


def done(info=None):
    path = os.environ.get('BENCH_RESULT')
    if path:
        with open(path, 'w') as f:
            json.dump({'workMs': ((_stopped or time.perf_counter()) - _t0) * 1000.0, 'info': info or {}}, f)


def io_args():
    if len(sys.argv) < 3:
        sys.stderr.write('usage: %s INPUT OUTPUT\n' % sys.argv[0])
        sys.exit(2)
    return sys.argv[1], sys.argv[2]
