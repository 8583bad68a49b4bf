// Worker-side PID methods of plugins (FilterPid in src/plugin/filter-pid.ts): state queries and
// property reads are requests answered by the GPAC thread running the filter; writes are intents.
#include <cstring>
#include <deque>

#include "plugin_args.h"
#include "plugin_props.h"
#include "plugin_worker.h"
#include "reflect.h"

namespace gts {

// ==================================================================== PIDs

namespace {
enum class PidQ {
  Eos, HasSeenEos, EosReceived, WouldBlock, Sparse, MaxBuffer, Buffer, BufferTotal, BufferFull, FirstEmpty, FirstCts,
  NbPckQueued, Timescale, MinPckDur, Playing, NextTs, Name, FilterName, ClockType, ClockTimestamp, BufferOccupancy,
  CheckCaps, ResolveTemplate
};
constexpr NamedOp<PidQ> kPidQueries[] = {
    {"eos", PidQ::Eos},
    {"hasSeenEos", PidQ::HasSeenEos},
    {"eosReceived", PidQ::EosReceived},
    {"wouldBlock", PidQ::WouldBlock},
    {"sparse", PidQ::Sparse},
    {"maxBuffer", PidQ::MaxBuffer},
    {"buffer", PidQ::Buffer},
    {"bufferTotal", PidQ::BufferTotal},
    {"bufferFull", PidQ::BufferFull},
    {"firstEmpty", PidQ::FirstEmpty},
    {"firstCts", PidQ::FirstCts},
    {"nbPckQueued", PidQ::NbPckQueued},
    {"timescale", PidQ::Timescale},
    {"minPckDur", PidQ::MinPckDur},
    {"playing", PidQ::Playing},
    {"nextTs", PidQ::NextTs},
    {"name", PidQ::Name},
    {"filterName", PidQ::FilterName},
    {"clockType", PidQ::ClockType},
    {"clockTimestamp", PidQ::ClockTimestamp},
    {"bufferOccupancy", PidQ::BufferOccupancy},
    {"checkCaps", PidQ::CheckCaps},
    {"resolveTemplate", PidQ::ResolveTemplate},
};

enum class PidS { Name, Eos, MaxBuffer, Framing, ClockMode, Discard, LooseConnect, RequireSourceId, RecomputeDts, AllowDirectDispatch, DiscardBlock, ClearEos, Remove };
constexpr NamedOp<PidS> kPidSetters[] = {
    {"name", PidS::Name},
    {"eos", PidS::Eos},
    {"maxBuffer", PidS::MaxBuffer},
    {"framing", PidS::Framing},
    {"clockMode", PidS::ClockMode},
    {"discard", PidS::Discard},
    {"looseConnect", PidS::LooseConnect},
    {"requireSourceId", PidS::RequireSourceId},
    {"recomputeDts", PidS::RecomputeDts},
    {"allowDirectDispatch", PidS::AllowDirectDispatch},
    {"discardBlock", PidS::DiscardBlock},
    {"clearEos", PidS::ClearEos},
    {"remove", PidS::Remove},
};
}  // namespace

// pidQuery(pid, what, a, b, c): PID state, read by the GPAC thread running the filter.
Napi::Value PluginWorker::PidQuery(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  PidQ what = opArg(info, 1, kPidQueries, "pidQuery", "query");
  std::string name = info[1].As<Napi::String>().Utf8Value();
  auto core = Core(env, name.c_str());
  PluginCore *c = core.get();
  u64 a = 0;
  u32 b = 0, d = 0, e = 0, g = 0;
  bool flag = false, missing = false;
  std::string s;
  std::string tpl = strArg(info, 2), suffix = strArg(info, 4);
  u32 fileIdx = static_cast<u32>(numArg(info, 3));
  GF_Err err = GF_OK;
  Request(env, name.c_str(), [&] {
    GF_FilterPid *pid = c->tables().pidPtr(id);
    if (!pid) {
      missing = true;
      return;
    }
    switch (what) {
      case PidQ::Eos: flag = gpac.gf_filter_pid_is_eos(pid); break;
      case PidQ::HasSeenEos: flag = gpac.gf_filter_pid_has_seen_eos(pid); break;
      case PidQ::EosReceived: flag = gpac.gf_filter_pid_eos_received(pid); break;
      case PidQ::WouldBlock: flag = gpac.gf_filter_pid_would_block(pid); break;
      case PidQ::Sparse: flag = gpac.gf_filter_pid_is_sparse(pid); break;
      case PidQ::MaxBuffer: a = gpac.gf_filter_pid_get_max_buffer(pid); break;
      case PidQ::Buffer: a = gpac.gf_filter_pid_query_buffer_duration(pid, GF_FALSE); break;
      case PidQ::BufferTotal:
      case PidQ::BufferFull: a = gpac.gf_filter_pid_query_buffer_duration(pid, GF_TRUE); break;
      case PidQ::FirstEmpty: flag = gpac.gf_filter_pid_first_packet_is_empty(pid); break;
      case PidQ::FirstCts: flag = gpac.gf_filter_pid_get_first_packet_cts(pid, &a); break;
      case PidQ::NbPckQueued: a = gpac.gf_filter_pid_get_packet_count(pid); break;
      case PidQ::Timescale: a = gpac.gf_filter_pid_get_timescale(pid); break;
      case PidQ::MinPckDur: a = gpac.gf_filter_pid_get_min_pck_duration(pid); break;
      case PidQ::Playing: flag = gpac.gf_filter_pid_is_playing(pid); break;
      case PidQ::NextTs: a = gpac.gf_filter_pid_get_next_ts(pid); break;
      case PidQ::Name: {
        const char *n = gpac.gf_filter_pid_get_name(pid);
        s = n ? n : "";
        break;
      }
      case PidQ::FilterName: {
        const char *n = gpac.gf_filter_pid_get_filter_name(pid);
        s = n ? n : "";
        break;
      }
      case PidQ::ClockType: b = gpac.gf_filter_pid_get_clock_info(pid, nullptr, nullptr); break;
      case PidQ::ClockTimestamp: gpac.gf_filter_pid_get_clock_info(pid, &a, &b); break;
      case PidQ::BufferOccupancy: flag = gpac.gf_filter_pid_get_buffer_occupancy(pid, &b, &d, &e, &g); break;
      case PidQ::CheckCaps: flag = gpac.gf_filter_pid_check_caps(pid); break;
      case PidQ::ResolveTemplate: {
        char tplBuf[GF_MAX_PATH], res[GF_MAX_PATH];
        memset(tplBuf, 0, sizeof tplBuf);
        memset(res, 0, sizeof res);
        strncpy(tplBuf, tpl.c_str(), GF_MAX_PATH - 1);
        err = gpac.gf_filter_pid_resolve_file_template(pid, tplBuf, res, fileIdx, suffix.empty() ? nullptr : suffix.c_str());
        s = res;
        break;
      }
    }
  });
  if (missing) throwState(env, name + ": the PID is gone (removed, or not created yet)", "ERR_GPAC_PID_GONE");
  switch (what) {
    case PidQ::Name:
    case PidQ::FilterName: return Napi::String::New(env, s);
    case PidQ::ResolveTemplate:
      if (err != GF_OK) throwGf(env, err, "resolveTemplate", tpl);
      return Napi::String::New(env, s);
    case PidQ::ClockType: return Napi::Number::New(env, b);
    case PidQ::ClockTimestamp: {
      Napi::Object o = Napi::Object::New(env);
      o.Set("num", Napi::BigInt::New(env, static_cast<int64_t>(a)));
      o.Set("den", Napi::BigInt::New(env, static_cast<uint64_t>(b)));
      return o;
    }
    case PidQ::BufferOccupancy: {
      Napi::Object o = Napi::Object::New(env);
      o.Set("maxUnits", Napi::Number::New(env, b));
      o.Set("nbPck", Napi::Number::New(env, d));
      o.Set("maxDur", Napi::Number::New(env, e));
      o.Set("dur", Napi::Number::New(env, g));
      o.Set("isFinalFlush", Napi::Boolean::New(env, !flag));
      return o;
    }
    case PidQ::FirstCts: return flag ? u64Value(env, a) : env.Null();
    case PidQ::BufferFull: return Napi::Boolean::New(env, a != 0);
    case PidQ::NextTs: return Napi::Number::New(env, static_cast<double>(static_cast<s64>(a)));
    case PidQ::MaxBuffer:
    case PidQ::Buffer:
    case PidQ::BufferTotal:
    case PidQ::NbPckQueued:
    case PidQ::Timescale:
    case PidQ::MinPckDur: return u64Value(env, a);
    default: return Napi::Boolean::New(env, flag);
  }
}

// pidSet(pid, what, a): fire-and-forget PID calls.
Napi::Value PluginWorker::PidSet(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  PidS what = opArg(info, 1, kPidSetters, "pidSet", "setter");
  auto core = Core(env, info[1].As<Napi::String>().Utf8Value().c_str());
  PluginCore *c = core.get();
  bool b = boolArg(info, 2);
  double n = numArg(info, 2);
  std::string s = strArg(info, 2);
  core->intent([c, id, what, b, n, s] {
    GF_FilterPid *pid = c->tables().pidPtr(id);
    if (!pid) return;
    switch (what) {
      case PidS::Name: gpac.gf_filter_pid_set_name(pid, s.c_str()); break;
      case PidS::Eos: gpac.gf_filter_pid_set_eos(pid); break;
      case PidS::MaxBuffer: gpac.gf_filter_pid_set_max_buffer(pid, static_cast<u32>(n)); break;
      case PidS::Framing: gpac.gf_filter_pid_set_framing_mode(pid, b ? GF_TRUE : GF_FALSE); break;
      case PidS::ClockMode: gpac.gf_filter_pid_set_clock_mode(pid, b ? GF_TRUE : GF_FALSE); break;
      case PidS::Discard: gpac.gf_filter_pid_set_discard(pid, b ? GF_TRUE : GF_FALSE); break;
      case PidS::LooseConnect: gpac.gf_filter_pid_set_loose_connect(pid); break;
      case PidS::RequireSourceId: gpac.gf_filter_pid_require_source_id(pid); break;
      case PidS::RecomputeDts: gpac.gf_filter_pid_recompute_dts(pid, b ? GF_TRUE : GF_FALSE); break;
      case PidS::AllowDirectDispatch: gpac.gf_filter_pid_allow_direct_dispatch(pid); break;
      case PidS::DiscardBlock: gpac.gf_filter_pid_discard_block(pid); break;
      case PidS::ClearEos: gpac.gf_filter_pid_clear_eos(pid, b ? GF_TRUE : GF_FALSE); break;
      case PidS::Remove:
        gpac.gf_filter_pid_remove(pid);
        c->tables().removeOutputPid(id);
        break;
    }
  });
  return env.Undefined();
}

Napi::Value PluginWorker::PidProp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  PropKey key = propKeyFromJs(env, info[1], "getProp");
  bool isInfo = boolArg(info, 2);
  auto core = Core(env, "getProp");
  PluginCore *c = core.get();
  std::unique_ptr<OwnedProp> value;
  bool missing = false;
  Request(env, "getProp", [&] {
    GF_FilterPid *pid = c->tables().pidPtr(id);
    if (!pid) {
      missing = true;
      return;
    }
    GF_PropertyEntry *pe = nullptr;
    const GF_PropertyValue *p;
    if (isInfo)
      p = key.code ? gpac.gf_filter_pid_get_info(pid, key.code, &pe) : gpac.gf_filter_pid_get_info_str(pid, key.name.c_str(), &pe);
    else
      p = key.code ? gpac.gf_filter_pid_get_property(pid, key.code) : gpac.gf_filter_pid_get_property_str(pid, key.name.c_str());
    // Copied here, on GPAC's thread: once this request is answered the thread may go back to GPAC (a
    // pipelined process()), which can replace the PID's property map and free this value.
    if (p) value = ownedCopy(*p);
    if (pe) gpac.gf_filter_release_property(pe);
  });
  if (missing) throwState(env, "getProp: the PID is gone (removed, or not created yet)", "ERR_GPAC_PID_GONE");
  return value ? propToJs(env, value->v, key.code) : env.Undefined();
}

Napi::Value PluginWorker::PidProps(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  auto core = Core(env, "enumProps");
  PluginCore *c = core.get();
  OwnedPropList entries;
  bool missing = false;
  Request(env, "enumProps", [&] {
    GF_FilterPid *pid = c->tables().pidPtr(id);
    if (!pid) {
      missing = true;
      return;
    }
    entries = ownedCopies(pidPropList(pid));  // copied on GPAC's thread, as getProp
  });
  if (missing) throwState(env, "enumProps: the PID is gone (removed, or not created yet)", "ERR_GPAC_PID_GONE");
  return propEntries(env, entries);
}

Napi::Value PluginWorker::PidSetProp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "pid");
  bool isInfo = boolArg(info, 4);
  PropKey key = propKeyFromJs(env, info[1], isInfo ? "setInfo" : "setProp");
  std::shared_ptr<OwnedProp> prop = jsToProp(env, info[2], key, strArg(info, 3), std::string(isInfo ? "setInfo " : "setProp ") + (key.name.empty() ? propName(key.code, nullptr) : key.name));
  auto core = Core(env, "setProp");
  PluginCore *c = core.get();
  core->intent([c, id, key, prop, isInfo] {
    GF_FilterPid *pid = c->tables().pidPtr(id);
    if (!pid) return;
    const GF_PropertyValue *v = prop->remove ? nullptr : &prop->v;
    // GPAC makes the PID's property map for a property written (not for an info, nor removing what is not there).
    if (v && !isInfo) c->tables().markHasProps(id);
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

Napi::Value PluginWorker::PidCopyProps(const Napi::CallbackInfo &info) {
  uint32_t dst = u32Arg(info, 0, "copyProps: output PID"), src = u32Arg(info, 1, "copyProps: input PID");
  auto core = Core(info.Env(), "copyProps");
  PluginCore *c = core.get();
  core->intent([c, dst, src] {
    GF_FilterPid *d = c->tables().pidPtr(dst), *s = c->tables().pidPtr(src);
    if (d && s && gpac.gf_filter_pid_copy_properties(d, s) == GF_OK) c->tables().markHasProps(dst);
  });
  return info.Env().Undefined();
}

Napi::Value PluginWorker::PidResetProps(const Napi::CallbackInfo &info) {
  uint32_t id = u32Arg(info, 0, "resetProps: PID");
  auto core = Core(info.Env(), "resetProps");
  PluginCore *c = core.get();
  core->intent([c, id] {
    if (GF_FilterPid *p = c->tables().pidPtr(id)) {
      gpac.gf_filter_pid_reset_properties(p);
      c->tables().markHasProps(id);
    }
  });
  return info.Env().Undefined();
}

Napi::Value PluginWorker::PidSendEvent(const Napi::CallbackInfo &info) {
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
  PluginCore *c = core.get();
  core->intent([c, id, evt, strings] {
    GF_FilterPid *pid = c->tables().pidPtr(id);
    if (!pid) return;
    evt->base.on_pid = pid;
    gpac.gf_filter_pid_send_event(pid, evt.get());  // GPAC copies the event
  });
  return env.Undefined();
}

Napi::Value PluginWorker::PidQueryCap(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "queryCap: PID");
  PropKey key = propKeyFromJs(env, info[1], "queryCap");
  auto core = Core(env, "queryCap");
  PluginCore *c = core.get();
  std::unique_ptr<OwnedProp> value;
  bool missing = false;
  Request(env, "queryCap", [&] {
    GF_FilterPid *pid = c->tables().pidPtr(id);
    if (!pid) {
      missing = true;
      return;
    }
    const GF_PropertyValue *p = key.code ? gpac.gf_filter_pid_caps_query(pid, key.code) : gpac.gf_filter_pid_caps_query_str(pid, key.name.c_str());
    if (p) value = ownedCopy(*p);  // the destination's capabilities may change once GPAC's thread goes on
  });
  if (missing) throwState(env, "queryCap: the PID is gone (removed, or not created yet)", "ERR_GPAC_PID_GONE");
  return value ? propToJs(env, value->v, key.code) : env.Null();
}

Napi::Value PluginWorker::PidNegotiateCap(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t id = u32Arg(info, 0, "negotiateCap: PID");
  PropKey key = propKeyFromJs(env, info[1], "negotiateCap");
  std::shared_ptr<OwnedProp> prop = jsToProp(env, info[2], key, strArg(info, 3), "negotiateCap");
  auto core = Core(env, "negotiateCap");
  PluginCore *c = core.get();
  core->intent([c, id, key, prop] {
    GF_FilterPid *pid = c->tables().pidPtr(id);
    if (!pid || prop->remove) return;
    if (key.code) gpac.gf_filter_pid_negotiate_property(pid, key.code, &prop->v);
    else gpac.gf_filter_pid_negotiate_property_dyn(pid, const_cast<char *>(key.name.c_str()), &prop->v);
  });
  return env.Undefined();
}

}  // namespace gts
