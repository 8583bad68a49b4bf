#include "reflect.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include "util.h"

namespace gts {

// structToJs/jsToStruct read fractions as two consecutive members.
static_assert(offsetof(GF_Fraction, den) == 4 && offsetof(GF_Fraction64, den) == 8, "fraction layout");

const GpacStructInfo &structInfo(const char *name) {
  for (size_t i = 0; i < gpac_structs_count; i++)
    if (!strcmp(gpac_structs[i]->name, name)) return *gpac_structs[i];
  throw std::logic_error(std::string("no generated field table for ") + name + " (codegen/native-api.json)");
}

template <typename T>
static T rd(const void *base, size_t off) {
  T v;
  memcpy(&v, static_cast<const char *>(base) + off, sizeof v);
  return v;
}

template <typename T>
static void wr(void *base, size_t off, T v) {
  memcpy(static_cast<char *>(base) + off, &v, sizeof v);
}

Napi::Object structToJs(Napi::Env env, const GpacStructInfo &info, const void *base) {
  Napi::Object o = Napi::Object::New(env);
  for (size_t i = 0; i < info.nb_fields; i++) {
    const GpacFieldInfo &f = info.fields[i];
    Napi::Value v;
    switch (f.kind) {
      case GPAC_FIELD_U8: v = Napi::Number::New(env, rd<uint8_t>(base, f.offset)); break;
      case GPAC_FIELD_U16: v = Napi::Number::New(env, rd<uint16_t>(base, f.offset)); break;
      case GPAC_FIELD_U32: v = Napi::Number::New(env, rd<uint32_t>(base, f.offset)); break;
      case GPAC_FIELD_S32: v = Napi::Number::New(env, rd<int32_t>(base, f.offset)); break;
      case GPAC_FIELD_U64: v = Napi::BigInt::New(env, rd<uint64_t>(base, f.offset)); break;
      case GPAC_FIELD_S64: v = Napi::BigInt::New(env, rd<int64_t>(base, f.offset)); break;
      case GPAC_FIELD_FLOAT: v = Napi::Number::New(env, rd<float>(base, f.offset)); break;
      case GPAC_FIELD_DOUBLE: v = Napi::Number::New(env, rd<double>(base, f.offset)); break;
      case GPAC_FIELD_ENUM: {
        int32_t e = rd<int32_t>(base, f.offset);
        v = f.is_bool ? Napi::Value(Napi::Boolean::New(env, e != 0)) : Napi::Value(Napi::Number::New(env, e));
        break;
      }
      case GPAC_FIELD_CSTR: {
        const char *s = rd<const char *>(base, f.offset);
        v = s ? Napi::Value(Napi::String::New(env, s)) : env.Null();
        break;
      }
      case GPAC_FIELD_POINTER: {
        const void *p = rd<const void *>(base, f.offset);
        v = p ? Napi::Value(Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(p)))) : env.Null();
        break;
      }
      case GPAC_FIELD_FRACTION: {
        Napi::Object fr = Napi::Object::New(env);
        fr.Set("num", Napi::Number::New(env, rd<int32_t>(base, f.offset)));
        fr.Set("den", Napi::Number::New(env, rd<uint32_t>(base, f.offset + 4)));
        v = fr;
        break;
      }
      case GPAC_FIELD_FRACTION64: {
        Napi::Object fr = Napi::Object::New(env);
        fr.Set("num", Napi::BigInt::New(env, rd<int64_t>(base, f.offset)));
        fr.Set("den", Napi::BigInt::New(env, rd<uint64_t>(base, f.offset + 8)));
        v = fr;
        break;
      }
      default: continue;  // nested aggregates (e.g. GF_Event in GF_FEVT_Event) are not exposed
    }
    o.Set(f.js_name, v);
  }
  return o;
}

static double numberIn(Napi::Env env, const Napi::Value &v, const std::string &what, double lo, double hi, bool integer) {
  double d;
  if (v.IsNumber()) {
    d = v.As<Napi::Number>().DoubleValue();
  } else if (v.IsBigInt()) {
    bool lossless;
    d = static_cast<double>(v.As<Napi::BigInt>().Int64Value(&lossless));
  } else {
    throwType(env, what + ": expected a number, received " + describe(v));
  }
  if ((integer && std::trunc(d) != d) || d < lo || d > hi || std::isnan(d)) {
    char buf[96];
    snprintf(buf, sizeof buf, "expected %s in [%.0f, %.0f]", integer ? "an integer" : "a number", lo, hi);
    throw Napi::RangeError::New(env, what + ": " + buf + ", received " + describe(v));
  }
  return d;
}

static uint64_t u64Of(Napi::Env env, const Napi::Value &v, const std::string &what) {
  if (v.IsBigInt()) {
    bool lossless;
    uint64_t u = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) throw Napi::RangeError::New(env, what + ": expected an unsigned 64-bit integer, received " + v.ToString().Utf8Value() + "n");
    return u;
  }
  return static_cast<uint64_t>(numberIn(env, v, what, 0, 9007199254740991.0, true));
}

static int64_t s64Of(Napi::Env env, const Napi::Value &v, const std::string &what) {
  if (v.IsBigInt()) {
    bool lossless;
    int64_t s = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) throw Napi::RangeError::New(env, what + ": expected a signed 64-bit integer, received " + v.ToString().Utf8Value() + "n");
    return s;
  }
  return static_cast<int64_t>(numberIn(env, v, what, -9007199254740991.0, 9007199254740991.0, true));
}

void jsToStruct(Napi::Env env, const GpacStructInfo &info, const Napi::Object &src, void *base,
                std::deque<std::string> &strings, const std::string &what, const std::vector<std::string> &skip) {
  Napi::Array keys = src.GetPropertyNames();
  for (uint32_t k = 0; k < keys.Length(); k++) {
    std::string key = keys.Get(k).ToString().Utf8Value();
    bool skipped = false;
    for (auto &s : skip) skipped = skipped || s == key;
    if (skipped) continue;
    const GpacFieldInfo *f = nullptr;
    for (size_t i = 0; i < info.nb_fields; i++)
      if (key == info.fields[i].js_name) f = &info.fields[i];
    std::string fw = what + "." + key;
    if (!f || f->kind == GPAC_FIELD_POINTER || f->kind == GPAC_FIELD_UNSUPPORTED) {
      std::string valid;
      for (size_t i = 0; i < info.nb_fields; i++) {
        const GpacFieldInfo &g = info.fields[i];
        bool sk = g.kind == GPAC_FIELD_POINTER || g.kind == GPAC_FIELD_UNSUPPORTED;
        for (auto &s : skip) sk = sk || s == g.js_name;
        if (!sk) valid += (valid.empty() ? "" : ", ") + std::string(g.js_name);
      }
      throwType(env, fw + ": not a writable field of " + info.name + " (writable: " + valid + ")");
    }
    Napi::Value v = src.Get(key);
    if (v.IsUndefined()) continue;
    switch (f->kind) {
      case GPAC_FIELD_U8: wr<uint8_t>(base, f->offset, static_cast<uint8_t>(numberIn(env, v, fw, 0, 255, true))); break;
      case GPAC_FIELD_U16: wr<uint16_t>(base, f->offset, static_cast<uint16_t>(numberIn(env, v, fw, 0, 65535, true))); break;
      case GPAC_FIELD_U32: wr<uint32_t>(base, f->offset, static_cast<uint32_t>(numberIn(env, v, fw, 0, 4294967295.0, true))); break;
      case GPAC_FIELD_S32: wr<int32_t>(base, f->offset, static_cast<int32_t>(numberIn(env, v, fw, -2147483648.0, 2147483647.0, true))); break;
      case GPAC_FIELD_U64: wr<uint64_t>(base, f->offset, u64Of(env, v, fw)); break;
      case GPAC_FIELD_S64: wr<int64_t>(base, f->offset, s64Of(env, v, fw)); break;
      case GPAC_FIELD_FLOAT: wr<float>(base, f->offset, static_cast<float>(numberIn(env, v, fw, -3.4e38, 3.4e38, false))); break;
      case GPAC_FIELD_DOUBLE: wr<double>(base, f->offset, numberIn(env, v, fw, -1.7e308, 1.7e308, false)); break;
      case GPAC_FIELD_ENUM:
        if (f->is_bool) {
          if (!v.IsBoolean()) throwType(env, fw + ": expected a boolean, received " + describe(v));
          wr<int32_t>(base, f->offset, v.As<Napi::Boolean>().Value() ? 1 : 0);
        } else {
          wr<int32_t>(base, f->offset, static_cast<int32_t>(numberIn(env, v, fw, -2147483648.0, 2147483647.0, true)));
        }
        break;
      case GPAC_FIELD_CSTR:
        if (v.IsNull()) {
          wr<const char *>(base, f->offset, nullptr);
        } else {
          if (!v.IsString()) throwType(env, fw + ": expected a string or null, received " + describe(v));
          strings.push_back(v.As<Napi::String>().Utf8Value());
          wr<const char *>(base, f->offset, strings.back().c_str());
        }
        break;
      case GPAC_FIELD_FRACTION:
      case GPAC_FIELD_FRACTION64: {
        if (!v.IsObject()) throwType(env, fw + ": expected {num, den}, received " + describe(v));
        Napi::Object fr = v.As<Napi::Object>();
        if (f->kind == GPAC_FIELD_FRACTION) {
          wr<int32_t>(base, f->offset, static_cast<int32_t>(numberIn(env, fr.Get("num"), fw + ".num", -2147483648.0, 2147483647.0, true)));
          wr<uint32_t>(base, f->offset + 4, static_cast<uint32_t>(numberIn(env, fr.Get("den"), fw + ".den", 0, 4294967295.0, true)));
        } else {
          wr<int64_t>(base, f->offset, s64Of(env, fr.Get("num"), fw + ".num"));
          wr<uint64_t>(base, f->offset + 8, u64Of(env, fr.Get("den"), fw + ".den"));
        }
        break;
      }
      default: break;
    }
  }
}

}  // namespace gts
