#include "hook/hook_value.h"

#include <cmath>
#include <cstring>

#include "util.h"

namespace gts {

const HookValue *HookValue::get(const char *key) const {
  for (auto &f : fields)
    if (f.first == key) return &f.second;
  return nullptr;
}

Napi::Value hookToJs(Napi::Env env, const HookValue &v, LentBuffers *lent) {
  using T = HookValue::Type;
  switch (v.type) {
    case T::Undefined: return env.Undefined();
    case T::Null: return env.Null();
    case T::Bool: return Napi::Boolean::New(env, v.boolean);
    case T::Number: return Napi::Number::New(env, v.number);
    case T::String: return Napi::String::New(env, v.string);
    case T::Bytes: {
      // An external buffer over the value's storage, which its finalizer keeps alive: no copy, and no
      // dangling view if JS keeps it past the call (it is detached then anyway).
      auto *keep = new std::shared_ptr<std::vector<uint8_t>>(v.bytes);
      uint8_t *data = v.bytes ? v.bytes->data() + v.offset : nullptr;
      Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(
          env, data, v.length, [](Napi::Env, void *, std::shared_ptr<std::vector<uint8_t>> *k) { delete k; }, keep);
      if (lent) lent->push_back(Napi::Persistent(ab));
      return Napi::Uint8Array::New(env, v.length, ab, 0);
    }
    case T::Array: {
      Napi::Array a = Napi::Array::New(env, v.items.size());
      for (uint32_t i = 0; i < v.items.size(); i++) a.Set(i, hookToJs(env, v.items[i], lent));
      return a;
    }
    case T::Object: {
      Napi::Object o = Napi::Object::New(env);
      for (auto &f : v.fields) o.Set(f.first, hookToJs(env, f.second, lent));
      return o;
    }
  }
  return env.Undefined();
}

HookValue hookFromJs(const Napi::Value &v, const std::string &what) {
  Napi::Env env = v.Env();
  if (v.IsEmpty() || v.IsUndefined()) return HookValue();
  if (v.IsNull()) return HookValue::null();
  if (v.IsBoolean()) return HookValue::of(v.As<Napi::Boolean>().Value());
  if (v.IsNumber()) return HookValue::of(v.As<Napi::Number>().DoubleValue());
  if (v.IsBigInt()) {
    bool lossless;
    return HookValue::of(static_cast<double>(v.As<Napi::BigInt>().Int64Value(&lossless)));
  }
  if (v.IsString()) return HookValue::str(v.As<Napi::String>().Utf8Value());
  if (v.IsTypedArray() || v.IsArrayBuffer() || v.IsDataView()) {
    const uint8_t *p = nullptr;
    size_t n = 0;
    if (v.IsArrayBuffer()) {
      auto ab = v.As<Napi::ArrayBuffer>();
      p = static_cast<const uint8_t *>(ab.Data());
      n = ab.ByteLength();
    } else if (v.IsDataView()) {
      auto dv = v.As<Napi::DataView>();
      p = static_cast<const uint8_t *>(dv.Data());
      n = dv.ByteLength();
    } else {
      auto ta = v.As<Napi::TypedArray>();
      p = static_cast<const uint8_t *>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
      n = ta.ByteLength();
    }
    auto store = std::make_shared<std::vector<uint8_t>>(p, p + n);
    return HookValue::buffer(std::move(store), 0, n);
  }
  if (v.IsArray()) {
    Napi::Array a = v.As<Napi::Array>();
    HookValue out = HookValue::array();
    for (uint32_t i = 0; i < a.Length(); i++) out.push(hookFromJs(a.Get(i), what + "[" + std::to_string(i) + "]"));
    return out;
  }
  if (v.IsFunction() || v.IsSymbol()) throwType(env, what + ": expected a number, string, boolean, buffer, array or plain object, received " + describe(v));
  if (v.IsObject()) {
    Napi::Object o = v.As<Napi::Object>();
    Napi::Array keys = o.GetPropertyNames();
    HookValue out = HookValue::object();
    for (uint32_t i = 0; i < keys.Length(); i++) {
      std::string k = keys.Get(i).ToString().Utf8Value();
      Napi::Value fv = o.Get(k);
      if (fv.IsFunction()) continue;  // methods of a class instance are not data
      out.set(k, hookFromJs(fv, what + "." + k));
    }
    return out;
  }
  return HookValue();
}

template <typename T>
static T rd(const void *base, size_t off) {
  T v;
  memcpy(&v, static_cast<const char *>(base) + off, sizeof v);
  return v;
}

HookValue structToHook(const GpacStructInfo &info, const void *base) {
  HookValue o = HookValue::object();
  for (size_t i = 0; i < info.nb_fields; i++) {
    const GpacFieldInfo &f = info.fields[i];
    HookValue v;
    switch (f.kind) {
      case GPAC_FIELD_U8: v = HookValue::of(static_cast<double>(rd<uint8_t>(base, f.offset))); break;
      case GPAC_FIELD_U16: v = HookValue::of(static_cast<double>(rd<uint16_t>(base, f.offset))); break;
      case GPAC_FIELD_U32: v = HookValue::of(rd<uint32_t>(base, f.offset)); break;
      case GPAC_FIELD_S32: v = HookValue::of(rd<int32_t>(base, f.offset)); break;
      case GPAC_FIELD_U64: v = HookValue::of(rd<uint64_t>(base, f.offset)); break;
      case GPAC_FIELD_S64: v = HookValue::of(rd<int64_t>(base, f.offset)); break;
      case GPAC_FIELD_FLOAT: v = HookValue::of(static_cast<double>(rd<float>(base, f.offset))); break;
      case GPAC_FIELD_DOUBLE: v = HookValue::of(rd<double>(base, f.offset)); break;
      case GPAC_FIELD_ENUM: {
        int32_t e = rd<int32_t>(base, f.offset);
        v = f.is_bool ? HookValue::of(e != 0) : HookValue::of(e);
        break;
      }
      case GPAC_FIELD_CSTR: v = HookValue::str(rd<const char *>(base, f.offset)); break;
      case GPAC_FIELD_FRACTION:
        v = HookValue::object()
                .set("num", HookValue::of(rd<int32_t>(base, f.offset)))
                .set("den", HookValue::of(rd<uint32_t>(base, f.offset + 4)));
        break;
      case GPAC_FIELD_FRACTION64:
        v = HookValue::object()
                .set("num", HookValue::of(rd<int64_t>(base, f.offset)))
                .set("den", HookValue::of(rd<uint64_t>(base, f.offset + 8)));
        break;
      default: continue;  // pointers (GPAC memory) and nested aggregates are not copied
    }
    o.set(f.js_name, std::move(v));
  }
  return o;
}

}  // namespace gts
