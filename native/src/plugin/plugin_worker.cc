#include "plugin_worker.h"

#include <cstring>

#include "addon.h"
#include "plugin_args.h"
#include "plugin_props.h"
#include "session/events.h"
#include "props.h"
#include "reflect.h"
#include "util.h"

namespace gts {
namespace {

const napi_type_tag kPluginWorkerTag = {0x91d3a2c47e5b0f18ULL, 0x4c8e1f6a3b2d7095ULL};

/** What a callback's throw becomes. A value that cannot be read means the worker's JS is being torn
 *  down under the call (process.exit() in the plugin, or Worker.terminate()). */
JsFailure callFailure(Napi::Env env, const Napi::Error &e) {
  // Setting a property runs no JS but needs a JS-capable environment: it fails once the worker is exiting.
  napi_value probe;
  bool canRunJs = napi_create_object(env, &probe) == napi_ok &&
                  napi_set_named_property(env, probe, "x", probe) == napi_ok;
  Napi::Value v = e.Value();
  if (!canRunJs || v.IsEmpty() || v.IsUndefined())
    return workerGoneFailure("", "the plugin's worker is exiting (process.exit() or terminate()) while running the callback");
  return serializeJsError(env, v, "");
}

}  // namespace

void ViewTable::gone(uint64_t key) {
  auto it = live.find(key);
  if (it == live.end()) return;
  double id = it->second;
  live.erase(it);
  if (auto c = core.lock()) c->tables().viewGone(id);
}

// ==================================================================== hand-off, worker side

void pluginCallJs(Napi::Env env, Napi::Function dispatch, WorkerCtx *ctx, WorkerMsg *msg) {
  std::unique_ptr<WorkerMsg> m(msg);
  auto core = ctx ? ctx->core.lock() : nullptr;
  if (env == nullptr || !core) {
    // The worker is going away: a GPAC thread may be waiting on this call, fail it now.
    if (m->call) {
      std::lock_guard<std::mutex> lock(m->call->mx);
      if (m->call->state == Call::State::Pending) {
        m->call->state = Call::State::Failed;
        m->call->failure = workerGoneFailure("", "the plugin's worker exited before it could run the callback");
        m->call->cv.notify_all();
      }
    }
    return;
  }
  Napi::HandleScope scope(env);
  if (m->type == WorkerMsg::Type::Release) {
    try {
      dispatch.Call({Napi::String::New(env, "release"), Napi::Number::New(env, m->sharedId)});
    } catch (const Napi::Error &e) {
      core->fail(serializeJsError(env, e.Value(), core->origin("packetRelease()")));
    }
    return;
  }
  std::shared_ptr<Call> call = m->call;
  std::vector<napi_value> args;
  try {
    // Arguments are built under the call's lock and only while it is pending: a call that timed out may
    // point at an event GPAC has freed since.
    std::lock_guard<std::mutex> lock(call->mx);
    if (call->state != Call::State::Pending) return;
    Napi::Number seq = Napi::Number::New(env, static_cast<double>(call->seq));
    switch (call->kind) {
      case Call::Kind::Configure:
        args = {Napi::String::New(env, "configure"), seq, Napi::Number::New(env, call->pid), Napi::Boolean::New(env, call->isRemove),
                Napi::Boolean::New(env, call->isNew)};
        break;
      case Call::Kind::Process: {
        Napi::Value batch = env.Null();
        if (!call->batch.empty()) {
          auto ab = Napi::ArrayBuffer::New(env, call->batch.size() * sizeof(double));
          memcpy(ab.Data(), call->batch.data(), call->batch.size() * sizeof(double));
          batch = Napi::Float64Array::New(env, call->batch.size(), ab, 0);
        }
        auto pab = Napi::ArrayBuffer::New(env, call->pids.size() * sizeof(double));
        if (!call->pids.empty()) memcpy(pab.Data(), call->pids.data(), call->pids.size() * sizeof(double));
        args = {Napi::String::New(env, "process"), seq, batch, Napi::Float64Array::New(env, call->pids.size(), pab, 0)};
        break;
      }
      case Call::Kind::Event: {
        const GF_FilterEvent *evt = call->evt;
        u32 type = evt->base.type;
        const GpacEventMember *mem = eventMember(type);
        Napi::Object o = mem ? structToJs(env, *mem->info, evt) : Napi::Object::New(env);
        o.Set("type", Napi::Number::New(env, type));
        const char *name = gpac.gf_filter_event_name(static_cast<GF_FEventType>(type));
        o.Set("name", name ? Napi::Value(Napi::String::New(env, name)) : env.Null());
        o.Delete("onPid");
        args = {Napi::String::New(env, "event"), seq, o, Napi::Number::New(env, call->pid), Napi::Boolean::New(env, call->pidIsOutput)};
        break;
      }
      case Call::Kind::Reconfigure:
        args = {Napi::String::New(env, "reconfigure"), seq, Napi::Number::New(env, call->pid)};
        break;
    }
  } catch (const Napi::Error &e) {
    core->callStarted(call);
    core->settle(call->seq, false, 0, callFailure(env, e));
    return;
  }
  core->callStarted(call);
  try {
    dispatch.Call(args);  // the runtime settles the call (complete/fail), now or when a promise settles
  } catch (const Napi::Error &e) {
    core->settle(call->seq, false, 0, callFailure(env, e));
  }
}

// ==================================================================== class

Napi::Function PluginWorker::Define(Napi::Env env) {
  return DefineClass(env, "NativePluginWorker",
                     {
                         InstanceMethod<&PluginWorker::Complete>("complete"),
                         InstanceMethod<&PluginWorker::Fail>("fail"),
                         InstanceMethod<&PluginWorker::ReportError>("reportError"),
                         InstanceMethod<&PluginWorker::Stats>("stats"),
                         InstanceMethod<&PluginWorker::Close>("close"),
                         InstanceMethod<&PluginWorker::NewPid>("newPid"),
                         InstanceMethod<&PluginWorker::FilterCall>("filterCall"),
                         InstanceMethod<&PluginWorker::FilterQuery>("filterQuery"),
                         InstanceMethod<&PluginWorker::PidQuery>("pidQuery"),
                         InstanceMethod<&PluginWorker::PidSet>("pidSet"),
                         InstanceMethod<&PluginWorker::PidProp>("pidProp"),
                         InstanceMethod<&PluginWorker::PidProps>("pidProps"),
                         InstanceMethod<&PluginWorker::PidSetProp>("pidSetProp"),
                         InstanceMethod<&PluginWorker::PidCopyProps>("pidCopyProps"),
                         InstanceMethod<&PluginWorker::PidResetProps>("pidResetProps"),
                         InstanceMethod<&PluginWorker::PidSendEvent>("pidSendEvent"),
                         InstanceMethod<&PluginWorker::PidQueryCap>("pidQueryCap"),
                         InstanceMethod<&PluginWorker::PidNegotiateCap>("pidNegotiateCap"),
                         InstanceMethod<&PluginWorker::ApplyTape>("applyTape"),
                         InstanceMethod<&PluginWorker::PckRelease>("pckRelease"),
                         InstanceMethod<&PluginWorker::PckView>("pckView"),
                         InstanceMethod<&PluginWorker::PckDetach>("pckDetach"),
                         InstanceMethod<&PluginWorker::PckAddress>("pckAddress"),
                         InstanceMethod<&PluginWorker::PckInfo>("pckInfo"),
                         InstanceMethod<&PluginWorker::PckProp>("pckProp"),
                         InstanceMethod<&PluginWorker::PckProps>("pckProps"),
                         InstanceMethod<&PluginWorker::NewPck>("newPck"),
                         InstanceMethod<&PluginWorker::NewPckRef>("newPckRef"),
                         InstanceMethod<&PluginWorker::NewPckCopy>("newPckCopy"),
                         InstanceMethod<&PluginWorker::NewPckShared>("newPckShared"),
                         InstanceMethod<&PluginWorker::PckSet>("pckSet"),
                         InstanceMethod<&PluginWorker::PckSetProp>("pckSetProp"),
                         InstanceMethod<&PluginWorker::PckMergeProps>("pckMergeProps"),
                         InstanceMethod<&PluginWorker::PckOp>("pckOp"),
                     });
}

Napi::Value PluginWorker::Attach(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  GpacAddon *addon = env.GetInstanceData<GpacAddon>();
  addon->CheckOpen(env, "attachPlugin");
  double id = idArg(info, 0, "attachPlugin: plugin id");
  if (info.Length() < 2 || !info[1].IsFunction()) throwType(env, "attachPlugin: expected a dispatch function, received " + describe(info[1]));
  auto core = PluginCore::byId(static_cast<uint64_t>(id));
  if (!core) throwState(env, "attachPlugin: no plugin " + std::to_string(static_cast<uint64_t>(id)) + " (its session was closed?)");
  if (core->workerAttached()) throwState(env, "attachPlugin: plugin " + std::to_string(static_cast<uint64_t>(id)) + " already has a worker");
  // A tagged plain object as the constructor's token (an External would allocate a native wrapper that
  // Node frees only on garbage collection, which may never come before the worker exits).
  Napi::Object token = Napi::Object::New(env);
  token.TypeTag(&kCtorTokenTag);
  Napi::Object obj = addon->pluginWorkerCtor.New({token});
  PluginWorker *w = Napi::ObjectWrap<PluginWorker>::Unwrap(obj);
  w->core_ = core;
  w->env_ = env;
  w->views_ = std::make_shared<ViewTable>();
  w->views_->core = core;
  auto *ctx = new WorkerCtx{core};
  w->tsfn_ = WorkerTsfn::New(
      env, info[1].As<Napi::Function>(), "gpac-ts plugin " + core->options().name, 0, 1, ctx,
      [](Napi::Env, void *, WorkerCtx *c) { delete c; }, static_cast<void *>(nullptr));
  w->tsfnOpen_ = true;
  WorkerTsfn tsfn = w->tsfn_;
  core->attachWorker(
      [tsfn](const std::shared_ptr<Call> &c) mutable {
        auto *msg = new WorkerMsg{WorkerMsg::Type::Call, c};
        if (tsfn.NonBlockingCall(msg) != napi_ok) {
          delete msg;
          return false;
        }
        return true;
      },
      [tsfn](double sid) mutable {
        auto *msg = new WorkerMsg{WorkerMsg::Type::Release, nullptr, sid};
        if (tsfn.NonBlockingCall(msg) != napi_ok) {
          delete msg;
          return false;
        }
        return true;
      });
  // Runs before the thread-safe function's own cleanup (hooks run in reverse order): GPAC threads stop
  // posting to it, and a call in progress fails, before it goes away.
  napi_add_env_cleanup_hook(env, &PluginWorker::EnvCleanup, w);
  w->cleanupHooked_ = true;
  return obj;
}

PluginWorker::PluginWorker(const Napi::CallbackInfo &info) : Napi::ObjectWrap<PluginWorker>(info) {
  if (info.Length() < 1 || !info[0].IsObject() || !info[0].As<Napi::Object>().CheckTypeTag(&kCtorTokenTag))
    throwType(info.Env(), "NativePluginWorker objects come from attachPlugin()");
  info.This().As<Napi::Object>().TypeTag(&kPluginWorkerTag);
}

PluginWorker::~PluginWorker() {
  if (cleanupHooked_) napi_remove_env_cleanup_hook(env_, &PluginWorker::EnvCleanup, this);
  Detach("the plugin's worker released its native side");
}

void PluginWorker::EnvCleanup(void *arg) {
  auto *w = static_cast<PluginWorker *>(arg);
  w->cleanupHooked_ = false;
  w->Detach("the plugin's worker thread exited");
}

void PluginWorker::Detach(const std::string &why) {
  if (!core_) return;
  core_->detachWorker(why);  // clears the post functions under the core's lock: no GPAC thread uses tsfn_ after
  if (tsfnOpen_) {
    tsfnOpen_ = false;
    tsfn_.Release();
  }
  core_.reset();
}

std::shared_ptr<PluginCore> PluginWorker::Core(Napi::Env env, const char *op) {
  if (!core_) throwState(env, std::string(op) + ": the plugin is detached from its filter", "ERR_GPAC_CLOSED");
  if (core_->closed()) throwState(env, std::string(op) + ": the filter's session is closed", "ERR_GPAC_CLOSED");
  return core_;
}

void PluginWorker::Request(Napi::Env env, const char *op, std::function<void()> fn) {
  auto core = Core(env, op);
  if (!core->request(std::move(fn))) {
    if (core->closed()) throwState(env, std::string(op) + ": the filter's session is closed", "ERR_GPAC_CLOSED");
    throwState(env,
               std::string(op) + " needs GPAC and can only be called during a callback (configurePid, process, processEvent, reconfigureOutput) "
                                 "that is still running (not timed out)",
               "ERR_GPAC_NOT_IN_CALLBACK");
  }
}

GF_FilterPid *PluginWorker::PidOf(uint32_t id) { return core_ ? core_->tables().pidPtr(id) : nullptr; }

// ==================================================================== lifecycle

Napi::Value PluginWorker::Complete(const Napi::CallbackInfo &info) {
  double seq = idArg(info, 0, "complete: call");
  double v = numArg(info, 1);
  if (core_) core_->settle(static_cast<uint64_t>(seq), true, v, {});
  return info.Env().Undefined();
}

Napi::Value PluginWorker::Fail(const Napi::CallbackInfo &info) {
  double seq = idArg(info, 0, "fail: call");
  JsFailure f = serializeJsError(info.Env(), info.Length() > 1 ? info[1] : info.Env().Undefined(), "");
  if (core_) core_->settle(static_cast<uint64_t>(seq), false, 0, std::move(f));
  return info.Env().Undefined();
}

Napi::Value PluginWorker::ReportError(const Napi::CallbackInfo &info) {
  if (!core_) return info.Env().Undefined();
  std::string origin = strArg(info, 1);
  core_->fail(serializeJsError(info.Env(), info.Length() > 0 ? info[0] : info.Env().Undefined(), core_->origin(origin.c_str())));
  return info.Env().Undefined();
}

Napi::Object pluginStatsObject(Napi::Env env, const PluginCore &core) {
  Napi::Object o = Napi::Object::New(env);
  auto set = [&](const char *k, const std::atomic<uint64_t> &v) { o.Set(k, Napi::Number::New(env, static_cast<double>(v.load()))); };
  set("calls", core.statCalls);
  set("pipelined", core.statPipelined);
  set("packets", core.statPackets);
  set("requests", core.statRequests);
  set("intents", core.statIntents);
  return o;
}

Napi::Value PluginWorker::Stats(const Napi::CallbackInfo &info) {
  return core_ ? pluginStatsObject(info.Env(), *core_) : Napi::Object::New(info.Env());
}

Napi::Value PluginWorker::Close(const Napi::CallbackInfo &info) {
  Detach("the plugin closed its native side");
  return info.Env().Undefined();
}

// ==================================================================== filter

Napi::Value PluginWorker::NewPid(const Napi::CallbackInfo &info) {
  auto core = Core(info.Env(), "newPid");
  uint32_t id = core->tables().newOutputPid();
  PluginCore *c = core.get();
  core->intent([c, id] {
    GF_FilterPid *pid = gpac.gf_filter_pid_new(c->filter());
    c->tables().setOutputPid(id, pid);
    // GPAC copies the properties of a filter's only input PID into a new output PID (gf_filter_pid_new).
    if (pid && gpac.gf_filter_get_ipid_count(c->filter()) == 1) c->tables().markHasProps(id);
  });
  return Napi::Number::New(info.Env(), id);
}

namespace {
enum class FilterOp { Reschedule, Status, Failure, Sticky, PreventBlocking, BlockEos, MaxPids, HintClock };
constexpr NamedOp<FilterOp> kFilterCalls[] = {
    {"reschedule", FilterOp::Reschedule}, {"status", FilterOp::Status},
    {"failure", FilterOp::Failure},       {"sticky", FilterOp::Sticky},
    {"preventBlocking", FilterOp::PreventBlocking}, {"blockEos", FilterOp::BlockEos},
    {"maxPids", FilterOp::MaxPids},       {"hintClock", FilterOp::HintClock},
};
}  // namespace

// filterCall(op, a, b, c): fire-and-forget filter-level calls.
Napi::Value PluginWorker::FilterCall(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  FilterOp op = opArg(info, 0, kFilterCalls, "filterCall", "operation");
  auto core = Core(env, info[0].As<Napi::String>().Utf8Value().c_str());
  PluginCore *c = core.get();
  if (op == FilterOp::Reschedule) {
    double us = numArg(info, 1);
    if (!core->openCall()) {
      // Outside callbacks: GPAC's reschedule is made for that (it posts a process task).
      core->wake(us < 0 ? 0 : static_cast<u32>(us));
      return env.Undefined();
    }
    core->intent([c, us] {
      if (us < 0)
        gpac.gf_filter_post_process_task(c->filter());
      else
        gpac.gf_filter_ask_rt_reschedule(c->filter(), static_cast<u32>(us));
    });
  } else if (op == FilterOp::Status) {
    std::string text = strArg(info, 1);
    u32 pct = static_cast<u32>(numArg(info, 2));
    core->intent([c, text, pct] { gpac.gf_filter_update_status(c->filter(), pct, text.empty() ? nullptr : const_cast<char *>(text.c_str())); });
  } else if (op == FilterOp::Failure) {
    GF_Err e = static_cast<GF_Err>(static_cast<int>(numArg(info, 1)));
    int type = static_cast<int>(numArg(info, 2));
    core->intent([c, e, type] {
      if (type == 1 || type == 2)
        gpac.gf_filter_notification_failure(c->filter(), e, type == 2 ? GF_TRUE : GF_FALSE);
      else
        gpac.gf_filter_setup_failure(c->filter(), e);
    });
  } else if (op == FilterOp::Sticky) {
    core->intent([c] { gpac.gf_filter_make_sticky(c->filter()); });
  } else if (op == FilterOp::PreventBlocking) {
    bool b = boolArg(info, 1);
    core->intent([c, b] { gpac.gf_filter_prevent_blocking(c->filter(), b ? GF_TRUE : GF_FALSE); });
  } else if (op == FilterOp::BlockEos) {
    bool b = boolArg(info, 1);
    core->intent([c, b] { gpac.gf_filter_block_eos(c->filter(), b ? GF_TRUE : GF_FALSE); });
  } else if (op == FilterOp::MaxPids) {
    core->setMaxExtraPids(maxExtraPids(numArg(info, 1)));  // checked by GPAC's thread at each new input PID
  } else {  // FilterOp::HintClock
    u64 us = static_cast<u64>(numArg(info, 1));
    GF_Fraction64 mt;
    mt.num = static_cast<s64>(numArg(info, 2));
    mt.den = static_cast<u64>(numArg(info, 3));
    core->intent([c, us, mt] { gpac.gf_filter_hint_single_clock(c->filter(), us, mt); });
  }
  return env.Undefined();
}

namespace {
enum class FilterQ { BlockEnabled, OutputBuffer, PlayoutBuffer, SinksDone, NbEvtsQueued, ClockHintTime, ClockHintMediatime, ConnectionsPending };
constexpr NamedOp<FilterQ> kFilterQueries[] = {
    {"blockEnabled", FilterQ::BlockEnabled},   {"outputBuffer", FilterQ::OutputBuffer},
    {"playoutBuffer", FilterQ::PlayoutBuffer}, {"sinksDone", FilterQ::SinksDone},
    {"nbEvtsQueued", FilterQ::NbEvtsQueued},   {"clockHintTime", FilterQ::ClockHintTime},
    {"clockHintMediatime", FilterQ::ClockHintMediatime}, {"connectionsPending", FilterQ::ConnectionsPending},
};
}  // namespace

// filterQuery(what): filter state, read by the GPAC thread running the filter.
Napi::Value PluginWorker::FilterQuery(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  FilterQ what = opArg(info, 0, kFilterQueries, "filterQuery", "query");
  std::string name = info[0].As<Napi::String>().Utf8Value();
  GF_Filter *f = Core(env, name.c_str())->filter();
  u64 a = 0;
  u32 b = 0, d = 0;
  GF_Fraction64 frac{0, 0};
  Request(env, name.c_str(), [&] {
    switch (what) {
      case FilterQ::BlockEnabled: a = gpac.gf_filter_block_enabled(f); break;
      case FilterQ::OutputBuffer:
      case FilterQ::PlayoutBuffer: gpac.gf_filter_get_output_buffer_max(f, &b, &d); break;
      case FilterQ::SinksDone: a = gpac.gf_filter_all_sinks_done(f); break;
      case FilterQ::NbEvtsQueued: a = gpac.gf_filter_get_num_events_queued(f); break;
      case FilterQ::ClockHintTime:
      case FilterQ::ClockHintMediatime: gpac.gf_filter_get_clock_hint(f, &a, &frac); break;
      case FilterQ::ConnectionsPending: a = gpac.gf_filter_connections_pending(f); break;
    }
  });
  switch (what) {
    case FilterQ::OutputBuffer: return Napi::Number::New(env, b);
    case FilterQ::PlayoutBuffer: return Napi::Number::New(env, d);
    case FilterQ::BlockEnabled:
    case FilterQ::SinksDone:
    case FilterQ::ConnectionsPending: return Napi::Boolean::New(env, a != 0);
    case FilterQ::ClockHintMediatime: {
      Napi::Object o = Napi::Object::New(env);
      o.Set("num", Napi::BigInt::New(env, static_cast<int64_t>(frac.num)));
      o.Set("den", Napi::BigInt::New(env, static_cast<uint64_t>(frac.den)));
      return o;
    }
    default: return u64Value(env, a);
  }
}

}  // namespace gts
