// A run that can no longer make progress: an output PID connected to no filter while GPAC keeps running tasks
// and no packet moves (GPAC links a source to a filter loaded without setSource(), or offers a filter more
// PIDs than it takes, and then spins at 100% CPU forever; the gpac CLI hangs the same way). The watch names
// the PIDs and ends the run, which then rejects (FilterSession option stallTimeout).
//
// A thread of ours keeps the time; every inspection of the graph is made on a GPAC thread (as a queued call
// in a session without GPAC threads, else as a one-shot task of the session), never from ours.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "gpac_api.h"

namespace gts {

class SessionCore;

class StallWatch {
 public:
  explicit StallWatch(SessionCore *core) : core_(core) {}
  ~StallWatch() { stop(); }

  /** A run starts (JS thread): watches it when `timeoutMs` > 0. */
  void start(uint32_t timeoutMs);
  /** The run is over (or the session closes): later inspections do nothing. Joins our thread. */
  void stop();
  /** What the watch found, once: the message run() rejects with. */
  std::optional<std::string> take();

 private:
  using Clock = std::chrono::steady_clock;
  using PidKey = std::pair<GF_Filter *, GF_FilterPid *>;
  void loop(uint32_t periodMs);
  /** One look at the graph, on a GPAC thread. */
  void inspect();
  static Bool inspectTask(GF_FilterSession *fs, void *udta, u32 *reschedule_ms);

  SessionCore *const core_;
  std::thread thread_;
  std::mutex threadMx_;  // guards thread_ (start, and stop from the run thread and the JS thread)
  std::mutex mx_;  // guards everything below; inspections may come from several GPAC threads
  std::condition_variable cv_;
  bool active_ = false;
  uint32_t timeoutMs_ = 0;
  // The current window: since when these PIDs have been unconnected with no packet moving.
  std::optional<Clock::time_point> since_;
  std::set<PidKey> unconnected_;
  uint64_t packets_ = 0;
  uint64_t tasks_ = 0;
  std::optional<std::string> found_;
};

}  // namespace gts
