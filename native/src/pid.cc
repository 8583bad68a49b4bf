// Worker-side PID methods of custom filters (FilterPid in src/custom/filter-pid.ts): state queries and
// property reads are requests answered by the GPAC thread running the filter; writes are intents.
#include <cstring>
#include <deque>

#include "custom_args.h"
#include "custom_props.h"
#include "custom_worker.h"
#include "reflect.h"

namespace gts {

// ==================================================================== PIDs

Napi::Value CustomWorker::PidQuery(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  std::string what = strArg(info, 1);
  auto core = Core(env, what.c_str());
  CustomCore *c = core.get();
  Napi::Value out = env.Undefined();
  u64 a = 0;
  u32 b = 0, d = 0, e = 0, g = 0;
  bool flag = false, missing = false;
  std::string s;
  std::string tpl = strArg(info, 2), suffix = strArg(info, 4);
  u32 fileIdx = static_cast<u32>(numArg(info, 3));
  GF_Err err = GF_OK;
  Request(env, what.c_str(), [&] {
    GF_FilterPid *pid = c->pidPtr(id);
    if (!pid) {
      missing = true;
      return;
    }
    if (what == "eos") flag = gpac.gf_filter_pid_is_eos(pid);
    else if (what == "hasSeenEos") flag = gpac.gf_filter_pid_has_seen_eos(pid);
    else if (what == "eosReceived") flag = gpac.gf_filter_pid_eos_received(pid);
    else if (what == "wouldBlock") flag = gpac.gf_filter_pid_would_block(pid);
    else if (what == "sparse") flag = gpac.gf_filter_pid_is_sparse(pid);
    else if (what == "maxBuffer") a = gpac.gf_filter_pid_get_max_buffer(pid);
    else if (what == "buffer") a = gpac.gf_filter_pid_query_buffer_duration(pid, GF_FALSE);
    else if (what == "bufferTotal" || what == "bufferFull") a = gpac.gf_filter_pid_query_buffer_duration(pid, GF_TRUE);
    else if (what == "firstEmpty") flag = gpac.gf_filter_pid_first_packet_is_empty(pid);
    else if (what == "firstCts") flag = gpac.gf_filter_pid_get_first_packet_cts(pid, &a);
    else if (what == "nbPckQueued") a = gpac.gf_filter_pid_get_packet_count(pid);
    else if (what == "timescale") a = gpac.gf_filter_pid_get_timescale(pid);
    else if (what == "minPckDur") a = gpac.gf_filter_pid_get_min_pck_duration(pid);
    else if (what == "playing") flag = gpac.gf_filter_pid_is_playing(pid);
    else if (what == "nextTs") a = gpac.gf_filter_pid_get_next_ts(pid);
    else if (what == "name") {
      const char *n = gpac.gf_filter_pid_get_name(pid);
      s = n ? n : "";
    } else if (what == "filterName") {
      const char *n = gpac.gf_filter_pid_get_filter_name(pid);
      s = n ? n : "";
    } else if (what == "clockType") b = gpac.gf_filter_pid_get_clock_info(pid, nullptr, nullptr);
    else if (what == "clockTimestamp") gpac.gf_filter_pid_get_clock_info(pid, &a, &b);
    else if (what == "bufferOccupancy") flag = gpac.gf_filter_pid_get_buffer_occupancy(pid, &b, &d, &e, &g);
    else if (what == "checkCaps") flag = gpac.gf_filter_pid_check_caps(pid);
    else if (what == "resolveTemplate") {
      char tplBuf[GF_MAX_PATH], res[GF_MAX_PATH];
      memset(tplBuf, 0, sizeof tplBuf);
      memset(res, 0, sizeof res);
      strncpy(tplBuf, tpl.c_str(), GF_MAX_PATH - 1);
      err = gpac.gf_filter_pid_resolve_file_template(pid, tplBuf, res, fileIdx, suffix.empty() ? nullptr : suffix.c_str());
      s = res;
    }
  });
  if (missing) throwState(env, what + ": the PID is gone (removed, or not created yet)", "ERR_GPAC_PID_GONE");
  if (what == "name" || what == "filterName") return Napi::String::New(env, s);
  if (what == "resolveTemplate") {
    if (err != GF_OK) throwGf(env, err, "resolveTemplate", tpl);
    return Napi::String::New(env, s);
  }
  if (what == "clockType") return Napi::Number::New(env, b);
  if (what == "clockTimestamp") {
    Napi::Object o = Napi::Object::New(env);
    o.Set("num", Napi::BigInt::New(env, static_cast<int64_t>(a)));
    o.Set("den", Napi::BigInt::New(env, static_cast<uint64_t>(b)));
    return o;
  }
  if (what == "bufferOccupancy") {
    Napi::Object o = Napi::Object::New(env);
    o.Set("maxUnits", Napi::Number::New(env, b));
    o.Set("nbPck", Napi::Number::New(env, d));
    o.Set("maxDur", Napi::Number::New(env, e));
    o.Set("dur", Napi::Number::New(env, g));
    o.Set("isFinalFlush", Napi::Boolean::New(env, !flag));
    return o;
  }
  if (what == "firstCts") return flag ? u64Value(env, a) : env.Null();
  if (what == "bufferFull") return Napi::Boolean::New(env, a != 0);
  if (what == "nextTs") return Napi::Number::New(env, static_cast<double>(static_cast<s64>(a)));
  if (what == "maxBuffer" || what == "buffer" || what == "bufferTotal" || what == "nbPckQueued" || what == "timescale" || what == "minPckDur")
    return u64Value(env, a);
  (void)out;
  return Napi::Boolean::New(env, flag);
}

// pidSet(pid, what, a): fire-and-forget PID calls.
Napi::Value CustomWorker::PidSet(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  std::string what = strArg(info, 1);
  auto core = Core(env, what.c_str());
  CustomCore *c = core.get();
  bool b = boolArg(info, 2);
  double n = numArg(info, 2);
  std::string s = strArg(info, 2);
  core->intent([c, id, what, b, n, s] {
    GF_FilterPid *pid = c->pidPtr(id);
    if (!pid) return;
    if (what == "name") gpac.gf_filter_pid_set_name(pid, s.c_str());
    else if (what == "eos") gpac.gf_filter_pid_set_eos(pid);
    else if (what == "maxBuffer") gpac.gf_filter_pid_set_max_buffer(pid, static_cast<u32>(n));
    else if (what == "framing") gpac.gf_filter_pid_set_framing_mode(pid, b ? GF_TRUE : GF_FALSE);
    else if (what == "clockMode") gpac.gf_filter_pid_set_clock_mode(pid, b ? GF_TRUE : GF_FALSE);
    else if (what == "discard") gpac.gf_filter_pid_set_discard(pid, b ? GF_TRUE : GF_FALSE);
    else if (what == "looseConnect") gpac.gf_filter_pid_set_loose_connect(pid);
    else if (what == "requireSourceId") gpac.gf_filter_pid_require_source_id(pid);
    else if (what == "recomputeDts") gpac.gf_filter_pid_recompute_dts(pid, b ? GF_TRUE : GF_FALSE);
    else if (what == "allowDirectDispatch") gpac.gf_filter_pid_allow_direct_dispatch(pid);
    else if (what == "discardBlock") gpac.gf_filter_pid_discard_block(pid);
    else if (what == "clearEos") gpac.gf_filter_pid_clear_eos(pid, b ? GF_TRUE : GF_FALSE);
    else if (what == "remove") {
      gpac.gf_filter_pid_remove(pid);
      c->removeOutputPid(id);
    }
  });
  return env.Undefined();
}

Napi::Value CustomWorker::PidProp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  PropKey key = propKeyFromJs(env, info[1], "getProp");
  bool isInfo = boolArg(info, 2);
  auto core = Core(env, "getProp");
  CustomCore *c = core.get();
  const GF_PropertyValue *p = nullptr;
  GF_PropertyEntry *pe = nullptr;
  bool missing = false;
  Request(env, "getProp", [&] {
    GF_FilterPid *pid = c->pidPtr(id);
    if (!pid) {
      missing = true;
      return;
    }
    if (isInfo)
      p = key.code ? gpac.gf_filter_pid_get_info(pid, key.code, &pe) : gpac.gf_filter_pid_get_info_str(pid, key.name.c_str(), &pe);
    else
      p = key.code ? gpac.gf_filter_pid_get_property(pid, key.code) : gpac.gf_filter_pid_get_property_str(pid, key.name.c_str());
  });
  if (missing) throwState(env, "getProp: the PID is gone (removed, or not created yet)", "ERR_GPAC_PID_GONE");
  // Converted here, on the worker, while the GPAC thread still waits in the callback: the PID's property
  // map only changes on that thread (a reconfiguration), so the value stays put. An info entry is
  // released by that thread too.
  Napi::Value out = p ? propToJs(env, *p, key.code) : env.Undefined();
  if (pe) core->intent([pe] { gpac.gf_filter_release_property(pe); });
  return out;
}

Napi::Value CustomWorker::PidProps(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  auto core = Core(env, "enumProps");
  CustomCore *c = core.get();
  PropList entries;
  bool missing = false;
  Request(env, "enumProps", [&] {
    GF_FilterPid *pid = c->pidPtr(id);
    if (!pid) {
      missing = true;
      return;
    }
    u32 idx = 0;
    for (;;) {
      u32 code = 0;
      const char *pname = nullptr;
      const GF_PropertyValue *p = gpac.gf_filter_pid_enum_properties(pid, &idx, &code, &pname);
      if (!p) break;
      entries.emplace_back(code, propName(code, pname), p);
    }
  });
  if (missing) throwState(env, "enumProps: the PID is gone (removed, or not created yet)", "ERR_GPAC_PID_GONE");
  return propEntries(env, entries);
}

Napi::Value CustomWorker::PidSetProp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  bool isInfo = boolArg(info, 4);
  PropKey key = propKeyFromJs(env, info[1], isInfo ? "setInfo" : "setProp");
  std::shared_ptr<OwnedProp> prop = jsToProp(env, info[2], key, strArg(info, 3), std::string(isInfo ? "setInfo " : "setProp ") + (key.name.empty() ? propName(key.code, nullptr) : key.name));
  auto core = Core(env, "setProp");
  CustomCore *c = core.get();
  core->intent([c, id, key, prop, isInfo] {
    GF_FilterPid *pid = c->pidPtr(id);
    if (!pid) return;
    const GF_PropertyValue *v = prop->remove ? nullptr : &prop->v;
    if (isInfo) {
      if (key.code) gpac.gf_filter_pid_set_info(pid, key.code, v);
      else gpac.gf_filter_pid_set_info_dyn(pid, const_cast<char *>(key.name.c_str()), v);
    } else {
      if (key.code) gpac.gf_filter_pid_set_property(pid, key.code, v);
      else gpac.gf_filter_pid_set_property_dyn(pid, const_cast<char *>(key.name.c_str()), v);
    }
  });
  return env.Undefined();
}

Napi::Value CustomWorker::PidCopyProps(const Napi::CallbackInfo &info) {
  uint32_t dst = u32Arg(info, 0, "copyProps: output PID"), src = u32Arg(info, 1, "copyProps: input PID");
  auto core = Core(info.Env(), "copyProps");
  CustomCore *c = core.get();
  core->intent([c, dst, src] {
    GF_FilterPid *d = c->pidPtr(dst), *s = c->pidPtr(src);
    if (d && s) gpac.gf_filter_pid_copy_properties(d, s);
  });
  return info.Env().Undefined();
}

Napi::Value CustomWorker::PidResetProps(const Napi::CallbackInfo &info) {
  uint32_t id = u32Arg(info, 0, "resetProps: PID");
  auto core = Core(info.Env(), "resetProps");
  CustomCore *c = core.get();
  core->intent([c, id] {
    if (GF_FilterPid *p = c->pidPtr(id)) gpac.gf_filter_pid_reset_properties(p);
  });
  return info.Env().Undefined();
}

Napi::Value CustomWorker::PidSendEvent(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "sendEvent: PID");
  if (info.Length() < 2 || !info[1].IsObject()) throwType(env, "sendEvent: expected an event object, received " + describe(info[1]));
  Napi::Object evObj = info[1].As<Napi::Object>();
  Napi::Value tv = evObj.Get("type");
  if (!tv.IsNumber()) throwType(env, "sendEvent: event.type must be a GF_FEVT_* value, received " + describe(tv));
  u32 type = tv.As<Napi::Number>().Uint32Value();
  const GpacEventMember *member = eventMember(type);
  if (!member) throw Napi::RangeError::New(env, "sendEvent: unknown event type " + std::to_string(type));
  auto evt = std::make_shared<GF_FilterEvent>();
  memset(evt.get(), 0, sizeof(GF_FilterEvent));
  auto strings = std::make_shared<std::deque<std::string>>();
  jsToStruct(env, *member->info, evObj, evt.get(), *strings, "event", {"type", "name", "onPid"});
  evt->base.type = static_cast<GF_FEventType>(type);
  auto core = Core(env, "sendEvent");
  CustomCore *c = core.get();
  core->intent([c, id, evt, strings] {
    GF_FilterPid *pid = c->pidPtr(id);
    if (!pid) return;
    evt->base.on_pid = pid;
    gpac.gf_filter_pid_send_event(pid, evt.get());  // GPAC copies the event
  });
  return env.Undefined();
}

Napi::Value CustomWorker::PidQueryCap(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "queryCap: PID");
  PropKey key = propKeyFromJs(env, info[1], "queryCap");
  auto core = Core(env, "queryCap");
  CustomCore *c = core.get();
  const GF_PropertyValue *p = nullptr;
  Request(env, "queryCap", [&] {
    GF_FilterPid *pid = c->pidPtr(id);
    if (!pid) return;
    p = key.code ? gpac.gf_filter_pid_caps_query(pid, key.code) : gpac.gf_filter_pid_caps_query_str(pid, key.name.c_str());
  });
  return p ? propToJs(env, *p, key.code) : env.Null();
}

Napi::Value CustomWorker::PidNegotiateCap(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "negotiateCap: PID");
  PropKey key = propKeyFromJs(env, info[1], "negotiateCap");
  std::shared_ptr<OwnedProp> prop = jsToProp(env, info[2], key, strArg(info, 3), "negotiateCap");
  auto core = Core(env, "negotiateCap");
  CustomCore *c = core.get();
  core->intent([c, id, key, prop] {
    GF_FilterPid *pid = c->pidPtr(id);
    if (!pid || prop->remove) return;
    if (key.code) gpac.gf_filter_pid_negotiate_property(pid, key.code, &prop->v);
    else gpac.gf_filter_pid_negotiate_property_dyn(pid, const_cast<char *>(key.name.c_str()), &prop->v);
  });
  return env.Undefined();
}

}  // namespace gts
