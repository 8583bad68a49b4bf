// The hand-off of GPAC's callbacks for a plugin (plugin_core.h): GPAC's thread prefetches input
// packets, posts a Call to the plugin's worker and serves it (requests, intents) until it settles or
// times out.
#include <chrono>
#include <cstring>

#include "plugin_core.h"
#include "session/session_core.h"

namespace gts {
namespace {

inline double ts(u64 v) { return v == kNoTs ? -1 : static_cast<double>(v); }

}  // namespace

void packetRecord(GF_FilterPacket *p, double id, double pid, const u8 *data, u32 size, bool blocking, double *rec) {
  Bool start = GF_FALSE, end = GF_FALSE;
  gpac.gf_filter_pck_get_framing(p, &start, &end);
  u32 flags = (start ? kFlagStart : 0) | (end ? kFlagEnd : 0) | (gpac.gf_filter_pck_get_corrupted(p) ? kFlagCorrupted : 0) |
              (gpac.gf_filter_pck_get_seek_flag(p) ? kFlagSeek : 0) | (blocking ? kFlagBlockingRef : 0) |
              (gpac.gf_filter_pck_has_properties(p) ? kFlagHasProps : 0) | (data ? kFlagHasData : 0);
  if (GF_FilterFrameInterface *fi = gpac.gf_filter_pck_get_frame_interface(p)) {
    flags |= kFlagFrameIfce;
    if (fi->get_gl_texture) flags |= kFlagFrameIfceGl;
  }
  u64 bo = gpac.gf_filter_pck_get_byte_offset(p);
  rec[kPckId] = id;
  rec[kPckPid] = pid;
  rec[kPckDts] = ts(gpac.gf_filter_pck_get_dts(p));
  rec[kPckCts] = ts(gpac.gf_filter_pck_get_cts(p));
  rec[kPckDur] = gpac.gf_filter_pck_get_duration(p);
  rec[kPckSap] = gpac.gf_filter_pck_get_sap(p);
  rec[kPckSize] = size;
  rec[kPckFlags] = flags;
  rec[kPckByteOffset] = bo == kNoBo ? -1 : static_cast<double>(bo);
  rec[kPckRoll] = gpac.gf_filter_pck_get_roll_info(p);
  rec[kPckCrypt] = gpac.gf_filter_pck_get_crypt_flags(p);
  rec[kPckClock] = gpac.gf_filter_pck_get_clock_type(p);
  rec[kPckCarousel] = gpac.gf_filter_pck_get_carousel_version(p);
  rec[kPckSeqnum] = gpac.gf_filter_pck_get_seq_num(p);
  rec[kPckDeps] = gpac.gf_filter_pck_get_dependency_flags(p);
  rec[kPckInterlaced] = gpac.gf_filter_pck_get_interlaced(p);
}

// ==================================================================== hand-off

double PluginCore::handoff(const std::shared_ptr<Call> &call, const char *what, bool *ok) {
  *ok = false;
  // A pipelined process() still running comes first: the worker runs calls in order, and its requests need
  // this thread.
  if (pipelined_ && collectPipelined(true) != Collected::Done) return 0;
  if (failed_ || closed_ || !post(call, what)) return 0;
  serve(*call, Serve::Block);
  return conclude(call, what, ok);
}

bool PluginCore::post(const std::shared_ptr<Call> &call, const char *what) {
  if (failed_ || closed_) return false;
  if (servicing_) {
    fail({origin(what), "Error",
          std::string("GPAC called ") + what + " while serving a request of the plugin (re-entrant callbacks are not supported)", "", ""});
    return false;
  }
  if (!waitAttached()) return false;
  std::lock_guard<std::mutex> lock(workerMx_);
  if (workerGone_ || !post_ || closed_) {
    if (!closed_) fail(workerGoneFailure(origin(what), goneWhy_.empty() ? "the plugin's worker is gone" : goneWhy_));
    return false;
  }
  call->seq = nextSeq_++;
  call->deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(opts_.timeoutMs);
  inFlight_ = call;
  // Posted under the lock: detachWorker releases the thread-safe function under it too.
  if (!post_(call)) {
    inFlight_.reset();
    fail(workerGoneFailure(origin(what), "the plugin's worker is gone (its event queue is closed)"));
    return false;
  }
  statCalls.fetch_add(1, std::memory_order_relaxed);
  return true;
}

bool PluginCore::serve(Call &call, Serve how) {
  const auto timeout = std::chrono::milliseconds(opts_.timeoutMs);
  const auto sliceEnd = std::chrono::steady_clock::now() + std::chrono::milliseconds(1);
  std::unique_lock<std::mutex> lock(call.mx);
  for (;;) {
    if (!call.requests.empty()) {
      Request *r = call.requests.front();
      call.requests.pop_front();
      r->taken = true;
      lock.unlock();
      servicing_ = true;
      drainIntents();  // in order: what the plugin did before asking
      r->fn();
      servicing_ = false;
      statRequests.fetch_add(1, std::memory_order_relaxed);
      lock.lock();
      r->done = true;
      call.served++;
      call.cv.notify_all();
      call.deadline = std::chrono::steady_clock::now() + timeout;  // the plugin is alive: the timeout is for hangs
      continue;
    }
    if (call.state != Call::State::Pending) return true;
    auto now = std::chrono::steady_clock::now();
    if (now >= call.deadline) {
      call.state = Call::State::TimedOut;
      call.cv.notify_all();
      return true;
    }
    if (how == Serve::Poll || (how == Serve::Slice && now >= sliceEnd)) return false;
    call.cv.wait_until(lock, how == Serve::Slice ? std::min(sliceEnd, call.deadline) : call.deadline,
                       [&] { return call.state != Call::State::Pending || !call.requests.empty(); });
  }
}

void PluginCore::applyIntents() {
  servicing_ = true;
  drainIntents();
  servicing_ = false;
}

bool PluginCore::checkOutputProps(const char *what) {
  auto bare = tables_.outputsWithoutProps();
  if (bare.empty()) return true;
  std::string names;
  for (auto &[id, pid] : bare) {
    const char *n = gpac.gf_filter_pid_get_name(pid);
    names += std::string(names.empty() ? "" : ", ") + "'" + (n ? n : "?") + "'";
    // An empty map: GPAC then fails to find a destination for it, where it would exit on a missing one.
    gpac.gf_filter_pid_reset_properties(pid);
    tables_.markHasProps(id);
  }
  if (!failed_ && !closed_)
    fail({origin(what), "Error",
          "output PID " + names + " has no properties when " + what +
              " returned: GPAC links an output PID as soon as the callback that made it returns, and cannot link one "
              "without properties (it would exit the process). Give it properties in the callback that calls newPid(): "
              "opid.copyProps(ipid), or opid.setProp('StreamType', …) and the others",
          "", ""});
  return false;
}

bool PluginCore::refuseExtraPid(GF_FilterPid *pid) {
  u32 maxExtra = maxExtraPids_.load();
  if (maxExtra == UINT32_MAX || tables_.inputPids().size() <= maxExtra) return false;
  const char *n = gpac.gf_filter_pid_get_name(pid);
  const char *from = gpac.gf_filter_pid_get_filter_name(pid);
  std::string limit = std::to_string(static_cast<uint64_t>(maxExtra) + 1);
  fail({origin("configurePid()"), "Error",
        "plugin '" + opts_.name + "' takes at most " + limit + " input PID" + (maxExtra ? "s" : "") + " (setMaxPids(" +
            std::to_string(maxExtra) + ")) and GPAC connected another: PID '" + (n ? n : "?") + "' of filter '" +
            (from ? from : "?") +
            "'. GPAC cannot make a second instance of a plugin: call this.setMaxPids(-1) (no limit, the default) or a "
            "larger count in the constructor, or link the other PIDs elsewhere",
        "", ""});
  return true;
}

double PluginCore::conclude(const std::shared_ptr<Call> &call, const char *what, bool *ok) {
  *ok = false;
  Call::State st;
  double result;
  JsFailure failure;
  {
    std::lock_guard<std::mutex> lock(call->mx);
    st = call->state;
    result = call->result;
    failure = call->failure;
    if (call->kind == Call::Kind::Process) lastHadRequests_ = call->served > 0;
  }
  {
    std::lock_guard<std::mutex> wl(workerMx_);
    if (inFlight_ == call) inFlight_.reset();
  }
  if (st != Call::State::Cancelled) {
    applyIntents();
    checkOutputProps(what);
  }
  switch (st) {
    case Call::State::Done:
      *ok = true;
      if (result < 0) {
        std::lock_guard<std::mutex> lock(returnedMx_);
        if (!returned_.code) returned_ = {static_cast<int>(result), what};
      }
      return result;
    case Call::State::Failed:
      if (failure.origin.empty()) failure.origin = origin(what);
      fail(std::move(failure));
      return 0;
    case Call::State::TimedOut:
      fail({origin(what), "TimeoutError",
            "plugin '" + opts_.name + "' did not complete " + what + " within " + std::to_string(opts_.timeoutMs) +
                " ms (an endless loop, or a promise that never settles?)",
            "", ""});
      return 0;
    default:
      return 0;  // cancelled: the session is closing
  }
}

GF_Err PluginCore::takeStashed(GF_Err own) {
  GF_Err e = own != GF_OK ? own : stashed_;
  stashed_ = GF_OK;
  return e;
}

PluginCore::Collected PluginCore::collectPipelined(bool block) {
  std::shared_ptr<Call> call = pipelined_;
  if (!serve(*call, block ? Serve::Block : Serve::Poll)) {
    applyIntents();  // what the worker did so far goes downstream now
    return Collected::Pending;
  }
  pipelined_.reset();
  bool ok;
  double r = conclude(call, "process()", &ok);
  if (!ok) return Collected::Ended;
  if (r != 0 && stashed_ == GF_OK) stashed_ = static_cast<GF_Err>(static_cast<int>(r));
  return Collected::Done;
}

void PluginCore::cancelCalls() {
  std::vector<std::shared_ptr<Call>> calls;
  {
    std::lock_guard<std::mutex> lock(workerMx_);
    calls = open_;
    if (inFlight_) calls.push_back(inFlight_);
  }
  workerCv_.notify_all();
  for (auto &c : calls) {
    std::lock_guard<std::mutex> lock(c->mx);
    if (c->state != Call::State::Pending) continue;
    c->state = Call::State::Cancelled;
    c->cv.notify_all();
  }
}

// ==================================================================== GPAC callbacks

GF_Err PluginCore::configureCb(GF_Filter *f, GF_FilterPid *pid, Bool is_remove) {
  auto *core = static_cast<PluginCore *>(gpac.gf_filter_get_rt_udta(f));
  return core ? core->onConfigure(pid, is_remove != GF_FALSE) : GF_BAD_PARAM;
}

GF_Err PluginCore::processCb(GF_Filter *f) {
  auto *core = static_cast<PluginCore *>(gpac.gf_filter_get_rt_udta(f));
  return core ? core->onProcess() : GF_BAD_PARAM;
}

Bool PluginCore::eventCb(GF_Filter *f, const GF_FilterEvent *evt) {
  auto *core = static_cast<PluginCore *>(gpac.gf_filter_get_rt_udta(f));
  return core && core->onEvent(evt) ? GF_TRUE : GF_FALSE;
}

GF_Err PluginCore::reconfigureCb(GF_Filter *f, GF_FilterPid *pid) {
  auto *core = static_cast<PluginCore *>(gpac.gf_filter_get_rt_udta(f));
  return core ? core->onReconfigure(pid) : GF_BAD_PARAM;
}

uint32_t PluginCore::prefetch() {
  prefetching_ = true;
  uint32_t got = 0;
  std::vector<uint32_t> order = tables_.startPrefetch();
  for (uint32_t id : order) {
    for (;;) {
      GF_FilterPid *pid = tables_.prefetchable(id, opts_.prefetch, opts_.prefetchBytes);
      if (!pid) break;
      // May call configure_pid (a property change at this packet) or process_event (info update) right here.
      GF_FilterPacket *p = gpac.gf_filter_pid_get_packet(pid);
      if (!p || failed_ || closed_) break;
      bool blocking = gpac.gf_filter_pck_is_blocking_ref(p) != GF_FALSE;
      GF_FilterPacket *ref = p;
      gpac.gf_filter_pck_ref(&ref);  // now the packet itself, not this PID's instance of it
      gpac.gf_filter_pid_drop_packet(pid);

      double rec[kPckFields];
      double pckId = tables_.allocPacket(PacketEntry::Kind::Input, id);
      u32 size = 0;
      const u8 *data = gpac.gf_filter_pck_get_data(ref, &size);
      tables_.queueInput(pckId, id, ref, data, size);
      packetRecord(ref, pckId, id, data, size, blocking, rec);
      rec[kPckTimescale] = gpac.gf_filter_pck_get_timescale(ref);
      batch_.insert(batch_.end(), rec, rec + kPckFields);
      statPackets.fetch_add(1, std::memory_order_relaxed);
      got++;
      if (blocking) break;  // a blocking reference holds its producer: never keep more than one
    }
  }
  prefetching_ = false;
  return got;
}

void PluginCore::takeBatch(Call &c) {
  c.batch.swap(batch_);
  batch_.clear();
  std::vector<std::pair<uint32_t, GF_FilterPid *>> ins = tables_.inputPids();
  for (auto &in : ins) {
    c.pids.push_back(in.first);
    c.pids.push_back(gpac.gf_filter_pid_is_eos(in.second) ? 1 : 0);
  }
}

GF_Err PluginCore::onProcess() {
  if (failed_) return GF_SCRIPT_ERROR;
  if (closed_) return GF_EOS;
  drainIntents();  // made outside callbacks (timers, finalizers)
  GF_FilterSession *fs = sessionRaw_->fs();
  if (pipelined_) {
    // The worker still runs the last process(): take in what GPAC produced meanwhile, pass on what the
    // plugin did so far, and give GPAC back its thread unless nothing else is left for it to do.
    uint32_t got = prefetch();
    Collected st = pipelined_ ? collectPipelined(false) : Collected::Done;  // prefetch may have collected it
    if (st == Collected::Pending) {
      if (gpac.gf_fs_is_last_task(fs)) {
        st = collectPipelined(true);
      } else if (!got && serve(*pipelined_, Serve::Slice)) {  // no news: a short wait, not a spin
        st = collectPipelined(true);
      } else if (!tables_.outputsWithoutProps().empty()) {
        // The plugin made an output PID and has not given it properties yet: GPAC would link it as it is the
        // moment process() returns. Wait for the call to end (conclude() then checks it).
        st = collectPipelined(true);
      } else {
        gpac.gf_filter_post_process_task(filter_);
        return GF_OK;
      }
    }
    if (st == Collected::Ended || failed_ || closed_) return failed_ ? GF_SCRIPT_ERROR : GF_EOS;
  }
  prefetch();
  if (failed_) return GF_SCRIPT_ERROR;
  auto call = std::make_shared<Call>(Call::Kind::Process);
  takeBatch(*call);
  droppedThisCall_ = 0;
  // Pipelined when there is news for the plugin (packets, an EOS change): with none, GPAC's own reasons to
  // call process() stand, and the call is waited for so that no poll of ours keeps re-calling it.
  bool news = !call->batch.empty() || call->pids != lastPids_;
  lastPids_ = call->pids;
  if (opts_.pipeline && news && !lastHadRequests_ && !gpac.gf_fs_is_last_task(fs) && tables_.outputsWithoutProps().empty()) {
    if (!post(call, "process()")) return failed_ ? GF_SCRIPT_ERROR : GF_EOS;
    pipelined_ = call;
    statPipelined.fetch_add(1, std::memory_order_relaxed);
    gpac.gf_filter_post_process_task(filter_);  // the poll
    return takeStashed(GF_OK);
  }
  bool ok;
  double r = handoff(call, "process()", &ok);
  if (!ok) return failed_ ? GF_SCRIPT_ERROR : GF_EOS;
  // Packets the plugin left in the core's queue were dropped from GPAC's: GPAC will not call process() for
  // them. Ask for a call when the plugin made progress, or when its outputs can take more (what GPAC
  // itself does for packets left pending).
  if (tables_.anyQueued()) {
    bool again = droppedThisCall_ > 0;
    if (!again) {
      u32 n = gpac.gf_filter_get_opid_count(filter_), blocked = 0;
      for (u32 i = 0; i < n; i++)
        if (gpac.gf_filter_pid_would_block(gpac.gf_filter_get_opid(filter_, i))) blocked++;
      again = n > 0 && blocked < n;
    }
    if (again) gpac.gf_filter_post_process_task(filter_);
  }
  return takeStashed(static_cast<GF_Err>(static_cast<int>(r)));
}

GF_Err PluginCore::onConfigure(GF_FilterPid *pid, bool isRemove) {
  if (failed_ || closed_) {
    if (isRemove) {
      bool isNew;
      if (uint32_t id = tables_.inputPidId(pid, false, &isNew)) tables_.releaseInputPid(id);
      return GF_OK;
    }
    return failed_ ? GF_SCRIPT_ERROR : GF_EOS;
  }
  bool ok;
  if (prefetching_ && tables_.anyQueued()) {
    // A property change met while prefetching (gf_filter_pid_get_packet calls configure_pid at the first
    // packet with the new properties): the plugin sees the packets before the change first, in a process()
    // of their own, then configurePid(), then the packets after it — GPAC's order.
    auto flush = std::make_shared<Call>(Call::Kind::Process);
    takeBatch(*flush);
    handoff(flush, "process()", &ok);
    if (!ok) return failed_ ? GF_SCRIPT_ERROR : GF_EOS;
  }
  bool isNew;
  if (!isRemove && !tables_.inputPidId(pid, false, &isNew) && refuseExtraPid(pid)) return GF_FILTER_NOT_SUPPORTED;
  uint32_t id = tables_.inputPidId(pid, !isRemove, &isNew);
  if (!id) return GF_OK;
  if (prefetching_) tables_.stopPrefetch(id);
  const GF_PropertyValue *codec = isNew && opts_.inputBufferUs ? gpac.gf_filter_pid_get_property(pid, GF_PROP_PID_CODECID) : nullptr;
  if (codec && codec->value.uint != GF_CODECID_RAW) {
    // Amortising the hand-off needs several packets queued per process(): ask the PID's source for a
    // deeper buffer than GPAC's default (a plugin's own BUFFER_REQ, sent later, overrides this one). Not for
    // raw media, whose frames are large: GPAC's few-frame buffers stay.
    GF_FilterEvent evt;
    memset(&evt, 0, sizeof evt);
    evt.base.type = GF_FEVT_BUFFER_REQ;
    evt.base.on_pid = pid;
    evt.buffer_req.max_buffer_us = opts_.inputBufferUs;
    evt.buffer_req.pid_only = GF_TRUE;
    gpac.gf_filter_pid_send_event(pid, &evt);
  }
  auto call = std::make_shared<Call>(Call::Kind::Configure);
  call->pid = id;
  call->isRemove = isRemove;
  call->isNew = isNew;
  double r = handoff(call, "configurePid()", &ok);
  if (isRemove || (ok && r < 0 && isNew)) tables_.releaseInputPid(id);
  if (!ok) return failed_ ? GF_SCRIPT_ERROR : GF_OK;
  return static_cast<GF_Err>(static_cast<int>(r));
}

bool PluginCore::onEvent(const GF_FilterEvent *evt) {
  if (failed_ || closed_) return false;
  auto call = std::make_shared<Call>(Call::Kind::Event);
  call->evt = evt;
  if (evt->base.on_pid) {
    uint32_t id;
    bool output;
    if (tables_.findPid(evt->base.on_pid, &id, &output)) {
      call->pid = id;
      call->pidIsOutput = output;
    }
  }
  bool ok;
  double r = handoff(call, "processEvent()", &ok);
  return ok && r != 0;
}

GF_Err PluginCore::onReconfigure(GF_FilterPid *pid) {
  if (failed_) return GF_SCRIPT_ERROR;
  if (closed_) return GF_EOS;
  auto call = std::make_shared<Call>(Call::Kind::Reconfigure);
  call->pid = tables_.pidId(pid);
  call->pidIsOutput = true;
  bool ok;
  double r = handoff(call, "reconfigureOutput()", &ok);
  if (!ok) return failed_ ? GF_SCRIPT_ERROR : GF_EOS;
  return static_cast<GF_Err>(static_cast<int>(r));
}

}  // namespace gts
