#include "lib.h"

#include <dlfcn.h>

#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace gts {
namespace {

// A mutex-guarded state rather than std::call_once for gf_sys_init: once the last environment detaches
// libgpac is closed, and a worker started later must be able to initialise it again.
std::mutex g_mx;
void *g_dl = nullptr;
bool g_prefetched = false;
LibInfo g_info;
int g_envs = 0;
int g_sessions = 0;
bool g_sysInit = false;
int g_memTracker = 0;
bool g_hasProfile = false;
std::string g_profile;
// Every argv ever given stays allocated: GPAC threads may still read the previous one while it is replaced.
struct Argv {
  std::vector<std::string> strings;
  std::vector<const char *> ptrs;
};
std::vector<std::unique_ptr<Argv>> g_argvs;
Argv *g_cur = nullptr;  // the argv GPAC was last given (it keeps the array pointer, not a copy)

void *g_thid = nullptr;        // gpac_ts_thread_id.node (see native/thread_id/gf_th_id.cc)
std::string g_thidError;

// Loads gpac_ts_thread_id.node, built beside this addon, into the global scope: it must be there before libgpac
// is loaded (and before any libgpac function runs) for libgpac's calls to gf_th_id() to resolve to it.
void loadThreadIdsLocked() {
  if (g_thid || !g_thidError.empty()) return;
  Dl_info self;
  if (!dladdr(reinterpret_cast<void *>(&loadThreadIdsLocked), &self) || !self.dli_fname) {
    g_thidError = "cannot locate the addon's own file (dladdr)";
    return;
  }
  std::string dir = self.dli_fname;
  size_t slash = dir.rfind('/');
  dir = slash == std::string::npos ? "." : dir.substr(0, slash);
  std::string path = dir + "/gpac_ts_thread_id.node";
  g_thid = dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (!g_thid) {
    const char *why = dlerror();
    g_thidError = path + ": " + (why ? why : "dlopen failed");
  }
}

// Whether libgpac's calls to gf_th_id() resolve to ours: the global scope answers for them first.
std::string threadIdsLocked() {
  if (!g_thid) return "gpac";
  void *ours = dlsym(g_thid, "gf_th_id");
  void *global = dlsym(RTLD_DEFAULT, "gf_th_id");
  return ours && ours == global ? "unique" : "gpac";
}

GF_Err sysInitLocked() {
  if (g_sysInit) return GF_OK;
  GF_Err e = gpac.gf_sys_init(static_cast<GF_MemTrackerType>(g_memTracker), g_hasProfile ? g_profile.c_str() : nullptr);
  if (e == GF_OK) {
    g_sysInit = true;
    if (g_cur) gpac.gf_sys_set_args(static_cast<s32>(g_cur->ptrs.size()), g_cur->ptrs.data());
  }
  return e;
}

}  // namespace

LibInfo bindLibrary(const std::string &path) {
  std::lock_guard<std::mutex> lock(g_mx);
  if (g_dl) return g_info;
  loadThreadIdsLocked();
  // RTLD_GLOBAL: GPAC's own modules (dlopen'd by libgpac) resolve symbols against it.
  // RTLD_LAZY, as the gpac CLI is loaded: resolving all of libgpac's and FFmpeg's relocations up front costs
  // tens of milliseconds per process; the symbols we use are checked one by one by gpac_api_bind anyway.
  void *dl = dlopen(path.c_str(), RTLD_LAZY | RTLD_GLOBAL);
  if (!dl) {
    const char *why = dlerror();
    throw std::runtime_error(std::string("dlopen failed: ") + (why ? why : "unknown error"));
  }
  std::vector<std::string> missing;
  const char *err = gpac_api_bind(dl, missing);
  if (err || !missing.empty()) {
    std::string msg = std::string("libgpac at ") + path + " lacks entry points gpac-ts needs";
    if (!missing.empty()) {
      msg += ": ";
      for (size_t i = 0; i < missing.size(); i++) msg += (i ? ", " : "") + missing[i];
    } else if (err) {
      msg += std::string(": ") + err;
    }
    msg += " (a GPAC older than the one the bindings were generated for?)";
    dlclose(dl);
    throw std::runtime_error(msg);
  }
  g_dl = dl;  // never dlclose'd: GPAC threads and atexit handlers may outlive any one environment
  g_info.path = path;
  g_info.version = gpac.gf_gpac_version();
  g_info.major = gpac.gf_gpac_abi_major();
  g_info.minor = gpac.gf_gpac_abi_minor();
  g_info.micro = gpac.gf_gpac_abi_micro();
  g_info.threadIds = threadIdsLocked();
  g_info.threadIdsError = g_thidError;
  return g_info;
}

void prefetchLibrary(const std::string &path) {
  std::lock_guard<std::mutex> lock(g_mx);
  if (g_dl || g_prefetched) return;
  g_prefetched = true;
  loadThreadIdsLocked();  // before libgpac is mapped, whichever dlopen maps it first
  // Detached: a later dlopen of the same file waits on the loader's lock and then finds it loaded. The handle
  // is never closed (closing would undo the work; the addon is linked -z nodelete, so this code stays).
  std::thread([path] { (void)dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL); }).detach();
}

std::string boundLibraryPath() {
  std::lock_guard<std::mutex> lock(g_mx);
  return g_dl ? g_info.path : std::string();
}

bool libraryBound() {
  std::lock_guard<std::mutex> lock(g_mx);
  return g_dl != nullptr;
}

void envAttach() {
  std::lock_guard<std::mutex> lock(g_mx);
  g_envs++;
}

void envDetach() {
  std::lock_guard<std::mutex> lock(g_mx);
  if (g_envs > 0) g_envs--;
  if (g_envs == 0 && g_sysInit && g_sessions == 0) {
    gpac.gf_sys_close();
    g_sysInit = false;
  }
}

GF_Err ensureSysInit() {
  std::lock_guard<std::mutex> lock(g_mx);
  return sysInitLocked();
}

bool setInitOptions(int memTracker, const std::string *profile, GF_Err *err) {
  std::lock_guard<std::mutex> lock(g_mx);
  *err = GF_OK;
  if (g_sysInit) {
    if (g_sessions > 0) return false;
    gpac.gf_sys_close();
    g_sysInit = false;
  }
  g_memTracker = memTracker;
  g_hasProfile = profile != nullptr;
  g_profile = profile ? *profile : std::string();
  *err = sysInitLocked();
  return true;
}

GF_Err setArgs(const std::vector<std::string> &args) {
  std::lock_guard<std::mutex> lock(g_mx);
  auto argv = std::make_unique<Argv>();
  argv->strings = args;
  for (auto &a : argv->strings) argv->ptrs.push_back(a.c_str());
  g_cur = argv.get();
  g_argvs.push_back(std::move(argv));
  if (!g_sysInit) return GF_OK;  // applied by sysInitLocked
  return gpac.gf_sys_set_args(static_cast<s32>(g_cur->ptrs.size()), g_cur->ptrs.data());
}

void sessionOpened() {
  std::lock_guard<std::mutex> lock(g_mx);
  g_sessions++;
}

void sessionClosed() {
  std::lock_guard<std::mutex> lock(g_mx);
  if (g_sessions > 0) g_sessions--;
}

}  // namespace gts
