#include "session.h"

#include "hook/file_io.h"
#include "hook/hook_core.h"

#include <cstring>
#include <deque>
#include <thread>

#include "addon.h"
#include "plugin/plugin_core.h"
#include "filter.h"
#include "lib.h"
#include "reflect.h"
#include "util.h"

namespace gts {

Napi::Function Session::Define(Napi::Env env) {
  return DefineClass(env, "NativeSession",
                     {
                         InstanceMethod<&Session::LoadSrc>("loadSrc"),
                         InstanceMethod<&Session::LoadDst>("loadDst"),
                         InstanceMethod<&Session::Load>("load"),
                         InstanceMethod<&Session::Run>("run"),
                         InstanceMethod<&Session::Step>("step"),
                         InstanceMethod<&Session::TakeFailure>("takeFailure"),
                         InstanceAccessor<&Session::LastTask>("lastTask"),
                         InstanceMethod<&Session::Reporting>("reporting"),
                         InstanceMethod<&Session::Abort>("abort"),
                         InstanceMethod<&Session::Post>("post"),
                         InstanceAccessor<&Session::NbFilters>("nbFilters"),
                         InstanceMethod<&Session::GetFilter>("getFilter"),
                         InstanceMethod<&Session::PrintGraph>("printGraph"),
                         InstanceMethod<&Session::PrintStats>("printStats"),
                         InstanceMethod<&Session::IsSupportedMime>("isSupportedMime"),
                         InstanceMethod<&Session::IsSupportedSource>("isSupportedSource"),
                         InstanceMethod<&Session::FireEvent>("fireEvent"),
                         InstanceAccessor<&Session::HttpBitrate>("httpBitrate"),
                         InstanceAccessor<&Session::HttpMaxBitrate, &Session::SetHttpMaxBitrate>("httpMaxBitrate"),
                         InstanceMethod<&Session::SetFilterEvents>("setFilterEvents"),
                         InstanceMethod<&Session::SetCallbackTimeout>("setCallbackTimeout"),
                         InstanceMethod<&Session::SetAbortTimeout>("setAbortTimeout"),
                         InstanceMethod<&Session::SetStallTimeout>("setStallTimeout"),
                         InstanceAccessor<&Session::Abandoned>("abandoned"),
                         InstanceAccessor<&Session::Running>("running"),
                         InstanceAccessor<&Session::QueuedCalls>("queuedCalls"),
                         InstanceAccessor<&Session::Closed>("closed"),
                         InstanceMethod<&Session::Close>("close"),
                     });
}

// new NativeSession({threads, scheduler, flags, blacklist}, dispatch)
Session::Session(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Session>(info) {
  Napi::Env env = info.Env();
  GpacAddon *addon = env.GetInstanceData<GpacAddon>();
  addon->CheckOpen(env, "new FilterSession");
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction())
    throwType(env, "NativeSession(options, dispatch): expected an object and a function");
  Napi::Object opts = info[0].As<Napi::Object>();
  auto num = [&](const char *key, double lo, double hi) -> double {
    Napi::Value v = opts.Get(key);
    if (!v.IsNumber()) throwType(env, std::string("FilterSession option ") + key + ": expected an integer, received " + describe(v));
    double d = v.As<Napi::Number>().DoubleValue();
    if (d < lo || d > hi || static_cast<double>(static_cast<int64_t>(d)) != d)
      throw Napi::RangeError::New(env, std::string("FilterSession option ") + key + ": out of range, received " + describe(v));
    return d;
  };
  s32 threads = static_cast<s32>(num("threads", -1, 1024));
  u32 scheduler = static_cast<u32>(num("scheduler", 0, 255));
  u32 flags = static_cast<u32>(num("flags", 0, 4294967295.0));
  Napi::Value bl = opts.Get("blacklist");
  std::string blacklist;
  if (bl.IsString())
    blacklist = bl.As<Napi::String>().Utf8Value();
  else if (!bl.IsUndefined() && !bl.IsNull())
    throwType(env, "FilterSession option blacklist: expected a string, received " + describe(bl));

  GF_Err e = ensureSysInit();
  if (e != GF_OK) throwGf(env, e, "gf_sys_init");
  GF_FilterSession *fs = gpac.gf_fs_new(threads, static_cast<GF_FilterSchedulerType>(scheduler),
                                        static_cast<GF_FilterSessionFlags>(flags), blacklist.empty() ? nullptr : blacklist.c_str());
  if (!fs) throwGf(env, GF_OUT_OF_MEM, "new FilterSession", "gf_fs_new returned no session");

  // As gf_fs_new decides: -1 is one thread per core but one, the direct scheduler has none; semaphores are
  // made with threads or for GF_FS_SCHEDULER_LOCK_FORCE.
  bool singleThread = threads == 0 || scheduler == GF_FS_SCHEDULER_DIRECT || (threads < 0 && std::thread::hardware_concurrency() <= 1);
  bool gpacSleeps = !singleThread || scheduler == GF_FS_SCHEDULER_LOCK_FORCE;
  core_ = std::make_shared<SessionCore>(fs, (flags & GF_FS_FLAG_NON_BLOCKING) != 0, singleThread, gpacSleeps);
  core_->owner = this;
  dispatch_ = Napi::Persistent(info[1].As<Napi::Function>());
  auto *ctx = new TsfnContext{core_};
  EventsTsfn tsfn = EventsTsfn::New(
      env, info[1].As<Napi::Function>(), "gpac-ts session", 0, 1, ctx,
      [](Napi::Env, void *, TsfnContext *c) {
        if (auto core = c->core.lock()) core->markEventsClosed();
        delete c;
      },
      static_cast<void *>(nullptr));
  tsfn.Unref(env);  // only a running session keeps the process alive
  core_->openEvents(tsfn);
  info.This().As<Napi::Object>().TypeTag(&kSessionTag);
  addon->Track(core_);
}

Session::~Session() {
  // Finalized by the GC without close(): end the session here (no JS may run now).
  if (core_) {
    core_->owner = nullptr;
    core_->shutdown();
  }
}

GF_FilterSession *Session::Fs(Napi::Env env, const char *op) {
  GF_FilterSession *fs = core_->fs();
  if (!fs) throwState(env, std::string(op) + ": the session is closed", "ERR_GPAC_CLOSED");
  return fs;
}

void Session::NotRunning(Napi::Env env, const char *op) {
  if (core_->running()) throwState(env, std::string(op) + ": the session is running (await run() first, or abort())", "ERR_GPAC_RUNNING");
  if (inStep_) throwState(env, std::string(op) + ": not allowed inside a callback made by step()", "ERR_GPAC_RUNNING");
}

// Loads a filter with `load` where GPAC may be called now (GpacQueue: during a single-threaded run, on GPAC's
// thread at its next task boundary) and returns its handle.
static Napi::Value loadFilter(Napi::Env env, const std::shared_ptr<SessionCore> &core, const char *op, const std::string &what,
                              std::function<GF_Filter *(GF_Err *)> load) {
  GF_Err e = GF_OK;
  std::shared_ptr<FilterRef> ref;
  // The handle is taken where the filter was made: GPAC may destroy it before this thread sees it.
  bool made = core->queue().call([&] {
    GF_Filter *f = load(&e);
    if (f && e >= GF_OK) ref = core->refFor(f);
  });
  if (!made) throwState(env, std::string(op) + ": the session was closed", "ERR_GPAC_CLOSED");
  if (!ref) throwGf(env, e < GF_OK ? e : GF_FILTER_NOT_FOUND, op, what);
  return Filter::NewInstance(env, core, ref);
}

Napi::Value Session::LoadSrc(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string url = argString(info, 0, "loadSrc: URL");
  bool hasParent;
  std::string parent = argOptString(info, 1, "loadSrc: parent URL", &hasParent);
  GF_FilterSession *fs = Fs(env, "loadSrc");
  FileIOHook::serveLoad(core_, url + " " + parent);
  return loadFilter(env, core_, "loadSrc", url, [&](GF_Err *e) {
    return gpac.gf_fs_load_source(fs, url.c_str(), nullptr, hasParent ? parent.c_str() : nullptr, e);
  });
}

Napi::Value Session::LoadDst(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string url = argString(info, 0, "loadDst: URL");
  bool hasParent;
  std::string parent = argOptString(info, 1, "loadDst: parent URL", &hasParent);
  GF_FilterSession *fs = Fs(env, "loadDst");
  FileIOHook::serveLoad(core_, url + " " + parent);
  return loadFilter(env, core_, "loadDst", url, [&](GF_Err *e) {
    return gpac.gf_fs_load_destination(fs, url.c_str(), nullptr, hasParent ? parent.c_str() : nullptr, e);
  });
}

Napi::Value Session::Load(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string desc = argString(info, 0, "load: filter description");
  GF_FilterSession *fs = Fs(env, "load");
  FileIOHook::serveLoad(core_, desc);
  return loadFilter(env, core_, "load", desc, [&](GF_Err *e) { return gpac.gf_fs_load_filter(fs, desc.c_str(), e); });
}

Napi::Value Session::Run(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Fs(env, "run");
  if (core_->abandoned()) throwState(env, "run: GPAC did not stop after an abort; this session was abandoned (close it)", "ERR_GPAC_ABANDONED");
  NotRunning(env, "run");
  core_->takeFailure();
  deferred_.emplace(Napi::Promise::Deferred::New(env));
  Ref();  // the JS object must outlive the run even if the caller drops it
  core_->refEvents(env, true);
  core_->startRun();
  return deferred_->Promise();
}

Napi::Value Session::Failure(Napi::Env env) {
  auto f = core_->takeFailure();
  if (!f) return env.Undefined();
  Napi::Object o = Napi::Object::New(env);
  o.Set("origin", f->origin);
  o.Set("name", f->name);
  o.Set("message", f->message);
  o.Set("stack", f->stack);
  if (!f->file.empty()) o.Set("file", f->file);
  if (f->workerExit) o.Set("workerExit", true);
  return o;
}

void Session::FinishRun(Napi::Env env, GF_Err err, bool closedWhileRunning, uint32_t stuckAfterMs) {
  if (!deferred_) return;
  Napi::Object res = Napi::Object::New(env);
  res.Set("code", Napi::Number::New(env, err));
  res.Set("failure", Failure(env));
  res.Set("closed", Napi::Boolean::New(env, closedWhileRunning));
  res.Set("stuckAfterMs", Napi::Number::New(env, stuckAfterMs));
  if (auto stalled = core_->takeStall()) res.Set("stalled", *stalled);
  auto dropped = core_->takeDropped();
  if (!dropped.empty()) {
    Napi::Array a = Napi::Array::New(env, dropped.size());
    for (uint32_t i = 0; i < dropped.size(); i++) a.Set(i, dropped[i]);
    res.Set("dropped", a);
  }
  auto d = std::move(*deferred_);
  deferred_.reset();
  Unref();
  d.Resolve(res);
}

Napi::Value Session::Step(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  GF_FilterSession *fs = Fs(env, "step");
  NotRunning(env, "step");
  if (!core_->nonBlocking())
    throwState(env, "step: the session was not created with GF_FS_FLAG_NON_BLOCKING, so gf_fs_run would block until the end; use run()",
               "ERR_GPAC_BLOCKING");
  DirectCall direct{env, dispatch_.Value()};
  core_->direct = &direct;
  inStep_ = true;
  core_->queue().loopBegin();  // a plugin's worker may call meanwhile: queued, made below
  core_->queue().loopThread(std::this_thread::get_id());
  GF_Err e = gpac.gf_fs_run(fs);
  core_->queue().loopEnd();
  inStep_ = false;
  core_->direct = nullptr;
  core_->onStepped();
  // A JS callback failed during this step: end the session (now that no GPAC task runs on this thread).
  if (core_->hasFailure()) core_->requestAbort(GF_FS_FLUSH_NONE);
  Napi::Object res = Napi::Object::New(env);
  res.Set("code", Napi::Number::New(env, e));
  res.Set("lastTask", Napi::Boolean::New(env, gpac.gf_fs_is_last_task(fs) != GF_FALSE));
  res.Set("failure", Failure(env));
  return res;
}

Napi::Value Session::LastTask(const Napi::CallbackInfo &info) {
  Fs(info.Env(), "lastTask");
  return Napi::Boolean::New(info.Env(), core_->lastTask());
}

// reporting(on): gf_fs_enable_reporting, so that filters' status strings reach their statistics.
Napi::Value Session::Reporting(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsBoolean()) throwType(env, "reporting: expected a boolean, received " + describe(info[0]));
  gpac.gf_fs_enable_reporting(Fs(env, "reporting"), info[0].As<Napi::Boolean>().Value() ? GF_TRUE : GF_FALSE);
  return env.Undefined();
}

Napi::Value Session::Abort(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  u32 mode = argU32(info, 0, "abort: flush mode");
  Fs(env, "abort");
  if (mode > GF_FS_FLUSH_FAST) throw Napi::RangeError::New(env, "abort: flush mode must be GF_FS_FLUSH_NONE, _ALL or _FAST, received " + std::to_string(mode));
  // Without flushing, a plugin callback in progress must not hold the run (it may be stuck).
  if (mode == GF_FS_FLUSH_NONE) {
    PluginCore::sessionAborting(core_.get());
    HookCore::sessionAborting(core_.get());
  }
  // Before run(): for the next run (running() changes on this thread only). A non-blocking session between
  // steps is aborted in place, as before.
  if (!core_->running() && !core_->nonBlocking())
    core_->holdAbort(static_cast<GF_FSFlushType>(mode));
  else
    core_->requestAbort(static_cast<GF_FSFlushType>(mode));
  return env.Undefined();
}

Napi::Value Session::Post(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : -1;
  if (id < 0) throwType(env, "post: expected a task id");
  std::string name = argString(info, 1, "post: task name");
  Fs(env, "post");
  GF_Err e = core_->postTask(static_cast<uint64_t>(id), name);
  if (e != GF_OK) throwGf(env, e, "post", name);
  return env.Undefined();
}

Napi::Value Session::NbFilters(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), gpac.gf_fs_get_filters_count(Fs(info.Env(), "nbFilters")));
}

Napi::Value Session::GetFilter(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  u32 idx = argU32(info, 0, "getFilter: index");
  GF_FilterSession *fs = Fs(env, "getFilter");
  gpac.gf_fs_lock_filters(fs, GF_TRUE);
  u32 count = gpac.gf_fs_get_filters_count(fs);
  GF_Filter *f = idx < count ? gpac.gf_fs_get_filter(fs, idx) : nullptr;
  std::shared_ptr<FilterRef> ref = f ? core_->refFor(f) : nullptr;
  gpac.gf_fs_lock_filters(fs, GF_FALSE);
  if (!ref) throw Napi::RangeError::New(env, "getFilter: no filter at index " + std::to_string(idx) + " (the session has " + std::to_string(count) + ")");
  return Filter::NewInstance(env, core_, ref);
}

Napi::Value Session::PrintGraph(const Napi::CallbackInfo &info) {
  gpac.gf_fs_print_connections(Fs(info.Env(), "printGraph"));
  return info.Env().Undefined();
}

Napi::Value Session::PrintStats(const Napi::CallbackInfo &info) {
  gpac.gf_fs_print_stats(Fs(info.Env(), "printStats"));
  return info.Env().Undefined();
}

Napi::Value Session::IsSupportedMime(const Napi::CallbackInfo &info) {
  std::string mime = argString(info, 0, "isSupportedMime: MIME type");
  return Napi::Boolean::New(info.Env(), gpac.gf_fs_is_supported_mime(Fs(info.Env(), "isSupportedMime"), mime.c_str()) != GF_FALSE);
}

Napi::Value Session::IsSupportedSource(const Napi::CallbackInfo &info) {
  std::string url = argString(info, 0, "isSupportedSource: URL");
  bool hasParent;
  std::string parent = argOptString(info, 1, "isSupportedSource: parent URL", &hasParent);
  return Napi::Boolean::New(info.Env(), gpac.gf_fs_is_supported_source(Fs(info.Env(), "isSupportedSource"), url.c_str(),
                                                                        hasParent ? parent.c_str() : nullptr) != GF_FALSE);
}

// fireEvent(event {type, …fields}, filter?, upstream)
Napi::Value Session::FireEvent(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  GF_FilterSession *fs = Fs(env, "fireEvent");
  if (info.Length() < 1 || !info[0].IsObject()) throwType(env, "fireEvent: expected an event object, received " + describe(info[0]));
  Napi::Object evObj = info[0].As<Napi::Object>();
  Napi::Value tv = evObj.Get("type");
  if (!tv.IsNumber()) throwType(env, "fireEvent: event.type must be a GF_FEVT_* value, received " + describe(tv));
  u32 type = tv.As<Napi::Number>().Uint32Value();
  const GpacEventMember *member = nullptr;
  for (size_t i = 0; i < gpac_event_members_count; i++)
    if (gpac_event_members[i].type == type) member = &gpac_event_members[i];
  if (!member) throw Napi::RangeError::New(env, "fireEvent: unknown event type " + std::to_string(type));
  std::shared_ptr<FilterRef> target;
  if (info.Length() > 1 && !info[1].IsUndefined() && !info[1].IsNull()) target = Filter::RefFromJs(env, info[1], core_.get(), "fireEvent: target filter");
  bool upstream = argBool(info, 2, "fireEvent: upstream", false);

  GF_FilterEvent evt;
  memset(&evt, 0, sizeof evt);
  // Event strings stay allocated for the session's life: GPAC copies some string fields, not all.
  std::deque<std::string> strings;
  jsToStruct(env, *member->info, evObj, &evt, strings, "event", {"type", "name"});
  evt.base.type = static_cast<GF_FEventType>(type);
  core_->keepStrings(std::move(strings));
  bool sent = false, gone = false;
  auto core = core_;
  bool made = core->queue().call([&] {
    if (target && !core->beginUse(target)) {
      gone = true;
      return;
    }
    sent = gpac.gf_fs_fire_event(fs, target ? target->filter : nullptr, &evt, upstream ? GF_TRUE : GF_FALSE) != GF_FALSE;
    if (target) core->endUse(target);
  });
  if (!made) throwState(env, "fireEvent: the session was closed", "ERR_GPAC_CLOSED");
  if (gone) Filter::ThrowGone(env, "fireEvent: target filter", *target);
  return Napi::Boolean::New(env, sent);
}

Napi::Value Session::HttpBitrate(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), gpac.gf_fs_get_http_rate(Fs(info.Env(), "httpBitrate")));
}

Napi::Value Session::HttpMaxBitrate(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), gpac.gf_fs_get_http_max_rate(Fs(info.Env(), "httpMaxBitrate")));
}

void Session::SetHttpMaxBitrate(const Napi::CallbackInfo &info, const Napi::Value &v) {
  Napi::Env env = info.Env();
  if (!v.IsNumber() || v.As<Napi::Number>().DoubleValue() < 0 || v.As<Napi::Number>().DoubleValue() > 4294967295.0)
    throwType(env, "httpMaxBitrate: expected an integer number of bits per second, received " + describe(v));
  GF_Err e = gpac.gf_fs_set_http_max_rate(Fs(env, "httpMaxBitrate"), v.As<Napi::Number>().Uint32Value());
  if (e != GF_OK) throwGf(env, e, "httpMaxBitrate");
}

Napi::Value Session::SetFilterEvents(const Napi::CallbackInfo &info) {
  core_->wantFilterNew = argBool(info, 0, "filterNew", false);
  core_->wantFilterDel = argBool(info, 1, "filterDel", false);
  return info.Env().Undefined();
}

Napi::Value Session::SetCallbackTimeout(const Napi::CallbackInfo &info) {
  core_->callbackTimeoutMs = argU32(info, 0, "callback timeout (ms)");
  return info.Env().Undefined();
}

Napi::Value Session::SetAbortTimeout(const Napi::CallbackInfo &info) {
  core_->abortTimeoutMs = argU32(info, 0, "abort timeout (ms)");
  return info.Env().Undefined();
}

Napi::Value Session::SetStallTimeout(const Napi::CallbackInfo &info) {
  core_->stallTimeoutMs = argU32(info, 0, "stall timeout (ms)");
  return info.Env().Undefined();
}

Napi::Value Session::Abandoned(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), core_->abandoned());
}

Napi::Value Session::Running(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), core_->running());
}

Napi::Value Session::QueuedCalls(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), static_cast<double>(core_->queue().queuedCount()));
}

Napi::Value Session::Closed(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), core_->closed());
}

Napi::Value Session::Close(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (inStep_) throwState(env, "close: not allowed inside a callback made by step()", "ERR_GPAC_RUNNING");
  bool wasRunning = core_->running();
  core_->shutdown();
  if (wasRunning) FinishRun(env, GF_OK, true);
  return env.Undefined();
}

}  // namespace gts
