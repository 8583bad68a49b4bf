# remux case, libgpac.py side: the same work as `gpac -i IN -o OUT`.
import bench_report
import libgpac as gpac

inp, out = bench_report.io_args()
fs = gpac.FilterSession()
fs.load_src(inp)
fs.load_dst(out)
fs.run()
fs.delete()
gpac.close()
bench_report.done()
