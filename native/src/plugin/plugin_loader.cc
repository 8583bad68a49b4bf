// The main thread's side of plugins: creating the GF_Filter in a session, applying what the plugin's
// constructor asked for (capabilities, max PIDs …) once its worker reports it, and learning that a worker
// died. Runs on the thread that owns the session, before the session runs.
#include "plugin_loader.h"

#include <cstdlib>

#include "addon.h"
#include "plugin_args.h"
#include "plugin_core.h"
#include "plugin_props.h"
#include "plugin_worker.h"
#include "session/events.h"
#include "session/filter.h"
#include "props.h"
#include "session/session.h"
#include "util.h"

namespace gts {
namespace {

std::shared_ptr<PluginCore> coreArg(const Napi::CallbackInfo &info, const char *op) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throwType(env, std::string(op) + ": expected a plugin id, received " + describe(info[0]));
  auto core = PluginCore::byId(static_cast<uint64_t>(info[0].As<Napi::Number>().DoubleValue()));
  if (!core) throwState(env, std::string(op) + ": the plugin is gone (its session was closed)", "ERR_GPAC_CLOSED");
  return core;
}

u32 optU32(Napi::Env env, const Napi::Object &o, const char *key, u32 dflt) {
  Napi::Value v = o.Get(key);
  if (v.IsUndefined()) return dflt;
  if (!v.IsNumber() || v.As<Napi::Number>().DoubleValue() < 0)
    throwType(env, std::string("loadPlugin option ") + key + ": expected a non-negative integer, received " + describe(v));
  return v.As<Napi::Number>().Uint32Value();
}

std::string optString(const Napi::Object &o, const char *key) {
  Napi::Value v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}

}  // namespace

// newPlugin(session, name, {file, timeoutMs, prefetch, prefetchBytes, inputBufferUs, pipeline}) → {id, filter}
Napi::Value NewPlugin(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  env.GetInstanceData<GpacAddon>()->CheckOpen(env, "loadPlugin");
  Session *session = unwrapTagged<Session>(env, info[0], kSessionTag, "FilterSession");
  std::string name = argString(info, 1, "loadPlugin: filter name");
  if (info.Length() < 3 || !info[2].IsObject()) throwType(env, "newPlugin: expected an options object");
  Napi::Object o = info[2].As<Napi::Object>();
  auto sc = session->core();
  if (!sc->fs()) throwState(env, "loadPlugin: the session is closed", "ERR_GPAC_CLOSED");
  if (sc->running())
    throwState(env, "loadPlugin: the session is running; load plugins before run() (GPAC links filters from their capabilities when it starts)",
               "ERR_GPAC_RUNNING");
  PluginOptions opts;
  opts.name = name;
  opts.file = optString(o, "file");
  opts.timeoutMs = optU32(env, o, "timeoutMs", 10000);
  opts.prefetch = std::max<u32>(1, optU32(env, o, "prefetch", opts.prefetch));
  opts.inputBufferUs = optU32(env, o, "inputBufferUs", opts.inputBufferUs);
  opts.prefetchBytes = std::max<u32>(1, optU32(env, o, "prefetchBytes", opts.prefetchBytes));
  if (o.Has("pipeline")) opts.pipeline = o.Get("pipeline").ToBoolean();
  GF_Err e = GF_OK;
  auto core = PluginCore::create(sc, name, opts, &e);
  if (!core) throwGf(env, e ? e : GF_OUT_OF_MEM, "loadPlugin", "gf_fs_new_filter(" + name + ")");
  Napi::Object out = Napi::Object::New(env);
  out.Set("id", Napi::Number::New(env, static_cast<double>(core->id())));
  out.Set("filter", Filter::NewInstance(env, sc, sc->refFor(core->filter())));
  return out;
}

// pluginSetup(id, {callbacks: {configure, event, reconfigure}, caps: [[key, value, flags, priority, type]]})
Napi::Value PluginSetup(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  auto core = coreArg(info, "pluginSetup");
  if (info.Length() < 2 || !info[1].IsObject()) throwType(env, "pluginSetup: expected a setup object");
  Napi::Object setup = info[1].As<Napi::Object>();
  auto sc = core->session();
  if (!sc || sc->running()) throwState(env, "loadPlugin: the session started running before the plugin was set up", "ERR_GPAC_RUNNING");
  GF_Filter *f = core->filter();
  Napi::Value cbs = setup.Get("callbacks");
  if (cbs.IsObject()) {
    Napi::Object c = cbs.As<Napi::Object>();
    core->installCallbacks(c.Get("configure").ToBoolean(), c.Get("event").ToBoolean(), c.Get("reconfigure").ToBoolean());
  }
  Napi::Value caps = setup.Get("caps");
  bool inputCaps = false;
  if (caps.IsArray()) {
    Napi::Array a = caps.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) {
      std::string what = "pushCap #" + std::to_string(i + 1);
      Napi::Value cv = a.Get(i);
      if (!cv.IsArray()) throwType(env, what + ": internal: expected [key, value, flags, priority, type]");
      Napi::Array cap = cv.As<Napi::Array>();
      PropKey key = propKeyFromJs(env, cap.Get(0u), what);
      Napi::Value value = cap.Get(1u);
      u32 flags = cap.Get(2u).IsNumber() ? cap.Get(2u).As<Napi::Number>().Uint32Value() : 0;
      if (flags & GF_CAPFLAG_INPUT) inputCaps = true;
      u32 prio = cap.Get(3u).IsNumber() ? cap.Get(3u).As<Napi::Number>().Uint32Value() : 0;
      std::string type = cap.Get(4u).IsString() ? cap.Get(4u).As<Napi::String>().Utf8Value() : std::string();
      GF_Err e;
      if (value.IsUndefined() || value.IsNull()) {
        // A bundle separator (flags 0, no value), as gf_filter_push_caps takes it.
        e = gpac.gf_filter_push_caps(f, key.code, nullptr, key.code ? nullptr : key.name.c_str(), 0, static_cast<u8>(prio));
      } else {
        auto prop = jsToProp(env, value, key, type, what + " " + (key.name.empty() ? propName(key.code, nullptr) : key.name));
        // GPAC keeps the value and frees it with the filter: give it its own copy.
        GF_PropertyValue owned = gpacOwnedCopy(*prop);
        e = gpac.gf_filter_push_caps(f, key.code, &owned, key.code ? nullptr : key.name.c_str(), flags, static_cast<u8>(prio));
        if (e != GF_OK) gpac.gf_props_reset_single(&owned);
      }
      if (e != GF_OK) throwGf(env, e, "pushCap", what);
    }
  }
  Napi::Value maxPids = setup.Get("maxPids");
  if (maxPids.IsNumber()) {
    u32 n = maxExtraPids(maxPids.As<Napi::Number>().DoubleValue());
    const char *hook = getenv("GPAC_TS_TEST_GPAC_MAX_PIDS");
    if (hook && hook[0] == '1') {
      // Test hook: GPAC's own limit, as before gpac-ts enforced it: GPAC then leaves an extra PID connected to
      // nothing and spins (the reproducer of the session's stall watch, test/native/stall.test.ts).
      gpac.gf_filter_set_max_extra_input_pids(f, n);
    } else {
      core->setMaxExtraPids(n);
    }
  }
  if (setup.Get("sticky").ToBoolean()) gpac.gf_filter_make_sticky(f);
  Napi::Value pb = setup.Get("preventBlocking");
  if (pb.IsBoolean()) gpac.gf_filter_prevent_blocking(f, pb.As<Napi::Boolean>().Value() ? GF_TRUE : GF_FALSE);
  // A source (no input capability) is not scheduled by GPAC until something asks: its first process()
  // is posted here, as GPAC does for its own sources when they are set up.
  if (!inputCaps) gpac.gf_filter_post_process_task(f);
  Napi::Value rename = setup.Get("rename");
  if (rename.IsString()) gpac.gf_filter_set_name(f, rename.As<Napi::String>().Utf8Value().c_str());
  Napi::Value be = setup.Get("blockEos");
  if (be.IsBoolean()) gpac.gf_filter_block_eos(f, be.As<Napi::Boolean>().Value() ? GF_TRUE : GF_FALSE);
  return env.Undefined();
}

// pluginWorkerGone(id, error?, discard?): the main thread saw the worker fail or exit. `discard`: the plugin
// never loaded; its filter leaves the session quietly.
Napi::Value PluginWorkerGone(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  auto core = PluginCore::byId(info.Length() > 0 && info[0].IsNumber() ? static_cast<uint64_t>(info[0].As<Napi::Number>().DoubleValue()) : 0);
  if (!core) return env.Undefined();
  if (info.Length() > 2 && info[2].ToBoolean()) {
    core->discard();
    return env.Undefined();
  }
  if (info.Length() > 1 && !info[1].IsUndefined() && !info[1].IsNull())
    core->fail(serializeJsError(env, info[1], core->origin("worker")));
  core->detachWorker("the plugin's worker thread exited");
  return env.Undefined();
}

Napi::Value PluginStats(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  return pluginStatsObject(env, *coreArg(info, "pluginStats"));
}

// pluginReturned(id) → {code, callback} | undefined: the first error code a callback returned to GPAC.
Napi::Value PluginReturned(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  auto core = PluginCore::byId(info.Length() > 0 && info[0].IsNumber() ? static_cast<uint64_t>(info[0].As<Napi::Number>().DoubleValue()) : 0);
  if (!core) return env.Undefined();
  PluginCore::Returned r = core->returned();
  if (!r.code) return env.Undefined();
  Napi::Object o = Napi::Object::New(env);
  o.Set("code", Napi::Number::New(env, r.code));
  o.Set("callback", Napi::String::New(env, r.callback));
  return o;
}

}  // namespace gts
