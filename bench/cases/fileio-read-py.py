# fileio-read case, libgpac.py side: the howto's FileIO factory ("FileIO Wrapping": Python file calls,
# numpy buffers) reading IN for `-o /dev/null:ext=264`. fileio-write-py.py uses the same factory.
import os
import bench_report
import numpy as np
import libgpac as gpac


class MyFileIO:
    def __init__(self, root):
        self.root = root
        self.file = None
        self.is_eof = False

    def open(self, url, mode):
        path = os.path.join(self.root, url)
        if mode.find('r') >= 0 and not os.path.isfile(path):
            return False
        if mode.find('w') >= 0:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        self.file = open(path, mode)
        return True

    def close(self):
        self.file.close()
        self.file = None

    def write(self, np_arr, _size):
        self.file.write(np_arr)
        return np.size(np_arr)

    def read(self, np_array, _size):
        tmp = np.fromfile(self.file, dtype=np.ubyte, count=np.size(np_array))
        size = np.size(tmp)
        np_array[:size] = tmp
        if size == 0:
            self.is_eof = True
        return size

    def seek(self, pos, whence):
        self.file.seek(pos, whence)
        self.is_eof = False
        return 0

    def tell(self):
        return self.file.tell()

    def eof(self):
        return self.is_eof

    def exists(self, url):
        return os.path.isfile(os.path.join(self.root, url))



if __name__ == '__main__':
    inp, _out = bench_report.io_args()
    fio = gpac.FileIO(os.path.basename(inp), MyFileIO(os.path.dirname(inp)))
    fs = gpac.FilterSession()
    fs.load_src(fio.url)
    fs.load_dst('/dev/null:ext=264')
    fs.run()
    fs.delete()
    gpac.close()
    bench_report.done()
