// The addon instance: one per Node environment (main thread, each worker), so that nothing JS-related is
// static. It holds the class constructors and the sessions of its environment, and ends them when the
// environment goes away (a worker exiting while its session runs).
#pragma once
#include <napi.h>

#include <memory>
#include <vector>

#include "session/session_core.h"

namespace gts {

class GpacAddon : public Napi::Addon<GpacAddon> {
 public:
  GpacAddon(Napi::Env env, Napi::Object exports);
  ~GpacAddon();

  /** Throws unless the library is bound in this environment and close() was not called. */
  void CheckOpen(Napi::Env env, const char *op);
  void Track(const std::shared_ptr<SessionCore> &core);

  Napi::FunctionReference sessionCtor;
  Napi::FunctionReference filterCtor;
  Napi::FunctionReference pluginWorkerCtor;
  Napi::FunctionReference hookWorkerCtor;

 private:
  Napi::Value Bind(const Napi::CallbackInfo &info);
  Napi::Value Prefetch(const Napi::CallbackInfo &info);
  Napi::Value BoundPath(const Napi::CallbackInfo &info);
  Napi::Value Generated(const Napi::CallbackInfo &info);
  Napi::Value InitLib(const Napi::CallbackInfo &info);
  Napi::Value SetArgs(const Napi::CallbackInfo &info);
  Napi::Value SetLogs(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);
  Napi::Value IsClosed(const Napi::CallbackInfo &info);
  Napi::Value ErrorToString(const Napi::CallbackInfo &info);
  Napi::Value ErrorName(const Napi::CallbackInfo &info);
  Napi::Value Constants(const Napi::CallbackInfo &info);
  Napi::Value PropertyInfo(const Napi::CallbackInfo &info);

  void CloseSessions();

  bool attached_ = false;
  bool closed_ = false;
  std::vector<std::weak_ptr<SessionCore>> sessions_;
};

}  // namespace gts
