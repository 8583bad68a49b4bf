#include "util.h"

#include <cmath>

#include "lib.h"

namespace gts {

// Random 128-bit values, fixed per class.
const napi_type_tag kSessionTag = {0x6a1c0e3fd2a84b57ULL, 0x9b1e3c5d7f2a4e61ULL};
const napi_type_tag kFilterTag = {0x2d7e9a41c6b35f08ULL, 0x83f0c2a9e5d4b716ULL};
const napi_type_tag kCtorTokenTag = {0xc40f6e2b8a1d3957ULL, 0x5e27b9d0f3a8c614ULL};

std::string errorName(int code) {
  for (size_t i = 0; i < gpac_enums_count; i++) {
    const GpacEnumInfo *e = gpac_enums[i];
    if (std::string(e->name) != "GF_Err") continue;
    for (size_t j = 0; j < e->nb_members; j++)
      if (e->members[j].value == code) return e->members[j].name;
  }
  return "GF_ERROR_" + std::to_string(code);
}

std::string errorMessage(int code) {
  if (libraryBound()) {
    const char *s = gpac.gf_error_to_string(static_cast<GF_Err>(code));
    if (s) return s;
  }
  return errorName(code);
}

void throwGf(Napi::Env env, GF_Err code, const std::string &operation, const std::string &detail) {
  std::string msg = operation + " failed: " + errorMessage(code) + (detail.empty() ? "" : " (" + detail + ")");
  Napi::Error err = Napi::Error::New(env, msg);
  err.Set("gfCode", Napi::Number::New(env, code));
  err.Set("gfName", Napi::String::New(env, errorName(code)));
  err.Set("operation", Napi::String::New(env, operation));
  throw err;
}

void throwState(Napi::Env env, const std::string &message, const char *code) {
  Napi::Error err = Napi::Error::New(env, message);
  err.Set("code", Napi::String::New(env, code));
  throw err;
}

void throwType(Napi::Env env, const std::string &message) {
  throw Napi::TypeError::New(env, message);
}

std::string describe(const Napi::Value &v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return std::string("boolean ") + (v.As<Napi::Boolean>().Value() ? "true" : "false");
    case napi_number: {
      double d = v.As<Napi::Number>().DoubleValue();
      char buf[64];
      snprintf(buf, sizeof buf, "number %.17g", d);
      return buf;
    }
    case napi_string: {
      std::string s = v.As<Napi::String>().Utf8Value();
      if (s.size() > 40) s = s.substr(0, 40) + "…";
      return "string \"" + s + "\"";
    }
    case napi_bigint: return "bigint";
    case napi_symbol: return "symbol";
    case napi_function: return "function";
    case napi_object: {
      if (v.IsArray()) return "array";
      if (v.IsTypedArray()) return "typed array";
      Napi::Value ctor = v.As<Napi::Object>().Get("constructor");
      if (ctor.IsFunction()) {
        std::string n = ctor.As<Napi::Object>().Get("name").ToString().Utf8Value();
        if (!n.empty() && n != "Object") return "an instance of " + n;
      }
      return "object";
    }
    default: return "value";
  }
}

std::string argString(const Napi::CallbackInfo &info, size_t i, const char *what) {
  if (info.Length() <= i || !info[i].IsString())
    throwType(info.Env(), std::string(what) + ": expected a string, received " + describe(info[i]));
  return info[i].As<Napi::String>().Utf8Value();
}

std::string argOptString(const Napi::CallbackInfo &info, size_t i, const char *what, bool *present) {
  *present = false;
  if (info.Length() <= i || info[i].IsUndefined() || info[i].IsNull()) return std::string();
  if (!info[i].IsString())
    throwType(info.Env(), std::string(what) + ": expected a string or undefined, received " + describe(info[i]));
  *present = true;
  return info[i].As<Napi::String>().Utf8Value();
}

static double argInteger(const Napi::CallbackInfo &info, size_t i, const char *what, double lo, double hi) {
  if (info.Length() <= i || !info[i].IsNumber())
    throwType(info.Env(), std::string(what) + ": expected an integer, received " + describe(info[i]));
  double d = info[i].As<Napi::Number>().DoubleValue();
  if (std::trunc(d) != d || d < lo || d > hi) {
    char buf[160];
    snprintf(buf, sizeof buf, "%s: expected an integer in [%.0f, %.0f], received %.17g", what, lo, hi, d);
    throw Napi::RangeError::New(info.Env(), buf);
  }
  return d;
}

uint32_t argU32(const Napi::CallbackInfo &info, size_t i, const char *what) {
  return static_cast<uint32_t>(argInteger(info, i, what, 0, 4294967295.0));
}

int32_t argS32(const Napi::CallbackInfo &info, size_t i, const char *what) {
  return static_cast<int32_t>(argInteger(info, i, what, -2147483648.0, 2147483647.0));
}

bool argBool(const Napi::CallbackInfo &info, size_t i, const char *what, bool dflt) {
  if (info.Length() <= i || info[i].IsUndefined()) return dflt;
  if (!info[i].IsBoolean()) throwType(info.Env(), std::string(what) + ": expected a boolean, received " + describe(info[i]));
  return info[i].As<Napi::Boolean>().Value();
}

}  // namespace gts
