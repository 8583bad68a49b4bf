// gpac_ts_thread_id.node: one symbol, `gf_th_id`, loaded into the process's global scope before libgpac so
// that libgpac's own calls to gf_th_id() resolve here (they go through its PLT).
//
// Why: GPAC's gf_th_id() is `(u32) pthread_self()`, the low 32 bits of the thread's control-block address, and
// its recursive mutexes (gf_mx_p/gf_mx_v), its "am I the thread processing this filter" checks and its
// main-thread checks compare those ids. In a Node process thread stacks lie many GiB apart (V8 and worker
// isolates reserve large regions between them), and stacks of the same size share their low 24 bits, so two
// live threads often get the same id: measured in a test process, 0x7f48cffff6c0 and 0x7f4dcffff6c0. A thread
// whose id collides with a mutex holder's enters the mutex as if it held it, and GPAC's queues are corrupted
// (the rare SIGSEGVs in gf_lfq_add, gf_filter_pid_reset_stop_task and the gf_mx_v assertion we saw).
//
// Here every thread gets a distinct id on first use, counted from 1 (0 means "no holder" to GPAC), kept in a
// thread_local. Ids are never reused; 2^32 threads in one process would be needed to wrap. No JS state.
#include <atomic>
#include <cstdint>

namespace {
std::atomic<uint32_t> g_next{1};
// initial-exec: a fixed offset from the thread pointer, no __tls_get_addr (GPAC calls this on every mutex
// operation) and no lazy allocation on a thread's first call. It takes 4 bytes of glibc's static TLS surplus;
// if that were exhausted the dlopen would fail, and lib.cc reports that (libraryInfo().threadIds 'gpac').
__attribute__((tls_model("initial-exec"))) thread_local uint32_t t_id = 0;
}  // namespace

extern "C" __attribute__((visibility("default"))) uint32_t gf_th_id(void) {
  if (t_id == 0) {
    uint32_t id = g_next.fetch_add(1, std::memory_order_relaxed);
    if (id == 0) id = g_next.fetch_add(1, std::memory_order_relaxed);
    t_id = id;
  }
  return t_id;
}
