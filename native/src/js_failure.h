// A JavaScript error serialized on the thread that caught it, for another thread to report: shared by the
// session side (a task's Slot) and the plugin side (a Call), which is why it is not in either.
#pragma once
#include <string>
#include <utility>

namespace gts {

/** A JavaScript error serialized on the JS thread: what reaches the session owner. */
struct JsFailure {
  std::string origin;   // e.g. "task 'probe'", "onFilterNew"
  std::string name;     // the JS error's name ("TypeError", "TimeoutError" …)
  std::string message;
  std::string stack;
  std::string file;     // the plugin module, when the callback was a plugin's
  // The plugin's worker went away under the call (its JS torn down): why (out of memory, process.exit(),
  // terminate()) reaches the main thread as the worker's own error and exit events.
  bool workerExit = false;
};

/** The failure of a call whose plugin worker went away (`origin` may be left for the caller to fill). */
inline JsFailure workerGoneFailure(std::string origin, std::string why) {
  JsFailure f{std::move(origin), "Error", std::move(why), "", ""};
  f.workerExit = true;
  return f;
}

}  // namespace gts
