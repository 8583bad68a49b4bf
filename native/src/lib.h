// Process-wide libgpac state: the dlopen'd library and its bound entry points (one per process, shared by
// every Node environment: main thread and workers), and gf_sys_init/gf_sys_close, which are per process.
// Nothing here holds a JS value.
#pragma once
#include <cstdint>
#include <string>

#include "gpac_api.h"

namespace gts {

struct LibInfo {
  std::string path;     // the library actually bound (the first one that loaded in this process)
  std::string version;  // gf_gpac_version()
  uint32_t major, minor, micro;
  // "unique": libgpac's gf_th_id() resolves to gpac_ts_thread_id.node (one distinct id per thread);
  // "gpac": to libgpac's own, which truncates pthread_self() to 32 bits (ids of live threads can collide).
  std::string threadIds;
  std::string threadIdsError;  // why gpac_ts_thread_id.node did not load, if it did not
};

/** dlopen()s `path` (RTLD_LAZY|RTLD_GLOBAL) and binds the table, once per process; later calls return the
 *  library already bound. Throws std::runtime_error naming every missing symbol. */
LibInfo bindLibrary(const std::string &path);
/** Starts dlopen()ing `path` on a thread of its own, once per process, so that the loader's work (tens of
 *  milliseconds: libgpac pulls in FFmpeg and its dependencies) overlaps what the caller does until
 *  bindLibrary. RTLD_LOCAL: nothing enters the global scope unless bindLibrary chooses this library. */
void prefetchLibrary(const std::string &path);
bool libraryBound();
/** The path bindLibrary bound in this process, or "" (none yet). */
std::string boundLibraryPath();

/** An environment that bound the library counts as a user of gf_sys_init until it detaches. */
void envAttach();
/** Drops one user; the last one out calls gf_sys_close (never while another environment lives). */
void envDetach();

/** gf_sys_init with the options given to setInitOptions (or defaults), once until the last detach. */
GF_Err ensureSysInit();
/** Options for gf_sys_init. If libgpac is already initialised and no session exists in the process, it is
 *  closed and re-initialised with them; otherwise returns false (the caller reports why). */
bool setInitOptions(int memTracker, const std::string *profile, GF_Err *err);

/** gf_sys_set_args keeps the argv pointers, so the strings live here for the life of the process. */
GF_Err setArgs(const std::vector<std::string> &args);

/** Live sessions in the whole process (re-initialising libgpac is only allowed at 0). */
void sessionOpened();
void sessionClosed();

}  // namespace gts
