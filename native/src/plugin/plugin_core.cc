// PluginCore (plugin_core.h): registry, worker attachment, intents and requests, packet and PID tables,
// lifetimes. The hand-off itself (prefetch, serving a call) is in plugin_handoff.cc.
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

// Packet ids: generation * 2^22 + entry index, exact in a double; a stale id (entry reused) is detected.
constexpr uint64_t kIndexBits = 22;
constexpr uint64_t kIndexMask = (1ull << kIndexBits) - 1;

inline uint32_t idIndex(double id) { return static_cast<uint32_t>(static_cast<uint64_t>(id) & kIndexMask); }
inline uint32_t idGen(double id) { return static_cast<uint32_t>(static_cast<uint64_t>(id) >> kIndexBits); }
inline double makeId(uint32_t index, uint32_t gen) { return static_cast<double>((static_cast<uint64_t>(gen) << kIndexBits) | index); }

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

// ==================================================================== ids and tables

uint32_t PluginCore::newOutputPid() {
  std::lock_guard<std::mutex> lock(pidMx_);
  uint32_t id = nextPid_++;
  PidEntry e;
  e.output = true;
  pids_[id] = e;
  return id;
}

GF_FilterPid *PluginCore::pidPtr(uint32_t id) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  return it == pids_.end() ? nullptr : it->second.pid;
}

bool PluginCore::pidIsOutput(uint32_t id) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  return it != pids_.end() && it->second.output;
}

void PluginCore::setOutputPid(uint32_t id, GF_FilterPid *pid) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  if (it == pids_.end()) return;
  it->second.pid = pid;
  if (pid) pidIds_[pid] = id;
}

void PluginCore::removeOutputPid(uint32_t id) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  if (it == pids_.end()) return;
  if (it->second.pid) pidIds_.erase(it->second.pid);
  pids_.erase(it);
}

uint32_t PluginCore::inputPidId(GF_FilterPid *pid, bool create, bool *isNew) {
  std::lock_guard<std::mutex> lock(pidMx_);
  *isNew = false;
  auto it = pidIds_.find(pid);
  if (it != pidIds_.end()) return it->second;
  if (!create) return 0;
  uint32_t id = nextPid_++;
  PidEntry e;
  e.pid = pid;
  pids_[id] = e;
  pidIds_[pid] = id;
  inputOrder_.push_back(id);
  *isNew = true;
  return id;
}

double PluginCore::allocPacket(PacketEntry::Kind kind, uint32_t pid, bool sharedMem) {
  std::lock_guard<std::mutex> lock(pckMx_);
  uint32_t idx;
  if (!freePackets_.empty()) {
    idx = freePackets_.back();
    freePackets_.pop_back();
  } else {
    idx = static_cast<uint32_t>(packets_.size());
    packets_.emplace_back();
  }
  PacketEntry &s = packets_[idx];
  s.kind = kind;
  s.pid = pid;
  s.sharedMem = sharedMem;
  return makeId(idx, s.gen);
}

PacketEntry *PluginCore::entryLocked(double id) {
  uint32_t idx = idIndex(id);
  if (idx >= packets_.size()) return nullptr;
  PacketEntry &s = packets_[idx];
  if (s.kind == PacketEntry::Kind::Free || s.gen != idGen(id)) return nullptr;
  return &s;
}

bool PluginCore::packetEntry(double id, PacketEntry *out) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  if (!s) return false;
  *out = *s;
  return true;
}

GF_FilterPacket *PluginCore::pck(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  return s ? s->pck : nullptr;
}

void PluginCore::setPacket(double id, GF_FilterPacket *p, bool refreshData) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  if (!s) return;
  s->pck = p;
  if (p && refreshData) {
    u32 size = 0;
    s->data = const_cast<u8 *>(gpac.gf_filter_pck_get_data(p, &size));
    s->size = size;
  }
}

void PluginCore::freePacket(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  if (!s) return;
  uint32_t gen = s->gen + 1;
  *s = PacketEntry();
  s->gen = gen >= (1u << 30) ? 1 : gen;
  freePackets_.push_back(idIndex(id));
}

void PluginCore::viewAdded(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  if (PacketEntry *s = entryLocked(id)) s->views++;
}

void PluginCore::viewGone(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  if (PacketEntry *s = entryLocked(id))
    if (s->views > 0) s->views--;
}

void PluginCore::unrefPacket(double id) {
  GF_FilterPacket *p = nullptr;
  {
    std::lock_guard<std::mutex> lock(pckMx_);
    PacketEntry *s = entryLocked(id);
    if (!s) return;
    p = s->pck;
    if (s->queued) unqueueLocked(*s);
  }
  if (p) gpac.gf_filter_pck_unref(p);
  freePacket(id);
}

void PluginCore::dropPacket(double id, bool release) {
  {
    std::lock_guard<std::mutex> lock(pckMx_);
    PacketEntry *s = entryLocked(id);
    if (!s || !s->queued) return;
    unqueueLocked(*s);
  }
  droppedThisCall_++;
  if (release) unrefPacket(id);
}

void PluginCore::unqueueLocked(PacketEntry &s) {
  s.queued = false;
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(s.pid);
  if (it == pids_.end()) return;
  if (it->second.queued) it->second.queued--;
  it->second.queuedBytes -= std::min<uint64_t>(it->second.queuedBytes, s.size);
}

void PluginCore::applyTape(const std::vector<double> &ops) {
  for (size_t i = 0; i + 2 < ops.size(); i += 3) {
    double a = ops[i + 1], b = ops[i + 2];
    switch (static_cast<int>(ops[i])) {
      case kTapeForward: {  // forward(opid, pck)
        GF_FilterPid *pid = pidPtr(static_cast<uint32_t>(a));
        GF_FilterPacket *p = pck(b);
        if (pid && p) gpac.gf_filter_pck_forward(p, pid);
        break;
      }
      case kTapeDrop:  // drop(pck, release)
        dropPacket(a, b != 0);
        break;
      case kTapeSend: {  // send(pck)
        if (GF_FilterPacket *p = pck(a)) {
          gpac.gf_filter_pck_send(p);
          freePacket(a);
        }
        break;
      }
      default: break;
    }
  }
}

bool PluginCore::anyQueued() {
  std::lock_guard<std::mutex> lock(pidMx_);
  for (auto &kv : pids_)
    if (!kv.second.output && kv.second.queued) return true;
  return false;
}

void PluginCore::releaseInputPid(uint32_t id) {
  // Packets of the PID still in the core's queue: JS did not drop them (it normally does when the PID goes).
  std::vector<GF_FilterPacket *> toUnref;
  {
    std::lock_guard<std::mutex> lock(pckMx_);
    for (uint32_t i = 0; i < packets_.size(); i++) {
      PacketEntry &s = packets_[i];
      if (s.kind != PacketEntry::Kind::Input || s.pid != id || !s.queued) continue;
      if (s.pck && s.views == 0) toUnref.push_back(s.pck);  // a live view keeps its packet (leaked, never dangling)
      uint32_t gen = s.gen + 1;
      s = PacketEntry();
      s.gen = gen >= (1u << 30) ? 1 : gen;
      freePackets_.push_back(i);
    }
  }
  for (auto *p : toUnref) gpac.gf_filter_pck_unref(p);
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  if (it != pids_.end()) {
    if (it->second.pid) pidIds_.erase(it->second.pid);
    pids_.erase(it);
  }
  inputOrder_.erase(std::remove(inputOrder_.begin(), inputOrder_.end(), id), inputOrder_.end());
}

void PluginCore::releaseAll() {
  // No GPAC thread runs this filter any more (its run is over, or GPAC is destroying it). Input and dangling
  // packets are unreferenced, output packets never sent are discarded. A packet whose payload is still
  // viewed by the worker is kept (leaked): the view must never see freed memory.
  std::vector<std::pair<GF_FilterPacket *, PacketEntry::Kind>> todo;
  {
    std::lock_guard<std::mutex> lock(pckMx_);
    for (uint32_t i = 0; i < packets_.size(); i++) {
      PacketEntry &s = packets_[i];
      if (s.kind == PacketEntry::Kind::Free) continue;
      if (s.pck && s.views == 0) todo.emplace_back(s.pck, s.kind);
      uint32_t gen = s.gen + 1;
      s = PacketEntry();
      s.gen = gen >= (1u << 30) ? 1 : gen;
      freePackets_.push_back(i);
    }
  }
  for (auto &t : todo) {
    if (t.second == PacketEntry::Kind::Output)
      gpac.gf_filter_pck_discard(t.first);
    else
      gpac.gf_filter_pck_unref(t.first);
  }
  {
    std::lock_guard<std::mutex> lock(pidMx_);
    for (auto &kv : pids_) {
      kv.second.queued = 0;
      kv.second.queuedBytes = 0;
    }
  }
  std::lock_guard<std::mutex> lock(intentMx_);
  intents_.clear();  // they refer to packets and PIDs that are gone
}

// ==================================================================== shared packets, lifetimes

void PluginCore::trackShared(GF_FilterPacket *p, double sharedId) {
  std::lock_guard<std::mutex> lock(pckMx_);
  shared_[p] = sharedId;
}

void PluginCore::sharedDestructor(GF_Filter *f, GF_FilterPid *, GF_FilterPacket *pck) {
  std::shared_ptr<PluginCore> core;
  {
    std::lock_guard<std::mutex> lock(g_mx);
    auto it = g_byFilter.find(f);
    if (it != g_byFilter.end()) core = it->second.lock();
  }
  if (!core) return;
  double sid = 0;
  {
    std::lock_guard<std::mutex> lock(core->pckMx_);
    auto it = core->shared_.find(pck);
    if (it == core->shared_.end()) return;
    sid = it->second;
    core->shared_.erase(it);
  }
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
