// GPAC's "no timestamp" / "no byte offset" markers, from the generated #defines. Those lack a ULL suffix,
// and g++ warns about such literals with no option to silence it except treating this file as a system
// header (which it does, for this file only).
#pragma once
#pragma GCC system_header
#include "gpac_api.h"

namespace gts {
constexpr u64 kNoTs = static_cast<u64>(GF_FILTER_NO_TS);
constexpr u64 kNoBo = static_cast<u64>(GF_FILTER_NO_BO);
}  // namespace gts
