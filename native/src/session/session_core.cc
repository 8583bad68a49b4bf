#include "session_core.h"

#include "hook/hook_core.h"

#include <algorithm>
#include <cstring>

#include "plugin/plugin_core.h"
#include "events.h"
#include "lib.h"

namespace gts {

namespace {
// How often GPAC's thread makes the calls queued for a running single-threaded session: the latency of
// remove(), update(), post() … there, against one short task of ours per period.
constexpr u32 kQueuePeriodMs = 5;
// How long close() waits on the JS thread for a running session to stop before abandoning it (or
// abortTimeout when shorter): an unflushed abort stops a live run within milliseconds.
constexpr uint32_t kCloseWaitMs = 500;
}  // namespace

SessionCore::SessionCore(GF_FilterSession *fs, bool nonBlocking, bool singleThread, bool gpacSleeps)
    : fs_(fs), nonBlocking_(nonBlocking), gpacSleeps_(gpacSleeps), jsThread_(std::this_thread::get_id()), queue_(singleThread) {
  sessionOpened();
  // Not force_sync: filters are created on whichever GPAC thread GPAC picks; the callback only records
  // the filter and queues an event.
  gpac.gf_fs_set_filter_creation_callback(fs, &SessionCore::onCreateDestroy, this, GF_FALSE);
}

SessionCore::~SessionCore() { shutdown(); }

void SessionCore::openEvents(EventsTsfn tsfn) {
  std::lock_guard<std::mutex> lock(tsfnMx_);
  tsfn_ = tsfn;
  tsfnOpen_ = true;
}

// ---------------------------------------------------------------- filters

std::shared_ptr<FilterRef> SessionCore::refFor(GF_Filter *f) {
  std::lock_guard<std::mutex> lock(regMx_);
  auto it = filters_.find(f);
  if (it != filters_.end()) return it->second;
  auto ref = std::make_shared<FilterRef>();
  ref->filter = f;
  ref->serial = nextSerial_++;
  filters_.emplace(f, ref);
  return ref;
}

bool SessionCore::beginUse(const std::shared_ptr<FilterRef> &ref) {
  std::lock_guard<std::mutex> lock(regMx_);
  if (!ref->alive || !fs_.load()) return false;
  ref->users++;
  return true;
}

void SessionCore::endUse(const std::shared_ptr<FilterRef> &ref) {
  {
    std::lock_guard<std::mutex> lock(regMx_);
    ref->users--;
  }
  regCv_.notify_all();
}

void SessionCore::onCreateDestroy(void *udta, GF_Filter *filter, Bool is_destroy) {
  auto *core = static_cast<SessionCore *>(udta);
  if (is_destroy)
    core->filterDestroyed(filter);
  else
    core->filterCreated(filter);
}

void SessionCore::filterCreated(GF_Filter *f) {
  auto ref = refFor(f);
  std::vector<std::function<void(GF_Filter *)>> binders;
  {
    std::lock_guard<std::mutex> lock(bindersMx_);
    binders = binders_;
  }
  for (auto &bind : binders) bind(f);
  if (!wantFilterNew.load()) return;
  auto *ev = new Event{EventKind::FilterNew, ref};
  // A filter a hook plugin binds to (dashin) waits for the listener, as libgpac.py's on_filter_new does:
  // f.bind() from it then runs before the filter reads its manifest, while this thread (the only one
  // touching the new filter) is parked. On the JS thread (loadSrc …) nothing runs it yet: no wait needed.
  if (takesHooks(f) && std::this_thread::get_id() != jsThread_) {
    if (auto slot = openSlot()) {
      ev->slot = slot;
      {
        std::lock_guard<std::mutex> lock(bindersMx_);
        awaiting_.push_back(f);
      }
      queue_.park(jsThread_);
      if (!post(ev)) {
        queue_.unpark();
        delete ev;
        closeSlot(slot);
        return;
      }
      uint32_t timeout = callbackTimeoutMs.load();
      Slot::State st = slot->wait(timeout);
      queue_.unpark();
      closeSlot(slot);
      {
        std::lock_guard<std::mutex> lock(bindersMx_);
        awaiting_.erase(std::find(awaiting_.begin(), awaiting_.end(), f));
      }
      if (st == Slot::State::Pending)
        recordFailure({"onFilterNew", "TimeoutError",
                       "onFilterNew did not return within " + std::to_string(timeout) + " ms for filter '" +
                           std::string(gpac.gf_filter_get_register(f)->name) + "' (callbackTimeout; is the event loop blocked?)",
                       ""});
      return;
    }
  }
  if (!post(ev)) delete ev;
}

bool SessionCore::awaitingListener(GF_Filter *f) {
  std::lock_guard<std::mutex> lock(bindersMx_);
  return std::find(awaiting_.begin(), awaiting_.end(), f) != awaiting_.end();
}

bool SessionCore::takesHooks(GF_Filter *f) {
  const GF_FilterRegister *reg = gpac.gf_filter_get_register(f);
  return reg && reg->name && (std::strcmp(reg->name, "dashin") == 0 || std::strcmp(reg->name, "httpout") == 0);
}

void SessionCore::filterDestroyed(GF_Filter *f) {
  if (running_ && !removeRequested_ && !abortRequested_) noteDropped(f);
  PluginCore::filterDestroyed(f);  // a plugin's filter: release what it holds, on this thread
  std::shared_ptr<FilterRef> ref;
  {
    std::unique_lock<std::mutex> lock(regMx_);
    auto it = filters_.find(f);
    if (it == filters_.end()) return;  // never announced (failed setup)
    ref = it->second;
    filters_.erase(it);
    const char *name = gpac.gf_filter_get_name(f);
    const char *id = gpac.gf_filter_get_id(f);
    ref->lastName = name ? name : "";
    ref->lastId = id ? id : "";
    ref->alive = false;
    // A native call on the JS thread may be reading this filter right now: GPAC frees it when we return.
    // Only the JS thread makes such calls, so there is nothing to wait for when we are on it.
    if (std::this_thread::get_id() != jsThread_) regCv_.wait(lock, [&] { return ref->users == 0; });
  }
  if (wantFilterDel.load()) {
    auto *ev = new Event{EventKind::FilterDel, ref};
    if (!post(ev)) delete ev;
  }
}

// ---------------------------------------------------------------- events

bool SessionCore::post(Event *ev) {
  std::lock_guard<std::mutex> lock(tsfnMx_);
  if (!tsfnOpen_) return false;
  return tsfn_.NonBlockingCall(ev) == napi_ok;
}

void SessionCore::refEvents(Napi::Env env, bool on) {
  std::lock_guard<std::mutex> lock(tsfnMx_);
  if (!tsfnOpen_) return;
  if (on)
    tsfn_.Ref(env);
  else
    tsfn_.Unref(env);
}

void SessionCore::markEventsClosed() {
  std::lock_guard<std::mutex> lock(tsfnMx_);
  tsfnOpen_ = false;
}

// ---------------------------------------------------------------- drops

void SessionCore::noteDropped(GF_Filter *f) {
  // GPAC removes a filter during a run when it found no filter chain for its output PIDs ("No filter chain
  // found for PID … Will try to remove", filter_pid.c): what went to that PID is lost, and gf_fs_run still
  // returns GF_OK (last_connect_error is only set when the chain length is 0). Named here, on GPAC's thread,
  // while the filter still exists.
  std::vector<std::string> names;
  u32 nbOut = gpac.gf_filter_get_opid_count(f);
  for (u32 j = 0; j < nbOut; j++) {
    GF_FilterPid *pid = gpac.gf_filter_get_opid(f, j);
    if (!pid || gpac.gf_filter_pid_enum_destinations(pid, 0)) continue;
    const char *fname = gpac.gf_filter_get_name(f);
    const char *pname = gpac.gf_filter_pid_get_name(pid);
    names.push_back("PID " + std::string(pname ? pname : "?") + " of filter " + (fname ? fname : "?"));
  }
  if (names.empty()) return;
  std::lock_guard<std::mutex> lock(droppedMx_);
  // The first one is the cause: GPAC then removes the filters that fed it, their outputs now unconnected.
  if (dropped_.empty()) dropped_ = std::move(names);
}

std::vector<std::string> SessionCore::takeDropped() {
  std::lock_guard<std::mutex> lock(droppedMx_);
  std::vector<std::string> out;
  out.swap(dropped_);
  return out;
}

// ---------------------------------------------------------------- run

void SessionCore::startRun() {
  bool cancelled;
  {
    std::lock_guard<std::mutex> lock(abortMx_);
    loopStarted_ = false;
    cancelled = pendingAbort_.has_value();  // abort() before run(): held for this run (requestAbort)
    pendingAbort_.reset();
  }
  {
    std::lock_guard<std::mutex> lock(endMx_);
    runEnded_ = cancelled;
  }
  {
    std::lock_guard<std::mutex> lock(droppedMx_);
    dropped_.clear();
  }
  removeRequested_ = false;
  abortRequested_ = cancelled;
  running_ = true;
  if (cancelled) {
    // The run ends before GPAC runs anything, whatever the flush mode: no source has produced a packet, so
    // there is nothing to flush (GPAC's gf_fs_abort would disable the sources, or be reset by gf_fs_run).
    auto *ev = new Event{EventKind::RunDone};
    if (!post(ev)) delete ev;
    return;
  }
  queue_.loopBegin();
  stallWatch_.start(stallTimeoutMs.load());
  // Runs first thing in GPAC's loop: from then on an abort is not undone by gf_fs_run's start.
  gpac.gf_fs_post_user_task_main(fs_.load(), &SessionCore::loopStartedTask, this, "gpac-ts started");
  // One at a time: two would each see the other pending and never let the session end.
  if (queue_.enabled() && !nonBlocking_ && !queueTaskPosted_.exchange(true))
    gpac.gf_fs_post_user_task_main(fs_.load(), &SessionCore::queueTask, this, "gpac-ts queue");
  auto self = shared_from_this();
  gpacThread_.post([self] {
    // GPAC's "main thread" for the session, for this run and the next ones, and for gf_fs_del.
    self->queue_.loopThread(std::this_thread::get_id());
    GF_FilterSession *fs = self->fs_.load();
    GF_Err e = GF_OK;
    if (self->abortedBeforeLoop()) {
      // abort() right after run(), before GPAC's loop began: the run ends before anything runs, as when
      // abort() came before run().
    } else if (self->nonBlocking_) {
      do {
        self->queue_.drain();  // between GPAC's passes: no task of ours needed
        e = gpac.gf_fs_run(fs);
      } while (e >= GF_OK && !gpac.gf_fs_is_last_task(fs));
    } else {
      e = gpac.gf_fs_run(fs);
    }
    self->stallWatch_.stop();
    self->queue_.loopEnd();  // calls queued after GPAC's last task are made now, on this thread
    if (e > GF_OK) e = GF_OK;  // GF_EOS: the session ended normally
    // As the gpac CLI does: a session that ran but could not link or process reports that.
    if (e == GF_OK) e = gpac.gf_fs_get_last_connect_error(fs);
    if (e == GF_OK) e = gpac.gf_fs_get_last_process_error(fs);
    {
      std::lock_guard<std::mutex> lock(self->endMx_);
      self->runEnded_ = true;
    }
    self->endCv_.notify_all();
    auto *ev = new Event{EventKind::RunDone};
    ev->err = e;
    if (!self->post(ev)) delete ev;
  });
}

void SessionCore::spawnAborter(GF_FSFlushType mode) {
  GF_FilterSession *fs = fs_.load();
  if (!fs || aborter_.joinable()) return;  // one abort per run is enough
  // It holds the core: close() may leave it behind (joinRun), still waiting for an abandoned run. None when
  // the core is being destroyed: its run is over then.
  auto self = weak_from_this().lock();
  if (!self) return;
  aborter_ = std::thread([this, self, fs, mode] {
    if (mode == GF_FS_FLUSH_NONE) {
      stopNow(fs);
    } else {
      // A flushing abort walks GPAC's filter graph: from a thread of ours it races with the graph being
      // built, so it runs as a task of the session, as the gpac CLI's -runfor does.
      queue_.post([fs, mode] {
        gpac.gf_fs_post_user_task(fs, &SessionCore::abortTask, reinterpret_cast<void *>(static_cast<intptr_t>(mode)), "gpac-ts abort");
      });
      // A flushing abort during graph setup can leave GPAC's threads looping: escalate to GF_FS_FLUSH_NONE
      // (stop at once) after half the delay.
      if (!waitRunEnd(abortTimeoutMs.load() / 2)) stopNow(fs);
    }
    // If GPAC still does not stop, say so instead of leaving run() pending forever.
    if (!waitRunEnd(abortTimeoutMs.load())) {
      stuck_ = true;
      auto *ev = new Event{EventKind::RunStuck};
      ev->waitedMs = abortTimeoutMs.load();
      if (!post(ev)) delete ev;
    }
  });
}

void SessionCore::stopNow(GF_FilterSession *fs) {
  gpac.gf_fs_abort(fs, GF_FS_FLUSH_NONE);  // only raises flags: safe from any thread
  // GPAC's threads may be asleep on their semaphore with nothing queued, and would never see the flags.
  // Without semaphores (0 threads) GPAC's thread never sleeps on one: nothing to wake.
  if (gpacSleeps_) queue_.post([fs] { gpac.gf_fs_post_user_task_main(fs, &SessionCore::wakeTask, nullptr, "gpac-ts wake"); });
}

Bool SessionCore::abortTask(GF_FilterSession *fs, void *udta, u32 *) {
  gpac.gf_fs_abort(fs, static_cast<GF_FSFlushType>(reinterpret_cast<intptr_t>(udta)));
  return GF_FALSE;
}

Bool SessionCore::wakeTask(GF_FilterSession *, void *, u32 *) { return GF_FALSE; }

bool SessionCore::waitRunEnd(uint32_t ms) {
  std::unique_lock<std::mutex> lock(endMx_);
  return endCv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return runEnded_; });
}

void SessionCore::holdAbort(GF_FSFlushType mode) {
  // gf_fs_run would forget GF_FS_FLUSH_NONE (it resets the status), and a flushing abort would disable
  // sources that never started: held, the next run ends at once (startRun).
  std::lock_guard<std::mutex> lock(abortMx_);
  pendingAbort_ = mode;
}

bool SessionCore::abortedBeforeLoop() {
  std::lock_guard<std::mutex> lock(abortMx_);
  if (!pendingAbort_) return false;
  loopStarted_ = true;  // nothing to hold any more: loopStartedTask, if GPAC ever runs it, does nothing
  pendingAbort_.reset();
  return true;
}

void SessionCore::requestAbort(GF_FSFlushType mode) {
  abortRequested_ = true;
  GF_FilterSession *fs = fs_.load();
  if (!fs) return;
  {
    std::lock_guard<std::mutex> lock(abortMx_);
    // Before GPAC's loop began, and between runs: held, for gf_fs_run would forget it. Applied by
    // loopStartedTask / onStepped, or by the next startRun, which then ends at once. (With GPAC threads, a
    // plugin may fail in a link made before run() was called.)
    if ((!loopStarted_ && (running_ || nonBlocking_)) || (!running_ && !nonBlocking_)) {
      pendingAbort_ = mode;
      return;
    }
    // During a run, a helper thread aborts and watches that the run ends; on a GPAC thread (or on the JS
    // thread inside step()) it must not be done in place either.
    if (running_ || std::this_thread::get_id() != jsThread_ || direct != nullptr) {
      spawnAborter(mode);
      return;
    }
  }
  gpac.gf_fs_abort(fs, mode);  // JS thread between steps: no GPAC lock is held here, nor ours
}

Bool SessionCore::loopStartedTask(GF_FilterSession *, void *udta, u32 *) {
  auto *core = static_cast<SessionCore *>(udta);
  std::lock_guard<std::mutex> lock(core->abortMx_);
  core->loopStarted_ = true;
  if (core->pendingAbort_) {
    // Nothing ran yet, so there is nothing to flush: stop at once. A flushing abort this early is what
    // leaves GPAC's threads looping for good. (Not gf_fs_abort here, inside GPAC's own task: with it, aborts
    // 0-4 ms after run() corrupted the heap now and then, test/native/lifecycle.test.ts.)
    core->spawnAborter(GF_FS_FLUSH_NONE);  // we are on GPAC's main thread, inside a task
    core->pendingAbort_.reset();
  }
  return GF_FALSE;
}

void SessionCore::onStepped() {
  std::optional<GF_FSFlushType> mode;
  {
    std::lock_guard<std::mutex> lock(abortMx_);
    loopStarted_ = true;
    mode = pendingAbort_;
    pendingAbort_.reset();
  }
  GF_FilterSession *fs = fs_.load();
  if (mode && fs) gpac.gf_fs_abort(fs, *mode);
}

void SessionCore::joinRun() {
  // The run thread stays for the next run and for gf_fs_del; the run itself has ended (RunDone, or close()
  // waited for it). One asleep in GPAC for good holds a reference to this core, which stays alive.
  if (stuck_) gpacThread_.abandon();
  std::thread aborter;
  {
    std::lock_guard<std::mutex> lock(abortMx_);
    aborter.swap(aborter_);
  }
  if (aborter.joinable()) {
    if (stuck_)
      aborter.detach();  // it may wait up to abortTimeout for the abandoned run: not on the JS thread
    else
      aborter.join();
  }
  running_ = false;
}

// ---------------------------------------------------------------- slots

std::shared_ptr<Slot> SessionCore::openSlot() {
  std::lock_guard<std::mutex> lock(slotsMx_);
  if (shuttingDown_) return nullptr;
  auto slot = std::make_shared<Slot>();
  slots_.insert(slot);
  return slot;
}

void SessionCore::closeSlot(const std::shared_ptr<Slot> &slot) {
  std::lock_guard<std::mutex> lock(slotsMx_);
  slots_.erase(slot);
}

// ---------------------------------------------------------------- tasks

GF_Err SessionCore::postTask(uint64_t id, const std::string &name) {
  auto task = std::make_unique<UserTask>();
  task->core = this;
  task->id = id;
  task->name = name;
  UserTask *t = task.get();
  {
    std::lock_guard<std::mutex> lock(tasksMx_);
    tasks_.emplace(t, std::move(task));
    if (tasksInQueue()) {
      // Run by the queue task from its next turn (now, or from the start of the next run).
      t->due = std::chrono::steady_clock::now();
      queuedTasks_.push_back(t);
    }
  }
  if (tasksInQueue()) {
    queue_.noteDeferred();  // made by GPAC's thread, as a queued call is (fs.queuedCalls)
    return GF_OK;
  }
  // A non-blocking session is stepped from the JS thread: pin the task to GPAC's main thread (that one),
  // where it is called directly, instead of leaving a GPAC worker waiting for a JS thread stuck in step().
  GF_FilterSession *fs = fs_.load();
  auto result = std::make_shared<GF_Err>(GF_OK);
  // Queued while a non-blocking session is run() by our thread: a failure to post (out of memory) then only
  // drops the task.
  bool inPlace = queue_.post([this, fs, t, result] {
    GF_Err e = nonBlocking_ ? gpac.gf_fs_post_user_task_main(fs, &SessionCore::taskExecute, t, t->name.c_str())
                            : gpac.gf_fs_post_user_task(fs, &SessionCore::taskExecute, t, t->name.c_str());
    if (e != GF_OK) finishTask(t);
    *result = e;
  });
  return inPlace ? *result : GF_OK;
}

void SessionCore::finishTask(UserTask *t) {
  std::lock_guard<std::mutex> lock(tasksMx_);
  auto it = std::find(queuedTasks_.begin(), queuedTasks_.end(), t);
  if (it != queuedTasks_.end()) queuedTasks_.erase(it);
  tasks_.erase(t);
}

bool SessionCore::lastTask() {
  GF_FilterSession *fs = fs_.load();
  if (!gpac.gf_fs_is_last_task(fs)) return false;
  if (!tasksInQueue()) return true;
  // GPAC counted only the queue task, which runs the posted ones: as in GPAC, a posted task is last when no
  // other is posted.
  std::lock_guard<std::mutex> lock(tasksMx_);
  return queuedTasks_.size() <= 1;
}

u32 SessionCore::runDueTasks() {
  auto now = std::chrono::steady_clock::now();
  std::vector<UserTask *> due;
  {
    std::lock_guard<std::mutex> lock(tasksMx_);
    for (UserTask *t : queuedTasks_)
      if (t->due <= now) due.push_back(t);
  }
  // Tasks posted meanwhile run from the next turn. A task ends only in runTask (finishTask), so the
  // pointers stay valid: tasks_ is cleared once GPAC's thread is done with the session.
  for (UserTask *t : due) {
    u32 ms = 0;
    if (runTask(t, &ms)) {
      std::lock_guard<std::mutex> lock(tasksMx_);
      t->due = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    }
  }
  std::lock_guard<std::mutex> lock(tasksMx_);
  if (queuedTasks_.empty()) return UINT32_MAX;
  now = std::chrono::steady_clock::now();
  auto next = queuedTasks_.front()->due;
  for (UserTask *t : queuedTasks_) next = std::min(next, t->due);
  if (next <= now) return 0;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
  return ms >= UINT32_MAX ? UINT32_MAX - 1 : static_cast<u32>(ms);
}

Bool SessionCore::taskExecute(GF_FilterSession *, void *udta, u32 *reschedule_ms) {
  auto *t = static_cast<UserTask *>(udta);
  return t->core->runTask(t, reschedule_ms) ? GF_TRUE : GF_FALSE;
}

bool SessionCore::runTask(UserTask *t, u32 *reschedule_ms) {
  SessionCore *core = this;
  std::shared_ptr<Slot> slot;

  if (t->inflight) {
    // An async execute() started during step() has not settled yet: poll again shortly.
    if (t->inflight->state() == Slot::State::Pending) {
      *reschedule_ms = 1;
      return true;
    }
    slot = std::move(t->inflight);
  } else if (std::this_thread::get_id() == core->jsThread_) {
    if (!core->direct) {
      // On the JS thread outside step(): GPAC runs leftover tasks while close() deletes the session.
      core->finishTask(t);
      return false;
    }
    slot = std::make_shared<Slot>();
    Napi::Env env(core->direct->env);
    Napi::HandleScope scope(env);
    dispatchTask(env, Napi::Function(env, core->direct->dispatch), t->id, slot, t->name);
    if (slot->state() == Slot::State::Pending) {
      t->inflight = slot;
      *reschedule_ms = 1;
      return true;
    }
  } else {
    slot = core->openSlot();
    if (!slot) {
      core->finishTask(t);
      return false;
    }
    auto *ev = new Event{EventKind::Task};
    ev->taskId = t->id;
    ev->taskName = t->name;
    ev->slot = slot;
    // execute() may call remove(), post() …: in place while we wait. Parked before the event is posted, as
    // the JS thread may run execute() before this thread reaches its wait.
    core->queue_.park(core->jsThread_);
    if (!core->post(ev)) {
      core->queue_.unpark();
      delete ev;
      core->closeSlot(slot);
      core->finishTask(t);
      return false;
    }
    uint32_t timeout = core->callbackTimeoutMs.load();
    Slot::State st = slot->wait(timeout);
    core->queue_.unpark();
    core->closeSlot(slot);
    if (st == Slot::State::Pending) {
      core->recordFailure({"task '" + t->name + "'", "TimeoutError",
                           "task '" + t->name + "' did not answer within " + std::to_string(timeout) +
                               " ms (is the event loop blocked?)",
                           ""});
      core->finishTask(t);
      return false;
    }
  }

  switch (slot->state()) {
    case Slot::State::Done: {
      double v = slot->value();
      if (v >= 0) {
        *reschedule_ms = v > 4294967295.0 ? 4294967295u : static_cast<u32>(v);
        return true;
      }
      break;
    }
    case Slot::State::Failed: {
      JsFailure f = slot->failure();
      f.origin = "task '" + t->name + "'";
      core->recordFailure(std::move(f));
      break;
    }
    default:
      break;  // cancelled: the session is closing
  }
  core->finishTask(t);
  return false;
}

Bool SessionCore::queueTask(GF_FilterSession *fs, void *udta, u32 *reschedule_ms) {
  auto *core = static_cast<SessionCore *>(udta);
  core->queue_.drain();
  u32 next = core->runDueTasks();
  // GPAC ends a run when no task is left: this one must not keep it going, unless it runs posted tasks (which
  // keep a session going in GPAC). Calls queued after this are made when gf_fs_run returns (GpacQueue::loopEnd).
  if (next == UINT32_MAX && gpac.gf_fs_is_last_task(fs) && core->queue_.empty()) {
    core->queueTaskPosted_ = false;
    return GF_FALSE;
  }
  *reschedule_ms = std::min(next, kQueuePeriodMs);
  return GF_TRUE;
}

// ---------------------------------------------------------------- failures

void SessionCore::recordFailure(JsFailure f) {
  {
    std::lock_guard<std::mutex> lock(failMx_);
    if (failure_) return;  // the first failure is the one reported
    failure_ = std::move(f);
  }
  // Documented policy: an error thrown by a JS callback ends the session at once, without flushing
  // (GF_FS_FLUSH_NONE: GPAC only raises flags, safe from any thread). FLUSH_FAST/ALL during graph setup
  // leave GPAC's threads spinning far more often than NONE leaves them asleep (see requestAbort).
  requestAbort(GF_FS_FLUSH_NONE);
}

std::optional<JsFailure> SessionCore::takeFailure() {
  std::lock_guard<std::mutex> lock(failMx_);
  auto f = std::move(failure_);
  failure_.reset();
  return f;
}

// ---------------------------------------------------------------- shutdown

void SessionCore::shutdown() {
  GF_FilterSession *fs = fs_.load();
  if (!fs) return;
  PluginCore::sessionClosing(this);  // plugin callbacks waiting on their workers give up now
  HookCore::sessionClosing(this);    // … and hook plugins' calls
  {
    std::lock_guard<std::mutex> lock(slotsMx_);
    shuttingDown_ = true;
    for (auto &s : slots_) s->cancel();  // GPAC threads waiting on JS give up now
  }
  stallWatch_.stop();
  if (running_ && !stuck_) {
    requestAbort(GF_FS_FLUSH_NONE);
    // Bounded, and short: this blocks the JS thread. A run GPAC does not stop by then is abandoned to it.
    if (!waitRunEnd(std::min(abortTimeoutMs.load(), kCloseWaitMs))) stuck_ = true;
  }
  joinRun();
  queue_.clear();  // calls queued for a run that never ended (abandoned) are dropped
  // When abandoned, GPAC's threads may still use the session: it is not deleted, nor are our task records
  // (GPAC holds pointers to them), and it stays counted as live so that gf_sys_close never runs under it.
  if (!stuck_) {
    auto del = [this, fs] {
      PluginCore::sessionReleasing(this);  // before gf_fs_del frees the packets plugins still reference
      gpac.gf_fs_del(fs);                  // filter destroy callbacks fire here, on this thread
    };
    // On the thread that ran the session, if one did (gpac_thread.h); this thread waits, as it did for the run.
    if (gpacThread_.started()) {
      gpacThread_.runAndWait(del);
      gpacThread_.stop();
    } else {
      del();
    }
  }
  {
    std::lock_guard<std::mutex> lock(regMx_);
    fs_ = nullptr;
    for (auto &kv : filters_) kv.second->alive = false;
    filters_.clear();
  }
  if (!stuck_) {
    std::lock_guard<std::mutex> lock(tasksMx_);
    queuedTasks_.clear();
    tasks_.clear();  // tasks GPAC dropped without a last call
  }
  {
    std::lock_guard<std::mutex> lock(tsfnMx_);
    if (tsfnOpen_) {
      tsfnOpen_ = false;
      tsfn_.Release();
    }
  }
  if (!stuck_) sessionClosed();
}

}  // namespace gts
