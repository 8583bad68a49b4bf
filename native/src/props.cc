#include "props.h"

#include <cstring>
#include <type_traits>

namespace gts {

static std::string fourcc(u32 v) {
  char buf[32];
  const char *s = gpac.gf_4cc_to_str_safe(v, buf);  // not gf_4cc_to_str: that one uses a static buffer
  return s ? s : "";
}

static Napi::Value u32Named(Napi::Env env, u32 v, u32 p4cc) {
  if (p4cc == GF_PROP_PID_STREAM_TYPE || p4cc == GF_PROP_PID_ORIG_STREAM_TYPE) {
    const char *n = gpac.gf_stream_type_name(v);
    if (n && gpac.gf_stream_type_by_name(n) == v) return Napi::String::New(env, n);
  } else if (p4cc && gpac.gf_props_type_is_enum(static_cast<GF_PropType>(gpac.gf_props_4cc_get_type(p4cc)))) {
    // Filters often store enum-typed properties (PixelFormat, AudioFormat …) as plain uint: name them too.
    u32 t = gpac.gf_props_4cc_get_type(p4cc);
    const char *n = gpac.gf_props_enum_name(t, v);
    if (n && gpac.gf_props_parse_enum(t, n) == v) return Napi::String::New(env, n);
  } else if (p4cc == GF_PROP_PID_CODECID) {
    // libgpac.py's choice: the first of the codec's short names ("264|avc|h264" → "264").
    const char *ext = gpac.gf_codecid_file_ext(static_cast<GF_CodecID>(v));
    if (ext) {
      std::string first(ext, strcspn(ext, "|"));
      if (!first.empty() && static_cast<u32>(gpac.gf_codecid_parse(first.c_str())) == v)
        return Napi::String::New(env, first);
    }
  }
  return Napi::Number::New(env, v);
}

static Napi::Object vec(Napi::Env env, double x, double y) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("x", x);
  o.Set("y", y);
  return o;
}

Napi::Value propToJs(Napi::Env env, const GF_PropertyValue &p, u32 p4cc) {
  const auto &v = p.value;
  switch (p.type) {
    case GF_PROP_SINT: return Napi::Number::New(env, v.sint);
    case GF_PROP_UINT: return u32Named(env, v.uint, p4cc);
    case GF_PROP_LSINT: return Napi::BigInt::New(env, static_cast<int64_t>(v.longsint));
    case GF_PROP_LUINT: return Napi::BigInt::New(env, static_cast<uint64_t>(v.longuint));
    case GF_PROP_BOOL: return Napi::Boolean::New(env, v.boolean != GF_FALSE);
    case GF_PROP_FRACTION: {
      Napi::Object o = Napi::Object::New(env);
      o.Set("num", Napi::Number::New(env, v.frac.num));
      o.Set("den", Napi::Number::New(env, v.frac.den));
      return o;
    }
    case GF_PROP_FRACTION64: {
      Napi::Object o = Napi::Object::New(env);
      o.Set("num", Napi::BigInt::New(env, static_cast<int64_t>(v.lfrac.num)));
      o.Set("den", Napi::BigInt::New(env, static_cast<uint64_t>(v.lfrac.den)));
      return o;
    }
    case GF_PROP_FLOAT:
      if constexpr (std::is_floating_point_v<Fixed>)
        return Napi::Number::New(env, static_cast<double>(v.fnumber));
      else
        return Napi::Number::New(env, static_cast<double>(v.fnumber) / 65536.0);  // GPAC_FIXED_POINT: 16.16
    case GF_PROP_DOUBLE: return Napi::Number::New(env, v.number);
    case GF_PROP_VEC2I: return vec(env, v.vec2i.x, v.vec2i.y);
    case GF_PROP_VEC2: return vec(env, v.vec2.x, v.vec2.y);
    case GF_PROP_VEC3I: {
      Napi::Object o = vec(env, v.vec3i.x, v.vec3i.y);
      o.Set("z", v.vec3i.z);
      return o;
    }
    case GF_PROP_VEC4I: {
      Napi::Object o = vec(env, v.vec4i.x, v.vec4i.y);
      o.Set("z", v.vec4i.z);
      o.Set("w", v.vec4i.w);
      return o;
    }
    case GF_PROP_STRING:
    case GF_PROP_STRING_NO_COPY:
    case GF_PROP_NAME: return Napi::String::New(env, v.string ? v.string : "");
    case GF_PROP_DATA:
    case GF_PROP_DATA_NO_COPY:
    case GF_PROP_CONST_DATA: {
      auto ab = Napi::ArrayBuffer::New(env, v.data.size);
      if (v.data.size && v.data.ptr) memcpy(ab.Data(), v.data.ptr, v.data.size);
      return Napi::Uint8Array::New(env, v.data.size, ab, 0);
    }
    case GF_PROP_POINTER: return Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(v.ptr)));
    case GF_PROP_STRING_LIST:
    case GF_PROP_STRING_LIST_COPY: {
      Napi::Array a = Napi::Array::New(env, v.string_list.nb_items);
      for (u32 i = 0; i < v.string_list.nb_items; i++) {
        const char *s = v.string_list.vals ? v.string_list.vals[i] : nullptr;
        a.Set(i, Napi::String::New(env, s ? s : ""));
      }
      return a;
    }
    case GF_PROP_UINT_LIST: {
      Napi::Array a = Napi::Array::New(env, v.uint_list.nb_items);
      for (u32 i = 0; i < v.uint_list.nb_items; i++) a.Set(i, Napi::Number::New(env, v.uint_list.vals[i]));
      return a;
    }
    case GF_PROP_SINT_LIST: {
      Napi::Array a = Napi::Array::New(env, v.sint_list.nb_items);
      for (u32 i = 0; i < v.sint_list.nb_items; i++) a.Set(i, Napi::Number::New(env, v.sint_list.vals[i]));
      return a;
    }
    case GF_PROP_4CC_LIST: {
      Napi::Array a = Napi::Array::New(env, v.uint_list.nb_items);
      for (u32 i = 0; i < v.uint_list.nb_items; i++) a.Set(i, Napi::String::New(env, fourcc(v.uint_list.vals[i])));
      return a;
    }
    case GF_PROP_VEC2I_LIST: {
      Napi::Array a = Napi::Array::New(env, v.v2i_list.nb_items);
      for (u32 i = 0; i < v.v2i_list.nb_items; i++) a.Set(i, vec(env, v.v2i_list.vals[i].x, v.v2i_list.vals[i].y));
      return a;
    }
    case GF_PROP_4CC: return Napi::String::New(env, fourcc(v.uint));
    default:
      if (gpac.gf_props_type_is_enum(p.type)) {
        const char *n = gpac.gf_props_enum_name(p.type, v.uint);
        if (n && gpac.gf_props_parse_enum(p.type, n) == v.uint) return Napi::String::New(env, n);
        return Napi::Number::New(env, v.uint);
      }
      return env.Undefined();
  }
}

std::string propName(u32 p4cc, const char *pname) {
  if (pname) return pname;
  const char *n = gpac.gf_props_4cc_get_name(p4cc);
  return n ? n : fourcc(p4cc);
}

u32 propCode(const std::string &name) {
  if (name.size() == 4) {
    u32 c = (static_cast<u32>(static_cast<unsigned char>(name[0])) << 24) |
            (static_cast<u32>(static_cast<unsigned char>(name[1])) << 16) |
            (static_cast<u32>(static_cast<unsigned char>(name[2])) << 8) | static_cast<unsigned char>(name[3]);
    if (gpac.gf_props_4cc_get_type(c) != GF_PROP_FORBIDDEN) return c;
  }
  return gpac.gf_props_get_id(name.c_str());
}

PropList pidPropList(GF_FilterPid *pid) {
  PropList out;
  u32 idx = 0, code = 0;
  const char *pname = nullptr;
  while (const GF_PropertyValue *p = gpac.gf_filter_pid_enum_properties(pid, &idx, &code, &pname)) {
    out.emplace_back(code, propName(code, pname), p);
    code = 0;
    pname = nullptr;
  }
  return out;
}

PropList pckPropList(GF_FilterPacket *pck) {
  PropList out;
  u32 idx = 0, code = 0;
  const char *pname = nullptr;
  while (const GF_PropertyValue *p = gpac.gf_filter_pck_enum_properties(pck, &idx, &code, &pname)) {
    out.emplace_back(code, propName(code, pname), p);
    code = 0;
    pname = nullptr;
  }
  return out;
}

Napi::Value propEntries(Napi::Env env, const PropList &entries) {
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
