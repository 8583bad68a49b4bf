#include "hook/hook_loader.h"

#include "addon.h"
#include "hook/dash_algo.h"
#include "hook/file_io.h"
#include "hook/http_handler.h"
#include "session/events.h"
#include "session/filter.h"
#include "session/session.h"
#include "util.h"

namespace gts {
namespace {

std::shared_ptr<HookCore> hookArg(const Napi::CallbackInfo &info, size_t i, const char *op) {
  Napi::Env env = info.Env();
  if (info.Length() <= i || !info[i].IsNumber()) throwType(env, std::string(op) + ": expected a hook id, received " + describe(info[i]));
  auto core = HookCore::byId(static_cast<uint64_t>(info[i].As<Napi::Number>().DoubleValue()));
  if (!core) throwState(env, std::string(op) + ": the plugin is gone (closed)", "ERR_GPAC_CLOSED");
  return core;
}

}  // namespace

Napi::Value NewHook(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  env.GetInstanceData<GpacAddon>()->CheckOpen(env, "newHook");
  std::string kind = argString(info, 0, "newHook: kind");
  if (info.Length() < 2 || !info[1].IsObject()) throwType(env, "newHook: expected an options object");
  Napi::Object o = info[1].As<Napi::Object>();
  HookOptions opts;
  opts.name = o.Get("name").IsString() ? o.Get("name").As<Napi::String>().Utf8Value() : std::string();
  opts.file = o.Get("file").IsString() ? o.Get("file").As<Napi::String>().Utf8Value() : std::string();
  Napi::Value t = o.Get("timeoutMs");
  if (!t.IsUndefined()) {
    if (!t.IsNumber() || !(t.As<Napi::Number>().DoubleValue() > 0)) throwType(env, "timeoutMs: expected a positive number of milliseconds, received " + describe(t));
    opts.timeoutMs = t.As<Napi::Number>().Uint32Value();
  }
  Napi::Value lt = o.Get("loadTimeoutMs");
  if (!lt.IsUndefined()) {
    if (!lt.IsNumber() || !(lt.As<Napi::Number>().DoubleValue() > 0)) throwType(env, "loadTimeoutMs: expected a positive number of milliseconds, received " + describe(lt));
    opts.loadTimeoutMs = lt.As<Napi::Number>().Uint32Value();
  }
  std::shared_ptr<HookCore> core;
  if (kind == "dash") {
    opts.kind = "DASH algorithm";
    core = std::make_shared<DashAlgo>(opts);
  } else if (kind == "http") {
    opts.kind = "HTTP handler";
    core = std::make_shared<HttpHandler>(opts);
  } else if (kind == "fileio") {
    opts.kind = "FileIO";
    std::string url = o.Get("url").IsString() ? o.Get("url").As<Napi::String>().Utf8Value() : std::string();
    if (url.empty()) throwType(env, "newHook: a FileIO needs the URL it wraps");
    auto fio = std::make_shared<FileIOHook>(opts, url);
    if (!fio->create()) throwGf(env, GF_OUT_OF_MEM, "FileIO.create", "gf_fileio_new");
    uint64_t id = HookCore::registerCore(fio);
    Napi::Object r = Napi::Object::New(env);
    r.Set("id", Napi::Number::New(env, static_cast<double>(id)));
    r.Set("url", Napi::String::New(env, fio->url()));
    return r;
  } else {
    throwType(env, "newHook: unknown kind " + describe(info[0]));
  }
  return Napi::Number::New(env, static_cast<double>(HookCore::registerCore(core)));
}

// The session uses the hook: a DASH algorithm binds every dashin filter the session creates from now on,
// in GPAC's creation callback, before it reads its manifest (GPAC's own scenario); a FileIO's failures
// reach the session's owner.
Napi::Value HookBindSession(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Session *session = unwrapTagged<Session>(env, info[0], kSessionTag, "FilterSession");
  auto core = hookArg(info, 1, "bindSession");
  auto sc = session->core();
  if (!sc->fs()) throwState(env, "bindSession: the session is closed", "ERR_GPAC_CLOSED");
  core->bindSession(sc);
  return env.Undefined();
}

Napi::Value HookBindFilter(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Session *session = unwrapTagged<Session>(env, info[0], kSessionTag, "FilterSession");
  auto sc = session->core();
  GF_Filter *f = Filter::FromJs(env, info[1], sc.get(), "filter");
  auto core = hookArg(info, 2, "bind");
  const char *want = core->filterName();
  if (!want) throwType(env, "bind: " + core->options().kind + " plugins bind to no filter");
  // The filter's thread reads what binding writes: only while nothing runs it (before run(), or while GPAC
  // waits for the onFilterNew listener of its creation).
  if (sc->running() && !sc->awaitingListener(f))
    throwState(env,
               std::string("bind: the session is running and this filter is past its creation; bind from onFilterNew (GPAC waits for "
                           "that listener when it creates a ") + want + "), or before run(), or bind for the whole session",
               "ERR_GPAC_RUNNING");
  GF_Err e = core->bindFilter(f);
  if (e == GF_BAD_PARAM) {
    const char *n = gpac.gf_filter_get_name(f);
    throwType(env, "bind: a " + core->options().kind + " binds to a " + want + " filter, not to '" + (n ? n : "?") + "'");
  }
  if (e != GF_OK) throwGf(env, e, "bind", want);
  core->attachSession(sc);  // this filter only
  return env.Undefined();
}

// The worker died before or after attaching (main thread's 'exit'/'error' events): calls fail now. A
// plugin that failed to load is the loader's error to report (failSession false): GPAC's calls fail with it.
Napi::Value HookWorkerGone(const Napi::CallbackInfo &info) {
  auto core = HookCore::byId(static_cast<uint64_t>(info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0));
  if (!core) return info.Env().Undefined();
  bool failSession = info.Length() < 3 || info[2].ToBoolean();
  std::string why = "the plugin's worker exited";
  if (info.Length() > 1 && info[1].IsObject()) {
    JsFailure f = serializeJsError(info.Env(), info[1], core->origin(""));
    why = f.name + ": " + f.message;
    if (failSession) core->fail(std::move(f));
  }
  core->detachWorker(why);
  return info.Env().Undefined();
}

Napi::Value HookStats(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  auto core = hookArg(info, 0, "stats");
  Napi::Object o = Napi::Object::New(env);
  o.Set("calls", Napi::Number::New(env, static_cast<double>(core->statCalls.load())));
  o.Set("requests", Napi::Number::New(env, static_cast<double>(core->statRequests.load())));
  return o;
}

Napi::Value HookClose(const Napi::CallbackInfo &info) {
  auto core = HookCore::byId(static_cast<uint64_t>(info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : 0));
  if (!core) return info.Env().Undefined();
  core->unregister();  // a FileIO's gfio:// objects live on while a session may use them (~FileIOHook)
  return info.Env().Undefined();
}

}  // namespace gts
