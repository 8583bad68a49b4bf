# fileio-write case, libgpac.py side: the howto's FileIO factory (fileio-read-py.py) receiving the
# manifest and every segment of `-o DIR/live.mpd:segdur=2`.
import os
import sys
import bench_report
import libgpac as gpac

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import importlib
MyFileIO = importlib.import_module('fileio-read-py').MyFileIO

inp, out = bench_report.io_args()
fio = gpac.FileIO('live.mpd', MyFileIO(os.path.join(os.path.dirname(out), 'py-dash')))
fs = gpac.FilterSession()
fs.load_src(inp)
fs.load_dst(fio.url + ':segdur=2')
fs.run()
fs.delete()
gpac.close()
bench_report.done()
