// JS value → GF_PropertyValue, for what a plugin writes: output PID and packet properties,
// capabilities, negotiated caps. The conversion runs on the worker's JS thread and produces an OwnedProp
// (value + the storage its pointers use), which a GPAC thread applies later; GPAC copies what it keeps,
// except for capabilities, which take a GPAC-allocated deep copy (gpacOwnedCopy).
// The other way, what a plugin reads of a PID is copied into OwnedProps by the GPAC thread serving the
// request (ownedCopy), and converted to JS on the worker from that copy: once the request is answered the
// GPAC thread may go on (a pipelined process()) and replace the PID's property map.
#pragma once
#include <napi.h>

#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "gpac_api.h"
#include "props.h"

namespace gts {

struct OwnedProp {
  GF_PropertyValue v{};
  bool remove = false;  // null/undefined: the property is removed
  std::string str;
  std::vector<u8> bytes;
  std::vector<std::string> strs;
  std::vector<char *> strPtrs;
  std::vector<u32> u32s;
  std::vector<s32> s32s;
  std::vector<GF_PropVec2i> v2is;

  OwnedProp() = default;
  OwnedProp(const OwnedProp &) = delete;
  OwnedProp &operator=(const OwnedProp &) = delete;
};

/** Where a property goes: its built-in code, or 0 and a user-defined name. */
struct PropKey {
  u32 code = 0;
  std::string name;
};

/** A property name, 4CC text or code (number) → its key. Throws a TypeError for anything else. */
PropKey propKeyFromJs(Napi::Env env, const Napi::Value &v, const std::string &what);

/** Converts `value` for property `key`. `type` is a GPAC type name ("uint", "str", "frac" …) for
 *  user-defined properties (inferred from the value when empty); built-in properties use their own type.
 *  Throws a TypeError/RangeError saying what was expected and what was received. */
std::unique_ptr<OwnedProp> jsToProp(Napi::Env env, const Napi::Value &value, const PropKey &key, const std::string &type,
                                    const std::string &what);

/** A deep copy allocated with GPAC's allocator (gf_strdup/gf_malloc), for APIs that take ownership
 *  (gf_filter_push_caps frees capability values with gf_props_reset_single). */
GF_PropertyValue gpacOwnedCopy(const OwnedProp &p);

/** A deep copy of GPAC's `p` that owns its storage (GPAC thread); nothing of GPAC's is read through it. */
std::unique_ptr<OwnedProp> ownedCopy(const GF_PropertyValue &p);

/** Enumerated properties (code, name, value), copied: see ownedCopy. */
using OwnedPropList = std::vector<std::tuple<u32, std::string, std::unique_ptr<OwnedProp>>>;
OwnedPropList ownedCopies(const PropList &entries);
/** propEntries over copies. */
Napi::Value propEntries(Napi::Env env, const OwnedPropList &entries);

}  // namespace gts
