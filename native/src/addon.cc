#include "addon.h"

#include <stdexcept>

#include "hook/hook_loader.h"
#include "hook/hook_worker.h"
#include "plugin/plugin_loader.h"
#include "plugin/plugin_worker.h"
#include "session/filter.h"
#include "lib.h"
#include "props.h"
#include "session/session.h"
#include "util.h"

namespace gts {

GpacAddon::GpacAddon(Napi::Env env, Napi::Object exports) {
  Napi::Function session = Session::Define(env);
  Napi::Function filter = Filter::Define(env);
  sessionCtor = Napi::Persistent(session);
  filterCtor = Napi::Persistent(filter);
  pluginWorkerCtor = Napi::Persistent(PluginWorker::Define(env));
  hookWorkerCtor = Napi::Persistent(HookWorker::Define(env));
  DefineAddon(exports, {
                           InstanceMethod("bind", &GpacAddon::Bind),
                           InstanceMethod("prefetch", &GpacAddon::Prefetch),
                           InstanceMethod("boundPath", &GpacAddon::BoundPath),
                           InstanceMethod("generated", &GpacAddon::Generated),
                           InstanceMethod("init", &GpacAddon::InitLib),
                           InstanceMethod("setArgs", &GpacAddon::SetArgs),
                           InstanceMethod("setLogs", &GpacAddon::SetLogs),
                           InstanceMethod("close", &GpacAddon::Close),
                           InstanceMethod("isClosed", &GpacAddon::IsClosed),
                           InstanceMethod("errorToString", &GpacAddon::ErrorToString),
                           InstanceMethod("errorName", &GpacAddon::ErrorName),
                           InstanceMethod("constants", &GpacAddon::Constants),
                           InstanceMethod("propertyInfo", &GpacAddon::PropertyInfo),
                           InstanceValue("newPlugin", Napi::Function::New(env, NewPlugin, "newPlugin")),
                           InstanceValue("pluginSetup", Napi::Function::New(env, PluginSetup, "pluginSetup")),
                           InstanceValue("pluginWorkerGone", Napi::Function::New(env, PluginWorkerGone, "pluginWorkerGone")),
                           InstanceValue("pluginStats", Napi::Function::New(env, PluginStats, "pluginStats")),
                           InstanceValue("pluginReturned", Napi::Function::New(env, PluginReturned, "pluginReturned")),
                           InstanceValue("attachPlugin", Napi::Function::New(env, PluginWorker::Attach, "attachPlugin")),
                           InstanceValue("newHook", Napi::Function::New(env, NewHook, "newHook")),
                           InstanceValue("hookBindSession", Napi::Function::New(env, HookBindSession, "hookBindSession")),
                           InstanceValue("hookBindFilter", Napi::Function::New(env, HookBindFilter, "hookBindFilter")),
                           InstanceValue("hookWorkerGone", Napi::Function::New(env, HookWorkerGone, "hookWorkerGone")),
                           InstanceValue("hookStats", Napi::Function::New(env, HookStats, "hookStats")),
                           InstanceValue("hookClose", Napi::Function::New(env, HookClose, "hookClose")),
                           InstanceValue("attachHook", Napi::Function::New(env, HookWorker::Attach, "attachHook")),
                           InstanceValue("Session", session),
                           InstanceValue("Filter", filter),
                       });
}

GpacAddon::~GpacAddon() {
  // Environment teardown: no JS runs any more. Sessions still alive are ended here, before libgpac is
  // released by this environment.
  CloseSessions();
  if (attached_ && !closed_) envDetach();
}

void GpacAddon::CloseSessions() {
  for (auto &w : sessions_)
    if (auto core = w.lock()) core->shutdown();
  sessions_.clear();
}

void GpacAddon::CheckOpen(Napi::Env env, const char *op) {
  if (closed_)
    throwState(env, std::string(op) + ": gpac-ts was closed in this thread (close()); it cannot be used any more", "ERR_GPAC_CLOSED");
  if (!attached_) throwState(env, std::string(op) + ": libgpac is not loaded (internal: bind() was not called)", "ERR_GPAC_NOT_LOADED");
}

void GpacAddon::Track(const std::shared_ptr<SessionCore> &core) {
  // Drop entries of sessions already gone, so that a long-lived thread does not accumulate them.
  std::vector<std::weak_ptr<SessionCore>> live;
  for (auto &w : sessions_)
    if (auto c = w.lock(); c && !c->closed()) live.push_back(w);
  live.push_back(core);
  sessions_.swap(live);
}

Napi::Value GpacAddon::Bind(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string path = argString(info, 0, "bind: library path");
  if (closed_) throwState(env, "gpac-ts was closed in this thread (close()); it cannot be used any more", "ERR_GPAC_CLOSED");
  LibInfo li;
  try {
    li = bindLibrary(path);
  } catch (const std::runtime_error &e) {
    throw Napi::Error::New(env, e.what());
  }
  if (!attached_) {
    attached_ = true;
    envAttach();
  }
  Napi::Object o = Napi::Object::New(env);
  o.Set("path", li.path);
  o.Set("version", li.version);
  Napi::Object abi = Napi::Object::New(env);
  abi.Set("major", li.major);
  abi.Set("minor", li.minor);
  abi.Set("micro", li.micro);
  o.Set("abi", abi);
  o.Set("threadIds", li.threadIds);
  if (!li.threadIdsError.empty()) o.Set("threadIdsError", li.threadIdsError);
  return o;
}

Napi::Value GpacAddon::Prefetch(const Napi::CallbackInfo &info) {
  prefetchLibrary(argString(info, 0, "prefetch: library path"));
  return info.Env().Undefined();
}

Napi::Value GpacAddon::BoundPath(const Napi::CallbackInfo &info) {
  std::string path = boundLibraryPath();
  return path.empty() ? info.Env().Null() : Napi::String::New(info.Env(), path);
}

Napi::Value GpacAddon::Generated(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("version", GPAC_TS_VERSION);
  Napi::Object abi = Napi::Object::New(env);
  abi.Set("major", GPAC_TS_ABI_MAJOR);
  abi.Set("minor", GPAC_TS_ABI_MINOR);
  abi.Set("micro", GPAC_TS_ABI_MICRO);
  o.Set("abi", abi);
  return o;
}

// init(memTracker: number, profile?: string)
Napi::Value GpacAddon::InitLib(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  CheckOpen(env, "init");
  u32 mem = argU32(info, 0, "init: memTracker");
  bool hasProfile;
  std::string profile = argOptString(info, 1, "init: profile", &hasProfile);
  GF_Err e;
  if (!setInitOptions(static_cast<int>(mem), hasProfile ? &profile : nullptr, &e))
    throwState(env, "init: libgpac is already initialised and sessions exist in this process; call init() before creating any FilterSession",
               "ERR_GPAC_INIT");
  if (e != GF_OK) throwGf(env, e, "init");
  return env.Undefined();
}

Napi::Value GpacAddon::SetArgs(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  CheckOpen(env, "setArgs");
  if (info.Length() < 1 || !info[0].IsArray()) throwType(env, "setArgs: expected an array of strings, received " + describe(info[0]));
  Napi::Array a = info[0].As<Napi::Array>();
  std::vector<std::string> args;
  for (uint32_t i = 0; i < a.Length(); i++) {
    Napi::Value v = a.Get(i);
    if (!v.IsString()) throwType(env, "setArgs: argument " + std::to_string(i) + " must be a string, received " + describe(v));
    args.push_back(v.As<Napi::String>().Utf8Value());
  }
  GF_Err e = setArgs(args);
  if (e != GF_OK) throwGf(env, e, "setArgs");
  return env.Undefined();
}

Napi::Value GpacAddon::SetLogs(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  CheckOpen(env, "setLogs");
  std::string logs = argString(info, 0, "setLogs: tools@level list");
  bool reset = argBool(info, 1, "setLogs: reset", false);
  // gf_sys_init sets GPAC's default levels: levels set before it would be lost (they were, until the first
  // session initialised the library).
  GF_Err e = ensureSysInit();
  if (e != GF_OK) throwGf(env, e, "setLogs", "gf_sys_init");
  e = gpac.gf_log_set_tools_levels(logs.c_str(), reset ? GF_TRUE : GF_FALSE);
  if (e != GF_OK) throwGf(env, e, "setLogs", logs);
  return env.Undefined();
}

Napi::Value GpacAddon::Close(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (closed_) return env.Undefined();
  CloseSessions();
  closed_ = true;
  if (attached_) envDetach();
  return env.Undefined();
}

Napi::Value GpacAddon::IsClosed(const Napi::CallbackInfo &info) { return Napi::Boolean::New(info.Env(), closed_); }

Napi::Value GpacAddon::ErrorToString(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), errorMessage(argS32(info, 0, "errorToString: GF_Err code")));
}

Napi::Value GpacAddon::ErrorName(const Napi::CallbackInfo &info) {
  return Napi::String::New(info.Env(), errorName(argS32(info, 0, "errorName: GF_Err code")));
}

/** Every enum member of the generated table, by name: the values of the GPAC the addon was built for. */
Napi::Value GpacAddon::Constants(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  for (size_t i = 0; i < gpac_enums_count; i++) {
    const GpacEnumInfo *e = gpac_enums[i];
    for (size_t j = 0; j < e->nb_members; j++) o.Set(e->members[j].name, Napi::Number::New(env, static_cast<double>(e->members[j].value)));
  }
  return o;
}

/** A built-in property by name or 4CC: {code, name, type} (type as gf_props_get_type_name), or null. */
Napi::Value GpacAddon::PropertyInfo(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  CheckOpen(env, "propertyInfo");
  std::string name = argString(info, 0, "propertyInfo: property name");
  u32 code = propCode(name);
  if (!code) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("code", Napi::Number::New(env, code));
  o.Set("name", propName(code, nullptr));
  o.Set("type", gpac.gf_props_get_type_name(static_cast<GF_PropType>(gpac.gf_props_4cc_get_type(code))));
  return o;
}

}  // namespace gts

using gts::GpacAddon;
NODE_API_ADDON(GpacAddon)
