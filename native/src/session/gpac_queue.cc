#include "gpac_queue.h"

namespace gts {

bool GpacQueue::inPlaceLocked() const {
  if (!active_) return true;
  auto self = std::this_thread::get_id();
  return self == gpacThread_ || self == parkedFor_;
}

std::shared_ptr<GpacQueue::Op> GpacQueue::runOrQueueLocked(std::function<void()> &fn, bool counted) {
  // In place under mx_: GPAC's loop cannot begin, nor a parked GPAC thread resume, until fn returns.
  if (inPlaceLocked()) {
    fn();
    return nullptr;
  }
  auto op = std::make_shared<Op>();
  op->fn = std::move(fn);
  ops_.push_back(op);
  if (counted) queued_++;
  return op;
}

bool GpacQueue::post(std::function<void()> fn, bool counted) {
  if (!enabled_) {
    fn();
    return true;
  }
  std::lock_guard<std::recursive_mutex> lock(mx_);
  return runOrQueueLocked(fn, counted) == nullptr;
}

bool GpacQueue::call(std::function<void()> fn) {
  if (!enabled_) {
    fn();
    return true;
  }
  std::unique_lock<std::recursive_mutex> lock(mx_);
  auto op = runOrQueueLocked(fn);
  if (!op) return true;
  auto self = std::this_thread::get_id();
  cv_.wait(lock, [&] { return op->done || op->dropped || parkedFor_ == self; });
  // GPAC's thread now waits for this one (it ran a task of ours that calls JavaScript): make the queue here,
  // ours included, instead of waiting for each other.
  if (!op->done && !op->dropped) runQueuedLocked();
  return op->done;
}

void GpacQueue::runQueuedLocked() {
  while (!ops_.empty()) {
    auto op = std::move(ops_.front());
    ops_.pop_front();
    op->fn();
    op->done = true;
  }
  cv_.notify_all();
}

void GpacQueue::loopBegin() {
  if (!enabled_) return;
  std::lock_guard<std::recursive_mutex> lock(mx_);
  active_ = true;
  gpacThread_ = std::thread::id();
  parkedFor_ = std::thread::id();
}

void GpacQueue::loopThread(std::thread::id t) {
  if (!enabled_) return;
  std::lock_guard<std::recursive_mutex> lock(mx_);
  gpacThread_ = t;
}

void GpacQueue::loopEnd() {
  if (!enabled_) return;
  std::lock_guard<std::recursive_mutex> lock(mx_);
  runQueuedLocked();
  active_ = false;
  gpacThread_ = std::thread::id();
}

void GpacQueue::drain() {
  if (!enabled_) return;
  std::lock_guard<std::recursive_mutex> lock(mx_);
  runQueuedLocked();
}

bool GpacQueue::empty() {
  std::lock_guard<std::recursive_mutex> lock(mx_);
  return ops_.empty();
}

void GpacQueue::noteDeferred() {
  if (!enabled_) return;
  std::lock_guard<std::recursive_mutex> lock(mx_);
  if (!inPlaceLocked()) queued_++;
}

uint64_t GpacQueue::queuedCount() {
  std::lock_guard<std::recursive_mutex> lock(mx_);
  return queued_;
}

void GpacQueue::park(std::thread::id t) {
  if (!enabled_) return;
  {
    std::lock_guard<std::recursive_mutex> lock(mx_);
    parkedFor_ = t;
  }
  cv_.notify_all();  // a call() waiting on `t` makes the queue now
}

void GpacQueue::unpark() {
  if (!enabled_) return;
  std::lock_guard<std::recursive_mutex> lock(mx_);  // waits for a call `t` is making in place
  parkedFor_ = std::thread::id();
}

void GpacQueue::clear() {
  std::lock_guard<std::recursive_mutex> lock(mx_);
  for (auto &op : ops_) op->dropped = true;
  ops_.clear();
  cv_.notify_all();
}

}  // namespace gts
