// Filter: a JS handle on a GF_Filter of a session. It stays valid as a JS object after GPAC destroys the
// filter (name and id are kept), but every native call on a destroyed filter is a clear error.
#pragma once
#include <napi.h>

#include <functional>
#include <memory>
#include <string>

#include "session_core.h"

namespace gts {

class Filter : public Napi::ObjectWrap<Filter> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::Object NewInstance(Napi::Env env, std::shared_ptr<SessionCore> core, std::shared_ptr<FilterRef> ref);
  /** The GF_Filter behind a JS value that must be a Filter of `core` (TypeError otherwise). */
  static GF_Filter *FromJs(Napi::Env env, const Napi::Value &v, const SessionCore *core, const char *what);
  /** The same, as the filter's record (for a call that may be made later, on GPAC's thread). */
  static std::shared_ptr<FilterRef> RefFromJs(Napi::Env env, const Napi::Value &v, const SessionCore *core, const char *what);
  /** Throws "`what` '<name>' was destroyed by GPAC" (ERR_GPAC_FILTER_GONE). */
  [[noreturn]] static void ThrowGone(Napi::Env env, const std::string &what, const FilterRef &ref);

  explicit Filter(const Napi::CallbackInfo &info);

 private:
  /** A native call on the live filter: marks it in use so that GPAC cannot free it meanwhile. */
  class Use {
   public:
    Use(Filter *f, Napi::Env env, const char *op);
    ~Use();
    GF_Filter *filter;
    GF_FilterSession *fs;

   private:
    Filter *f_;
  };

  GF_FilterPid *Pid(Napi::Env env, GF_Filter *f, bool input, const Napi::Value &idx, const char *op);
  /**
   * Makes `fn(filter)` where GPAC may be called (GpacQueue): in place, or, while a single-threaded session
   * runs, on GPAC's thread — then `wait` says whether to return only once it was made. The clear errors
   * (filter destroyed, session closed) are thrown first; a filter destroyed before a queued call is made
   * skips it (`fn` is not called), which a waiting caller learns as the same error.
   */
  void OnGpac(Napi::Env env, const char *op, bool wait, std::function<void(GF_Filter *)> fn);

  Napi::Value Serial(const Napi::CallbackInfo &info);
  Napi::Value Alive(const Napi::CallbackInfo &info);
  Napi::Value Name(const Napi::CallbackInfo &info);
  Napi::Value Id(const Napi::CallbackInfo &info);
  Napi::Value NbIpid(const Napi::CallbackInfo &info);
  Napi::Value NbOpid(const Napi::CallbackInfo &info);
  Napi::Value Status(const Napi::CallbackInfo &info);
  Napi::Value BytesDone(const Napi::CallbackInfo &info);
  Napi::Value PidProp(const Napi::CallbackInfo &info);     // (input, idx, name)
  Napi::Value PidProps(const Napi::CallbackInfo &info);    // (input, idx) → [name, value, type, code][]
  Napi::Value PidName(const Napi::CallbackInfo &info);     // (input, idx)
  Napi::Value PidStats(const Napi::CallbackInfo &info);    // (input, idx, mode)
  Napi::Value IpidSource(const Napi::CallbackInfo &info);  // (idx)
  Napi::Value OpidSinks(const Napi::CallbackInfo &info);   // (idx)
  Napi::Value GetInfo(const Napi::CallbackInfo &info);     // (name)
  Napi::Value Statistics(const Napi::CallbackInfo &info);
  Napi::Value Options(const Napi::CallbackInfo &info);
  Napi::Value GetArg(const Napi::CallbackInfo &info);      // (name)
  Napi::Value Update(const Napi::CallbackInfo &info);      // (name, text, propagateMask)
  Napi::Value Remove(const Napi::CallbackInfo &info);
  Napi::Value SetSource(const Napi::CallbackInfo &info);   // (src, linkArgs?, restricted)
  Napi::Value Reconnect(const Napi::CallbackInfo &info);   // (opidIdx)
  Napi::Value RequireSourceId(const Napi::CallbackInfo &info);
  Napi::Value ProbeLink(const Napi::CallbackInfo &info);   // (opidIdx, description)
  Napi::Value Destinations(const Napi::CallbackInfo &info);// (opidIdx)

  std::shared_ptr<SessionCore> core_;
  std::shared_ptr<FilterRef> ref_;
};

}  // namespace gts
