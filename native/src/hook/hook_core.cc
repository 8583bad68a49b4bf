#include "hook/hook_core.h"

#include <algorithm>
#include <unordered_map>

#include "session/session_core.h"

namespace gts {
namespace {

std::mutex g_mx;
std::unordered_map<uint64_t, std::shared_ptr<HookCore>> g_byId;
uint64_t g_nextId = 1;

}  // namespace

std::vector<std::shared_ptr<HookCore>> HookCore::all() {
  std::lock_guard<std::mutex> lock(g_mx);
  std::vector<std::shared_ptr<HookCore>> out;
  for (auto &kv : g_byId) out.push_back(kv.second);
  return out;
}

HookCore::HookCore(HookOptions opts) : opts_(std::move(opts)) {}
HookCore::~HookCore() = default;

uint64_t HookCore::registerCore(const std::shared_ptr<HookCore> &core) {
  std::lock_guard<std::mutex> lock(g_mx);
  core->id_ = g_nextId++;
  g_byId[core->id_] = core;
  return core->id_;
}

std::shared_ptr<HookCore> HookCore::byId(uint64_t id) {
  std::lock_guard<std::mutex> lock(g_mx);
  auto it = g_byId.find(id);
  return it == g_byId.end() ? nullptr : it->second;
}

void HookCore::unregister() {
  {
    std::lock_guard<std::mutex> lock(g_mx);
    g_byId.erase(id_);
  }
  cancelCalls();
}

std::string HookCore::origin(const std::string &callback) const {
  std::string o = opts_.kind + " '" + opts_.name + "'";
  if (!opts_.file.empty()) o += " (" + opts_.file + ")";
  if (!callback.empty()) o += ", " + callback + "()";
  return o;
}

void HookCore::addSession(const std::shared_ptr<SessionCore> &s) {
  std::lock_guard<std::mutex> lock(sessionsMx_);
  if (std::find(sessionPtrs_.begin(), sessionPtrs_.end(), s.get()) != sessionPtrs_.end()) return;
  sessions_.push_back(s);
  sessionPtrs_.push_back(s.get());
}

void HookCore::attachSession(const std::shared_ptr<SessionCore> &s) {
  addSession(s);
  s->keepAlive(shared_from_this());
}

void HookCore::bindSession(const std::shared_ptr<SessionCore> &s) {
  attachSession(s);
  if (!filterName()) return;
  HookCore *self = this;  // kept alive by the session until gf_fs_del (attachSession)
  s->addFilterBinder([self](GF_Filter *f) { self->bindFilter(f); });  // GF_BAD_PARAM for filters of another kind
}

bool HookCore::servesSession(const SessionCore *s) {
  std::lock_guard<std::mutex> lock(sessionsMx_);
  return std::find(sessionPtrs_.begin(), sessionPtrs_.end(), s) != sessionPtrs_.end();
}

// ==================================================================== worker side

void HookCore::attachWorker(PostFn post, std::vector<std::string> methods) {
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    post_ = std::move(post);
    methods_ = std::move(methods);
    attached_ = true;
  }
  workerCv_.notify_all();
}

bool HookCore::awaitWorker(const char *method) {
  if (closing_) return false;
  std::unique_lock<std::mutex> lock(workerMx_);
  // A hook is bound before its worker has loaded the plugin (so that no callback is missed): GPAC's first
  // calls wait for it, as long as loading may take.
  workerCv_.wait_for(lock, std::chrono::milliseconds(opts_.loadTimeoutMs), [this] { return attached_ || gone_ || closing_; });
  if (closing_) return false;
  if (attached_ && !gone_) return true;
  std::string why = gone_ ? goneWhy_ : "its worker did not load within " + std::to_string(opts_.loadTimeoutMs) + " ms";
  lock.unlock();
  fail(workerGoneFailure(origin(method), why));
  return false;
}

bool HookCore::implements(const char *method) {
  std::lock_guard<std::mutex> lock(workerMx_);
  return std::find(methods_.begin(), methods_.end(), method) != methods_.end();
}

bool HookCore::workerAttached() {
  std::lock_guard<std::mutex> lock(workerMx_);
  return attached_ && !gone_;
}

void HookCore::detachWorker(const std::string &why) {
  std::vector<std::shared_ptr<HookCall>> open;
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    if (gone_) return;
    gone_ = true;
    goneWhy_ = why;
    post_ = nullptr;
    open.swap(open_);
  }
  for (auto &c : open) {
    std::lock_guard<std::mutex> lock(c->mx);
    if (c->state != HookCall::State::Pending) continue;
    c->state = HookCall::State::Failed;
    c->failure = workerGoneFailure("", why);
    c->cv.notify_all();
  }
}

bool HookCore::settle(uint64_t seq, bool ok, HookValue result, JsFailure failure) {
  std::shared_ptr<HookCall> call;
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    auto it = std::find_if(open_.begin(), open_.end(), [seq](auto &c) { return c->seq == seq; });
    if (it == open_.end()) return false;
    call = *it;
    open_.erase(it);
  }
  std::lock_guard<std::mutex> lock(call->mx);
  if (call->state != HookCall::State::Pending) return false;
  call->state = ok ? HookCall::State::Done : HookCall::State::Failed;
  call->result = std::move(result);
  call->failure = std::move(failure);
  call->cv.notify_all();
  return true;
}

bool HookCore::request(uint64_t seq, std::function<void()> fn) {
  std::shared_ptr<HookCall> call;
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    for (auto &c : open_)
      if (c->seq == seq) call = c;
  }
  if (!call) return false;
  HookRequest r{std::move(fn)};
  std::unique_lock<std::mutex> lock(call->mx);
  if (call->state != HookCall::State::Pending) return false;
  call->requests.push_back(&r);
  call->cv.notify_all();
  // The GPAC thread takes the request off the queue before running it: one still queued when the call
  // ended (timed out, cancelled) was never started, and is withdrawn.
  call->cv.wait(lock, [&] {
    return r.done || (call->state != HookCall::State::Pending &&
                      std::find(call->requests.begin(), call->requests.end(), &r) != call->requests.end());
  });
  if (r.done) return true;
  call->requests.erase(std::find(call->requests.begin(), call->requests.end(), &r));
  return false;
}

// ==================================================================== GPAC thread

bool HookCore::invoke(const char *method, std::vector<HookValue> args, HookValue *result) {
  auto call = begin(method, std::move(args));
  return call && finish(call, result);
}

std::shared_ptr<HookCall> HookCore::begin(const char *method, std::vector<HookValue> args) {
  auto call = std::make_shared<HookCall>();
  call->method = method;
  call->args = std::move(args);
  PostFn post;
  if (closing_) return nullptr;
  if (!awaitWorker(method)) return nullptr;
  {
    std::unique_lock<std::mutex> lock(workerMx_);
    if (gone_) {
      std::string why = goneWhy_;
      lock.unlock();
      fail(workerGoneFailure(origin(method), why));
      return nullptr;
    }
    call->seq = nextSeq_++;
    open_.push_back(call);
    post = post_;
  }
  statCalls.fetch_add(1, std::memory_order_relaxed);
  if (!post(call)) {
    {
      std::lock_guard<std::mutex> lock(workerMx_);
      open_.erase(std::remove(open_.begin(), open_.end(), call), open_.end());
    }
    fail(workerGoneFailure(origin(method), "its worker is gone"));
    return nullptr;
  }
  call->postedAt = std::chrono::steady_clock::now();
  return call;
}

bool HookCore::finish(const std::shared_ptr<HookCall> &call, HookValue *result) {
  const char *method = call->method.c_str();
  auto timeout = std::chrono::milliseconds(opts_.timeoutMs);
  auto deadline = call->postedAt + timeout;
  std::unique_lock<std::mutex> lock(call->mx);
  for (;;) {
    while (!call->requests.empty()) {
      HookRequest *r = call->requests.front();
      call->requests.pop_front();
      lock.unlock();
      try {
        r->fn();
      } catch (...) {
        // a request reports its own errors to the worker; nothing may escape into GPAC
      }
      statRequests.fetch_add(1, std::memory_order_relaxed);
      lock.lock();
      r->done = true;
      call->cv.notify_all();
      deadline = std::chrono::steady_clock::now() + timeout;  // the worker is busy, not stuck
    }
    if (call->state != HookCall::State::Pending) break;
    if (call->cv.wait_until(lock, deadline) == std::cv_status::timeout && call->state == HookCall::State::Pending &&
        call->requests.empty()) {
      call->state = HookCall::State::TimedOut;
      call->cv.notify_all();
      break;
    }
  }
  HookCall::State state = call->state;
  HookValue value = std::move(call->result);
  JsFailure failure = std::move(call->failure);
  lock.unlock();
  {
    std::lock_guard<std::mutex> wl(workerMx_);
    open_.erase(std::remove(open_.begin(), open_.end(), call), open_.end());
  }
  switch (state) {
    case HookCall::State::Done:
      if (result) *result = std::move(value);
      return true;
    case HookCall::State::Failed:
      if (failure.origin.empty()) failure.origin = origin(method);
      fail(std::move(failure));
      return false;
    case HookCall::State::TimedOut:
      fail(JsFailure{origin(method), "TimeoutError",
                     std::string(method) + "() did not return within " + std::to_string(opts_.timeoutMs) +
                         " ms (timeoutMs); GPAC's thread stopped waiting for it",
                     "", opts_.file});
      return false;
    default:
      return false;  // cancelled: the session is closing or aborting, nothing to report
  }
}

bool HookCore::serve(const std::string &op, const HookValue &, HookValue *, std::string *error) {
  *error = opts_.kind + " has no request '" + op + "'";
  return false;
}

void HookCore::fail(JsFailure f) {
  failed_ = true;
  if (f.file.empty()) f.file = opts_.file;
  std::vector<std::shared_ptr<SessionCore>> sessions;
  {
    std::lock_guard<std::mutex> lock(sessionsMx_);
    for (auto &w : sessions_)
      if (auto s = w.lock()) sessions.push_back(s);
  }
  for (auto &s : sessions) s->recordFailure(f);
}

void HookCore::cancelCalls() {
  std::vector<std::shared_ptr<HookCall>> open;
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    open = open_;
  }
  workerCv_.notify_all();  // a call waiting for the worker to load (awaitWorker)
  for (auto &c : open) {
    std::lock_guard<std::mutex> lock(c->mx);
    if (c->state != HookCall::State::Pending) continue;
    c->state = HookCall::State::Cancelled;
    c->cv.notify_all();
  }
}

void HookCore::sessionClosing(SessionCore *s) {
  for (auto &core : all())
    if (!core->servesClosingSessions() && core->servesSession(s)) {
      // gf_fs_del finalizes the filters, and dashin tells its algorithm the period ended: nobody needs that
      // answer, and a stuck worker must not hold close().
      core->closing_ = true;
      core->cancelCalls();
    }
}

// An abort without flush must not wait on a plugin either: from then on GPAC decides alone.
void HookCore::sessionAborting(SessionCore *s) { sessionClosing(s); }

}  // namespace gts
