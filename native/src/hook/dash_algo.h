// A DASH adaptation algorithm plugin bound to dashin (gf_filter_bind_dash_algo_callbacks, dmx_dash.c).
// dashin calls period_reset, new_group, rate_adaptation and download_monitor synchronously on its own
// thread; each is snapshotted there (groups and qualities through the gf_dash_* accessors, statistics
// through the generated field tables) and handed to the plugin's worker, whose answer dashin waits for.
#pragma once
#include "gpac_api.h"
#include "hook/hook_core.h"

namespace gts {

class DashAlgo : public HookCore {
 public:
  explicit DashAlgo(HookOptions opts);
  /** Binds the algorithm to `f`; GF_BAD_PARAM if `f` is not a dashin filter. On a thread that may call
   *  into `f` (its creation callback, or GPAC's thread of a single-threaded run). */
  GF_Err bindFilter(GF_Filter *f) override;
  const char *filterName() const override { return "dashin"; }

 private:
  static void periodResetCb(void *udta, u32 type);
  static void newGroupCb(void *udta, u32 group_idx, void *dash);
  static s32 rateAdaptationCb(void *udta, u32 group_idx, u32 base_group_idx, Bool force_low_complex, void *stats);
  static s32 downloadMonitorCb(void *udta, u32 group_idx, void *stats);
  /** The answer of a rate adaptation or download monitor: the plugin's integer, or -1 (GPAC keeps its
   *  choice / goes on) when the plugin failed — the failure ends the session. */
  s32 decision(const char *method, std::vector<HookValue> args);
};

}  // namespace gts
