// GF_PropertyValue → JS, for every GF_PropType (the JS → GPAC direction goes through GPAC's own text
// syntax, src/properties.ts, until plugins set properties natively).
#pragma once
#include <napi.h>

#include <string>
#include <tuple>
#include <vector>

#include "gpac_api.h"

namespace gts {

/** 32-bit integers → number; 64-bit → bigint; fractions → {num, den}; vectors → {x, y[, z, w]};
 *  data → Uint8Array (a copy: GPAC may free the property after this call); lists → arrays;
 *  4CCs, enums, StreamType and CodecID → names (as libgpac.py), unless the name would not parse back
 *  to the same value. `p4cc` is the property's code (0 for user-defined ones). */
Napi::Value propToJs(Napi::Env env, const GF_PropertyValue &p, u32 p4cc);

/** The property's name: its built-in name, else its 4CC as text. */
std::string propName(u32 p4cc, const char *pname);

/** A property name or 4CC ("PIDI") → its code; 0 for a user-defined name. */
u32 propCode(const std::string &name);

/** Properties of a PID or packet as enumerated: code, name, value (GPAC's, valid while it holds them). */
using PropList = std::vector<std::tuple<u32, std::string, const GF_PropertyValue *>>;
PropList pidPropList(GF_FilterPid *pid);
PropList pckPropList(GF_FilterPacket *pck);
/** [name, value, type name, code] entries (src/native.ts NativePropEntry), for every enumeration: the
 *  session's Filter.pidProps and a plugin's (whose pointers a GPAC thread collected and which are converted
 *  on the worker). */
Napi::Value propEntries(Napi::Env env, const PropList &entries);

}  // namespace gts
