// Session: the JS wrapper of a filter session. The GPAC-facing state is in SessionCore; this class holds
// what only the JS thread may touch (the dispatcher, the pending run() promise).
#pragma once
#include <napi.h>

#include <memory>
#include <optional>

#include "session_core.h"

namespace gts {

class Session : public Napi::ObjectWrap<Session> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit Session(const Napi::CallbackInfo &info);
  ~Session() override;

  /** The run thread ended (or the session was closed under it): settles the run() promise. */
  void FinishRun(Napi::Env env, GF_Err err, bool closedWhileRunning = false, uint32_t stuckAfterMs = 0);

  std::shared_ptr<SessionCore> core() const { return core_; }

 private:
  GF_FilterSession *Fs(Napi::Env env, const char *op);
  void NotRunning(Napi::Env env, const char *op);
  Napi::Value Failure(Napi::Env env);

  Napi::Value LoadSrc(const Napi::CallbackInfo &info);
  Napi::Value LoadDst(const Napi::CallbackInfo &info);
  Napi::Value Load(const Napi::CallbackInfo &info);
  Napi::Value Run(const Napi::CallbackInfo &info);
  Napi::Value Step(const Napi::CallbackInfo &info);
  /** The failure recorded since the last run, if any (a FileIO's open that threw during loadSrc …). */
  Napi::Value TakeFailure(const Napi::CallbackInfo &info) { return Failure(info.Env()); }
  Napi::Value LastTask(const Napi::CallbackInfo &info);
  Napi::Value Reporting(const Napi::CallbackInfo &info);
  Napi::Value Abort(const Napi::CallbackInfo &info);
  Napi::Value Post(const Napi::CallbackInfo &info);
  Napi::Value NbFilters(const Napi::CallbackInfo &info);
  Napi::Value GetFilter(const Napi::CallbackInfo &info);
  Napi::Value PrintGraph(const Napi::CallbackInfo &info);
  Napi::Value PrintStats(const Napi::CallbackInfo &info);
  Napi::Value IsSupportedMime(const Napi::CallbackInfo &info);
  Napi::Value IsSupportedSource(const Napi::CallbackInfo &info);
  Napi::Value FireEvent(const Napi::CallbackInfo &info);
  Napi::Value HttpBitrate(const Napi::CallbackInfo &info);
  Napi::Value HttpMaxBitrate(const Napi::CallbackInfo &info);
  void SetHttpMaxBitrate(const Napi::CallbackInfo &info, const Napi::Value &v);
  Napi::Value SetFilterEvents(const Napi::CallbackInfo &info);
  Napi::Value SetCallbackTimeout(const Napi::CallbackInfo &info);
  Napi::Value SetAbortTimeout(const Napi::CallbackInfo &info);
  Napi::Value SetStallTimeout(const Napi::CallbackInfo &info);
  Napi::Value Abandoned(const Napi::CallbackInfo &info);
  Napi::Value Running(const Napi::CallbackInfo &info);
  Napi::Value QueuedCalls(const Napi::CallbackInfo &info);
  Napi::Value Closed(const Napi::CallbackInfo &info);
  Napi::Value Close(const Napi::CallbackInfo &info);

  std::shared_ptr<SessionCore> core_;
  Napi::FunctionReference dispatch_;
  std::optional<Napi::Promise::Deferred> deferred_;
  bool inStep_ = false;
};

}  // namespace gts
