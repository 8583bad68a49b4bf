// The hand-off of one GPAC-thread callback to JavaScript (docs/architecture.md §3): the GPAC thread opens a slot,
// queues the call through the session's thread-safe function, and waits with a timeout; the JS thread
// completes the slot (or fails it). A slot is shared, so a completion that arrives after the waiter gave
// up only writes into memory nobody reads any more.
#pragma once
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>

#include "js_failure.h"

namespace gts {

class Slot {
 public:
  enum class State { Pending, Done, Failed, Cancelled };

  void complete(double value) { settle(State::Done, value, nullptr); }
  void fail(JsFailure f) { settle(State::Failed, 0, &f); }
  /** The session is going away: the waiter gives up at once, with no error. */
  void cancel() { settle(State::Cancelled, 0, nullptr); }

  /** Waits until settled or `ms` elapse; Pending on return means timed out. */
  State wait(uint32_t ms) {
    std::unique_lock<std::mutex> lock(mx_);
    cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return state_ != State::Pending; });
    return state_;
  }

  State state() {
    std::lock_guard<std::mutex> lock(mx_);
    return state_;
  }
  double value() {
    std::lock_guard<std::mutex> lock(mx_);
    return value_;
  }
  JsFailure failure() {
    std::lock_guard<std::mutex> lock(mx_);
    return failure_;
  }

 private:
  void settle(State s, double v, JsFailure *f) {
    {
      std::lock_guard<std::mutex> lock(mx_);
      if (state_ != State::Pending) return;  // first settlement wins; late ones are harmless
      state_ = s;
      value_ = v;
      if (f) failure_ = std::move(*f);
    }
    cv_.notify_all();
  }

  std::mutex mx_;
  std::condition_variable cv_;
  State state_ = State::Pending;
  double value_ = 0;
  JsFailure failure_;
};

}  // namespace gts
