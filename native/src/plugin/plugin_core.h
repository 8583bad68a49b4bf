// The GPAC-facing half of a plugin whose code runs in a worker thread (docs/architecture.md §4, §5).
//
// GPAC calls configure_pid / process / process_event / reconfigure_output on one of its threads. That
// thread prefetches the input packets (process), fills a Call, hands it to the worker's thread-safe
// function and waits with a timeout. While it waits it serves the worker: synchronous *requests* (a call
// that needs libgpac and an answer: newPck(size), reading PID properties …) run on the waiting thread, and
// *intents* (forward, send, drop, setProp …, recorded by the worker without waiting) are applied by it, in
// order, before each request and when the call ends. So every libgpac call for the filter happens on the
// thread GPAC chose, and no JS value is ever touched here: this object holds none, and any thread may use
// it under its mutexes.
//
// Pipelining: a process() call with new input need not be waited for. GPAC's thread posts it and returns to
// GPAC (which demuxes and muxes meanwhile), polling the call from process() tasks of its own until it settles;
// so the worker's work overlaps GPAC's. Any other callback, a call made while this filter is GPAC's last
// task, and the call after one that made requests are waited for as above.
#pragma once
#include <napi.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "plugin_consts.h"
#include "gpac_api.h"
#include "plugin_wire.h"  // packet record layout, flag bits and tape op codes (generated, shared with the worker)
#include "js_failure.h"
#include "plugin_tables.h"

namespace gts {

class SessionCore;

/** A synchronous call the worker makes during a callback; run by the waiting GPAC thread. */
struct Request {
  std::function<void()> fn;
  bool taken = false;  // the GPAC thread is running fn (the worker must not give up on it)
  bool done = false;
};

/** One hand-off of a GPAC callback to the worker. Shared: a late completion writes into a Call nobody
 *  waits on any more, which is harmless. */
class Call {
 public:
  enum class Kind : uint8_t { Configure, Process, Event, Reconfigure };
  enum class State : uint8_t { Pending, Done, Failed, Cancelled, TimedOut };

  explicit Call(Kind k) : kind(k) {}
  const Kind kind;

  // Arguments, written by the GPAC thread before the call is posted, read by the worker.
  uint32_t pid = 0;
  bool isRemove = false;
  bool isNew = false;
  bool pidIsOutput = false;
  const GF_FilterEvent *evt = nullptr;
  std::vector<double> batch;  // input packets prefetched since the last process(): kPckFields each
  std::vector<double> pids;   // per input PID: id, eos (0/1)
  uint64_t seq = 0;

  std::mutex mx;
  std::condition_variable cv;
  State state = State::Pending;
  std::deque<Request *> requests;
  uint32_t served = 0;  // requests served
  std::chrono::steady_clock::time_point deadline;  // timeout: reset by each request served
  double result = 0;
  JsFailure failure;
};

/** Fills `rec` (kPckFields doubles) with packet `p`'s attributes, except kPckTimescale: prefetch
 *  (plugin_handoff.cc) and PckInfo (packet.cc) describe a packet the same way. `blocking` and the payload are
 *  the caller's reading; the timescale is the caller's too (an output packet not sent yet has none: GPAC's
 *  gf_filter_pck_get_timescale would read its missing PID properties). */
void packetRecord(GF_FilterPacket *p, double id, double pid, const u8 *data, u32 size, bool blocking, double *rec);

struct PluginOptions {
  std::string name;        // plugin name, for messages
  std::string file;        // plugin module, for messages
  uint32_t timeoutMs = 10000;
  // Each hand-off costs a cross-thread round trip (~0.1 ms): the deeper the input queue, the fewer of them.
  // 5 s of small audio packets is ~235 packets per process() (measured: 1797 -> 361 calls on 84k AAC packets).
  uint32_t prefetch = 512;             // input packets prefetched per PID before a process() hand-off
  uint32_t prefetchBytes = 8 << 20;    // … and at most this many payload bytes held per PID (one packet at least)
  uint32_t inputBufferUs = 5000000;    // BUFFER_REQ sent on each new compressed input PID (0: none)
  bool pipeline = true;                // process() calls with new input may run while GPAC goes on
};

class PluginCore : public std::enable_shared_from_this<PluginCore> {
 public:
  /** gf_fs_new_filter + callbacks; registers the core. Main thread, session not running. */
  static std::shared_ptr<PluginCore> create(const std::shared_ptr<SessionCore> &session, const std::string &name,
                                            PluginOptions opts, GF_Err *err);
  static std::shared_ptr<PluginCore> byId(uint64_t id);
  ~PluginCore();
  /** Installs the optional callbacks the plugin defines (process is always installed). Main thread. */
  void installCallbacks(bool configure, bool event, bool reconfigure);
  /** The plugin failed to load: the filter leaves the session, its callbacks do nothing. Main thread. */
  void discard();

  uint64_t id() const { return id_; }
  GF_Filter *filter() const { return filter_; }
  const PluginOptions &options() const { return opts_; }
  std::shared_ptr<SessionCore> session() const { return session_.lock(); }
  SessionCore *sessionRaw() const { return sessionRaw_; }
  bool closed();
  /** From now on nothing calls libgpac for this filter from outside GPAC's callbacks (waits for a wake()). */
  void markClosed();

  // ---------------------------------------------------------------- worker side (worker thread)
  using PostFn = std::function<bool(const std::shared_ptr<Call> &)>;  // posts a call to the worker (false: gone)
  using ReleaseFn = std::function<bool(double sharedId)>;             // posts a shared-buffer release
  /** The worker attached: from now on callbacks are handed to it. */
  void attachWorker(PostFn post, ReleaseFn release);
  /** The worker is going away (its environment is torn down): fails the call in progress and later ones. */
  void detachWorker(const std::string &why);
  bool workerAttached();

  /** The call the worker is running (the most recent open one), or null outside callbacks. */
  std::shared_ptr<Call> openCall();
  void callStarted(const std::shared_ptr<Call> &c);
  /** Settles an open call (and forgets it); false if it was not open any more (timed out, cancelled). */
  bool settle(uint64_t seq, bool ok, double result, JsFailure failure);

  /** Records an intent; applied in order by a GPAC thread during the current or next callback. */
  void intent(std::function<void()> fn);
  /** Runs `fn` on the GPAC thread that waits on the open call (pending intents first). False if there is no
   *  open call or it ended (timed out, cancelled): the caller throws. */
  bool request(std::function<void()> fn);
  /** reschedule() outside callbacks: asks GPAC for a process() call in `us` microseconds. */
  void wake(uint32_t us);

  /** The PID and packet tables: ids the worker allocates on its thread, entries GPAC's thread fills. */
  PluginTables &tables() { return tables_; }
  /** Records a JS error (first one wins) and aborts the session. */
  void fail(JsFailure f);
  /** setMaxPids: extra input PIDs accepted (UINT32_MAX: no limit, the default). Any thread. */
  void setMaxExtraPids(u32 n) { maxExtraPids_.store(n); }
  std::string origin(const char *callback) const;

  // ---------------------------------------------------------------- GPAC thread (intents, requests)
  /** Drops packet `id` from its PID's core's queue (JS dropped it); releases it unless JS still holds it. */
  void dropPacket(double id, bool release);
  /** Replays intents batched by the runtime: [op, a, b] triples (1 forward(opid, pck), 2 drop(pck, release),
   *  3 send(pck)). GPAC thread. */
  void applyTape(const std::vector<double> &ops);

  // ---------------------------------------------------------------- session hooks (main thread)
  /** The session is closing: calls in progress give up now. */
  static void sessionClosing(SessionCore *s);
  /** abort() without flush: calls in progress give up (a plugin stuck in one must not hold the run). */
  static void sessionAborting(SessionCore *s);
  /** The session's run is over and gf_fs_del follows: release every packet we hold. */
  static void sessionReleasing(SessionCore *s);
  /** GPAC destroys a filter (any thread): forgets it if it is one of ours. */
  static void filterDestroyed(GF_Filter *f);
  /** Shared packet destructor (any GPAC thread). */
  static void sharedDestructor(GF_Filter *f, GF_FilterPid *pid, GF_FilterPacket *pck);

  /** The first GF_Err < 0 a callback of the plugin returned, and which callback (run() names the plugin when the
   *  session ends with that code). */
  struct Returned {
    int code = 0;
    std::string callback;
  };
  Returned returned();

  // statistics, for the benchmarks (relaxed atomics)
  std::atomic<uint64_t> statCalls{0}, statPackets{0}, statRequests{0}, statIntents{0}, statPipelined{0};

 private:
  PluginCore(const std::shared_ptr<SessionCore> &session, PluginOptions opts);

  static GF_Err configureCb(GF_Filter *f, GF_FilterPid *pid, Bool is_remove);
  static GF_Err processCb(GF_Filter *f);
  static Bool eventCb(GF_Filter *f, const GF_FilterEvent *evt);
  static GF_Err reconfigureCb(GF_Filter *f, GF_FilterPid *pid);

  GF_Err onConfigure(GF_FilterPid *pid, bool isRemove);
  GF_Err onProcess();
  bool onEvent(const GF_FilterEvent *evt);
  GF_Err onReconfigure(GF_FilterPid *pid);

  /** Hands `call` to the worker and serves it until it settles (a pipelined call first). Returns the callback's
   *  result. */
  double handoff(const std::shared_ptr<Call> &call, const char *what, bool *ok);
  /** Posts `call` to the worker (false: it cannot run; the failure is recorded). */
  bool post(const std::shared_ptr<Call> &call, const char *what);
  enum class Serve : uint8_t { Block, Poll, Slice };
  /** Serves `call`'s requests: until it settles (Block), while any are queued (Poll), or for up to a
   *  millisecond (Slice). True once it is no longer pending (timed out included). */
  bool serve(Call &call, Serve how);
  /** After a call settled: pending intents applied, whether a process() made requests noted, the result or the
   *  failure recorded. */
  double conclude(const std::shared_ptr<Call> &call, const char *what, bool *ok);
  enum class Collected : uint8_t { Pending, Done, Ended };
  /** The pipelined process() call, concluded once settled (waited for when `block`): still Pending, Done (its
   *  result kept for GPAC), or Ended (failed, timed out or cancelled: recorded by conclude()). */
  Collected collectPipelined(bool block);
  /** What process() returns to GPAC: `own` unless it is GF_OK, else a pipelined call's stashed result. */
  GF_Err takeStashed(GF_Err own);
  /** Runs pending intents on this GPAC thread (marked as serving). */
  void applyIntents();
  /** Before GPAC gets its thread back after `what`: an output PID GPAC made without properties would be
   *  linked as it is, and GPAC exits the process linking one. Fails the plugin, naming the PID, and gives the
   *  PID an empty property map so that GPAC only fails to link it. False if there was one. */
  bool checkOutputProps(const char *what);
  /** A new input PID beyond the plugin's setMaxPids: fails the plugin, naming the PID. */
  bool refuseExtraPid(GF_FilterPid *pid);
  bool waitAttached();
  void drainIntents();
  /** Prefetches input packets into batch_; returns how many. */
  uint32_t prefetch();
  void takeBatch(Call &c);
  void releaseAll();
  void cancelCalls();

  std::weak_ptr<SessionCore> session_;
  SessionCore *sessionRaw_;
  GF_Filter *filter_ = nullptr;
  uint64_t id_ = 0;
  PluginOptions opts_;

  // worker
  std::mutex workerMx_;
  std::condition_variable workerCv_;
  bool attached_ = false;
  bool workerGone_ = false;
  std::string goneWhy_;
  PostFn post_;
  ReleaseFn release_;
  std::vector<std::shared_ptr<Call>> open_;  // calls the worker has not settled (worker thread)
  std::shared_ptr<Call> inFlight_;           // the call a GPAC thread waits on (workerMx_)
  uint64_t nextSeq_ = 1;

  void wakeNow(uint32_t us);  // wake(), where GPAC may be called
  std::mutex wakeMx_;  // wake() (worker thread) against markClosed()
  std::atomic<bool> failed_{false};
  std::atomic<u32> maxExtraPids_{UINT32_MAX};
  std::atomic<bool> closed_{false};
  bool servicing_ = false;    // a GPAC thread runs a request or intents (re-entrance guard)
  bool prefetching_ = false;  // GPAC thread in prefetch()
  uint32_t droppedThisCall_ = 0;

  // pipelining (GPAC thread: a filter's callbacks never run on two threads at once)
  std::shared_ptr<Call> pipelined_;   // a process() call posted and not waited for
  GF_Err stashed_ = GF_OK;            // its result, returned by the next process()
  std::vector<double> lastPids_;      // input PIDs and EOS flags of the last process() handed off
  bool lastHadRequests_ = false;      // the last process() made requests: wait for the next one

  std::mutex returnedMx_;
  Returned returned_;

  std::mutex intentMx_;
  std::vector<std::function<void()>> intents_;

  // The PID and packet tables, under their own mutexes (pckMx_ before pidMx_); never locked with workerMx_.
  PluginTables tables_;
  std::vector<double> batch_;  // prefetched packets not handed to JS yet (GPAC thread)
};

}  // namespace gts
