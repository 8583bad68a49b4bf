// The GPAC-facing half of a hook plugin: a DASH adaptation algorithm, a FileIO factory or an HTTP request
// handler, whose code runs in a worker thread of its own (docs/architecture.md, "Hook plugins").
//
// GPAC calls the hook's C callbacks (dashin's rate adaptation, a gfio:// read, httpout's on_request …)
// synchronously on one of its threads and needs the answer. That thread snapshots what the callback
// needs into a HookCall (HookValue arguments: copies, never GPAC pointers), posts it to the worker's
// thread-safe function, and waits with a timeout. While it waits it runs the worker's *requests* — calls
// that need libgpac on the thread GPAC chose (httpout's send()) — so no libgpac call for the hook's
// filter happens elsewhere. No JS value is held here: any thread may use this object under its mutexes.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gpac_api.h"
#include "hook/hook_value.h"
#include "js_failure.h"

namespace gts {

class SessionCore;

/** A call the worker makes during a hook call, run by the waiting GPAC thread. */
struct HookRequest {
  std::function<void()> fn;
  bool done = false;
};

/** One hand-off of a GPAC callback to the worker. Shared: a late completion writes into a call nobody
 *  waits on any more. */
struct HookCall {
  enum class State : uint8_t { Pending, Done, Failed, Cancelled, TimedOut };
  std::string method;            // the plugin's method (onRateAdaptation, read, onRequest …)
  std::vector<HookValue> args;
  uint64_t seq = 0;
  std::chrono::steady_clock::time_point postedAt;  // timeoutMs counts from here

  std::mutex mx;
  std::condition_variable cv;
  State state = State::Pending;
  std::deque<HookRequest *> requests;
  HookValue result;
  JsFailure failure;
};

struct HookOptions {
  std::string kind;  // "DASH algorithm", "FileIO", "HTTP handler": for messages
  std::string name;
  std::string file;
  uint32_t timeoutMs = 10000;
  uint32_t loadTimeoutMs = 30000;  // how long a call waits for a worker still loading
};

class HookCore : public std::enable_shared_from_this<HookCore> {
 public:
  explicit HookCore(HookOptions opts);
  virtual ~HookCore();
  /** Gives the core an id and makes it findable (byId) until unregister(). */
  static uint64_t registerCore(const std::shared_ptr<HookCore> &core);
  static std::shared_ptr<HookCore> byId(uint64_t id);
  /** Forgets the core: no new call reaches it through the registry. Calls in progress are cancelled. */
  void unregister();

  uint64_t id() const { return id_; }
  const HookOptions &options() const { return opts_; }
  /** "DASH algorithm 'cycle' (plugins/x.ts), onRateAdaptation()" */
  std::string origin(const std::string &callback) const;

  /** Every registered core (a snapshot). */
  static std::vector<std::shared_ptr<HookCore>> all();
  /** A session whose owner hears of this hook's failures, and whose close or abort cancels its calls. */
  void addSession(const std::shared_ptr<SessionCore> &s);
  /** `s` uses this hook: its failures reach s's owner, and s keeps it alive until gf_fs_del (GPAC may call
   *  it until then). Main thread. */
  void attachSession(const std::shared_ptr<SessionCore> &s);
  /** attachSession, and a hook that binds to filters (bindFilter) is bound to every one `s` creates from now
   *  on, in GPAC's creation callback (every dashin, every httpout). Main thread. */
  void bindSession(const std::shared_ptr<SessionCore> &s);
  /** Binds the hook to filter `f` (a DASH algorithm to dashin, an HTTP handler to httpout); GF_BAD_PARAM for
   *  another filter. On a thread that may call into `f` (its creation callback, or while nothing runs it). */
  virtual GF_Err bindFilter(GF_Filter *) { return GF_NOT_SUPPORTED; }
  /** The filter bindFilter takes, for messages ("dashin"); null if the hook binds to none. */
  virtual const char *filterName() const { return nullptr; }
  bool servesSession(const SessionCore *s);

  // ---------------------------------------------------------------- worker side (worker thread)
  using PostFn = std::function<bool(const std::shared_ptr<HookCall> &)>;  // false: the worker is gone
  /** `methods`: the callbacks the plugin defines; GPAC's calls of others are answered without the worker. */
  void attachWorker(PostFn post, std::vector<std::string> methods);
  /** The worker is going away: the call in progress and later ones fail with `why`. */
  void detachWorker(const std::string &why);
  bool workerAttached();
  /** Settles call `seq`; false if nobody waits on it any more (timed out, cancelled). */
  bool settle(uint64_t seq, bool ok, HookValue result, JsFailure failure);
  /** Runs `fn` on the GPAC thread that waits on call `seq`. False if that call is not pending. */
  bool request(uint64_t seq, std::function<void()> fn);

  // ---------------------------------------------------------------- GPAC thread
  /** Waits (loadTimeoutMs at most) for the worker to attach; false, with the failure recorded, if it did
   *  not or is gone. */
  bool awaitWorker(const char *method);
  /** Whether the attached plugin defines `method`. */
  bool implements(const char *method);
  /** Hands method(args) to the worker and waits for its answer, running its requests meanwhile. False
   *  if the call failed (thrown, timed out, worker gone): the failure is recorded (fail()). */
  bool invoke(const char *method, std::vector<HookValue> args, HookValue *result);
  /** invoke() in two steps, so that the calling thread does other work while the worker runs the call (a
   *  FileIO's read ahead): begin() posts it (null, with the failure recorded, if it could not), finish()
   *  waits for it as invoke() does. Every call begun must be finished, on the thread that began it. */
  std::shared_ptr<HookCall> begin(const char *method, std::vector<HookValue> args);
  bool finish(const std::shared_ptr<HookCall> &call, HookValue *result);
  /** Records a failure for the session owner (the first one wins, it aborts the sessions served). */
  void fail(JsFailure f);
  bool failed() const { return failed_.load(); }
  /** The calls in progress give up now (the hook is closed). */
  void cancelCalls();
  /** A request of the worker (`op`, `args`), on the GPAC thread waiting on its call: the hook kind's own
   *  libgpac calls (httpout's send() …). False with `error` set for an unknown op or bad arguments. */
  virtual bool serve(const std::string &op, const HookValue &args, HookValue *out, std::string *error);

  /** Whether GPAC's calls still reach the worker while a session it serves is closed or aborted: a FileIO's
   *  (fout closing its file in gf_fs_del writes the last bytes), not a DASH algorithm's (no answer is needed). */
  virtual bool servesClosingSessions() const { return false; }

  // ---------------------------------------------------------------- session hooks (main thread)
  static void sessionClosing(SessionCore *s);
  static void sessionAborting(SessionCore *s);

  // statistics, for the benchmarks (relaxed atomics)
  std::atomic<uint64_t> statCalls{0}, statRequests{0};

 private:
  HookOptions opts_;
  uint64_t id_ = 0;
  std::atomic<bool> failed_{false};
  std::atomic<bool> closing_{false};  // a session it serves is being deleted: GPAC's last calls are not handed off

  std::mutex sessionsMx_;
  std::vector<std::weak_ptr<SessionCore>> sessions_;
  std::vector<const SessionCore *> sessionPtrs_;

  std::mutex workerMx_;
  std::condition_variable workerCv_;
  bool attached_ = false;
  bool gone_ = false;
  std::string goneWhy_;
  PostFn post_;
  std::vector<std::string> methods_;
  std::vector<std::shared_ptr<HookCall>> open_;  // calls posted and not settled
  uint64_t nextSeq_ = 1;
};

}  // namespace gts
