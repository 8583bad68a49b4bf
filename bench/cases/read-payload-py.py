# read-payload case, libgpac.py side: IN -> Python filter reading every payload byte, forwarding -> OUT.
import bench_report  # first: starts the clock before libgpac is imported
import forward_filter

forward_filter.run(read_payload=True)
