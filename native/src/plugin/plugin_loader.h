// Main-thread entry points of plugins (plugin_loader.cc), registered on the addon.
#pragma once
#include <napi.h>

namespace gts {

Napi::Value NewPlugin(const Napi::CallbackInfo &info);
Napi::Value PluginSetup(const Napi::CallbackInfo &info);
Napi::Value PluginWorkerGone(const Napi::CallbackInfo &info);
Napi::Value PluginStats(const Napi::CallbackInfo &info);
Napi::Value PluginReturned(const Napi::CallbackInfo &info);

}  // namespace gts
