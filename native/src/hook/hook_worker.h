// The worker half of a hook plugin (hook_core.h): a JS object in the plugin worker's environment,
// attached to its HookCore by id. It owns the thread-safe function that carries GPAC's calls to the
// worker, lends their byte arguments to JS (detached when the call settles) and gives the worker
// runtime (src/hook/runtime.ts) complete / fail / request.
#pragma once
#include <napi.h>

#include <memory>
#include <unordered_map>

#include "hook/hook_core.h"

namespace gts {

struct HookCtx {
  std::weak_ptr<HookCore> core;
};

void hookCallJs(Napi::Env env, Napi::Function dispatch, HookCtx *ctx, std::shared_ptr<HookCall> *call);
using HookTsfn = Napi::TypedThreadSafeFunction<HookCtx, std::shared_ptr<HookCall>, hookCallJs>;

class HookWorker : public Napi::ObjectWrap<HookWorker> {
 public:
  static Napi::Function Define(Napi::Env env);
  /** attachHook(id, dispatch, methods): the worker's side of hook `id`; dispatch(seq, method, ...args). */
  static Napi::Value Attach(const Napi::CallbackInfo &info);

  explicit HookWorker(const Napi::CallbackInfo &info);
  ~HookWorker() override;

  /** Buffers of call `seq` lent to JS (hookCallJs records them). */
  void lend(uint64_t seq, LentBuffers buffers);

 private:
  void Detach(const std::string &why);
  void Reclaim(uint64_t seq);
  static void EnvCleanup(void *arg);

  Napi::Value Complete(const Napi::CallbackInfo &info);     // (seq, value)
  Napi::Value Fail(const Napi::CallbackInfo &info);         // (seq, error)
  Napi::Value Request(const Napi::CallbackInfo &info);      // (seq, op, args) → value
  Napi::Value ReportError(const Napi::CallbackInfo &info);  // (error, origin)
  Napi::Value Stats(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);

  std::shared_ptr<HookCore> core_;
  HookTsfn tsfn_;
  bool tsfnOpen_ = false;
  std::unordered_map<uint64_t, LentBuffers> lent_;
  napi_env env_ = nullptr;
  bool cleanupHooked_ = false;
};

}  // namespace gts
