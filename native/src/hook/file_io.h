// A FileIO plugin: a factory whose files GPAC opens through gfio:// URLs (gf_fileio_new), each opened file
// served by its own instance of the plugin's class in the worker (file-io-runtime.ts). GPAC calls
// open/read/write/seek/tell/eof on whatever thread uses the file; each becomes a hook call, amortised:
// reads go through a read-ahead block, writes are batched until a read, seek, flush or close.
//
// One GF_FileIO (an Entry) per resource GPAC names: the root (the URL given to FileIO.create), the ones
// GPAC makes relative to it ("url" mode: a manifest's segments), and one per extra open of a resource
// already open. GPAC keeps pointers to them in its FILE handles until its sessions are deleted, so they
// are deleted with this object, which every session using it keeps alive (attachSession).
#pragma once
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gpac_api.h"
#include "hook/hook_core.h"

namespace gts {

class FileIOHook : public HookCore {
 public:
  FileIOHook(HookOptions opts, std::string url);
  ~FileIOHook() override;
  /** Makes the root GF_FileIO; false if GPAC refused it. */
  bool create();
  /** gfio:// URL of the root, for loadSrc / loadDst. */
  std::string url() const;
  /** Before a session loads `text` (a URL, a filter description): every FileIO whose URL it names serves
   *  that session (its failures reach the session's owner, the session keeps it alive). Main thread. */
  static void serveLoad(const std::shared_ptr<SessionCore> &s, const std::string &text);
  bool servesClosingSessions() const override { return true; }

 private:
  struct Entry {
    FileIOHook *hook = nullptr;
    GF_FileIO *gfio = nullptr;
    std::string resUrl;  // the resource URL GPAC knows this file by
    bool root = false;
    int refs = 0;
    bool open = false;
    double file = 0;  // the worker's instance for the opened file
    // Read ahead: the worker's read() fills `block` in place (lent to it as a Uint8Array, no copy); GPAC
    // is given [aheadPos, aheadLen) before the next call.
    std::shared_ptr<std::vector<uint8_t>> block;
    size_t aheadLen = 0;
    size_t aheadWant = 0;  // what that read asked for
    size_t aheadPos = 0;
    size_t blockSize = 0;  // of the next read call
    // Once GPAC reads on sequentially, the next block is read while GPAC uses this one (double buffering).
    std::shared_ptr<HookCall> next;
    std::shared_ptr<std::vector<uint8_t>> nextBlock;
    size_t nextWant = 0;
    std::vector<uint8_t> pending;  // written by GPAC, not yet handed to the worker
    uint64_t pos = 0;              // GPAC's position in the file
    bool eof = false;
  };

  Entry *newEntry(const std::string &resUrl);
  /** Deletes `e` unless it is the root (no FILE of GPAC refers to it any more). */
  void release(Entry *e);
  bool flush(Entry *e);
  bool dropAhead(Entry *e);
  /** Reads the next block in the background if GPAC is reading on sequentially. */
  void readNext(Entry *e);
  /** Waits for the background read: its block becomes the read-ahead one (`keep`), or is dropped (the
   *  worker's position is then past GPAC's: the caller seeks). False if it failed. */
  bool takeNext(Entry *e, bool keep);
  static Entry *entryOf(GF_FileIO *f);
  static std::string resolve(const std::string &base, const char *url);

  static GF_FileIO *openCb(GF_FileIO *ref, const char *url, const char *mode, GF_Err *out_err);
  static GF_Err seekCb(GF_FileIO *f, u64 offset, s32 whence);
  static u32 readCb(GF_FileIO *f, u8 *buffer, u32 bytes);
  static u32 writeCb(GF_FileIO *f, u8 *buffer, u32 bytes);
  static s64 tellCb(GF_FileIO *f);
  static Bool eofCb(GF_FileIO *f);

  const std::string url_;
  std::mutex entriesMx_;  // entries_, and each entry's refs and open
  std::vector<std::unique_ptr<Entry>> entries_;
  Entry *root_ = nullptr;
};

}  // namespace gts
