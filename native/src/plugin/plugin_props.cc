#include "plugin_props.h"

#include <cmath>
#include <cstring>
#include <type_traits>

#include "props.h"
#include "util.h"

namespace gts {

PropKey propKeyFromJs(Napi::Env env, const Napi::Value &v, const std::string &what) {
  PropKey k;
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (d <= 0 || d > 4294967295.0 || std::trunc(d) != d) throwType(env, what + ": expected a property name or 4CC code, received " + describe(v));
    k.code = static_cast<u32>(d);
    if (gpac.gf_props_4cc_get_type(k.code) == GF_PROP_FORBIDDEN)
      throwType(env, what + ": " + std::to_string(k.code) + " is not the code of a built-in property");
    return k;
  }
  if (!v.IsString()) throwType(env, what + ": expected a property name or 4CC code, received " + describe(v));
  k.name = v.As<Napi::String>().Utf8Value();
  if (k.name.empty()) throwType(env, what + ": the property name is empty");
  k.code = propCode(k.name);
  return k;
}

namespace {

[[noreturn]] void expected(Napi::Env env, const std::string &what, const char *type, const std::string &exp, const Napi::Value &v) {
  throwType(env, what + " (type " + type + "): expected " + exp + ", received " + describe(v));
}

double integer(Napi::Env env, const Napi::Value &v, const std::string &what, const char *type, double lo, double hi) {
  if (!v.IsNumber()) expected(env, what, type, "an integer", v);
  double d = v.As<Napi::Number>().DoubleValue();
  if (std::trunc(d) != d || d < lo || d > hi) {
    char buf[96];
    snprintf(buf, sizeof buf, "an integer in [%.0f, %.0f]", lo, hi);
    throw Napi::RangeError::New(env, what + " (type " + type + "): expected " + buf + ", received " + describe(v));
  }
  return d;
}

double number(Napi::Env env, const Napi::Value &v, const std::string &what, const char *type) {
  if (!v.IsNumber()) expected(env, what, type, "a number", v);
  return v.As<Napi::Number>().DoubleValue();
}

int64_t s64(Napi::Env env, const Napi::Value &v, const std::string &what, const char *type) {
  if (v.IsBigInt()) {
    bool lossless;
    int64_t r = v.As<Napi::BigInt>().Int64Value(&lossless);
    if (!lossless) expected(env, what, type, "a signed 64-bit integer", v);
    return r;
  }
  return static_cast<int64_t>(integer(env, v, what, type, -9007199254740991.0, 9007199254740991.0));
}

uint64_t u64(Napi::Env env, const Napi::Value &v, const std::string &what, const char *type) {
  if (v.IsBigInt()) {
    bool lossless;
    uint64_t r = v.As<Napi::BigInt>().Uint64Value(&lossless);
    if (!lossless) expected(env, what, type, "an unsigned 64-bit integer", v);
    return r;
  }
  return static_cast<uint64_t>(integer(env, v, what, type, 0, 9007199254740991.0));
}

Napi::Value field(Napi::Env env, const Napi::Value &v, const char *key, const std::string &what, const char *type, const char *shape) {
  if (!v.IsObject() || v.IsArray()) expected(env, what, type, shape, v);
  Napi::Value f = v.As<Napi::Object>().Get(key);
  if (f.IsUndefined()) expected(env, what, type, shape, v);
  return f;
}

u32 fourcc(Napi::Env env, const Napi::Value &v, const std::string &what, const char *type) {
  if (v.IsNumber()) return static_cast<u32>(integer(env, v, what, type, 0, 4294967295.0));
  if (!v.IsString()) expected(env, what, type, "a four-character string or a number", v);
  std::string s = v.As<Napi::String>().Utf8Value();
  if (s.size() != 4) expected(env, what, type, "a four-character string or a number", v);
  return gpac.gf_4cc_parse(s.c_str());
}

/** The GPAC type of a user-defined property given no type: what the JS value looks like. */
GF_PropType inferType(Napi::Env env, const Napi::Value &v, const std::string &what) {
  if (v.IsBoolean()) return GF_PROP_BOOL;
  if (v.IsString()) return GF_PROP_STRING;
  if (v.IsBigInt()) {
    bool lossless;
    v.As<Napi::BigInt>().Int64Value(&lossless);
    return lossless ? GF_PROP_LSINT : GF_PROP_LUINT;
  }
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (std::trunc(d) != d) return GF_PROP_DOUBLE;
    if (d >= -2147483648.0 && d <= 2147483647.0) return GF_PROP_SINT;
    if (d >= 0 && d <= 4294967295.0) return GF_PROP_UINT;
    return GF_PROP_LSINT;
  }
  if (v.IsTypedArray() || v.IsArrayBuffer()) return GF_PROP_DATA;
  if (v.IsArray()) {
    Napi::Array a = v.As<Napi::Array>();
    bool allStr = true, allNum = true, allPos = true;
    for (uint32_t i = 0; i < a.Length(); i++) {
      Napi::Value e = a.Get(i);
      allStr = allStr && e.IsString();
      allNum = allNum && e.IsNumber();
      if (e.IsNumber() && e.As<Napi::Number>().DoubleValue() < 0) allPos = false;
    }
    if (allStr) return GF_PROP_STRING_LIST;
    if (allNum) return allPos ? GF_PROP_UINT_LIST : GF_PROP_SINT_LIST;
    return GF_PROP_VEC2I_LIST;
  }
  if (v.IsObject()) {
    Napi::Object o = v.As<Napi::Object>();
    if (o.Has("num") && o.Has("den")) return (o.Get("num").IsBigInt() || o.Get("den").IsBigInt()) ? GF_PROP_FRACTION64 : GF_PROP_FRACTION;
    if (o.Has("w")) return GF_PROP_VEC4I;
    if (o.Has("z")) return GF_PROP_VEC3I;
    if (o.Has("x") && o.Has("y")) {
      Napi::Value x = o.Get("x"), y = o.Get("y");
      bool ints = x.IsNumber() && y.IsNumber() && std::trunc(x.As<Napi::Number>().DoubleValue()) == x.As<Napi::Number>().DoubleValue() &&
                  std::trunc(y.As<Napi::Number>().DoubleValue()) == y.As<Napi::Number>().DoubleValue();
      return ints ? GF_PROP_VEC2I : GF_PROP_VEC2;
    }
  }
  throwType(env, what + ": cannot tell the property type of " + describe(v) + "; give the type (e.g. 'uint', 'str', 'frac')");
}

void bytesOf(Napi::Env env, const Napi::Value &v, const std::string &what, std::vector<u8> &out) {
  if (v.IsTypedArray()) {
    Napi::TypedArray ta = v.As<Napi::TypedArray>();
    Napi::ArrayBuffer ab = ta.ArrayBuffer();
    const u8 *p = static_cast<const u8 *>(ab.Data()) + ta.ByteOffset();
    out.assign(p, p + ta.ByteLength());
  } else if (v.IsArrayBuffer()) {
    Napi::ArrayBuffer ab = v.As<Napi::ArrayBuffer>();
    const u8 *p = static_cast<const u8 *>(ab.Data());
    out.assign(p, p + ab.ByteLength());
  } else {
    expected(env, what, "mem", "a Uint8Array or ArrayBuffer", v);
  }
}

}  // namespace

std::unique_ptr<OwnedProp> jsToProp(Napi::Env env, const Napi::Value &value, const PropKey &key, const std::string &typeName,
                                    const std::string &what) {
  auto out = std::make_unique<OwnedProp>();
  if (value.IsUndefined() || value.IsNull()) {
    out->remove = true;
    return out;
  }
  GF_PropType type;
  if (key.code) {
    type = static_cast<GF_PropType>(gpac.gf_props_4cc_get_type(key.code));
    if (!typeName.empty() && gpac.gf_props_parse_type(typeName.c_str()) != type)
      throwType(env, what + ": property " + propName(key.code, nullptr) + " is built in with type " +
                         gpac.gf_props_get_type_name(type) + ", not " + typeName);
  } else if (!typeName.empty()) {
    type = static_cast<GF_PropType>(gpac.gf_props_parse_type(typeName.c_str()));
    if (type == GF_PROP_FORBIDDEN) throwType(env, what + ": unknown property type '" + typeName + "' (uint, sint, luint, lsint, bool, frac, lfrac, flt, dbl, v2di, v2d, v3di, v4di, str, mem, strl, uintl, sintl, v2il, 4cc, 4ccl, pfmt …)");
  } else {
    type = inferType(env, value, what);
  }
  const char *tn = gpac.gf_props_get_type_name(type);
  GF_PropertyValue &p = out->v;
  p.type = type;
  auto &u = p.value;
  switch (type) {
    case GF_PROP_SINT: u.sint = static_cast<s32>(integer(env, value, what, tn, -2147483648.0, 2147483647.0)); break;
    case GF_PROP_UINT:
      // libgpac.py takes names for these two, as GPAC prints them.
      if (value.IsString() && (key.code == GF_PROP_PID_STREAM_TYPE || key.code == GF_PROP_PID_ORIG_STREAM_TYPE)) {
        std::string s = value.As<Napi::String>().Utf8Value();
        u32 st = gpac.gf_stream_type_by_name(s.c_str());
        if (st == 0 && s != "Unknown") throwType(env, what + ": unknown stream type name \"" + s + "\" (Visual, Audio, Text …)");
        u.uint = st;
      } else if (value.IsString() && key.code == GF_PROP_PID_CODECID) {
        std::string s = value.As<Napi::String>().Utf8Value();
        u32 c = static_cast<u32>(gpac.gf_codecid_parse(s.c_str()));
        if (c == 0) throwType(env, what + ": unknown codec name \"" + s + "\" (aac, avc, raw …)");
        u.uint = c;
      } else {
        u.uint = static_cast<u32>(integer(env, value, what, tn, 0, 4294967295.0));
      }
      break;
    case GF_PROP_LSINT: u.longsint = s64(env, value, what, tn); break;
    case GF_PROP_LUINT: u.longuint = u64(env, value, what, tn); break;
    case GF_PROP_BOOL:
      if (!value.IsBoolean()) expected(env, what, tn, "a boolean", value);
      u.boolean = value.As<Napi::Boolean>().Value() ? GF_TRUE : GF_FALSE;
      break;
    case GF_PROP_FRACTION:
      u.frac.num = static_cast<s32>(integer(env, field(env, value, "num", what, tn, "{num, den}"), what + ".num", tn, -2147483648.0, 2147483647.0));
      u.frac.den = static_cast<u32>(integer(env, field(env, value, "den", what, tn, "{num, den}"), what + ".den", tn, 0, 4294967295.0));
      break;
    case GF_PROP_FRACTION64:
      u.lfrac.num = s64(env, field(env, value, "num", what, tn, "{num, den}"), what + ".num", tn);
      u.lfrac.den = u64(env, field(env, value, "den", what, tn, "{num, den}"), what + ".den", tn);
      break;
    case GF_PROP_FLOAT:
      if constexpr (std::is_floating_point_v<Fixed>)
        u.fnumber = static_cast<Fixed>(number(env, value, what, tn));
      else
        u.fnumber = static_cast<Fixed>(number(env, value, what, tn) * 65536.0);
      break;
    case GF_PROP_DOUBLE: u.number = number(env, value, what, tn); break;
    case GF_PROP_VEC2I:
      u.vec2i.x = static_cast<s32>(integer(env, field(env, value, "x", what, tn, "{x, y}"), what + ".x", tn, -2147483648.0, 2147483647.0));
      u.vec2i.y = static_cast<s32>(integer(env, field(env, value, "y", what, tn, "{x, y}"), what + ".y", tn, -2147483648.0, 2147483647.0));
      break;
    case GF_PROP_VEC2:
      u.vec2.x = number(env, field(env, value, "x", what, tn, "{x, y}"), what + ".x", tn);
      u.vec2.y = number(env, field(env, value, "y", what, tn, "{x, y}"), what + ".y", tn);
      break;
    case GF_PROP_VEC3I:
      u.vec3i.x = static_cast<s32>(integer(env, field(env, value, "x", what, tn, "{x, y, z}"), what + ".x", tn, -2147483648.0, 2147483647.0));
      u.vec3i.y = static_cast<s32>(integer(env, field(env, value, "y", what, tn, "{x, y, z}"), what + ".y", tn, -2147483648.0, 2147483647.0));
      u.vec3i.z = static_cast<s32>(integer(env, field(env, value, "z", what, tn, "{x, y, z}"), what + ".z", tn, -2147483648.0, 2147483647.0));
      break;
    case GF_PROP_VEC4I:
      u.vec4i.x = static_cast<s32>(integer(env, field(env, value, "x", what, tn, "{x, y, z, w}"), what + ".x", tn, -2147483648.0, 2147483647.0));
      u.vec4i.y = static_cast<s32>(integer(env, field(env, value, "y", what, tn, "{x, y, z, w}"), what + ".y", tn, -2147483648.0, 2147483647.0));
      u.vec4i.z = static_cast<s32>(integer(env, field(env, value, "z", what, tn, "{x, y, z, w}"), what + ".z", tn, -2147483648.0, 2147483647.0));
      u.vec4i.w = static_cast<s32>(integer(env, field(env, value, "w", what, tn, "{x, y, z, w}"), what + ".w", tn, -2147483648.0, 2147483647.0));
      break;
    case GF_PROP_STRING:
    case GF_PROP_STRING_NO_COPY:
    case GF_PROP_NAME:
      if (!value.IsString()) expected(env, what, tn, "a string", value);
      out->str = value.As<Napi::String>().Utf8Value();
      p.type = GF_PROP_STRING;  // GPAC copies it
      u.string = out->str.data();
      break;
    case GF_PROP_DATA:
    case GF_PROP_DATA_NO_COPY:
    case GF_PROP_CONST_DATA:
      bytesOf(env, value, what, out->bytes);
      p.type = GF_PROP_DATA;  // GPAC copies it
      u.data.ptr = out->bytes.data();
      u.data.size = static_cast<u32>(out->bytes.size());
      break;
    case GF_PROP_STRING_LIST:
    case GF_PROP_STRING_LIST_COPY: {
      if (!value.IsArray()) expected(env, what, tn, "an array of strings", value);
      Napi::Array a = value.As<Napi::Array>();
      out->strs.reserve(a.Length());
      for (uint32_t i = 0; i < a.Length(); i++) {
        Napi::Value e = a.Get(i);
        if (!e.IsString()) expected(env, what + "[" + std::to_string(i) + "]", tn, "a string", e);
        out->strs.push_back(e.As<Napi::String>().Utf8Value());
      }
      for (auto &s : out->strs) out->strPtrs.push_back(s.data());
      // _COPY: GPAC duplicates the strings (plain STRING_LIST would take ownership of our array).
      p.type = GF_PROP_STRING_LIST_COPY;
      u.string_list.vals = out->strPtrs.data();
      u.string_list.nb_items = static_cast<u32>(out->strPtrs.size());
      break;
    }
    case GF_PROP_UINT_LIST:
    case GF_PROP_4CC_LIST: {
      if (!value.IsArray()) expected(env, what, tn, "an array", value);
      Napi::Array a = value.As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); i++) {
        std::string w = what + "[" + std::to_string(i) + "]";
        out->u32s.push_back(type == GF_PROP_4CC_LIST ? fourcc(env, a.Get(i), w, tn) : static_cast<u32>(integer(env, a.Get(i), w, tn, 0, 4294967295.0)));
      }
      if (out->u32s.empty()) expected(env, what, tn, "a non-empty array (GPAC refuses empty lists)", value);
      u.uint_list.vals = out->u32s.data();
      u.uint_list.nb_items = static_cast<u32>(out->u32s.size());
      break;
    }
    case GF_PROP_SINT_LIST: {
      if (!value.IsArray()) expected(env, what, tn, "an array of integers", value);
      Napi::Array a = value.As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); i++)
        out->s32s.push_back(static_cast<s32>(integer(env, a.Get(i), what + "[" + std::to_string(i) + "]", tn, -2147483648.0, 2147483647.0)));
      if (out->s32s.empty()) expected(env, what, tn, "a non-empty array (GPAC refuses empty lists)", value);
      u.sint_list.vals = out->s32s.data();
      u.sint_list.nb_items = static_cast<u32>(out->s32s.size());
      break;
    }
    case GF_PROP_VEC2I_LIST: {
      if (!value.IsArray()) expected(env, what, tn, "an array of {x, y}", value);
      Napi::Array a = value.As<Napi::Array>();
      for (uint32_t i = 0; i < a.Length(); i++) {
        std::string w = what + "[" + std::to_string(i) + "]";
        Napi::Value e = a.Get(i);
        GF_PropVec2i v2;
        v2.x = static_cast<s32>(integer(env, field(env, e, "x", w, tn, "{x, y}"), w + ".x", tn, -2147483648.0, 2147483647.0));
        v2.y = static_cast<s32>(integer(env, field(env, e, "y", w, tn, "{x, y}"), w + ".y", tn, -2147483648.0, 2147483647.0));
        out->v2is.push_back(v2);
      }
      if (out->v2is.empty()) expected(env, what, tn, "a non-empty array (GPAC refuses empty lists)", value);
      u.v2i_list.vals = out->v2is.data();
      u.v2i_list.nb_items = static_cast<u32>(out->v2is.size());
      break;
    }
    case GF_PROP_4CC: u.uint = fourcc(env, value, what, tn); break;
    case GF_PROP_POINTER: throwType(env, what + ": pointer properties cannot be set from JavaScript");
    default:
      if (gpac.gf_props_type_is_enum(type)) {
        if (value.IsString()) {
          std::string s = value.As<Napi::String>().Utf8Value();
          u32 e = gpac.gf_props_parse_enum(type, s.c_str());
          const char *back = gpac.gf_props_enum_name(type, e);
          if (!back || s != back) {
            // parse_enum falls back to a default: only accept names that read back to themselves.
            throwType(env, what + " (type " + tn + "): unknown name \"" + s + "\"");
          }
          u.uint = e;
        } else {
          u.uint = static_cast<u32>(integer(env, value, what, tn, 0, 4294967295.0));
        }
        break;
      }
      throwType(env, what + ": property type " + std::string(tn ? tn : "?") + " cannot be set from JavaScript");
  }
  return out;
}

GF_PropertyValue gpacOwnedCopy(const OwnedProp &o) {
  GF_PropertyValue p = o.v;
  auto &u = p.value;
  switch (o.v.type) {
    case GF_PROP_STRING: u.string = gpac.gf_strdup(o.str.c_str()); break;
    case GF_PROP_DATA: {
      u8 *d = static_cast<u8 *>(gpac.gf_malloc(o.bytes.size() ? o.bytes.size() : 1));
      if (!o.bytes.empty()) memcpy(d, o.bytes.data(), o.bytes.size());
      u.data.ptr = d;
      break;
    }
    case GF_PROP_STRING_LIST_COPY: {
      p.type = GF_PROP_STRING_LIST;  // owned by GPAC from here
      char **vals = static_cast<char **>(gpac.gf_malloc(sizeof(char *) * (o.strs.size() ? o.strs.size() : 1)));
      for (size_t i = 0; i < o.strs.size(); i++) vals[i] = gpac.gf_strdup(o.strs[i].c_str());
      u.string_list.vals = vals;
      break;
    }
    case GF_PROP_UINT_LIST:
    case GF_PROP_4CC_LIST: {
      u32 *vals = static_cast<u32 *>(gpac.gf_malloc(sizeof(u32) * o.u32s.size()));
      memcpy(vals, o.u32s.data(), sizeof(u32) * o.u32s.size());
      u.uint_list.vals = vals;
      break;
    }
    case GF_PROP_SINT_LIST: {
      s32 *vals = static_cast<s32 *>(gpac.gf_malloc(sizeof(s32) * o.s32s.size()));
      memcpy(vals, o.s32s.data(), sizeof(s32) * o.s32s.size());
      u.sint_list.vals = vals;
      break;
    }
    case GF_PROP_VEC2I_LIST: {
      auto *vals = static_cast<GF_PropVec2i *>(gpac.gf_malloc(sizeof(GF_PropVec2i) * o.v2is.size()));
      memcpy(vals, o.v2is.data(), sizeof(GF_PropVec2i) * o.v2is.size());
      u.v2i_list.vals = vals;
      break;
    }
    default: break;
  }
  return p;
}

std::unique_ptr<OwnedProp> ownedCopy(const GF_PropertyValue &p) {
  auto o = std::make_unique<OwnedProp>();
  o->v = p;
  auto &u = o->v.value;
  switch (p.type) {
    case GF_PROP_STRING:
    case GF_PROP_STRING_NO_COPY:
    case GF_PROP_NAME:
      o->str = p.value.string ? p.value.string : "";
      u.string = o->str.data();
      break;
    case GF_PROP_DATA:
    case GF_PROP_DATA_NO_COPY:
    case GF_PROP_CONST_DATA:
      if (p.value.data.ptr && p.value.data.size) o->bytes.assign(p.value.data.ptr, p.value.data.ptr + p.value.data.size);
      u.data.ptr = o->bytes.data();
      u.data.size = static_cast<u32>(o->bytes.size());
      break;
    case GF_PROP_STRING_LIST:
    case GF_PROP_STRING_LIST_COPY:
      for (u32 i = 0; i < p.value.string_list.nb_items; i++) {
        const char *str = p.value.string_list.vals ? p.value.string_list.vals[i] : nullptr;
        o->strs.emplace_back(str ? str : "");
      }
      for (auto &str : o->strs) o->strPtrs.push_back(str.data());
      u.string_list.vals = o->strPtrs.data();
      u.string_list.nb_items = static_cast<u32>(o->strPtrs.size());
      break;
    case GF_PROP_UINT_LIST:
    case GF_PROP_4CC_LIST:
      if (p.value.uint_list.vals) o->u32s.assign(p.value.uint_list.vals, p.value.uint_list.vals + p.value.uint_list.nb_items);
      u.uint_list.vals = o->u32s.data();
      u.uint_list.nb_items = static_cast<u32>(o->u32s.size());
      break;
    case GF_PROP_SINT_LIST:
      if (p.value.sint_list.vals) o->s32s.assign(p.value.sint_list.vals, p.value.sint_list.vals + p.value.sint_list.nb_items);
      u.sint_list.vals = o->s32s.data();
      u.sint_list.nb_items = static_cast<u32>(o->s32s.size());
      break;
    case GF_PROP_VEC2I_LIST:
      if (p.value.v2i_list.vals) o->v2is.assign(p.value.v2i_list.vals, p.value.v2i_list.vals + p.value.v2i_list.nb_items);
      u.v2i_list.vals = o->v2is.data();
      u.v2i_list.nb_items = static_cast<u32>(o->v2is.size());
      break;
    default: break;  // scalars (a POINTER is shown as its address, never followed)
  }
  return o;
}

OwnedPropList ownedCopies(const PropList &entries) {
  OwnedPropList out;
  out.reserve(entries.size());
  for (auto &[code, name, p] : entries) out.emplace_back(code, name, ownedCopy(*p));
  return out;
}

Napi::Value propEntries(Napi::Env env, const OwnedPropList &entries) {
  PropList view;
  view.reserve(entries.size());
  for (auto &[code, name, o] : entries) view.emplace_back(code, name, &o->v);
  return propEntries(env, view);
}

}  // namespace gts
