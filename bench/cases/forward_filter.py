# A libgpac.py custom filter forwarding every packet of every input PID unchanged (the seed's forwarding
# example in its simplest mode). With read_payload it first reads every payload byte (numpy sum).
import libgpac as gpac


class Forward(gpac.FilterCustom):
    def __init__(self, session, read_payload=False):
        gpac.FilterCustom.__init__(self, session, 'PyForward')
        self.read_payload = read_payload
        self.packets = 0
        self.checksum = 0
        self.push_cap('StreamType', 'Audio', gpac.GF_CAPS_INPUT_OUTPUT)
        self.push_cap('StreamType', 'Visual', gpac.GF_CAPS_INPUT_OUTPUT)
        self.set_max_pids(8)
        self.io = {}

    def configure_pid(self, pid, is_remove):
        if is_remove:
            opid = self.io.pop(pid, None)
            if opid is not None:
                opid.remove()
            return 0
        if pid not in self.io:
            self.io[pid] = self.new_pid()
        self.io[pid].copy_props(pid)
        return 0

    def process(self):
        for pid in self.ipids:
            opid = self.io[pid]
            while True:
                pck = pid.get_packet()
                if pck is None:
                    if pid.eos:
                        opid.eos = True
                    break
                if self.read_payload:
                    data = pck.data
                    if data is not None:
                        self.checksum += int(data.sum(dtype='uint64'))
                opid.forward(pck)
                pid.drop_packet()
                self.packets += 1
        return 0


def run(read_payload):
    import bench_report
    inp, out = bench_report.io_args()
    fs = gpac.FilterSession()
    src = fs.load_src(inp)
    fwd = Forward(fs, read_payload)
    fwd.set_source(src)
    dst = fs.load_dst(out)
    dst.set_source(fwd)
    fs.run()
    info = {'packets': fwd.packets}
    if read_payload:
        info['checksum'] = fwd.checksum
    fs.delete()
    gpac.close()
    bench_report.done(info)
