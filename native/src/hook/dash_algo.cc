#include "hook/dash_algo.h"

#include <cmath>
#include <cstring>

#include "reflect.h"

namespace gts {
namespace {

// Generated tables, found by name once rather than on every callback.
const GpacStructInfo &qualityInfo() {
  static const GpacStructInfo &t = structInfo("GF_DASHQualityInfo");
  return t;
}
const GpacStructInfo &algoInfo() {
  static const GpacStructInfo &t = structInfo("GF_DASHCustomAlgoInfo");
  return t;
}
const GpacStructInfo &downloadStats() {
  static const GpacStructInfo &t = structInfo("GF_DASHDownloadStats");
  return t;
}

/** libgpac.py's DASHGroup, as dashin's thread reads it: every quality's GF_DASHQualityInfo (generated field
 *  table, C names camelCased), the segment sizes of on-demand qualities, the SRD, the period duration. The
 *  worker's runtime gives it libgpac.py's shape. */
HookValue groupSnapshot(GF_DashClient *dash, u32 idx) {
  HookValue g = HookValue::object();
  g.set("idx", HookValue::of(idx));
  g.set("duration", HookValue::of(gpac.gf_dash_get_period_duration(dash)));
  u32 id = 0, x = 0, y = 0, w = 0, h = 0, fw = 0, fh = 0;
  gpac.gf_dash_group_get_srd_info(dash, idx, &id, &x, &y, &w, &h, &fw, &fh);
  if (fw && fh)
    g.set("srd", HookValue::object()
                     .set("id", HookValue::of(id)).set("x", HookValue::of(x)).set("y", HookValue::of(y))
                     .set("w", HookValue::of(w)).set("h", HookValue::of(h))
                     .set("fw", HookValue::of(fw)).set("fh", HookValue::of(fh)));
  else
    g.set("srd", HookValue::null());
  const GpacStructInfo &qi = qualityInfo();
  HookValue qualities = HookValue::array();
  u32 n = gpac.gf_dash_group_get_num_qualities(dash, idx);
  for (u32 i = 0; i < n; i++) {
    GF_DASHQualityInfo q;
    memset(&q, 0, sizeof q);
    if (gpac.gf_dash_group_get_quality_info(dash, idx, i, &q) != GF_OK) continue;
    HookValue v = structToHook(qi, &q);
    if (q.seg_urls) {
      HookValue sizes = HookValue::array();
      u32 count = gpac.gf_list_count(q.seg_urls);
      for (u32 s = 0; s < count; s++) {
        auto *url = static_cast<const GF_MPD_SegmentURLHead *>(gpac.gf_list_get(const_cast<GF_List *>(q.seg_urls), s));
        const GF_MPD_ByteRange *r = url ? url->media_range : nullptr;
        sizes.push(HookValue::of(r ? r->end_range - r->start_range + 1 : 0));
      }
      v.set("sizes", std::move(sizes));
    } else {
      v.set("sizes", HookValue::null());
    }
    qualities.push(std::move(v));
  }
  g.set("qualities", std::move(qualities));
  return g;
}

}  // namespace

DashAlgo::DashAlgo(HookOptions opts) : HookCore(std::move(opts)) {}

// Bound before the plugin is known to define onDownloadMonitor (the worker may still be loading): the
// monitor is always given, and answers -1 (go on) itself when the plugin has none. With a monitor, dashin
// checks HTTP downloads every `bwcheck` ms (dmx_dash.c); without one in the plugin that costs no hand-off.
GF_Err DashAlgo::bindFilter(GF_Filter *f) {
  return gpac.gf_filter_bind_dash_algo_callbacks(f, this, &DashAlgo::periodResetCb, &DashAlgo::newGroupCb, &DashAlgo::rateAdaptationCb,
                                                 &DashAlgo::downloadMonitorCb);
}

void DashAlgo::periodResetCb(void *udta, u32 type) {
  auto *self = static_cast<DashAlgo *>(udta);
  if (self->failed()) return;
  self->invoke("onPeriodReset", {HookValue::of(type)}, nullptr);
}

void DashAlgo::newGroupCb(void *udta, u32 group_idx, void *dash) {
  auto *self = static_cast<DashAlgo *>(udta);
  if (self->failed()) return;
  self->invoke("onNewGroup", {groupSnapshot(static_cast<GF_DashClient *>(dash), group_idx)}, nullptr);
}

s32 DashAlgo::rateAdaptationCb(void *udta, u32 group_idx, u32 base_group_idx, Bool force_low_complex, void *stats) {
  auto *self = static_cast<DashAlgo *>(udta);
  HookValue st = stats ? structToHook(algoInfo(), stats) : HookValue::null();
  // dashin passes the group's own index as base group when there is none (dmx_dash.c): libgpac.py then
  // finds the group itself; the runtime does the same lookup.
  return self->decision("onRateAdaptation",
                        {HookValue::of(group_idx), HookValue::of(base_group_idx), HookValue::of(force_low_complex != GF_FALSE), std::move(st)});
}

s32 DashAlgo::downloadMonitorCb(void *udta, u32 group_idx, void *stats) {
  auto *self = static_cast<DashAlgo *>(udta);
  HookValue st = stats ? structToHook(downloadStats(), stats) : HookValue::null();
  return self->decision("onDownloadMonitor", {HookValue::of(group_idx), std::move(st)});
}

s32 DashAlgo::decision(const char *method, std::vector<HookValue> args) {
  if (failed() || !awaitWorker(method) || !implements(method)) return -1;
  HookValue out;
  if (!invoke(method, std::move(args), &out)) return -1;
  // The runtime checked the answer (an integer ≥ -2); anything else here is a bug, kept harmless.
  if (!out.isNumber() || !std::isfinite(out.number)) return -1;
  return static_cast<s32>(out.number);
}

}  // namespace gts
