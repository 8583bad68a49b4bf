// Main-thread entry points of hook plugins (hook_loader.cc), registered on the addon: making a hook's
// core before its worker starts, binding it to a session's filters, learning that its worker died.
#pragma once
#include <napi.h>

namespace gts {

Napi::Value NewHook(const Napi::CallbackInfo &info);          // (kind, {name, file, timeoutMs, loadTimeoutMs}) → id
Napi::Value HookBindSession(const Napi::CallbackInfo &info);  // (session, id): every new filter it fits
Napi::Value HookBindFilter(const Napi::CallbackInfo &info);   // (session, filter, id)
Napi::Value HookWorkerGone(const Napi::CallbackInfo &info);   // (id, error?, failSession = true)
Napi::Value HookStats(const Napi::CallbackInfo &info);        // (id) → {calls, requests}
Napi::Value HookClose(const Napi::CallbackInfo &info);        // (id)

}  // namespace gts
