#include "hook/hook_worker.h"

#include "addon.h"
#include "session/events.h"
#include "util.h"

namespace gts {
namespace {

const napi_type_tag kHookWorkerTag = {0x3b8e51d07a2c964fULL, 0xd19a6c3e40b7f285ULL};

double seqArg(const Napi::CallbackInfo &info, size_t i, const char *op) {
  if (info.Length() <= i || !info[i].IsNumber()) throwType(info.Env(), std::string(op) + ": expected a call number, received " + describe(info[i]));
  return info[i].As<Napi::Number>().DoubleValue();
}

/** What a thrown value becomes; a value that cannot be read means the worker is being torn down. */
JsFailure callFailure(Napi::Env env, const Napi::Value &v, const std::string &origin) {
  napi_value probe;
  bool canRunJs = napi_create_object(env, &probe) == napi_ok && napi_set_named_property(env, probe, "x", probe) == napi_ok;
  if (!canRunJs || v.IsEmpty()) return workerGoneFailure(origin, "the plugin's worker is exiting (process.exit() or terminate()) while running the callback");
  return serializeJsError(env, v, origin);
}

}  // namespace

void hookCallJs(Napi::Env env, Napi::Function dispatch, HookCtx *ctx, std::shared_ptr<HookCall> *msg) {
  std::unique_ptr<std::shared_ptr<HookCall>> owned(msg);
  std::shared_ptr<HookCall> call = *msg;
  auto core = ctx ? ctx->core.lock() : nullptr;
  if (env == nullptr || !core) {
    // The worker is going away: the GPAC thread waiting on this call must not wait for its timeout.
    std::lock_guard<std::mutex> lock(call->mx);
    if (call->state == HookCall::State::Pending) {
      call->state = HookCall::State::Failed;
      call->failure = workerGoneFailure("", "the plugin's worker exited before it could run the callback");
      call->cv.notify_all();
    }
    return;
  }
  Napi::HandleScope scope(env);
  {
    std::lock_guard<std::mutex> lock(call->mx);
    if (call->state != HookCall::State::Pending) return;  // timed out or cancelled before it ran
  }
  LentBuffers lent;
  std::vector<napi_value> args;
  try {
    args.push_back(Napi::Number::New(env, static_cast<double>(call->seq)));
    args.push_back(Napi::String::New(env, call->method));
    for (auto &a : call->args) args.push_back(hookToJs(env, a, &lent));
  } catch (const Napi::Error &e) {
    core->settle(call->seq, false, {}, callFailure(env, e.Value(), ""));
    return;
  }
  // The worker object records the lent buffers so that complete()/fail() detach them.
  Napi::Value self = dispatch.Get("worker");
  if (self.IsObject() && self.As<Napi::Object>().CheckTypeTag(&kHookWorkerTag))
    Napi::ObjectWrap<HookWorker>::Unwrap(self.As<Napi::Object>())->lend(call->seq, std::move(lent));
  try {
    dispatch.Call(args);  // the runtime settles the call (complete/fail), now or when a promise settles
  } catch (const Napi::Error &e) {
    core->settle(call->seq, false, {}, callFailure(env, e.Value(), ""));
  }
}

Napi::Function HookWorker::Define(Napi::Env env) {
  return DefineClass(env, "NativeHookWorker",
                     {
                         InstanceMethod<&HookWorker::Complete>("complete"),
                         InstanceMethod<&HookWorker::Fail>("fail"),
                         InstanceMethod<&HookWorker::Request>("request"),
                         InstanceMethod<&HookWorker::ReportError>("reportError"),
                         InstanceMethod<&HookWorker::Stats>("stats"),
                         InstanceMethod<&HookWorker::Close>("close"),
                     });
}

Napi::Value HookWorker::Attach(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  GpacAddon *addon = env.GetInstanceData<GpacAddon>();
  addon->CheckOpen(env, "attachHook");
  double id = seqArg(info, 0, "attachHook");
  if (info.Length() < 2 || !info[1].IsFunction()) throwType(env, "attachHook: expected a dispatch function, received " + describe(info[1]));
  auto core = HookCore::byId(static_cast<uint64_t>(id));
  if (!core) throwState(env, "attachHook: no hook " + std::to_string(static_cast<uint64_t>(id)) + " (its session or FileIO was closed?)");
  if (core->workerAttached()) throwState(env, "attachHook: hook " + std::to_string(static_cast<uint64_t>(id)) + " already has a worker");
  if (info.Length() < 3 || !info[2].IsArray()) throwType(env, "attachHook: expected the list of the plugin's methods, received " + describe(info[2]));
  std::vector<std::string> methods;
  Napi::Array list = info[2].As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); i++) methods.push_back(list.Get(i).ToString().Utf8Value());
  Napi::Object token = Napi::Object::New(env);
  token.TypeTag(&kCtorTokenTag);
  Napi::Object obj = addon->hookWorkerCtor.New({token});
  HookWorker *w = Napi::ObjectWrap<HookWorker>::Unwrap(obj);
  w->core_ = core;
  w->env_ = env;
  Napi::Function dispatch = info[1].As<Napi::Function>();
  dispatch.Set("worker", obj);  // hookCallJs finds the lent-buffer table through it
  w->tsfn_ = HookTsfn::New(env, dispatch, "gpac-ts hook " + core->options().name, 0, 1, new HookCtx{core},
                           [](Napi::Env, void *, HookCtx *c) { delete c; }, static_cast<void *>(nullptr));
  w->tsfnOpen_ = true;
  HookTsfn tsfn = w->tsfn_;
  core->attachWorker([tsfn](const std::shared_ptr<HookCall> &c) mutable {
    auto *msg = new std::shared_ptr<HookCall>(c);
    if (tsfn.NonBlockingCall(msg) != napi_ok) {
      delete msg;
      return false;
    }
    return true;
  }, std::move(methods));
  // Before the thread-safe function's own cleanup (hooks run in reverse order): GPAC threads stop posting
  // to it, and a call in progress fails, before it goes away.
  napi_add_env_cleanup_hook(env, &HookWorker::EnvCleanup, w);
  w->cleanupHooked_ = true;
  return obj;
}

HookWorker::HookWorker(const Napi::CallbackInfo &info) : Napi::ObjectWrap<HookWorker>(info) {
  if (info.Length() < 1 || !info[0].IsObject() || !info[0].As<Napi::Object>().CheckTypeTag(&kCtorTokenTag))
    throwType(info.Env(), "NativeHookWorker objects come from attachHook()");
  info.This().As<Napi::Object>().TypeTag(&kHookWorkerTag);
}

HookWorker::~HookWorker() {
  if (cleanupHooked_) napi_remove_env_cleanup_hook(env_, &HookWorker::EnvCleanup, this);
  Detach("the plugin's worker released its native side");
}

void HookWorker::EnvCleanup(void *arg) {
  auto *w = static_cast<HookWorker *>(arg);
  w->cleanupHooked_ = false;
  w->lent_.clear();  // references of an environment going away: dropped, not detached
  w->Detach("the plugin's worker thread exited");
}

void HookWorker::Detach(const std::string &why) {
  if (!core_) return;
  core_->detachWorker(why);  // clears the post function under the core's lock: no GPAC thread uses tsfn_ after
  if (tsfnOpen_) {
    tsfnOpen_ = false;
    tsfn_.Release();
  }
  core_.reset();
}

void HookWorker::lend(uint64_t seq, LentBuffers buffers) {
  if (!buffers.empty()) lent_[seq] = std::move(buffers);
}

void HookWorker::Reclaim(uint64_t seq) {
  auto it = lent_.find(seq);
  if (it == lent_.end()) return;
  for (auto &ref : it->second) {
    Napi::ArrayBuffer ab = ref.Value();
    if (!ab.IsEmpty() && !ab.IsDetached()) ab.Detach();
  }
  lent_.erase(it);
}

Napi::Value HookWorker::Complete(const Napi::CallbackInfo &info) {
  auto seq = static_cast<uint64_t>(seqArg(info, 0, "complete"));
  HookValue v;
  try {
    v = hookFromJs(info.Length() > 1 ? info[1] : info.Env().Undefined(), "the returned value");
  } catch (const Napi::Error &e) {
    Reclaim(seq);
    if (core_) core_->settle(seq, false, {}, serializeJsError(info.Env(), e.Value(), ""));
    return info.Env().Undefined();
  }
  Reclaim(seq);
  if (core_) core_->settle(seq, true, std::move(v), {});
  return info.Env().Undefined();
}

Napi::Value HookWorker::Fail(const Napi::CallbackInfo &info) {
  auto seq = static_cast<uint64_t>(seqArg(info, 0, "fail"));
  Reclaim(seq);
  JsFailure f = serializeJsError(info.Env(), info.Length() > 1 ? info[1] : info.Env().Undefined(), "");
  if (core_) core_->settle(seq, false, {}, std::move(f));
  return info.Env().Undefined();
}

Napi::Value HookWorker::Request(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  auto seq = static_cast<uint64_t>(seqArg(info, 0, "request"));
  std::string op = argString(info, 1, "request: operation");
  if (!core_) throwState(env, op + ": the plugin is detached (its session or FileIO was closed)", "ERR_GPAC_CLOSED");
  HookValue args = hookFromJs(info.Length() > 2 ? info[2] : env.Undefined(), op);
  HookValue out;
  std::string error;
  bool ok = false;
  auto core = core_;
  bool ran = core->request(seq, [&] { ok = core->serve(op, args, &out, &error); });
  if (!ran)
    throwState(env, op + "() needs GPAC and can only be called while GPAC waits on the callback it answers (not after it timed out)",
               "ERR_GPAC_NOT_IN_CALLBACK");
  if (!ok) throwState(env, op + ": " + error, "ERR_GPAC_REQUEST");
  return hookToJs(env, out, nullptr);
}

Napi::Value HookWorker::ReportError(const Napi::CallbackInfo &info) {
  if (!core_) return info.Env().Undefined();
  std::string origin = info.Length() > 1 && info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "worker";
  core_->fail(serializeJsError(info.Env(), info.Length() > 0 ? info[0] : info.Env().Undefined(), core_->origin("") + ", " + origin));
  return info.Env().Undefined();
}

Napi::Value HookWorker::Stats(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  if (!core_) return o;
  o.Set("calls", Napi::Number::New(env, static_cast<double>(core_->statCalls.load())));
  o.Set("requests", Napi::Number::New(env, static_cast<double>(core_->statRequests.load())));
  return o;
}

Napi::Value HookWorker::Close(const Napi::CallbackInfo &info) {
  Detach("the plugin closed its native side");
  return info.Env().Undefined();
}

}  // namespace gts
