// Argument readers shared by the worker-side methods of custom filters (custom_worker.cc, pid.cc,
// packet.cc): lenient where the runtime (src/custom/*) already checked, strict on ids.
#pragma once
#include <napi.h>

#include <string>
#include <tuple>
#include <vector>

#include "gpac_api.h"
#include "gpac_reflect.h"
#include "props.h"
#include "util.h"

namespace gts {

inline u32 u32Arg(const Napi::CallbackInfo &info, size_t i, const char *what) { return argU32(info, i, what); }

inline double idArg(const Napi::CallbackInfo &info, size_t i, const char *what) {
  if (info.Length() <= i || !info[i].IsNumber()) throwType(info.Env(), std::string(what) + ": expected an id, received " + describe(info[i]));
  return info[i].As<Napi::Number>().DoubleValue();
}

inline double numArg(const Napi::CallbackInfo &info, size_t i) {
  return info.Length() > i && info[i].IsNumber() ? info[i].As<Napi::Number>().DoubleValue() : 0;
}

inline bool boolArg(const Napi::CallbackInfo &info, size_t i) {
  return info.Length() > i && info[i].IsBoolean() && info[i].As<Napi::Boolean>().Value();
}

inline std::string strArg(const Napi::CallbackInfo &info, size_t i) {
  return info.Length() > i && info[i].IsString() ? info[i].As<Napi::String>().Utf8Value() : std::string();
}

/** setMaxPids' argument as GPAC's u32: -1 (libgpac.py's "no limit", a c_uint there) is the largest count. */
inline u32 maxExtraPids(double n) { return n < 0 ? UINT32_MAX : n > 4294967295.0 ? UINT32_MAX : static_cast<u32>(n); }

/** Exact as a number up to 2^53 (timestamps, durations); a bigint beyond. */
inline Napi::Value u64Value(Napi::Env env, u64 v) {
  if (v <= 9007199254740991ull) return Napi::Number::New(env, static_cast<double>(v));
  return Napi::BigInt::New(env, static_cast<uint64_t>(v));
}

/** Which member of union __gf_filter_event (and its field table) a GF_FEventType uses. */
inline const GpacEventMember *eventMember(u32 type) {
  for (size_t i = 0; i < gpac_event_members_count; i++)
    if (gpac_event_members[i].type == type) return &gpac_event_members[i];
  return nullptr;
}

using PropList = std::vector<std::tuple<u32, std::string, const GF_PropertyValue *>>;

/** [name, value, type, code] entries, converted on the worker from pointers a GPAC thread collected. */
inline Napi::Value propEntries(Napi::Env env, const PropList &entries) {
  Napi::Array out = Napi::Array::New(env, entries.size());
  uint32_t n = 0;
  for (auto &[code, name, p] : entries) {
    Napi::Array e = Napi::Array::New(env, 4);
    e.Set(0u, Napi::String::New(env, name));
    e.Set(1u, propToJs(env, *p, code));
    e.Set(2u, Napi::String::New(env, gpac.gf_props_get_type_name(p->type)));
    e.Set(3u, Napi::Number::New(env, code));
    out.Set(n++, e);
  }
  return out;
}

}  // namespace gts
