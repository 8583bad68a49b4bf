#include "events.h"

#include <cmath>

#include "filter.h"
#include "session.h"
#include "session_core.h"
#include "util.h"

namespace gts {

namespace {
// o[key] as a string, or false when it is not one or its getter throws (each field is read on its own, so
// that a throwing `stack` getter does not lose the message).
bool readString(const Napi::Object &o, const char *key, std::string *out) {
  try {
    Napi::Value v = o.Get(key);
    if (!v.IsString()) return false;
    *out = v.As<Napi::String>().Utf8Value();
    return true;
  } catch (const Napi::Error &) {
    return false;
  }
}
}  // namespace

JsFailure serializeJsError(Napi::Env env, const Napi::Value &thrown, const std::string &origin) {
  JsFailure f;
  f.origin = origin;
  if (thrown.IsObject()) {
    Napi::Object o = thrown.As<Napi::Object>();
    if (!readString(o, "name", &f.name)) f.name = "Error";
    if (!readString(o, "message", &f.message)) {
      try {
        f.message = thrown.ToString().Utf8Value();
      } catch (const Napi::Error &) {
        f.message = "(its message could not be read)";
      }
    }
    readString(o, "stack", &f.stack);
  } else {
    f.name = "Error";
    try {
      // String(), not a coercion: it prints Symbols too.
      Napi::Value text = env.Global().Get("String").As<Napi::Function>().Call({thrown});
      f.message = "a non-Error value was thrown: " + text.As<Napi::String>().Utf8Value();
    } catch (const Napi::Error &) {
      f.message = "a non-Error value that cannot be printed was thrown";
    }
  }
  return f;
}

static void settleFromValue(Napi::Env env, const Napi::Value &v, const std::shared_ptr<Slot> &slot,
                            const std::string &taskName) {
  if (v.IsUndefined() || v.IsNull()) {
    slot->complete(-1);
  } else if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    slot->complete(std::isnan(d) ? -1 : d);
  } else {
    JsFailure f;
    f.name = "TypeError";
    std::string received;
    try {
      received = describe(v);  // may run JS (a constructor getter): never let it throw from here
    } catch (const Napi::Error &) {
      received = "an unprintable value";
    }
    f.message = "execute() of task '" + taskName +
                "' must return milliseconds before the next call (>= 0), or -1/undefined to stop; received " + received;
    slot->fail(std::move(f));
  }
  (void)env;
}

void dispatchTask(Napi::Env env, Napi::Function dispatch, uint64_t id, const std::shared_ptr<Slot> &slot,
                  const std::string &taskName) {
  try {
    Napi::Object ev = Napi::Object::New(env);
    ev.Set("kind", "task");
    ev.Set("id", Napi::Number::New(env, static_cast<double>(id)));
    Napi::Value res = dispatch.Call({ev});
    if (res.IsPromise()) {
      Napi::Object p = res.As<Napi::Object>();
      auto onOk = Napi::Function::New(env, [slot, taskName](const Napi::CallbackInfo &info) {
        settleFromValue(info.Env(), info[0], slot, taskName);
      });
      auto onErr = Napi::Function::New(env, [slot, taskName](const Napi::CallbackInfo &info) {
        slot->fail(serializeJsError(info.Env(), info[0], "task '" + taskName + "'"));
      });
      p.Get("then").As<Napi::Function>().Call(p, {onOk, onErr});
    } else {
      settleFromValue(env, res, slot, taskName);
    }
  } catch (const Napi::Error &e) {
    slot->fail(serializeJsError(env, e.Value(), "task '" + taskName + "'"));
  }
}

/** An onFilterNew/onFilterDel listener: errors (thrown or rejected) end the session like a task's. */
static void dispatchFilterEvent(Napi::Env env, Napi::Function dispatch, SessionCore *core, Event *ev) {
  const char *kind = ev->kind == EventKind::FilterNew ? "filterNew" : "filterDel";
  std::string origin = ev->kind == EventKind::FilterNew ? "onFilterNew" : "onFilterDel";
  std::weak_ptr<SessionCore> weak = core->shared_from_this();
  try {
    Napi::Object obj = Napi::Object::New(env);
    obj.Set("kind", kind);
    obj.Set("filter", Filter::NewInstance(env, core->shared_from_this(), ev->ref));
    Napi::Value res = dispatch.Call({obj});
    // A GPAC thread may wait for the listener (SessionCore::filterCreated): released once it settles.
    std::shared_ptr<Slot> slot = ev->slot;
    if (res.IsPromise()) {
      Napi::Object p = res.As<Napi::Object>();
      auto onOk = Napi::Function::New(env, [slot](const Napi::CallbackInfo &info) {
        if (slot) slot->complete(0);
        return info.Env().Undefined();
      });
      auto onErr = Napi::Function::New(env, [weak, origin, slot](const Napi::CallbackInfo &info) {
        if (auto c = weak.lock()) c->recordFailure(serializeJsError(info.Env(), info[0], origin));
        if (slot) slot->complete(0);
      });
      p.Get("then").As<Napi::Function>().Call(p, {onOk, onErr});
    } else if (slot) {
      slot->complete(0);
    }
  } catch (const Napi::Error &e) {
    core->recordFailure(serializeJsError(env, e.Value(), origin));
    if (ev->slot) ev->slot->complete(0);
  }
}

void callJs(Napi::Env env, Napi::Function fn, TsfnContext *ctx, Event *ev) {
  std::unique_ptr<Event> owned(ev);
  auto core = ctx ? ctx->core.lock() : nullptr;
  if (env == nullptr || !core) {
    // The environment is going away: a GPAC thread may be waiting on this call, release it now.
    if (ev->slot) ev->slot->cancel();
    return;
  }
  Napi::HandleScope scope(env);
  switch (ev->kind) {
    case EventKind::Task:
      dispatchTask(env, fn, ev->taskId, ev->slot, ev->taskName);
      break;
    case EventKind::FilterNew:
    case EventKind::FilterDel:
      dispatchFilterEvent(env, fn, core.get(), ev);
      break;
    case EventKind::RunDone:
      core->joinRun();
      core->refEvents(env, false);
      if (core->owner) core->owner->FinishRun(env, ev->err);
      break;
    case EventKind::RunStuck:
      // GPAC did not stop after an abort: settle run() now; close() will abandon the session.
      core->refEvents(env, false);
      if (core->owner) core->owner->FinishRun(env, GF_SERVICE_ERROR, false, ev->waitedMs);
      break;
  }
}

}  // namespace gts
