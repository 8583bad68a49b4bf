// Struct ↔ JS object through the generated field tables (gpac_reflect.h): statistics and filter events
// get every field of the GPAC they were generated from, with camelCase names.
#pragma once
#include <napi.h>

#include <deque>
#include <string>

#include "gpac_api.h"

namespace gts {

/** The table for a struct the generator emitted; throws std::logic_error if absent (a build bug). */
const GpacStructInfo &structInfo(const char *name);

Napi::Object structToJs(Napi::Env env, const GpacStructInfo &info, const void *base);

/** Writes the fields present in `src` into `base` (pointers other than strings cannot be written).
 *  Strings are kept in `strings` until the struct is used. Unknown keys are a TypeError naming the
 *  valid ones; `skip` lists keys the caller handles itself. */
void jsToStruct(Napi::Env env, const GpacStructInfo &info, const Napi::Object &src, void *base,
                std::deque<std::string> &strings, const std::string &what, const std::vector<std::string> &skip);

}  // namespace gts
