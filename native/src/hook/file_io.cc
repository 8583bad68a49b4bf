#include "hook/file_io.h"

#include <algorithm>
#include <cstring>

#include "session/session_core.h"

namespace gts {
namespace {

// One worker call per block read. The block grows while GPAC reads on sequentially (a demuxer walking a
// large file: a few calls for the whole file) and shrinks back after a seek (an index lookup reads little).
constexpr size_t kReadBlockMin = 256 * 1024;
constexpr size_t kReadBlockMax = 4 * 1024 * 1024;
constexpr size_t kReadNextFrom = 1024 * 1024;  // a block this large means GPAC reads on: read the next one early
constexpr size_t kWriteBatch = 1024 * 1024;  // writes handed over once this much is pending

}  // namespace

FileIOHook::FileIOHook(HookOptions opts, std::string url) : HookCore(std::move(opts)), url_(std::move(url)) {}

// The last session using it is deleted (or it was never used): no FILE of GPAC refers to its objects.
FileIOHook::~FileIOHook() {
  for (auto &e : entries_) gpac.gf_fileio_del(e->gfio);
}

void FileIOHook::serveLoad(const std::shared_ptr<SessionCore> &s, const std::string &text) {
  if (text.find("gfio://") == std::string::npos) return;
  for (auto &core : HookCore::all()) {
    auto fio = std::dynamic_pointer_cast<FileIOHook>(core);
    if (!fio) continue;
    std::string u = fio->url();
    size_t at = text.find(u);
    // gfio://0x1234&56 is a prefix of gfio://0x1234&567: the match must end the URL.
    while (at != std::string::npos && at + u.size() < text.size() && isalnum(static_cast<unsigned char>(text[at + u.size()])))
      at = text.find(u, at + 1);
    if (at != std::string::npos) fio->attachSession(s);
  }
}

bool FileIOHook::create() {
  root_ = newEntry(url_);
  if (!root_) return false;
  root_->root = true;
  return true;
}

std::string FileIOHook::url() const {
  const char *u = root_ ? gpac.gf_fileio_url(root_->gfio) : nullptr;
  return u ? u : "";
}

FileIOHook::Entry *FileIOHook::newEntry(const std::string &resUrl) {
  auto e = std::make_unique<Entry>();
  e->hook = this;
  e->resUrl = resUrl;
  e->gfio = gpac.gf_fileio_new(const_cast<char *>(resUrl.c_str()), e.get(), &FileIOHook::openCb, &FileIOHook::seekCb,
                               &FileIOHook::readCb, &FileIOHook::writeCb, &FileIOHook::tellCb, &FileIOHook::eofCb, nullptr);
  if (!e->gfio) return nullptr;
  std::lock_guard<std::mutex> lock(entriesMx_);
  entries_.push_back(std::move(e));
  return entries_.back().get();
}

void FileIOHook::release(Entry *e) {
  if (e->root) return;
  std::unique_ptr<Entry> gone;
  {
    std::lock_guard<std::mutex> lock(entriesMx_);
    auto it = std::find_if(entries_.begin(), entries_.end(), [e](auto &p) { return p.get() == e; });
    if (it == entries_.end()) return;
    gone = std::move(*it);
    entries_.erase(it);
  }
  gpac.gf_fileio_del(gone->gfio);
}

FileIOHook::Entry *FileIOHook::entryOf(GF_FileIO *f) { return static_cast<Entry *>(gpac.gf_fileio_get_udta(f)); }

// A relative URL names a file next to its parent's (a manifest's segments), as GPAC's url_concatenate does
// for local paths; absolute paths and URLs with a scheme stay as they are.
std::string FileIOHook::resolve(const std::string &base, const char *url) {
  std::string u = url ? url : "";
  if (u.empty() || u[0] == '/' || u.find("://") != std::string::npos) return u;
  size_t slash = base.find_last_of('/');
  return slash == std::string::npos ? u : base.substr(0, slash + 1) + u;
}

bool FileIOHook::flush(Entry *e) {
  if (e->pending.empty()) return true;
  auto data = std::make_shared<std::vector<uint8_t>>(std::move(e->pending));
  e->pending.clear();
  size_t n = data->size();
  HookValue out;
  return invoke("write", {HookValue::of(e->file), HookValue::buffer(data, 0, n)}, &out);
}

// Before a write: the worker's position is past what GPAC read; put it back where GPAC is.
bool FileIOHook::dropAhead(Entry *e) {
  bool had = e->aheadPos < e->aheadLen || e->next;
  if (e->next && !takeNext(e, false)) return false;
  e->aheadLen = 0;
  e->aheadPos = 0;
  if (!had) return true;
  HookValue out;
  return invoke("seek", {HookValue::of(e->file), HookValue::of(static_cast<double>(e->pos)), HookValue::of(0)}, &out);
}

void FileIOHook::readNext(Entry *e) {
  // Only after a whole large block: a short one was the end of the file (or the plugin's choice).
  if (e->next || e->eof || e->aheadWant < kReadNextFrom || e->aheadLen < e->aheadWant || failed()) return;
  size_t want = e->blockSize = std::min(e->blockSize * 2, kReadBlockMax);
  if (!e->nextBlock || e->nextBlock->size() < want) e->nextBlock = std::make_shared<std::vector<uint8_t>>(want);
  e->nextWant = want;
  e->next = begin("read", {HookValue::of(e->file), HookValue::buffer(e->nextBlock, 0, want)});
}

bool FileIOHook::takeNext(Entry *e, bool keep) {
  auto call = std::move(e->next);
  e->next = nullptr;
  HookValue out;
  if (!finish(call, &out) || !out.isNumber()) return false;
  if (!keep) return true;
  std::swap(e->block, e->nextBlock);
  e->aheadWant = e->nextWant;
  e->aheadLen = static_cast<size_t>(std::max(0.0, out.number));
  e->aheadPos = 0;
  if (!e->aheadLen) e->eof = true;
  return true;
}

GF_FileIO *FileIOHook::openCb(GF_FileIO *ref, const char *url, const char *mode, GF_Err *out_err) {
  *out_err = GF_OK;
  Entry *e = entryOf(ref);
  if (!e || !mode) {
    *out_err = GF_BAD_PARAM;
    return nullptr;
  }
  FileIOHook *self = e->hook;
  std::string m = mode;
  if (m == "url") {  // a resource relative to this one (a segment of a manifest): its own object
    Entry *ne = self->newEntry(resolve(e->resUrl, url));
    if (!ne) *out_err = GF_OUT_OF_MEM;
    return ne ? ne->gfio : nullptr;
  }
  if (m == "ref" || m == "unref") {  // a filter holds on to (lets go of) the object, e.g. fout's dst
    bool gone;
    {
      std::lock_guard<std::mutex> lock(self->entriesMx_);
      e->refs += m == "ref" ? 1 : -1;
      gone = e->refs <= 0 && !e->open;
    }
    if (m == "ref") return ref;
    if (gone) self->release(e);
    return gone ? nullptr : ref;
  }
  if (m == "probe") {
    HookValue out;
    bool ok = !self->failed() && self->invoke("exists", {HookValue::str(url ? std::string(url) : e->resUrl)}, &out);
    if (!ok || out.type != HookValue::Type::Bool || !out.boolean) *out_err = GF_URL_ERROR;
    return nullptr;
  }
  if (m == "close") {
    bool wasOpen, gone;
    {
      std::lock_guard<std::mutex> lock(self->entriesMx_);
      wasOpen = e->open;
      gone = e->refs <= 0;
    }
    if (wasOpen) {
      if (e->next) self->takeNext(e, false);
      // What GPAC wrote reaches the plugin before it closes, even when the session failed.
      self->flush(e);
      HookValue out;
      if (!self->failed()) self->invoke("close", {HookValue::of(e->file)}, &out);
      e->aheadLen = 0;
      e->aheadPos = 0;
      std::lock_guard<std::mutex> lock(self->entriesMx_);
      e->open = false;
      e->file = 0;
    }
    if (gone) self->release(e);
    return nullptr;
  }
  // A real open. GPAC names the file by a gfio:// URL (isomedia reopening what fin opened, a segment made
  // by "url": that object's resource), or by a path relative to this object's (fout writing each DASH
  // segment with the init segment's gfio as parent), or not at all (this object's resource). The object
  // of that resource is used when it is free, else a new one (a file opened twice, a new segment).
  if (self->failed()) {
    *out_err = GF_IO_ERR;  // the plugin failed: the session is ending with that error
    return nullptr;
  }
  Entry *named = nullptr;
  std::string res = e->resUrl;
  if (url && !strncmp(url, "gfio://", 7)) {
    GF_FileIO *g = gpac.gf_fileio_from_url(url);
    named = g ? entryOf(g) : nullptr;
    if (named && named->hook != self) named = nullptr;
    if (named) res = named->resUrl;
  } else if (url && *url) {
    res = resolve(e->resUrl, url);
  }
  Entry *t = named ? named : res == e->resUrl ? e : nullptr;
  {
    std::lock_guard<std::mutex> lock(self->entriesMx_);
    if (t && t->open) t = nullptr;
    if (t) t->open = true;  // taken: another thread's open of the same resource gets its own object
  }
  bool fresh = !t;
  if (fresh) {
    t = self->newEntry(res);
    if (!t) {
      *out_err = GF_OUT_OF_MEM;
      return nullptr;
    }
    t->open = true;
  }
  HookValue out;
  if (!self->invoke("open", {HookValue::str(t->resUrl), HookValue::str(m)}, &out) || !out.isNumber()) {
    *out_err = GF_URL_ERROR;
    {
      std::lock_guard<std::mutex> lock(self->entriesMx_);
      t->open = false;
    }
    if (fresh) self->release(t);
    return nullptr;
  }
  t->file = out.number;
  t->pos = 0;
  t->eof = false;
  t->aheadLen = 0;
  t->aheadPos = 0;
  t->blockSize = kReadBlockMin;
  if (m.find('a') != std::string::npos) {
    HookValue p;
    if (self->invoke("tell", {HookValue::of(t->file)}, &p) && p.isNumber()) t->pos = static_cast<uint64_t>(p.number);
  }
  return t->gfio;
}

u32 FileIOHook::readCb(GF_FileIO *f, u8 *buffer, u32 bytes) {
  Entry *e = entryOf(f);
  if (!e || !e->open || e->hook->failed()) return 0;
  FileIOHook *self = e->hook;
  if (!self->flush(e)) return 0;
  u32 done = 0;
  while (done < bytes) {
    size_t have = e->aheadLen - e->aheadPos;
    if (have) {
      size_t n = std::min<size_t>(have, bytes - done);
      memcpy(buffer + done, e->block->data() + e->aheadPos, n);
      e->aheadPos += n;
      done += static_cast<u32>(n);
      continue;
    }
    if (e->eof) break;
    if (e->next) {
      if (!self->takeNext(e, true)) break;
      self->readNext(e);
      continue;
    }
    if (e->aheadLen) e->blockSize = std::min(e->blockSize * 2, kReadBlockMax);  // read on past a whole block
    size_t want = std::max<size_t>(e->blockSize, bytes - done);
    // The block is refilled: what it held can no longer serve a seek back into it.
    e->aheadLen = e->aheadPos = 0;
    if (!e->block || e->block->size() < want) e->block = std::make_shared<std::vector<uint8_t>>(want);
    HookValue out;
    if (!self->invoke("read", {HookValue::of(e->file), HookValue::buffer(e->block, 0, want)}, &out) || !out.isNumber()) break;
    if (out.number <= 0) {
      e->eof = true;
      break;
    }
    e->aheadLen = static_cast<size_t>(out.number);
    e->aheadWant = want;
    e->aheadPos = 0;
    self->readNext(e);
  }
  e->pos += done;
  return done;
}

u32 FileIOHook::writeCb(GF_FileIO *f, u8 *buffer, u32 bytes) {
  Entry *e = entryOf(f);
  if (!e || !e->open || e->hook->failed()) return 0;  // 0: GPAC knows these bytes were not written
  FileIOHook *self = e->hook;
  if (!bytes) {  // fflush
    self->flush(e);
    return 0;
  }
  if (!self->dropAhead(e)) return 0;
  e->pending.insert(e->pending.end(), buffer, buffer + bytes);
  e->pos += bytes;
  if (e->pending.size() >= kWriteBatch && !self->flush(e)) return 0;
  return bytes;
}

GF_Err FileIOHook::seekCb(GF_FileIO *f, u64 offset, s32 whence) {
  Entry *e = entryOf(f);
  if (!e || !e->open) return GF_BAD_PARAM;
  if (e->hook->failed()) return GF_IO_ERR;
  FileIOHook *self = e->hook;
  if (!self->flush(e)) return GF_IO_ERR;
  // A seek inside what was read ahead needs no call.
  if (whence == SEEK_SET && offset >= e->pos - e->aheadPos && offset <= e->pos - e->aheadPos + e->aheadLen) {
    uint64_t start = e->pos - e->aheadPos;
    e->aheadPos = static_cast<size_t>(offset - start);
    e->pos = offset;
    e->eof = false;
    return GF_OK;
  }
  if (e->next && !self->takeNext(e, false)) return GF_IO_ERR;
  e->aheadLen = 0;
  e->aheadPos = 0;
  e->blockSize = kReadBlockMin;
  e->eof = false;
  uint64_t target = whence == SEEK_CUR ? e->pos + offset : offset;
  HookValue out;
  if (!self->invoke("seek", {HookValue::of(e->file), HookValue::of(static_cast<double>(target)), HookValue::of(whence == SEEK_CUR ? 0 : whence)}, &out) ||
      !out.isNumber())
    return GF_IO_ERR;
  e->pos = static_cast<uint64_t>(out.number);
  return GF_OK;
}

s64 FileIOHook::tellCb(GF_FileIO *f) {
  Entry *e = entryOf(f);
  return e && e->open ? static_cast<s64>(e->pos) : -1;
}

Bool FileIOHook::eofCb(GF_FileIO *f) {
  Entry *e = entryOf(f);
  if (!e || !e->open) return GF_TRUE;
  if (e->aheadPos < e->aheadLen || !e->pending.empty()) return GF_FALSE;
  if (e->eof || e->hook->failed()) return GF_TRUE;
  if (e->next) return e->hook->takeNext(e, true) && e->aheadLen ? GF_FALSE : GF_TRUE;
  HookValue out;
  if (!e->hook->invoke("eof", {HookValue::of(e->file)}, &out)) return GF_TRUE;
  return out.type == HookValue::Type::Bool && out.boolean ? GF_TRUE : GF_FALSE;
}

}  // namespace gts
