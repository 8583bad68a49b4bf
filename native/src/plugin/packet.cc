// Worker-side packet methods of plugins (FilterPacket in src/plugin/filter-packet.ts): zero-copy
// payload views, the six ways to make an output packet, attribute and property writes (intents), reads
// (requests), and the batched intents of the runtime (applyTape: forward, drop, send).
#include <cstring>

#include "plugin_args.h"
#include "plugin_props.h"
#include "plugin_worker.h"

namespace gts {

// ==================================================================== packets

// applyTape([op, a, b, …]): the hottest intents, batched by the runtime (src/plugin/native-worker.ts Tape),
// recorded as one intent that replays them in order on the GPAC thread.
Napi::Value PluginWorker::ApplyTape(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) throwType(env, "applyTape: expected a Float64Array");
  Napi::Float64Array t = info[0].As<Napi::Float64Array>();
  auto core = Core(env, "applyTape");
  std::vector<double> ops(t.Data(), t.Data() + t.ElementLength());
  PluginCore *c = core.get();
  core->intent([c, ops = std::move(ops)] { c->applyTape(ops); });
  return env.Undefined();
}

Napi::Value PluginWorker::PckRelease(const Napi::CallbackInfo &info) {
  double id = idArg(info, 0, "unref");
  if (!core_ || core_->closed()) return info.Env().Undefined();  // the session released it already
  PluginCore *c = core_.get();
  core_->intent([c, id] {
    PacketEntry s;
    if (!c->tables().packetEntry(id, &s)) return;
    if (s.kind == PacketEntry::Kind::Output) {
      if (s.pck) gpac.gf_filter_pck_discard(s.pck);
      c->tables().freePacket(id);
    } else {
      c->tables().unrefPacket(id);
    }
  });
  return info.Env().Undefined();
}

Napi::Value PluginWorker::PckView(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = idArg(info, 0, "data");
  auto core = Core(env, "data");
  PacketEntry s;
  if (!core->tables().packetEntry(id, &s)) throwState(env, "data: the packet was released", "ERR_GPAC_PACKET_GONE");
  if (!s.pck) {
    // Made by an intent not applied yet (newPckCopy, newPckClone …): let the GPAC thread apply it.
    Request(env, "data", [] {});
    if (!core->tables().packetEntry(id, &s) || !s.pck) throwState(env, "data: the packet could not be created (see the session's logs)", "ERR_GPAC_PACKET_GONE");
  }
  if (!s.data || !s.size) return env.Null();
  uint64_t key = views_->next++;
  views_->live[key] = id;
  core->tables().viewAdded(id);
  auto *hint = new std::pair<std::shared_ptr<ViewTable>, uint64_t>(views_, key);
  // Zero-copy: the ArrayBuffer is GPAC's memory. Its finalizer only updates bookkeeping (it never frees).
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(
      env, s.data, s.size,
      [](Napi::Env, void *, std::pair<std::shared_ptr<ViewTable>, uint64_t> *h) {
        h->first->gone(h->second);
        delete h;
      },
      hint);
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, ab);
  out.Set(1u, Napi::Number::New(env, static_cast<double>(key)));
  return out;
}

Napi::Value PluginWorker::PckDetach(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArrayBuffer()) return env.Undefined();
  Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
  if (!ab.IsDetached()) ab.Detach();
  views_->gone(static_cast<uint64_t>(numArg(info, 1)));
  return env.Undefined();
}

// pckAddress(id, view?) → {gpac, view}: the payload address GPAC reports now (gf_filter_pck_get_data on the
// GPAC thread) and the backing store of the given ArrayBuffer (what JS reads): equal when nothing was copied.
Napi::Value PluginWorker::PckAddress(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = idArg(info, 0, "debugAddress");
  auto core = Core(env, "debugAddress");
  PluginCore *c = core.get();
  const u8 *data = nullptr;
  bool found = false;
  Request(env, "debugAddress", [&] {
    GF_FilterPacket *p = c->tables().pck(id);
    if (!p) return;
    found = true;
    u32 size = 0;
    data = gpac.gf_filter_pck_get_data(p, &size);
  });
  if (!found) throwState(env, "debugAddress: the packet was released", "ERR_GPAC_PACKET_GONE");
  Napi::Object o = Napi::Object::New(env);
  o.Set("gpac", Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(data))));
  if (info.Length() > 1 && info[1].IsArrayBuffer()) {
    Napi::ArrayBuffer ab = info[1].As<Napi::ArrayBuffer>();
    o.Set("view", Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(ab.Data()))));
  } else {
    o.Set("view", env.Null());
  }
  return o;
}

Napi::Value PluginWorker::PckInfo(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = idArg(info, 0, "packet");
  auto core = Core(env, "packet");
  PluginCore *c = core.get();
  double rec[kPckFields];
  bool found = false;
  Request(env, "packet", [&] {
    GF_FilterPacket *p = c->tables().pck(id);
    if (!p) return;
    found = true;
    u32 size = 0;
    const u8 *data = gpac.gf_filter_pck_get_data(p, &size);
    c->tables().setPacket(id, p);  // refresh the payload pointer (truncate, copies)
    packetRecord(p, id, 0, data, size, gpac.gf_filter_pck_is_blocking_ref(p) != GF_FALSE, rec);
    // An output packet gets its PID's properties (timescale included) when sent: until then, the PID's.
    PacketEntry s;
    if (c->tables().packetEntry(id, &s) && s.kind == PacketEntry::Kind::Output) {
      GF_FilterPid *pid = c->tables().pidPtr(s.pid);
      const GF_PropertyValue *ts = pid ? gpac.gf_filter_pid_get_property(pid, GF_PROP_PID_TIMESCALE) : nullptr;
      rec[kPckTimescale] = ts ? ts->value.uint : 0;
    } else {
      rec[kPckTimescale] = gpac.gf_filter_pck_get_timescale(p);
    }
  });
  if (!found) throwState(env, "packet: the packet was released or could not be created", "ERR_GPAC_PACKET_GONE");
  auto ab = Napi::ArrayBuffer::New(env, sizeof rec);
  memcpy(ab.Data(), rec, sizeof rec);
  return Napi::Float64Array::New(env, kPckFields, ab, 0);
}

Napi::Value PluginWorker::PckProp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = idArg(info, 0, "getProp");
  PropKey key = propKeyFromJs(env, info[1], "getProp");
  auto core = Core(env, "getProp");
  PluginCore *c = core.get();
  const GF_PropertyValue *v = nullptr;
  Request(env, "getProp", [&] {
    GF_FilterPacket *p = c->tables().pck(id);
    if (!p) return;
    v = key.code ? gpac.gf_filter_pck_get_property(p, key.code) : gpac.gf_filter_pck_get_property_str(p, key.name.c_str());
  });
  // The packet is held (referenced, or ours and not sent): its properties stay put.
  return v ? propToJs(env, *v, key.code) : env.Undefined();
}

Napi::Value PluginWorker::PckProps(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = idArg(info, 0, "enumProps");
  auto core = Core(env, "enumProps");
  PluginCore *c = core.get();
  PropList entries;
  Request(env, "enumProps", [&] {
    GF_FilterPacket *p = c->tables().pck(id);
    if (!p) return;
    entries = pckPropList(p);
  });
  return propEntries(env, entries);
}

Napi::Value PluginWorker::NewPck(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t opid = u32Arg(info, 0, "newPck: output PID");
  u32 size = u32Arg(info, 1, "newPck: size");
  auto core = Core(env, "newPck");
  PluginCore *c = core.get();
  double id = core->tables().allocPacket(PacketEntry::Kind::Output, opid);
  bool ok = false;
  try {
    Request(env, "newPck", [&] {
      GF_FilterPid *pid = c->tables().pidPtr(opid);
      if (!pid) return;
      u8 *data = nullptr;
      GF_FilterPacket *p = gpac.gf_filter_pck_new_alloc(pid, size, &data);
      if (!p) return;
      c->tables().setPacket(id, p);
      ok = true;
    });
  } catch (...) {
    core->tables().freePacket(id);
    throw;
  }
  if (!ok) {
    core->tables().freePacket(id);
    throwGf(env, GF_OUT_OF_MEM, "newPck", "gf_filter_pck_new_alloc failed (unknown output PID, or out of memory)");
  }
  return Napi::Number::New(env, id);
}

Napi::Value PluginWorker::NewPckRef(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t opid = u32Arg(info, 0, "newPckRef: output PID");
  double src = idArg(info, 1, "newPckRef: source packet");
  u32 size = static_cast<u32>(numArg(info, 2)), offset = static_cast<u32>(numArg(info, 3));
  auto core = Core(env, "newPckRef");
  PluginCore *c = core.get();
  double id = core->tables().allocPacket(PacketEntry::Kind::Output, opid, true);
  core->intent([c, id, opid, src, size, offset] {
    GF_FilterPid *pid = c->tables().pidPtr(opid);
    GF_FilterPacket *s = c->tables().pck(src);
    GF_FilterPacket *p = pid && s ? gpac.gf_filter_pck_new_ref(pid, offset, size, s) : nullptr;
    if (p) c->tables().setPacket(id, p);
    else c->tables().freePacket(id);
  });
  return Napi::Number::New(env, id);
}

Napi::Value PluginWorker::NewPckCopy(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t opid = u32Arg(info, 0, "newPckCopy: output PID");
  double src = idArg(info, 1, "newPckCopy: source packet");
  bool clone = boolArg(info, 2);
  auto core = Core(env, clone ? "newPckClone" : "newPckCopy");
  PluginCore *c = core.get();
  double id = core->tables().allocPacket(PacketEntry::Kind::Output, opid);
  core->intent([c, id, opid, src, clone] {
    GF_FilterPid *pid = c->tables().pidPtr(opid);
    GF_FilterPacket *s = c->tables().pck(src);
    u8 *data = nullptr;
    GF_FilterPacket *p = nullptr;
    if (pid && s) p = clone ? gpac.gf_filter_pck_new_clone(pid, s, &data) : gpac.gf_filter_pck_new_copy(pid, s, &data);
    if (p) c->tables().setPacket(id, p);
    else c->tables().freePacket(id);
  });
  return Napi::Number::New(env, id);
}

Napi::Value PluginWorker::NewPckShared(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t opid = u32Arg(info, 0, "newPckShared: output PID");
  if (info.Length() < 2 || !info[1].IsTypedArray()) throwType(env, "newPckShared: expected a Uint8Array, received " + describe(info[1]));
  Napi::TypedArray ta = info[1].As<Napi::TypedArray>();
  double sid = idArg(info, 2, "newPckShared: buffer id");
  const u8 *data = static_cast<const u8 *>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
  u32 size = static_cast<u32>(ta.ByteLength());
  auto core = Core(env, "newPckShared");
  PluginCore *c = core.get();
  double id = core->tables().allocPacket(PacketEntry::Kind::Output, opid, true);
  // The worker keeps the buffer alive (pinned in a Map) until GPAC's destructor posts its id back.
  core->intent([c, id, opid, data, size, sid] {
    GF_FilterPid *pid = c->tables().pidPtr(opid);
    GF_FilterPacket *p = pid ? gpac.gf_filter_pck_new_shared(pid, data, size, &PluginCore::sharedDestructor) : nullptr;
    if (p) {
      c->tables().trackShared(p, sid);
      c->tables().setPacket(id, p);
    } else {
      c->tables().freePacket(id);
    }
  });
  return Napi::Number::New(env, id);
}

namespace {
enum class PckF { Dts, Cts, Sap, Dur, Framing, Interlaced, Corrupted, Seek, ByteOffset, Roll, Crypt, Clock, Carousel, Seqnum, Deps };
constexpr NamedOp<PckF> kPckFieldNames[] = {
    {"dts", PckF::Dts},         {"cts", PckF::Cts},         {"sap", PckF::Sap},
    {"dur", PckF::Dur},         {"framing", PckF::Framing}, {"interlaced", PckF::Interlaced},
    {"corrupted", PckF::Corrupted}, {"seek", PckF::Seek},   {"byteOffset", PckF::ByteOffset},
    {"roll", PckF::Roll},       {"crypt", PckF::Crypt},     {"clock", PckF::Clock},
    {"carousel", PckF::Carousel}, {"seqnum", PckF::Seqnum}, {"deps", PckF::Deps},
};
enum class PckO { Discard, Readonly, Truncate };
constexpr NamedOp<PckO> kPckOps[] = {{"discard", PckO::Discard}, {"readonly", PckO::Readonly}, {"truncate", PckO::Truncate}};
}  // namespace

// pckSet(id, field, value[, value2]): output packet attributes.
Napi::Value PluginWorker::PckSet(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = idArg(info, 0, "packet");
  PckF field = opArg(info, 1, kPckFieldNames, "pckSet", "packet field");
  auto core = Core(env, info[1].As<Napi::String>().Utf8Value().c_str());
  PluginCore *c = core.get();
  // null/undefined/-1 timestamps and byte offset mean "none" (GF_FILTER_NO_TS / GF_FILTER_NO_BO).
  bool none = info.Length() < 3 || info[2].IsNull() || info[2].IsUndefined();
  double v = none ? -1 : (info[2].IsBoolean() ? (info[2].As<Napi::Boolean>().Value() ? 1 : 0) : numArg(info, 2));
  double v2 = info.Length() > 3 && info[3].IsBoolean() ? (info[3].As<Napi::Boolean>().Value() ? 1 : 0) : numArg(info, 3);
  core->intent([c, id, field, v, v2] {
    GF_FilterPacket *p = c->tables().pck(id);
    if (!p) return;
    auto u64v = [](double x, u64 none) { return x < 0 ? none : static_cast<u64>(x); };
    switch (field) {
      case PckF::Dts: gpac.gf_filter_pck_set_dts(p, u64v(v, kNoTs)); break;
      case PckF::Cts: gpac.gf_filter_pck_set_cts(p, u64v(v, kNoTs)); break;
      case PckF::Sap: gpac.gf_filter_pck_set_sap(p, static_cast<GF_FilterSAPType>(static_cast<int>(v))); break;
      case PckF::Dur: gpac.gf_filter_pck_set_duration(p, static_cast<u32>(v)); break;
      case PckF::Framing: gpac.gf_filter_pck_set_framing(p, v ? GF_TRUE : GF_FALSE, v2 ? GF_TRUE : GF_FALSE); break;
      case PckF::Interlaced: gpac.gf_filter_pck_set_interlaced(p, static_cast<u32>(v)); break;
      case PckF::Corrupted: gpac.gf_filter_pck_set_corrupted(p, v ? GF_TRUE : GF_FALSE); break;
      case PckF::Seek: gpac.gf_filter_pck_set_seek_flag(p, v ? GF_TRUE : GF_FALSE); break;
      case PckF::ByteOffset: gpac.gf_filter_pck_set_byte_offset(p, u64v(v, kNoBo)); break;
      case PckF::Roll: gpac.gf_filter_pck_set_roll_info(p, static_cast<s16>(v)); break;
      case PckF::Crypt: gpac.gf_filter_pck_set_crypt_flags(p, static_cast<u8>(v)); break;
      case PckF::Clock: gpac.gf_filter_pck_set_clock_type(p, static_cast<GF_FilterClockType>(static_cast<int>(v))); break;
      case PckF::Carousel: gpac.gf_filter_pck_set_carousel_version(p, static_cast<u8>(v)); break;
      case PckF::Seqnum: gpac.gf_filter_pck_set_seq_num(p, static_cast<u32>(v)); break;
      case PckF::Deps: gpac.gf_filter_pck_set_dependency_flags(p, static_cast<u8>(v)); break;
    }
  });
  return env.Undefined();
}

Napi::Value PluginWorker::PckSetProp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = idArg(info, 0, "setProp");
  PropKey key = propKeyFromJs(env, info[1], "setProp");
  std::shared_ptr<OwnedProp> prop = jsToProp(env, info[2], key, strArg(info, 3), "setProp " + (key.name.empty() ? propName(key.code, nullptr) : key.name));
  auto core = Core(env, "setProp");
  PluginCore *c = core.get();
  core->intent([c, id, key, prop] {
    GF_FilterPacket *p = c->tables().pck(id);
    if (!p) return;
    const GF_PropertyValue *v = prop->remove ? nullptr : &prop->v;
    if (key.code) gpac.gf_filter_pck_set_property(p, key.code, v);
    else gpac.gf_filter_pck_set_property_dyn(p, const_cast<char *>(key.name.c_str()), v);
  });
  return env.Undefined();
}

Napi::Value PluginWorker::PckMergeProps(const Napi::CallbackInfo &info) {
  double src = idArg(info, 0, "copyProps: source"), dst = idArg(info, 1, "copyProps: destination");
  auto core = Core(info.Env(), "copyProps");
  PluginCore *c = core.get();
  core->intent([c, src, dst] {
    GF_FilterPacket *s = c->tables().pck(src), *d = c->tables().pck(dst);
    if (s && d) gpac.gf_filter_pck_merge_properties(s, d);
  });
  return info.Env().Undefined();
}

// pckOp(id, op, arg): discard, readonly, truncate (sending is batched: applyTape).
Napi::Value PluginWorker::PckOp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  double id = idArg(info, 0, "packet");
  PckO op = opArg(info, 1, kPckOps, "pckOp", "packet operation");
  u32 arg = static_cast<u32>(numArg(info, 2));
  auto core = Core(env, info[1].As<Napi::String>().Utf8Value().c_str());
  PluginCore *c = core.get();
  if (op == PckO::Readonly) {
    // GPAC's read-only mark is for shared memory only: on an allocated packet, gf_filter_pck_set_readonly
    // makes GPAC's destroy path count a shared packet it never counted (its PID's shared-packet counter
    // wraps, and the packet goes to the wrong reservoir).
    PacketEntry s;
    if (core->tables().packetEntry(id, &s) && !s.sharedMem)
      throwType(env, "readonly: only for packets over memory GPAC does not own (newPckShared, newPckRef); the memory of newPck, newPckCopy and newPckClone packets is GPAC's");
  }
  core->intent([c, id, op, arg] {
    GF_FilterPacket *p = c->tables().pck(id);
    if (!p) return;
    switch (op) {
      case PckO::Discard:
        gpac.gf_filter_pck_discard(p);
        c->tables().freePacket(id);
        break;
      case PckO::Readonly: gpac.gf_filter_pck_set_readonly(p); break;
      case PckO::Truncate:
        gpac.gf_filter_pck_truncate(p, arg);
        c->tables().setPacket(id, p);
        break;
    }
  });
  return env.Undefined();
}

}  // namespace gts
