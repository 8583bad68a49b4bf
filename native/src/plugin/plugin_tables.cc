// PluginTables (plugin_tables.h): the PID and packet tables of a plugin, under their own mutexes.
#include "plugin_tables.h"

#include <algorithm>

namespace gts {
namespace {

// Packet ids: generation * 2^22 + entry index, exact in a double; a stale id (entry reused) is detected.
constexpr uint64_t kIndexBits = 22;
constexpr uint64_t kIndexMask = (1ull << kIndexBits) - 1;

inline uint32_t idIndex(double id) { return static_cast<uint32_t>(static_cast<uint64_t>(id) & kIndexMask); }
inline uint32_t idGen(double id) { return static_cast<uint32_t>(static_cast<uint64_t>(id) >> kIndexBits); }
inline double makeId(uint32_t index, uint32_t gen) { return static_cast<double>((static_cast<uint64_t>(gen) << kIndexBits) | index); }

}  // namespace

// ==================================================================== PIDs

uint32_t PluginTables::newOutputPid() {
  std::lock_guard<std::mutex> lock(pidMx_);
  uint32_t id = nextPid_++;
  PidEntry e;
  e.output = true;
  pids_[id] = e;
  return id;
}

GF_FilterPid *PluginTables::pidPtr(uint32_t id) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  return it == pids_.end() ? nullptr : it->second.pid;
}

bool PluginTables::pidIsOutput(uint32_t id) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  return it != pids_.end() && it->second.output;
}

void PluginTables::setOutputPid(uint32_t id, GF_FilterPid *pid) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  if (it == pids_.end()) return;
  it->second.pid = pid;
  if (pid) pidIds_[pid] = id;
}

void PluginTables::removeOutputPid(uint32_t id) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  if (it == pids_.end()) return;
  if (it->second.pid) pidIds_.erase(it->second.pid);
  pids_.erase(it);
}

uint32_t PluginTables::inputPidId(GF_FilterPid *pid, bool create, bool *isNew) {
  std::lock_guard<std::mutex> lock(pidMx_);
  *isNew = false;
  auto it = pidIds_.find(pid);
  if (it != pidIds_.end()) return it->second;
  if (!create) return 0;
  uint32_t id = nextPid_++;
  PidEntry e;
  e.pid = pid;
  pids_[id] = e;
  pidIds_[pid] = id;
  inputOrder_.push_back(id);
  *isNew = true;
  return id;
}

void PluginTables::markHasProps(uint32_t id) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  if (it != pids_.end()) it->second.hasProps = true;
}

std::vector<std::pair<uint32_t, GF_FilterPid *>> PluginTables::outputsWithoutProps() {
  std::vector<std::pair<uint32_t, GF_FilterPid *>> out;
  std::lock_guard<std::mutex> lock(pidMx_);
  for (auto &kv : pids_)
    if (kv.second.output && kv.second.pid && !kv.second.hasProps) out.emplace_back(kv.first, kv.second.pid);
  return out;
}

bool PluginTables::anyQueued() {
  std::lock_guard<std::mutex> lock(pidMx_);
  for (auto &kv : pids_)
    if (!kv.second.output && kv.second.queued) return true;
  return false;
}

void PluginTables::releaseInputPid(uint32_t id) {
  // Packets of the PID still in the core's queue: JS did not drop them (it normally does when the PID goes).
  std::vector<GF_FilterPacket *> toUnref;
  {
    std::lock_guard<std::mutex> lock(pckMx_);
    for (uint32_t i = 0; i < packets_.size(); i++) {
      PacketEntry &s = packets_[i];
      if (s.kind != PacketEntry::Kind::Input || s.pid != id || !s.queued) continue;
      if (s.pck && s.views == 0) toUnref.push_back(s.pck);  // a live view keeps its packet (leaked, never dangling)
      uint32_t gen = s.gen + 1;
      s = PacketEntry();
      s.gen = gen >= (1u << 30) ? 1 : gen;
      freePackets_.push_back(i);
    }
  }
  for (auto *p : toUnref) gpac.gf_filter_pck_unref(p);
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  if (it != pids_.end()) {
    if (it->second.pid) pidIds_.erase(it->second.pid);
    pids_.erase(it);
  }
  inputOrder_.erase(std::remove(inputOrder_.begin(), inputOrder_.end(), id), inputOrder_.end());
}

bool PluginTables::findPid(GF_FilterPid *pid, uint32_t *id, bool *output) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pidIds_.find(pid);
  if (it == pidIds_.end()) return false;
  *id = it->second;
  *output = pids_[it->second].output;
  return true;
}

uint32_t PluginTables::pidId(GF_FilterPid *pid) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pidIds_.find(pid);
  return it == pidIds_.end() ? 0 : it->second;
}

std::vector<std::pair<uint32_t, GF_FilterPid *>> PluginTables::inputPids() {
  std::vector<std::pair<uint32_t, GF_FilterPid *>> ins;
  std::lock_guard<std::mutex> lock(pidMx_);
  for (uint32_t id : inputOrder_) {
    auto it = pids_.find(id);
    if (it != pids_.end() && it->second.pid) ins.emplace_back(id, it->second.pid);
  }
  return ins;
}

// ==================================================================== prefetch

std::vector<uint32_t> PluginTables::startPrefetch() {
  std::lock_guard<std::mutex> lock(pidMx_);
  std::vector<uint32_t> order = inputOrder_;
  for (uint32_t id : order) pids_[id].stopPrefetch = false;
  return order;
}

GF_FilterPid *PluginTables::prefetchable(uint32_t id, uint32_t maxPackets, uint64_t maxBytes) {
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(id);
  if (it == pids_.end() || it->second.stopPrefetch || it->second.queued >= maxPackets || !it->second.pid) return nullptr;
  if (it->second.queuedBytes >= maxBytes) return nullptr;  // at least one packet, then at most this much held
  return it->second.pid;
}

void PluginTables::stopPrefetch(uint32_t id) {
  std::lock_guard<std::mutex> lock(pidMx_);
  pids_[id].stopPrefetch = true;
}

void PluginTables::queueInput(double pckId, uint32_t pid, GF_FilterPacket *ref, const u8 *data, u32 size) {
  {
    std::lock_guard<std::mutex> lock(pckMx_);
    PacketEntry *s = entryLocked(pckId);
    s->pck = ref;
    s->queued = true;
    s->data = const_cast<u8 *>(data);
    s->size = size;
  }
  std::lock_guard<std::mutex> lock(pidMx_);
  PidEntry &e = pids_[pid];
  e.queued++;
  e.queuedBytes += size;
}

// ==================================================================== packets

double PluginTables::allocPacket(PacketEntry::Kind kind, uint32_t pid, bool sharedMem) {
  std::lock_guard<std::mutex> lock(pckMx_);
  uint32_t idx;
  if (!freePackets_.empty()) {
    idx = freePackets_.back();
    freePackets_.pop_back();
  } else {
    idx = static_cast<uint32_t>(packets_.size());
    packets_.emplace_back();
  }
  PacketEntry &s = packets_[idx];
  s.kind = kind;
  s.pid = pid;
  s.sharedMem = sharedMem;
  return makeId(idx, s.gen);
}

PacketEntry *PluginTables::entryLocked(double id) {
  uint32_t idx = idIndex(id);
  if (idx >= packets_.size()) return nullptr;
  PacketEntry &s = packets_[idx];
  if (s.kind == PacketEntry::Kind::Free || s.gen != idGen(id)) return nullptr;
  return &s;
}

bool PluginTables::packetEntry(double id, PacketEntry *out) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  if (!s) return false;
  *out = *s;
  return true;
}

GF_FilterPacket *PluginTables::pck(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  return s ? s->pck : nullptr;
}

void PluginTables::setPacket(double id, GF_FilterPacket *p, bool refreshData) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  if (!s) return;
  s->pck = p;
  if (p && refreshData) {
    u32 size = 0;
    s->data = const_cast<u8 *>(gpac.gf_filter_pck_get_data(p, &size));
    s->size = size;
  }
}

void PluginTables::freePacket(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  if (!s) return;
  uint32_t gen = s->gen + 1;
  *s = PacketEntry();
  s->gen = gen >= (1u << 30) ? 1 : gen;
  freePackets_.push_back(idIndex(id));
}

void PluginTables::viewAdded(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  if (PacketEntry *s = entryLocked(id)) s->views++;
}

void PluginTables::viewGone(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  if (PacketEntry *s = entryLocked(id))
    if (s->views > 0) s->views--;
}

void PluginTables::unrefPacket(double id) {
  GF_FilterPacket *p = nullptr;
  {
    std::lock_guard<std::mutex> lock(pckMx_);
    PacketEntry *s = entryLocked(id);
    if (!s) return;
    p = s->pck;
    if (s->queued) unqueueLocked(*s);
  }
  if (p) gpac.gf_filter_pck_unref(p);
  freePacket(id);
}

bool PluginTables::unqueue(double id) {
  std::lock_guard<std::mutex> lock(pckMx_);
  PacketEntry *s = entryLocked(id);
  if (!s || !s->queued) return false;
  unqueueLocked(*s);
  return true;
}

void PluginTables::unqueueLocked(PacketEntry &s) {
  s.queued = false;
  std::lock_guard<std::mutex> lock(pidMx_);
  auto it = pids_.find(s.pid);
  if (it == pids_.end()) return;
  if (it->second.queued) it->second.queued--;
  it->second.queuedBytes -= std::min<uint64_t>(it->second.queuedBytes, s.size);
}

void PluginTables::trackShared(GF_FilterPacket *p, double sharedId) {
  std::lock_guard<std::mutex> lock(pckMx_);
  shared_[p] = sharedId;
}

bool PluginTables::takeShared(GF_FilterPacket *p, double *sharedId) {
  std::lock_guard<std::mutex> lock(pckMx_);
  auto it = shared_.find(p);
  if (it == shared_.end()) return false;
  *sharedId = it->second;
  shared_.erase(it);
  return true;
}

void PluginTables::releaseAll() {
  // No GPAC thread runs this filter any more (its run is over, or GPAC is destroying it). Input and dangling
  // packets are unreferenced, output packets never sent are discarded. A packet whose payload is still
  // viewed by the worker is kept (leaked): the view must never see freed memory.
  std::vector<std::pair<GF_FilterPacket *, PacketEntry::Kind>> todo;
  {
    std::lock_guard<std::mutex> lock(pckMx_);
    for (uint32_t i = 0; i < packets_.size(); i++) {
      PacketEntry &s = packets_[i];
      if (s.kind == PacketEntry::Kind::Free) continue;
      if (s.pck && s.views == 0) todo.emplace_back(s.pck, s.kind);
      uint32_t gen = s.gen + 1;
      s = PacketEntry();
      s.gen = gen >= (1u << 30) ? 1 : gen;
      freePackets_.push_back(i);
    }
  }
  for (auto &t : todo) {
    if (t.second == PacketEntry::Kind::Output)
      gpac.gf_filter_pck_discard(t.first);
    else
      gpac.gf_filter_pck_unref(t.first);
  }
  std::lock_guard<std::mutex> lock(pidMx_);
  for (auto &kv : pids_) {
    kv.second.queued = 0;
    kv.second.queuedBytes = 0;
  }
}

}  // namespace gts
