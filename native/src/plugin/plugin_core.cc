// PluginCore (plugin_core.h): registry, worker attachment, intents and requests, lifetimes; the packet and
// PID tables are PluginTables (plugin_tables.cc). The hand-off itself (prefetch, serving a call) is in plugin_handoff.cc.
#include "plugin_core.h"

#include <algorithm>
#include <chrono>

#include "session/session_core.h"

namespace gts {
namespace {

// Process-wide registry: plugin id → core (strong until GPAC destroys the filter or the session is
// deleted), and GF_Filter* → core for GPAC's callbacks that only give the filter (shared packet destructor).
// Holds no JS state.
std::mutex g_mx;
std::unordered_map<uint64_t, std::shared_ptr<PluginCore>> g_byId;
std::unordered_map<GF_Filter *, std::weak_ptr<PluginCore>> g_byFilter;
uint64_t g_nextId = 1;

std::vector<std::shared_ptr<PluginCore>> coresOf(SessionCore *s);

}  // namespace

// ==================================================================== creation, registry

PluginCore::PluginCore(const std::shared_ptr<SessionCore> &session, PluginOptions opts)
    : session_(session), sessionRaw_(session.get()), opts_(std::move(opts)) {}

PluginCore::~PluginCore() = default;

std::shared_ptr<PluginCore> PluginCore::create(const std::shared_ptr<SessionCore> &session, const std::string &name,
                                               PluginOptions opts, GF_Err *err) {
  std::shared_ptr<PluginCore> core(new PluginCore(session, std::move(opts)));
  // gf_fs_new_filter cuts the name at the argument separator in place: give it a copy it may write to.
  std::vector<char> buf(name.begin(), name.end());
  buf.push_back(0);
  // Not GF_FS_REG_MAIN_THREAD (libgpac.py pins its custom filters to the main thread): GPAC may run this
  // filter on any of its threads; the hand-off to the worker does not care which.
  GF_Filter *f = gpac.gf_fs_new_filter(session->fs(), buf.data(), 0, err);
  if (!f) return nullptr;
  core->filter_ = f;
  gpac.gf_filter_set_rt_udta(f, core.get());
  // GPAC never gets to clone a plugin (it cannot: it would log an error and leave the PID unconnected, the
  // session spinning for ever); the plugin's own limit (setMaxPids) is enforced by onConfigure, with an error.
  gpac.gf_filter_set_max_extra_input_pids(f, UINT32_MAX);
  gpac.gf_filter_set_process_ckb(f, &PluginCore::processCb);
  std::lock_guard<std::mutex> lock(g_mx);
  core->id_ = g_nextId++;
  g_byId[core->id_] = core;
  g_byFilter[f] = core;
  return core;
}

void PluginCore::installCallbacks(bool configure, bool event, bool reconfigure) {
  if (configure) gpac.gf_filter_set_configure_ckb(filter_, &PluginCore::configureCb);
  if (event) gpac.gf_filter_set_process_event_ckb(filter_, &PluginCore::eventCb);
  if (reconfigure) gpac.gf_filter_set_reconfigure_output_ckb(filter_, &PluginCore::reconfigureCb);
}

void PluginCore::discard() {
  markClosed();
  detachWorker("the plugin failed to load");
  if (auto s = session_.lock()) {
    SessionCore *sc = s.get();  // the call lives in this session's queue, never longer than the session
    sc->noteRemoveRequested();
    GF_Filter *f = filter_;
    sc->queue().post([sc, f] {
      if (sc->fs()) gpac.gf_filter_remove(f);
    });
  }
}

std::shared_ptr<PluginCore> PluginCore::byId(uint64_t id) {
  std::lock_guard<std::mutex> lock(g_mx);
  auto it = g_byId.find(id);
  return it == g_byId.end() ? nullptr : it->second;
}

bool PluginCore::closed() { return closed_.load(); }

std::string PluginCore::origin(const char *callback) const {
  return "plugin '" + opts_.name + "' " + callback;
}

void PluginCore::fail(JsFailure f) {
  failed_ = true;
  if (f.file.empty()) f.file = opts_.file;
  if (auto s = session_.lock()) s->recordFailure(std::move(f));
}

PluginCore::Returned PluginCore::returned() {
  std::lock_guard<std::mutex> lock(returnedMx_);
  return returned_;
}

namespace {
std::vector<std::shared_ptr<PluginCore>> coresOf(SessionCore *s) {
  std::vector<std::shared_ptr<PluginCore>> out;
  std::lock_guard<std::mutex> lock(g_mx);
  for (auto &kv : g_byId)
    if (kv.second->sessionRaw() == s) out.push_back(kv.second);
  return out;
}
}  // namespace

// ==================================================================== worker attachment

void PluginCore::attachWorker(PostFn post, ReleaseFn release) {
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    post_ = std::move(post);
    release_ = std::move(release);
    attached_ = true;
  }
  workerCv_.notify_all();
}

bool PluginCore::workerAttached() {
  std::lock_guard<std::mutex> lock(workerMx_);
  return attached_ && !workerGone_;
}

void PluginCore::detachWorker(const std::string &why) {
  std::vector<std::shared_ptr<Call>> calls;
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    if (workerGone_) return;
    workerGone_ = true;
    goneWhy_ = why;
    post_ = nullptr;
    release_ = nullptr;
    calls = open_;
    open_.clear();
    if (inFlight_) calls.push_back(inFlight_);
  }
  workerCv_.notify_all();
  for (auto &c : calls) {
    std::lock_guard<std::mutex> lock(c->mx);
    if (c->state != Call::State::Pending) continue;
    c->state = Call::State::Failed;
    c->failure = workerGoneFailure("", why);
    c->cv.notify_all();
  }
  // A worker gone while its session is alive ends the session with an error (documented policy); when the
  // session is closing or closed, its workers going away is normal.
  if (!closed_) fail(workerGoneFailure(origin("worker"), why));
}

bool PluginCore::waitAttached() {
  std::unique_lock<std::mutex> lock(workerMx_);
  workerCv_.wait_for(lock, std::chrono::milliseconds(opts_.timeoutMs), [this] { return attached_ || workerGone_ || closed_; });
  if (attached_ && !workerGone_) return true;
  bool gone = workerGone_;
  std::string why = gone ? goneWhy_ : "its worker did not attach within " + std::to_string(opts_.timeoutMs) + " ms";
  lock.unlock();
  // Only a worker that went away has an exit to explain it; one that is late to attach is still running.
  if (!closed_) fail(gone ? workerGoneFailure(origin("worker"), why) : JsFailure{origin("worker"), "Error", why, "", ""});
  return false;
}

std::shared_ptr<Call> PluginCore::openCall() {
  std::lock_guard<std::mutex> lock(workerMx_);
  return open_.empty() ? nullptr : open_.back();
}

void PluginCore::callStarted(const std::shared_ptr<Call> &c) {
  std::lock_guard<std::mutex> lock(workerMx_);
  open_.push_back(c);
}

bool PluginCore::settle(uint64_t seq, bool ok, double result, JsFailure failure) {
  std::shared_ptr<Call> c;
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    auto it = std::find_if(open_.begin(), open_.end(), [seq](const std::shared_ptr<Call> &x) { return x->seq == seq; });
    if (it == open_.end()) return false;
    c = *it;
    open_.erase(it);
  }
  std::lock_guard<std::mutex> lock(c->mx);
  if (c->state != Call::State::Pending) return false;
  c->state = ok ? Call::State::Done : Call::State::Failed;
  c->result = result;
  if (!ok) c->failure = std::move(failure);
  c->cv.notify_all();
  return true;
}

// ==================================================================== intents and requests

void PluginCore::intent(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(intentMx_);
  intents_.push_back(std::move(fn));
  statIntents.fetch_add(1, std::memory_order_relaxed);
}

void PluginCore::wake(uint32_t us) {
  auto s = session_.lock();
  if (!s) return;
  // From a worker: while a single-threaded session runs, GPAC's thread makes it (GpacQueue).
  s->queue().post([self = shared_from_this(), us] { self->wakeNow(us); });
}

void PluginCore::wakeNow(uint32_t us) {
  // wakeMx_ is held across the GPAC call: markClosed() takes it too, so once the filter is closed (GPAC is
  // destroying it, or the session is being deleted) no wake is still inside libgpac with a stale pointer.
  std::lock_guard<std::mutex> wl(wakeMx_);
  if (closed_) return;
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    // Only outside callbacks: inside one, the reschedule intent does it on the GPAC thread.
    if (!open_.empty() || inFlight_) return;
  }
  gpac.gf_filter_ask_rt_reschedule(filter_, us);
}

void PluginCore::markClosed() {
  std::lock_guard<std::mutex> wl(wakeMx_);
  closed_ = true;
}

void PluginCore::drainIntents() {
  std::vector<std::function<void()>> v;
  {
    std::lock_guard<std::mutex> lock(intentMx_);
    v.swap(intents_);
  }
  for (auto &fn : v) fn();
}

bool PluginCore::request(std::function<void()> fn) {
  std::shared_ptr<Call> c = openCall();
  if (!c) return false;
  Request r;
  r.fn = std::move(fn);
  std::unique_lock<std::mutex> lock(c->mx);
  if (c->state != Call::State::Pending) return false;
  c->requests.push_back(&r);
  c->cv.notify_all();
  c->cv.wait(lock, [&] { return r.done || (c->state != Call::State::Pending && !r.taken); });
  if (!r.done) {
    auto it = std::find(c->requests.begin(), c->requests.end(), &r);
    if (it != c->requests.end()) c->requests.erase(it);
    return false;
  }
  return true;
}

// ==================================================================== packets the plugin drops, the tape

void PluginCore::dropPacket(double id, bool release) {
  if (!tables_.unqueue(id)) return;
  droppedThisCall_++;
  if (release) tables_.unrefPacket(id);
}

void PluginCore::releaseAll() {
  tables_.releaseAll();
  std::lock_guard<std::mutex> lock(intentMx_);
  intents_.clear();  // they refer to packets and PIDs that are gone
}

void PluginCore::applyTape(const std::vector<double> &ops) {
  for (size_t i = 0; i + 2 < ops.size(); i += 3) {
    double a = ops[i + 1], b = ops[i + 2];
    switch (static_cast<int>(ops[i])) {
      case kTapeForward: {  // forward(opid, pck)
        GF_FilterPid *pid = tables_.pidPtr(static_cast<uint32_t>(a));
        GF_FilterPacket *p = tables_.pck(b);
        if (pid && p) gpac.gf_filter_pck_forward(p, pid);
        break;
      }
      case kTapeDrop:  // drop(pck, release)
        dropPacket(a, b != 0);
        break;
      case kTapeSend: {  // send(pck)
        if (GF_FilterPacket *p = tables_.pck(a)) {
          gpac.gf_filter_pck_send(p);
          tables_.freePacket(a);
        }
        break;
      }
      default: break;
    }
  }
}

// ==================================================================== shared packets, lifetimes

void PluginCore::sharedDestructor(GF_Filter *f, GF_FilterPid *, GF_FilterPacket *pck) {
  std::shared_ptr<PluginCore> core;
  {
    std::lock_guard<std::mutex> lock(g_mx);
    auto it = g_byFilter.find(f);
    if (it != g_byFilter.end()) core = it->second.lock();
  }
  if (!core) return;
  double sid = 0;
  if (!core->tables_.takeShared(pck, &sid)) return;
  // GPAC no longer reads the buffer: the worker may unpin it (and call packetRelease).
  std::lock_guard<std::mutex> lock(core->workerMx_);
  if (core->release_) core->release_(sid);
}

void PluginCore::sessionClosing(SessionCore *s) {
  for (auto &core : coresOf(s)) {
    core->markClosed();
    core->cancelCalls();
  }
}

void PluginCore::sessionAborting(SessionCore *s) {
  for (auto &core : coresOf(s)) core->cancelCalls();
}

void PluginCore::sessionReleasing(SessionCore *s) {
  for (auto &core : coresOf(s)) {
    core->markClosed();
    core->releaseAll();
  }
}

void PluginCore::filterDestroyed(GF_Filter *f) {
  std::shared_ptr<PluginCore> core;
  {
    std::lock_guard<std::mutex> lock(g_mx);
    auto it = g_byFilter.find(f);
    if (it == g_byFilter.end()) return;
    core = it->second.lock();
    g_byFilter.erase(it);
    if (core) g_byId.erase(core->id_);
  }
  if (!core) return;
  core->markClosed();
  core->cancelCalls();
  core->releaseAll();  // on the thread destroying the filter: nothing else runs it now
  gpac.gf_filter_set_rt_udta(f, nullptr);
}

}  // namespace gts
