// GF_PropertyValue → JS, for every GF_PropType (the JS → GPAC direction goes through GPAC's own text
// syntax, src/properties.ts, until custom filters set properties natively).
#pragma once
#include <napi.h>

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

}  // namespace gts
