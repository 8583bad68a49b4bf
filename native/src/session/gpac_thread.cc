#include "gpac_thread.h"

namespace gts {

GpacThread::~GpacThread() { stop(); }

void GpacThread::loop(std::shared_ptr<State> st) {
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> lock(st->mx);
      st->cv.wait(lock, [&] { return st->exit || !st->work.empty(); });
      if (st->work.empty()) return;  // exit, nothing left
      fn = std::move(st->work.front());
      st->work.pop_front();
    }
    fn();  // the work's own captures (the session core) are released here, before the next wait
  }
}

void GpacThread::post(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(state_->mx);
    state_->work.push_back(std::move(fn));
  }
  state_->cv.notify_all();
  if (!thread_.joinable()) thread_ = std::thread(&GpacThread::loop, state_);
}

void GpacThread::runAndWait(std::function<void()> fn) {
  auto done = std::make_shared<std::pair<std::mutex, std::condition_variable>>();
  auto flag = std::make_shared<bool>(false);
  post([fn = std::move(fn), done, flag] {
    fn();
    std::lock_guard<std::mutex> lock(done->first);
    *flag = true;
    done->second.notify_all();
  });
  std::unique_lock<std::mutex> lock(done->first);
  done->second.wait(lock, [&] { return *flag; });
}

void GpacThread::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(state_->mx);
    state_->exit = true;
  }
  state_->cv.notify_all();
  thread_.join();
}

void GpacThread::abandon() {
  if (thread_.joinable()) thread_.detach();
}

}  // namespace gts
