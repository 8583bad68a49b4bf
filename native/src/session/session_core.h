// The part of a filter session that GPAC's threads see: the GF_FilterSession, the registry of live
// filters, the thread-safe function that carries events to JavaScript, the run thread, the open slots
// and the first JavaScript failure. It holds no JS value (the JS-side state lives in Session, session.h),
// so that any thread may touch it under its mutexes.
#pragma once
#include <napi.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "gpac_api.h"
#include "gpac_queue.h"
#include "gpac_thread.h"
#include "slot.h"
#include "stall_watch.h"

namespace gts {

class Session;
class SessionCore;

/** A GF_Filter as long as GPAC keeps it; `alive` drops when GPAC destroys it (creation callback). */
struct FilterRef {
  GF_Filter *filter = nullptr;
  uint64_t serial = 0;   // unique per session: TS keeps handle identity with it
  bool alive = true;     // guarded by SessionCore::regMx_
  int users = 0;         // native calls in progress on the JS thread, guarded by regMx_
  std::string lastName;  // snapshot taken when the filter is destroyed
  std::string lastId;
};

enum class EventKind { FilterNew, FilterDel, Task, RunDone, RunStuck };

/** One item queued to the JS thread. */
struct Event {
  EventKind kind;
  std::shared_ptr<FilterRef> ref;  // FilterNew / FilterDel
  uint64_t taskId = 0;             // Task
  std::string taskName;            // Task
  std::shared_ptr<Slot> slot;      // Task
  GF_Err err = GF_OK;              // RunDone
  uint32_t waitedMs = 0;           // RunStuck
};

struct TsfnContext {
  std::weak_ptr<SessionCore> core;
};

void callJs(Napi::Env env, Napi::Function fn, TsfnContext *ctx, Event *ev);
using EventsTsfn = Napi::TypedThreadSafeFunction<TsfnContext, Event, callJs>;

/** A task posted with post(); GPAC owns the scheduling, we own this record. */
struct UserTask {
  SessionCore *core;
  uint64_t id;
  std::string name;
  std::shared_ptr<Slot> inflight;  // an async result still pending (direct calls during step())
  std::chrono::steady_clock::time_point due{};  // next call, when the queue task runs it (SessionCore::queueTask)
};

/** Set while step() runs gf_fs_run on the JS thread: callbacks arriving on that thread call JS directly. */
struct DirectCall {
  napi_env env;
  napi_value dispatch;
};

class SessionCore : public std::enable_shared_from_this<SessionCore> {
 public:
  /** `singleThread`: GPAC runs the session on one thread, with a lock-free task list (see GpacQueue).
   *  `gpacSleeps`: GPAC made scheduler semaphores for this session (threads, or GF_FS_SCHEDULER_LOCK_FORCE):
   *  its threads may sleep on them, and an abort must wake them. */
  SessionCore(GF_FilterSession *fs, bool nonBlocking, bool singleThread, bool gpacSleeps);
  ~SessionCore();

  GF_FilterSession *fs() const { return fs_.load(); }
  bool closed() const { return fs_.load() == nullptr; }
  bool nonBlocking() const { return nonBlocking_; }
  std::thread::id jsThread() const { return jsThread_; }
  /** Where calls into GPAC from threads other than GPAC's go while a single-threaded session runs. */
  GpacQueue &queue() { return queue_; }

  // --- JS-side wiring (JS thread) ---
  void openEvents(EventsTsfn tsfn);
  Session *owner = nullptr;  // the JS wrapper, cleared when it is finalized (JS thread only)
  DirectCall *direct = nullptr;
  std::atomic<bool> wantFilterNew{false};
  std::atomic<bool> wantFilterDel{false};
  std::atomic<uint32_t> callbackTimeoutMs{30000};
  /** How long an aborted run may take to stop before the session is abandoned (GPAC's scheduler can stay
   *  asleep after an abort during graph setup: the gpac CLI hangs the same way with -runfor). */
  std::atomic<uint32_t> abortTimeoutMs{5000};
  /** How long a run may stay without progress with an output PID connected to no filter before it is
   *  aborted (StallWatch; 0: never). */
  std::atomic<uint32_t> stallTimeoutMs{10000};
  /** What the stall watch found in the last run (the message run() rejects with), once. */
  std::optional<std::string> takeStall() { return stallWatch_.take(); }
  /** The output PIDs GPAC dropped in the last run, with the filter it removed for them ("PID V1 of filter
   *  ufnalu"), once; empty when none. */
  std::vector<std::string> takeDropped();
  /** A filter of this session is being removed on request (Filter.remove(), a plugin discarded): GPAC's
   *  removals that follow in this run are consequences, not drops. */
  void noteRemoveRequested() { removeRequested_ = true; }
  /** A GPAC thread waits for a JavaScript callback (a posted task) now. */
  bool callbackPending() {
    std::lock_guard<std::mutex> lock(slotsMx_);
    return !slots_.empty();
  }

  // --- filters ---
  std::shared_ptr<FilterRef> refFor(GF_Filter *f);
  /** Marks a native call in progress on `ref` (JS thread); false if the filter is gone. */
  bool beginUse(const std::shared_ptr<FilterRef> &ref);
  void endUse(const std::shared_ptr<FilterRef> &ref);
  static void onCreateDestroy(void *udta, GF_Filter *filter, Bool is_destroy);

  // --- events to JS ---
  /** Queues `ev` (ownership passes on success); false when the JS side is gone. */
  bool post(Event *ev);
  void refEvents(Napi::Env env, bool on);
  void markEventsClosed();

  // --- run ---
  bool running() const { return running_.load(); }
  /** The run did not stop after an abort: its thread and GF_FilterSession are left to GPAC, never deleted. */
  bool abandoned() const { return stuck_.load(); }
  /**
   * gf_fs_abort(mode), made safe to request at any time from any thread:
   * - never called in place from inside a callback GPAC is running (nor on the JS thread inside step()):
   *   a helper thread issues it — GF_FS_FLUSH_NONE directly (it only raises flags), a flushing mode as a
   *   task of the session (it walks the filter graph, which only GPAC's threads may do safely);
   * - held until GPAC's loop has started: gf_fs_run resets the status an earlier abort set, and the
   *   session would then never end.
   */
  void requestAbort(GF_FSFlushType mode);
  /** abort() before run() (JS thread, blocking session not running): held for the next run, which then ends
   *  before GPAC runs anything. */
  void holdAbort(GF_FSFlushType mode);
  /** step() ran gf_fs_run once: the loop exists, a held abort can be applied (JS thread, outside GPAC). */
  void onStepped();
  void startRun();
  void joinRun();

  // --- tasks ---
  GF_Err postTask(uint64_t id, const std::string &name);
  static Bool taskExecute(GF_FilterSession *fs, void *udta, u32 *reschedule_ms);
  /** Recurring task of a single-threaded run: GPAC's thread makes the queued calls (GpacQueue) and runs the
   *  posted tasks (see tasksInQueue()). */
  static Bool queueTask(GF_FilterSession *fs, void *udta, u32 *reschedule_ms);
  /** gf_fs_is_last_task as libgpac.py's user sees it: our queue task does not count, the other posted tasks do. */
  bool lastTask();

  /** Runs `fn` for each filter GPAC creates from now on, on the creating thread, before any other use of
   *  it: how hook plugins bind every dashin or httpout filter of the session (fs.bindDashAlgorithm …). */
  void addFilterBinder(std::function<void(GF_Filter *)> fn) {
    std::lock_guard<std::mutex> lock(bindersMx_);
    binders_.push_back(std::move(fn));
  }
  /** A filter hook plugins bind to (dashin): its onFilterNew listener is waited for (filterCreated). */
  static bool takesHooks(GF_Filter *f);
  /** `f` was just created and its thread waits for the onFilterNew listener: nothing else touches it now. */
  bool awaitingListener(GF_Filter *f);
  /** Keeps `p` alive until the session is deleted: what GPAC's filters of this session point at (a
   *  hook bound to dashin is its udta). */
  void keepAlive(std::shared_ptr<void> p) {
    std::lock_guard<std::mutex> lock(bindersMx_);
    kept_.push_back(std::move(p));
  }

  /** Keeps strings that GPAC may still point at (fired events) until the session is deleted. */
  void keepStrings(std::deque<std::string> strings) {
    std::lock_guard<std::mutex> lock(stringsMx_);
    for (auto &s : strings) strings_.push_back(std::move(s));
  }

  // --- failures from JavaScript ---
  void recordFailure(JsFailure f);
  std::optional<JsFailure> takeFailure();
  bool hasFailure() {
    std::lock_guard<std::mutex> lock(failMx_);
    return failure_.has_value();
  }

  /** Ends everything: aborts a run, cancels waiting slots, joins the run thread, deletes the session,
   *  releases the thread-safe function. Idempotent; JS thread (or environment teardown). */
  void shutdown();

 private:
  std::shared_ptr<Slot> openSlot();
  void closeSlot(const std::shared_ptr<Slot> &slot);
  void finishTask(UserTask *t);
  /** Runs task `t` once (GPAC's thread or step()'s): true with its next delay in `reschedule_ms`, or false
   *  when it ended. */
  bool runTask(UserTask *t, u32 *reschedule_ms);
  /** A blocking single-threaded session: posted tasks are run by the queue task rather than given to GPAC.
   *  GPAC's gf_fs_is_last_task counts every pending task, so a posted task and our recurring queue task would
   *  each see the other and never be last: libgpac.py's `if fs.last_task: return -1` would run forever. */
  bool tasksInQueue() const { return queue_.enabled() && !nonBlocking_; }
  /** The queue task's turn: runs the posted tasks that are due; returns the milliseconds until the next one
   *  is, or UINT32_MAX when none is posted. GPAC's thread. */
  u32 runDueTasks();
  void filterCreated(GF_Filter *f);
  void filterDestroyed(GF_Filter *f);

  std::atomic<GF_FilterSession *> fs_;  // null once deleted
  const bool nonBlocking_;
  const bool gpacSleeps_;
  const std::thread::id jsThread_;
  GpacQueue queue_;
  /** queueTask is in GPAC's task list (it may outlive an aborted run, and then serves the next one). */
  std::atomic<bool> queueTaskPosted_{false};

  std::mutex regMx_;
  std::condition_variable regCv_;
  std::unordered_map<GF_Filter *, std::shared_ptr<FilterRef>> filters_;
  uint64_t nextSerial_ = 1;

  std::mutex tsfnMx_;
  bool tsfnOpen_ = false;
  EventsTsfn tsfn_;

  std::atomic<bool> running_{false};
  // Drops: filters GPAC removed by itself during a run, their output PIDs connected to nothing. Not counted
  // once the run was aborted or a removal was requested (what GPAC then removes follows from that).
  std::atomic<bool> removeRequested_{false};
  std::atomic<bool> abortRequested_{false};
  std::mutex droppedMx_;
  std::vector<std::string> dropped_;
  void noteDropped(GF_Filter *f);
  GpacThread gpacThread_;  // runs every gf_fs_run of the session, and its gf_fs_del
  std::mutex endMx_;
  std::condition_variable endCv_;
  bool runEnded_ = true;  // gf_fs_run returned (guarded by endMx_)
  std::atomic<bool> stuck_{false};
  /** Waits until the run ends or `ms` elapse; false on timeout. */
  bool waitRunEnd(uint32_t ms);

  /** The run thread, before gf_fs_run: an abort is held (run(); abort()), so the run is skipped. */
  bool abortedBeforeLoop();
  static Bool loopStartedTask(GF_FilterSession *fs, void *udta, u32 *reschedule_ms);
  /** gf_fs_abort(mode) run as a task of the session, as the gpac CLI does (udta: the mode). */
  static Bool abortTask(GF_FilterSession *fs, void *udta, u32 *reschedule_ms);
  /** Does nothing: posting it wakes a scheduler left asleep on its semaphore after GF_FS_FLUSH_NONE. */
  static Bool wakeTask(GF_FilterSession *fs, void *udta, u32 *reschedule_ms);
  /** gf_fs_abort(GF_FS_FLUSH_NONE), then (when GPAC has semaphores) a task to wake its threads so that they see it. */
  void stopNow(GF_FilterSession *fs);
  void spawnAborter(GF_FSFlushType mode);  // with abortMx_ held
  std::mutex abortMx_;
  bool loopStarted_ = false;                   // GPAC's loop of the current run/step has begun
  std::optional<GF_FSFlushType> pendingAbort_;  // requested before that
  std::thread aborter_;                         // calls gf_fs_abort off GPAC's threads; joined with the run

  std::mutex slotsMx_;
  std::set<std::shared_ptr<Slot>> slots_;
  bool shuttingDown_ = false;

  std::mutex tasksMx_;
  std::unordered_map<UserTask *, std::unique_ptr<UserTask>> tasks_;
  std::vector<UserTask *> queuedTasks_;  // tasks the queue task runs (tasksInQueue()), in the order posted

  std::mutex stringsMx_;
  std::deque<std::string> strings_;

  std::mutex bindersMx_;
  std::vector<std::function<void(GF_Filter *)>> binders_;
  std::vector<std::shared_ptr<void>> kept_;
  std::vector<GF_Filter *> awaiting_;  // filters whose creating thread waits for onFilterNew (bindersMx_)

  std::mutex failMx_;
  std::optional<JsFailure> failure_;

  StallWatch stallWatch_{this};  // last: its thread is joined before the rest goes
};

}  // namespace gts
