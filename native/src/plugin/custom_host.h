// Main-thread entry points of custom filters (custom_host.cc), registered on the addon.
#pragma once
#include <napi.h>

namespace gts {

Napi::Value NewCustom(const Napi::CallbackInfo &info);
Napi::Value CustomSetup(const Napi::CallbackInfo &info);
Napi::Value CustomWorkerGone(const Napi::CallbackInfo &info);
Napi::Value CustomStats(const Napi::CallbackInfo &info);

}  // namespace gts
