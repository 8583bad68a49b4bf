// Runtime types of the tables that the generator writes into generated/native/gpac_api.cc: enum members
// (exported to JS as constants) and struct field layouts (read/written generically by reflect.cc, so that
// statistics and filter events get every field of the installed GPAC without hand-kept marshalling).
// A field's kind is derived by the compiler from the declared C type (FieldKindOf), not by the generator,
// so the table cannot disagree with the layout it describes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

enum GpacFieldKind {
  GPAC_FIELD_U8,
  GPAC_FIELD_U16,
  GPAC_FIELD_U32,
  GPAC_FIELD_S32,
  GPAC_FIELD_U64,
  GPAC_FIELD_S64,
  GPAC_FIELD_FLOAT,
  GPAC_FIELD_DOUBLE,
  GPAC_FIELD_ENUM,      // a C enum (int-sized); Bool is one in GPAC
  GPAC_FIELD_CSTR,      // (const) char *
  GPAC_FIELD_POINTER,   // any other pointer: exposed as a bigint address, never written from JS
  GPAC_FIELD_FRACTION,  // GF_Fraction
  GPAC_FIELD_FRACTION64,// GF_Fraction64
  GPAC_FIELD_UNSUPPORTED
};

struct GpacFieldInfo {
  const char *c_name;
  const char *js_name;
  size_t offset;
  GpacFieldKind kind;
  bool is_bool;  // the C type is GPAC's Bool: exposed as a JS boolean
};

struct GpacStructInfo {
  const char *name;
  size_t size;
  const GpacFieldInfo *fields;
  size_t nb_fields;
};

struct GpacEnumMember {
  const char *name;
  int64_t value;
};

struct GpacEnumInfo {
  const char *name;
  const GpacEnumMember *members;
  size_t nb_members;
};

/** Which member of union __gf_filter_event a GF_FEventType uses. */
struct GpacEventMember {
  uint32_t type;
  const char *member;
  const GpacStructInfo *info;
};

template <typename T, typename Frac, typename Frac64>
constexpr GpacFieldKind gpac_field_kind() {
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_same_v<U, Frac>) return GPAC_FIELD_FRACTION;
  else if constexpr (std::is_same_v<U, Frac64>) return GPAC_FIELD_FRACTION64;
  else if constexpr (std::is_pointer_v<U>) {
    using P = std::remove_cv_t<std::remove_pointer_t<U>>;
    if constexpr (std::is_same_v<P, char>) return GPAC_FIELD_CSTR;
    else return GPAC_FIELD_POINTER;
  } else if constexpr (std::is_enum_v<U>) {
    static_assert(sizeof(U) == 4, "GPAC enums are int-sized");
    return GPAC_FIELD_ENUM;
  } else if constexpr (std::is_same_v<U, float>) return GPAC_FIELD_FLOAT;
  else if constexpr (std::is_same_v<U, double>) return GPAC_FIELD_DOUBLE;
  else if constexpr (std::is_integral_v<U> && sizeof(U) == 1) return GPAC_FIELD_U8;
  else if constexpr (std::is_integral_v<U> && sizeof(U) == 2) return GPAC_FIELD_U16;
  else if constexpr (std::is_integral_v<U> && sizeof(U) == 4) return std::is_signed_v<U> ? GPAC_FIELD_S32 : GPAC_FIELD_U32;
  else if constexpr (std::is_integral_v<U> && sizeof(U) == 8) return std::is_signed_v<U> ? GPAC_FIELD_S64 : GPAC_FIELD_U64;
  else return GPAC_FIELD_UNSUPPORTED;
}

/** One field table entry; `BoolT` is GPAC's Bool so that booleans are told apart from other enums. */
#define GPAC_FIELD(Struct, field, jsName, BoolT)                                                            \
  {                                                                                                          \
    #field, jsName, offsetof(Struct, field),                                                                 \
        gpac_field_kind<decltype(Struct::field), GF_Fraction, GF_Fraction64>(),                              \
        std::is_same_v<std::remove_cv_t<decltype(Struct::field)>, BoolT>                                    \
  }
