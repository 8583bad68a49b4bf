# dash-algorithm case, libgpac.py side: dashin -> inspect with a DASHCustomAlgorithm keeping the quality,
# bound from on_filter_new as in GPAC's howto; then, as the gpac-ts side does, the cost of one call.
import time
import bench_report
import libgpac as gpac

inp, out = bench_report.io_args()


class Keep(gpac.DASHCustomAlgorithm):
    def __init__(self):
        self.calls = 0

    def on_rate_adaptation(self, group, base_group, force_low_complexity, stats):
        self.calls += 1
        return stats.active_quality_idx


class Session(gpac.FilterSession):
    def __init__(self, algo):
        gpac.FilterSession.__init__(self)
        self.algo = algo

    def on_filter_new(self, f):
        if self.algo and f.name == "dashin":
            f.bind(self.algo)


def play(algo, dst):
    fs = Session(algo)
    fs.load_src(inp)
    fs.load("inspect:deep:log=" + dst)
    t = time.perf_counter()
    fs.run()
    ms = (time.perf_counter() - t) * 1000.0
    fs.delete()
    return ms


algo = Keep()
play(algo, out)
bench_report.stop()


def timed(a):
    return play(a, "/dev/null")


without = sorted(timed(None) for _ in range(5))[2]
calls_before = algo.calls
withalgo = sorted(timed(algo) for _ in range(5))[2]
per_call = (withalgo - without) * 1000.0 / ((algo.calls - calls_before) / 5)
gpac.close()
bench_report.done({"calls": calls_before, "run without (ms)": round(without, 1), "run with (ms)": round(withalgo, 1), "per call (µs)": round(per_call)})
