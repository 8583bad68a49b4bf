// Calls into a session without GPAC threads, made from other threads while it runs.
//
// With `threads: 0` GPAC keeps the session's task list lock-free, for its one thread only, and its queue's
// dequeue is not safe against an enqueue from another thread (README "Known issues"). So the calls that post
// GPAC tasks or change the graph — Filter remove/update/setSource/reconnect, post(), fireEvent(), loads, a
// plugin's reschedule(), a flushing abort — made from the JS thread, a plugin's worker or our aborter while
// such a session runs are queued here and made by GPAC's thread itself: at its next task boundary (a task of
// ours that GPAC runs every few milliseconds, SessionCore::queueTask), or when the run ends. Sessions with
// threads lock their task list: every call is made in place.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace gts {

class GpacQueue {
 public:
  /** `enabled`: the session has no GPAC threads (calls from other threads must be queued while it runs). */
  explicit GpacQueue(bool enabled) : enabled_(enabled) {}

  bool enabled() const { return enabled_; }

  /** Makes `fn` in place when this thread may call GPAC now (true), else queues it for GPAC's thread (false);
   *  returns at once. `counted`: false for gpac-ts's own calls (the stall watch), left out of queuedCount(). */
  bool post(std::function<void()> fn, bool counted = true);
  /** Like post(), but returns once `fn` was made (false: dropped, the session closed first). `fn` must not
   *  touch JavaScript: it may run on GPAC's thread. */
  bool call(std::function<void()> fn);

  // --- the loop (GPAC running gf_fs_run) ---
  /** The owner thread is about to start GPAC's loop (run() or step()). */
  void loopBegin();
  /** The thread that runs GPAC's loop, once it is known. */
  void loopThread(std::thread::id t);
  /** GPAC's thread, gf_fs_run returned: makes what is left; calls are made in place again. */
  void loopEnd();
  /** GPAC's thread, inside a task: makes what is queued. */
  void drain();
  bool empty();
  /** A call GPAC's thread makes by other means (a posted task the queue task runs): counted as queued when
   *  post() would have queued it. */
  void noteDeferred();
  /** How many calls were queued (made by GPAC's thread rather than in place) so far. */
  uint64_t queuedCount();

  /** GPAC's thread is about to wait for thread `t` and calls nothing in GPAC until unpark(): meanwhile `t`
   *  calls in place (a JS task's execute() may call remove() while GPAC waits for its answer). */
  void park(std::thread::id t);
  void unpark();

  /** The session is closing: queued calls are dropped and waiters return. */
  void clear();

 private:
  struct Op {
    std::function<void()> fn;
    bool done = false;
    bool dropped = false;
  };
  bool inPlaceLocked() const;
  /** Makes `fn` in place (nullptr) or queues it (its record). */
  std::shared_ptr<Op> runOrQueueLocked(std::function<void()> &fn, bool counted = true);
  void runQueuedLocked();

  const bool enabled_;
  // Recursive: a queued call made on GPAC's thread may itself reach post() (GPAC calling back into us).
  std::recursive_mutex mx_;
  std::condition_variable_any cv_;
  std::deque<std::shared_ptr<Op>> ops_;
  bool active_ = false;
  std::thread::id gpacThread_;
  std::thread::id parkedFor_;
  uint64_t queued_ = 0;
};

}  // namespace gts
