#include "stall_watch.h"

#include <algorithm>
#include <map>

#include "lib.h"
#include "session_core.h"

namespace gts {

void StallWatch::start(uint32_t timeoutMs) {
  stop();
  {
    std::lock_guard<std::mutex> lock(mx_);
    found_.reset();
    since_.reset();
    unconnected_.clear();
    if (timeoutMs == 0) return;
    active_ = true;
    timeoutMs_ = timeoutMs;
  }
  // A few looks per timeout: the stall is reported between timeoutMs and timeoutMs + a period.
  uint32_t period = std::clamp<uint32_t>(timeoutMs / 4, 10, 500);
  std::lock_guard<std::mutex> lock(threadMx_);
  thread_ = std::thread([this, period] { loop(period); });
}

void StallWatch::stop() {
  {
    std::lock_guard<std::mutex> lock(mx_);
    active_ = false;
  }
  cv_.notify_all();
  // The run thread (when gf_fs_run returns) and close() on the JS thread may stop the watch at the same
  // time: one of them takes the thread and joins it. Two joins of one std::thread are undefined; seen as
  // close() waiting for ever on a pthread handle reused by a later worker thread.
  std::thread t;
  {
    std::lock_guard<std::mutex> lock(threadMx_);
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) t = std::move(thread_);
  }
  if (t.joinable()) t.join();
}

std::optional<std::string> StallWatch::take() {
  std::lock_guard<std::mutex> lock(mx_);
  auto f = std::move(found_);
  found_.reset();
  return f;
}

void StallWatch::loop(uint32_t periodMs) {
  std::unique_lock<std::mutex> lock(mx_);
  while (active_ && !found_) {
    if (cv_.wait_for(lock, std::chrono::milliseconds(periodMs), [this] { return !active_; })) break;
    lock.unlock();
    GF_FilterSession *fs = core_->fs();
    // In place with GPAC threads (posting a task is safe from any thread there), else made by GPAC's thread.
    if (fs) core_->queue().post([this, fs] {
      if (core_->queue().enabled())
        inspect();  // we are GPAC's thread (or it is not running, and inspect() sees the watch stopped)
      else
        gpac.gf_fs_post_user_task(fs, &StallWatch::inspectTask, this, "gpac-ts stall watch");
    }, false);
    lock.lock();
  }
}

Bool StallWatch::inspectTask(GF_FilterSession *, void *udta, u32 *) {
  static_cast<StallWatch *>(udta)->inspect();
  return GF_FALSE;  // one look per post: a recurring task would keep GPAC's run (and fs.lastTask) from ending
}

void StallWatch::inspect() {
  std::unique_lock<std::mutex> lock(mx_);
  GF_FilterSession *fs = core_->fs();
  if (!active_ || found_ || !fs) return;
  auto now = Clock::now();
  // A JavaScript callback in progress (a task GPAC waits for) is not a stall, however long it takes.
  if (core_->callbackPending()) {
    since_.reset();
    return;
  }
  std::set<PidKey> unconnected;
  std::map<PidKey, std::string> names;
  uint64_t packets = 0, tasks = 0;
  gpac.gf_fs_lock_filters(fs, GF_TRUE);
  u32 count = gpac.gf_fs_get_filters_count(fs);
  for (u32 i = 0; i < count; i++) {
    GF_Filter *f = gpac.gf_fs_get_filter(fs, i);
    if (!f) continue;
    u32 nbOut = gpac.gf_filter_get_opid_count(f);
    for (u32 j = 0; j < nbOut; j++) {
      GF_FilterPid *pid = gpac.gf_filter_get_opid(f, j);
      if (!pid || gpac.gf_filter_pid_enum_destinations(pid, 0)) continue;
      unconnected.insert({f, pid});
      const char *fname = gpac.gf_filter_get_name(f);
      const char *pname = gpac.gf_filter_pid_get_name(pid);
      names[{f, pid}] = "output PID " + std::string(pname ? pname : "?") + " of filter " + (fname ? fname : "?");
    }
  }
  if (!unconnected.empty()) {
    // Only then: gf_filter_get_stats clears the filters' report_updated flags.
    for (u32 i = 0; i < count; i++) {
      GF_Filter *f = gpac.gf_fs_get_filter(fs, i);
      GF_FilterStats st;
      if (!f || gpac.gf_filter_get_stats(f, &st) != GF_OK) continue;
      packets += st.nb_pck_processed + st.nb_pck_sent;
      tasks += st.nb_tasks_done;
    }
  }
  gpac.gf_fs_lock_filters(fs, GF_FALSE);

  // The same PIDs unconnected, no packet processed or sent anywhere since the window opened.
  bool same = since_ && packets == packets_ && std::includes(unconnected.begin(), unconnected.end(), unconnected_.begin(), unconnected_.end());
  if (unconnected.empty() || !same) {
    if (unconnected.empty()) {
      since_.reset();
    } else {
      since_ = now;
      unconnected_ = std::move(unconnected);
      packets_ = packets;
      tasks_ = tasks;
    }
    return;
  }
  // GPAC kept running tasks meanwhile: busy without progress, not a pipeline waiting for its input.
  if (now - *since_ < std::chrono::milliseconds(timeoutMs_) || tasks <= tasks_) return;
  std::string what;  // the PIDs unconnected all along
  for (const PidKey &k : unconnected_) what += (what.empty() ? "" : ", ") + names[k];
  found_ = "GPAC made no progress for " + std::to_string(timeoutMs_) + " ms while " + what +
           (unconnected_.size() > 1 ? " are" : " is") +
           " connected to no filter: a filter loaded without setSource() may have taken the input meant for "
           "another, or a filter was offered more PIDs than it accepts (a plugin's setMaxPids). The run was "
           "aborted (FilterSession option stallTimeout)";
  lock.unlock();
  cv_.notify_all();
  // GF_FS_FLUSH_NONE does not stop it: GPAC's loop leaves only when no task is left, and the spinning filter
  // always has one. A flushing abort disables the sources and the filters they feed, whose tasks then end
  // (measured: the run ends ~0.3 s later; with NONE it never does). The helper escalates as for abort().
  core_->requestAbort(GF_FS_FLUSH_FAST);
}

}  // namespace gts
