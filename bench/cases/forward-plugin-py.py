# forward-plugin case, libgpac.py side: IN -> Python forwarding filter -> OUT.
import bench_report  # first: starts the clock before libgpac is imported
import forward_filter

forward_filter.run(read_payload=False)
