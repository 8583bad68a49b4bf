// The JS side of the hand-off: what the session's thread-safe function does on the JS thread.
#pragma once
#include <napi.h>

#include <memory>
#include <string>

#include "slot.h"

namespace gts {

/** Calls the session's dispatcher with {kind:'task', id} and settles `slot` from what it returns: a
 *  number, undefined/null (= done), a Promise of those, or a thrown error (serialized). Never throws. */
void dispatchTask(Napi::Env env, Napi::Function dispatch, uint64_t id, const std::shared_ptr<Slot> &slot,
                  const std::string &taskName);

/** Serializes any thrown JS value (an Error or not) into a JsFailure. */
JsFailure serializeJsError(Napi::Env env, const Napi::Value &thrown, const std::string &origin);

}  // namespace gts
