// Argument readers shared by the worker-side methods of plugins (plugin_worker.cc, pid.cc,
// packet.cc): lenient where the runtime (src/plugin/*) already checked, strict on ids.
#pragma once
#include <napi.h>

#include <string>

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

/** One name of a name-selected operation (filterQuery, pidQuery, pidSet, pckSet, pckOp) and what it selects. */
template <typename E>
struct NamedOp {
  const char *name;
  E op;
};

/** The operation argument `i` names in `table`. An unknown name is a TypeError naming it and the valid ones:
 *  the runtime's names (src/native.ts) are compared with these by test/native/boundary.test.ts. */
template <typename E, size_t N>
E opArg(const Napi::CallbackInfo &info, size_t i, const NamedOp<E> (&table)[N], const char *fn, const char *kind) {
  Napi::Value v = info.Length() > i ? info[i] : info.Env().Undefined();
  std::string name = v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
  if (v.IsString())
    for (const auto &e : table)
      if (name == e.name) return e.op;
  std::string valid;
  for (const auto &e : table) valid += std::string(valid.empty() ? "" : ", ") + e.name;
  throwType(info.Env(), std::string(fn) + ": unknown " + kind + " " + (v.IsString() ? "\"" + name + "\"" : describe(v)) +
                            " (expected one of: " + valid + ")");
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

}  // namespace gts
