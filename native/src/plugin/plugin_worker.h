// The worker half of a plugin: a JS object in the plugin worker's environment, attached to the
// PluginCore (plugin_core.h) by the core's id. It owns the thread-safe function that carries GPAC's
// callbacks to the worker, and gives the worker runtime (src/plugin/*) its native calls: intents (recorded,
// applied later by a GPAC thread) and requests (answered by the GPAC thread waiting on the callback).
#pragma once
#include <napi.h>

#include <memory>
#include <unordered_map>

#include "plugin_core.h"

namespace gts {

struct WorkerMsg {
  enum class Type : uint8_t { Call, Release } type;
  std::shared_ptr<Call> call;
  double sharedId = 0;
};

struct WorkerCtx {
  std::weak_ptr<PluginCore> core;
};

/** The hand-off counters of `core` as a JS object (calls, pipelined, packets, requests, intents). */
Napi::Object pluginStatsObject(Napi::Env env, const PluginCore &core);

void pluginCallJs(Napi::Env env, Napi::Function dispatch, WorkerCtx *ctx, WorkerMsg *msg);
using WorkerTsfn = Napi::TypedThreadSafeFunction<WorkerCtx, WorkerMsg, pluginCallJs>;

/** Payload views alive in this worker: which packet each one shows, so that a detach or a GC updates the
 *  core's count exactly once. Worker thread only. */
struct ViewTable {
  std::weak_ptr<PluginCore> core;
  std::unordered_map<uint64_t, double> live;  // view key → packet id
  uint64_t next = 1;
  void gone(uint64_t key);
};

class PluginWorker : public Napi::ObjectWrap<PluginWorker> {
 public:
  static Napi::Function Define(Napi::Env env);
  /** attachPlugin(id, dispatch): the worker's side of plugin `id`. */
  static Napi::Value Attach(const Napi::CallbackInfo &info);

  explicit PluginWorker(const Napi::CallbackInfo &info);
  ~PluginWorker() override;

 private:
  std::shared_ptr<PluginCore> Core(Napi::Env env, const char *op);
  void Request(Napi::Env env, const char *op, std::function<void()> fn);
  GF_FilterPid *PidOf(uint32_t id);
  void Detach(const std::string &why);
  static void EnvCleanup(void *arg);

  // lifecycle
  Napi::Value Complete(const Napi::CallbackInfo &info);     // (seq, value)
  Napi::Value Fail(const Napi::CallbackInfo &info);         // (seq, error)
  Napi::Value ReportError(const Napi::CallbackInfo &info);  // (error, origin)
  Napi::Value Stats(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);
  // filter
  Napi::Value NewPid(const Napi::CallbackInfo &info);
  Napi::Value FilterCall(const Napi::CallbackInfo &info);   // (op, a, b, c)
  Napi::Value FilterQuery(const Napi::CallbackInfo &info);  // (what)
  // PIDs
  Napi::Value PidQuery(const Napi::CallbackInfo &info);     // (pid, what, a, b, c)
  Napi::Value PidSet(const Napi::CallbackInfo &info);       // (pid, what, a)
  Napi::Value PidProp(const Napi::CallbackInfo &info);      // (pid, key, info)
  Napi::Value PidProps(const Napi::CallbackInfo &info);     // (pid, info)
  Napi::Value PidSetProp(const Napi::CallbackInfo &info);   // (pid, key, value, type, info)
  Napi::Value PidCopyProps(const Napi::CallbackInfo &info); // (dst, src)
  Napi::Value PidResetProps(const Napi::CallbackInfo &info);
  Napi::Value PidSendEvent(const Napi::CallbackInfo &info); // (pid, event)
  Napi::Value PidQueryCap(const Napi::CallbackInfo &info);  // (pid, key)
  Napi::Value PidNegotiateCap(const Napi::CallbackInfo &info);  // (pid, key, value, type)
  // packets
  Napi::Value ApplyTape(const Napi::CallbackInfo &info);    // (Float64Array of [op, a, b])
  Napi::Value PckRelease(const Napi::CallbackInfo &info);   // (id)
  Napi::Value PckView(const Napi::CallbackInfo &info);      // (id, writable) → [ArrayBuffer, key]
  Napi::Value PckDetach(const Napi::CallbackInfo &info);    // (ArrayBuffer, key)
  Napi::Value PckAddress(const Napi::CallbackInfo &info);   // (id) → bigint
  Napi::Value PckInfo(const Napi::CallbackInfo &info);      // (id) → Float64Array record
  Napi::Value PckProp(const Napi::CallbackInfo &info);      // (id, key)
  Napi::Value PckProps(const Napi::CallbackInfo &info);     // (id)
  Napi::Value NewPck(const Napi::CallbackInfo &info);       // (opid, size)
  Napi::Value NewPckRef(const Napi::CallbackInfo &info);    // (opid, src, size, offset)
  Napi::Value NewPckCopy(const Napi::CallbackInfo &info);   // (opid, src, clone)
  Napi::Value NewPckShared(const Napi::CallbackInfo &info); // (opid, Uint8Array, sharedId)
  Napi::Value PckSet(const Napi::CallbackInfo &info);       // (id, field, value[, value2])
  Napi::Value PckSetProp(const Napi::CallbackInfo &info);   // (id, key, value, type)
  Napi::Value PckMergeProps(const Napi::CallbackInfo &info);// (src, dst)
  Napi::Value PckOp(const Napi::CallbackInfo &info);        // (id, op, arg): discard, readonly, truncate

  std::shared_ptr<PluginCore> core_;
  WorkerTsfn tsfn_;
  bool tsfnOpen_ = false;
  std::shared_ptr<ViewTable> views_;
  napi_env env_ = nullptr;
  bool cleanupHooked_ = false;
};

}  // namespace gts
