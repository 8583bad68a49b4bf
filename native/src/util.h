// Small helpers shared by the native classes: GF_Err → JS error, argument checks, type tags.
#pragma once
#include <napi.h>

#include <string>

#include "gpac_api.h"

namespace gts {

/** Name of a GF_Err value (e.g. "GF_URL_ERROR"), from the generated enum table; "GF_ERROR_<n>" if unknown. */
std::string errorName(int code);
/** gf_error_to_string when the library is bound, else the name. */
std::string errorMessage(int code);

/** Throws a JS Error carrying gfCode / gfName / operation; src/errors.ts turns it into a GpacError. */
[[noreturn]] void throwGf(Napi::Env env, GF_Err code, const std::string &operation, const std::string &detail = "");
/** A misuse that is not a GPAC failure (closed session, dead filter, running session …). */
[[noreturn]] void throwState(Napi::Env env, const std::string &message, const char *code = "ERR_GPAC_STATE");
[[noreturn]] void throwType(Napi::Env env, const std::string &message);

/** Describes a JS value for "expected …, received …" messages. */
std::string describe(const Napi::Value &v);

std::string argString(const Napi::CallbackInfo &info, size_t i, const char *what);
/** undefined/null → empty, with `present` false. */
std::string argOptString(const Napi::CallbackInfo &info, size_t i, const char *what, bool *present);
uint32_t argU32(const Napi::CallbackInfo &info, size_t i, const char *what);
int32_t argS32(const Napi::CallbackInfo &info, size_t i, const char *what);
bool argBool(const Napi::CallbackInfo &info, size_t i, const char *what, bool dflt);

/** Type tags: every wrapped object is tagged when made and checked when unwrapped, so that a Filter
 *  passed where a Session is expected (or a plain object) is a TypeError, not a wild pointer. */
extern const napi_type_tag kSessionTag;
extern const napi_type_tag kFilterTag;
extern const napi_type_tag kCtorTokenTag;

template <typename T>
T *unwrapTagged(Napi::Env env, const Napi::Value &v, const napi_type_tag &tag, const char *what) {
  if (!v.IsObject() || !v.As<Napi::Object>().CheckTypeTag(&tag))
    throwType(env, std::string("expected a ") + what + ", received " + describe(v));
  return Napi::ObjectWrap<T>::Unwrap(v.As<Napi::Object>());
}

}  // namespace gts
