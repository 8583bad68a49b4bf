// A plugin's PID and packet tables (docs/architecture.md §4, §5): what its GF_FilterPid and GF_FilterPacket
// handles are known as to the worker (ids), which input packets the core still queues, and the packets it
// holds. Apart from the hand-off (PluginCore), which owns one: the worker thread allocates ids and reads
// entries while GPAC's thread fills them, so each table has its own mutex. Lock order: pckMx_ before
// pidMx_ (a packet leaving the queue updates its PID's counts). Packets are unreferenced or discarded with
// neither held; setPacket reads a packet's payload pointer under pckMx_.
#pragma once
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gpac_api.h"

namespace gts {

/** A packet the filter holds: an input packet we keep a reference on, or an output packet not sent yet. */
struct PacketEntry {
  enum class Kind : uint8_t { Free, Input, Output, Dangling };
  Kind kind = Kind::Free;
  uint32_t gen = 1;
  GF_FilterPacket *pck = nullptr;  // null while the intent creating it is not applied
  uint32_t pid = 0;
  bool queued = false;             // input: still in the core's queue of its PID (not dropped by JS)
  u8 *data = nullptr;              // payload when last looked at on the GPAC thread
  u32 size = 0;
  int views = 0;                   // external ArrayBuffers alive in the worker over `data`
  bool sharedMem = false;          // output made by gf_filter_pck_new_shared/new_ref: GPAC counts it as shared
};

struct PidEntry {
  GF_FilterPid *pid = nullptr;     // null while the newPid intent is not applied
  bool output = false;
  uint32_t queued = 0;             // input: packets in the core's queue
  uint64_t queuedBytes = 0;        // input: their payload bytes (prefetch stops at opts.prefetchBytes)
  bool stopPrefetch = false;       // a reconfiguration was met while prefetching
  bool hasProps = false;           // output: GPAC has a property map for it (GPAC exits linking one without)
};

class PluginTables {
 public:
  // ---------------------------------------------------------------- PIDs
  /** An id for an output PID the worker makes (its GF_FilterPid comes with the newPid intent). Any thread. */
  uint32_t newOutputPid();
  GF_FilterPid *pidPtr(uint32_t id);
  bool pidIsOutput(uint32_t id);
  void setOutputPid(uint32_t id, GF_FilterPid *pid);
  void removeOutputPid(uint32_t id);
  /** The id of input `pid`; a new one when `create` (then `*isNew`), else 0 for an unknown PID. */
  uint32_t inputPidId(GF_FilterPid *pid, bool create, bool *isNew);
  /** Forgets input PID `id`, releasing the packets of it still queued. */
  void releaseInputPid(uint32_t id);
  /** Any input packet still queued (not dropped by JS)? */
  bool anyQueued();
  /** The id and direction of `pid`, if it is one of ours. */
  bool findPid(GF_FilterPid *pid, uint32_t *id, bool *output);
  /** The id of `pid`, 0 if unknown. */
  uint32_t pidId(GF_FilterPid *pid);
  /** The input PIDs with their GF_FilterPid, in connection order. */
  std::vector<std::pair<uint32_t, GF_FilterPid *>> inputPids();
  /** Output PID `id` has a property map in GPAC (set, copied or reset properties). GPAC thread. */
  void markHasProps(uint32_t id);
  /** Output PIDs GPAC made that have no property map yet. */
  std::vector<std::pair<uint32_t, GF_FilterPid *>> outputsWithoutProps();

  // ---------------------------------------------------------------- prefetch (GPAC thread)
  /** The input PIDs in connection order, each cleared of a previous prefetch's stop. */
  std::vector<uint32_t> startPrefetch();
  /** Input `id`'s PID when it may take one more packet (under `maxPackets` queued and `maxBytes` held, not
   *  stopped), else null. */
  GF_FilterPid *prefetchable(uint32_t id, uint32_t maxPackets, uint64_t maxBytes);
  /** A reconfiguration of input `id` was met while prefetching: take no more of its packets this time. */
  void stopPrefetch(uint32_t id);
  /** Input packet `pckId` (allocated for PID `pid`) holds `ref`, queued: the PID counts it. */
  void queueInput(double pckId, uint32_t pid, GF_FilterPacket *ref, const u8 *data, u32 size);

  // ---------------------------------------------------------------- packets
  /** `sharedMem`: an output packet over memory GPAC does not own (newPckShared, newPckRef). Any thread. */
  double allocPacket(PacketEntry::Kind kind, uint32_t pid, bool sharedMem = false);
  /** Copies the entry of packet `id` (false if unknown or released). */
  bool packetEntry(double id, PacketEntry *out);
  void viewAdded(double id);
  void viewGone(double id);
  GF_FilterPacket *pck(double id);
  /** Fills the entry of an output packet just made (or frees it when pck is null). */
  void setPacket(double id, GF_FilterPacket *p, bool refreshData = true);
  /** Forgets a packet: the caller already sent, discarded or released it in GPAC. */
  void freePacket(double id);
  /** Unreferences packet `id` in GPAC (out of the queue first) and forgets it. */
  void unrefPacket(double id);
  /** Takes queued packet `id` out of its PID's queue; false if it is unknown or not queued. */
  bool unqueue(double id);
  /** A newPckShared packet: the destructor posts `sharedId` back to the worker. */
  void trackShared(GF_FilterPacket *p, double sharedId);
  /** The destructor of shared packet `p` ran: its id, forgotten (false if not ours). */
  bool takeShared(GF_FilterPacket *p, double *sharedId);
  /** No GPAC thread runs the filter any more: every packet held is released (output packets never sent are
   *  discarded), except those still viewed, and no input counts as queued. */
  void releaseAll();

 private:
  PacketEntry *entryLocked(double id);  // pckMx_ held by caller
  /** Takes an input packet out of its PID's core's queue (counts and bytes); pckMx_ held. */
  void unqueueLocked(PacketEntry &s);

  std::mutex pidMx_;
  std::unordered_map<uint32_t, PidEntry> pids_;
  std::unordered_map<GF_FilterPid *, uint32_t> pidIds_;
  std::vector<uint32_t> inputOrder_;  // input PIDs in connection order
  uint32_t nextPid_ = 1;

  std::mutex pckMx_;
  std::vector<PacketEntry> packets_;
  std::vector<uint32_t> freePackets_;
  std::unordered_map<GF_FilterPacket *, double> shared_;  // shared packets out, for the destructor
};

}  // namespace gts
