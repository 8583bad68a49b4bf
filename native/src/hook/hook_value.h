// A JS-shaped value built on a GPAC thread and turned into JavaScript on a worker's thread (or back): the
// arguments and results of hook calls (hook_core.h). GPAC's own memory never crosses: strings are copied,
// and byte buffers are owned by the value (shared), so a worker that answers late reads nothing GPAC freed.
#pragma once
#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gpac_reflect.h"

namespace gts {

struct HookValue {
  enum class Type : uint8_t { Undefined, Null, Bool, Number, String, Bytes, Array, Object };
  Type type = Type::Undefined;
  bool boolean = false;
  double number = 0;
  std::string string;
  /** Bytes: shared storage, so that the worker's view keeps it alive; JS sees [offset, offset + length). */
  std::shared_ptr<std::vector<uint8_t>> bytes;
  size_t offset = 0, length = 0;
  std::vector<HookValue> items;                              // Array
  std::vector<std::pair<std::string, HookValue>> fields;     // Object, in insertion order

  static HookValue null() { return of(Type::Null); }
  static HookValue of(bool b) { HookValue v(Type::Bool); v.boolean = b; return v; }
  static HookValue of(double n) { HookValue v(Type::Number); v.number = n; return v; }
  static HookValue of(int n) { return of(static_cast<double>(n)); }
  static HookValue of(uint32_t n) { return of(static_cast<double>(n)); }
  static HookValue of(uint64_t n) { return of(static_cast<double>(n)); }
  static HookValue of(int64_t n) { return of(static_cast<double>(n)); }
  /** A string, or null for a null pointer. */
  static HookValue str(const char *s) { if (!s) return null(); HookValue v(Type::String); v.string = s; return v; }
  static HookValue str(std::string s) { HookValue v(Type::String); v.string = std::move(s); return v; }
  static HookValue buffer(std::shared_ptr<std::vector<uint8_t>> b, size_t offset, size_t length) {
    HookValue v(Type::Bytes);
    v.bytes = std::move(b);
    v.offset = offset;
    v.length = length;
    return v;
  }
  static HookValue array() { return of(Type::Array); }
  static HookValue object() { return of(Type::Object); }

  HookValue &set(std::string key, HookValue v) {
    fields.emplace_back(std::move(key), std::move(v));
    return *this;
  }
  HookValue &push(HookValue v) {
    items.push_back(std::move(v));
    return *this;
  }
  /** An Object's field, or null. */
  const HookValue *get(const char *key) const;
  bool isNumber() const { return type == Type::Number; }

  HookValue() = default;

 private:
  explicit HookValue(Type t) : type(t) {}
  static HookValue of(Type t) { return HookValue(t); }
};

/** Buffers lent to JavaScript during one call, detached when it settles (late access sees length 0). */
using LentBuffers = std::vector<Napi::Reference<Napi::ArrayBuffer>>;

/** JS value of `v` (worker thread). Bytes become a Uint8Array over the value's storage, recorded in `lent`. */
Napi::Value hookToJs(Napi::Env env, const HookValue &v, LentBuffers *lent);
/** What a JS callback returned, as a HookValue (functions and symbols are a TypeError; bigints become
 *  numbers; typed arrays are copied). */
HookValue hookFromJs(const Napi::Value &v, const std::string &what);
/** Every field of a GPAC struct through its generated field table, read on the calling (GPAC) thread;
 *  64-bit integers become numbers and pointers are left out. */
HookValue structToHook(const GpacStructInfo &info, const void *base);

}  // namespace gts
