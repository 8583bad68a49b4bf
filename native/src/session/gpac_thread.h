// The session's GPAC main thread: the one thread that runs gf_fs_run for every run() of a session, and
// gf_fs_del at close(). GPAC's own applications run and delete a session on one thread, and GPAC relies
// on it: its mutexes are recursive per thread, and some are left held by the thread that ran the session
// (the download manager's cache mutex, after an HTTP source switched URL: every DASH or HLS session over
// HTTP). gf_fs_del from another thread then waits on it forever.
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace gts {

class GpacThread {
 public:
  GpacThread() = default;
  GpacThread(const GpacThread &) = delete;
  GpacThread &operator=(const GpacThread &) = delete;
  /** Stops the thread (stop()) unless it was abandoned. */
  ~GpacThread();

  /** Runs `fn` on the thread (started on first use), after what was posted before. */
  void post(std::function<void()> fn);
  /** post(fn), and waits until it has run. */
  void runAndWait(std::function<void()> fn);
  /** Runs what is posted, then ends the thread and joins it. */
  void stop();
  /** The thread is stuck inside GPAC for good: detached, it keeps its own state alive. */
  void abandon();
  bool started() const { return thread_.joinable(); }

 private:
  struct State {
    std::mutex mx;
    std::condition_variable cv;
    std::deque<std::function<void()>> work;
    bool exit = false;
  };
  static void loop(std::shared_ptr<State> st);

  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::thread thread_;
};

}  // namespace gts
