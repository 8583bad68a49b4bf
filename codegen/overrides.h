/* Hand-kept declarations of entry points that libgpac exports but its public headers do not declare.
 * The generator parses this file after the public headers (same macros and types) and merges what it
 * declares into the IR with `public: false`. Keep each entry in step with GPAC's source, and say where
 * it lives there. */

/* gpac/mpd.h: what a DASH quality's segment sizes are read from (GF_DASHQualityInfo.seg_urls, a list of
 * GF_MPD_SegmentURL): GF_MPD_ByteRange whole, and the leading members of GF_MPD_SegmentURL, only ever read
 * through a pointer to GPAC's own struct. mpd.h itself would pull most of libgpac's headers into the IR.
 * test/native/emit-native.test.ts checks both against the installed mpd.h. */
typedef struct
{
	u64 start_range;
	u64 end_range;
} GF_MPD_ByteRange;

typedef struct
{
	char *media;
	GF_MPD_ByteRange *media_range;
} GF_MPD_SegmentURLHead;

/* src/filters/out_http.c: the HTTP server session handle is private to httpout. */
typedef struct __httpout_session GF_HTTPOutSession;

/* src/filters/dmx_dash.c: binds a DASH adaptation algorithm to a dashin filter.
 * `dash` and `stats` are GF_DashClient* / GF_DASHCustomAlgoInfo* (see gpac/dash.h). */
GF_Err gf_filter_bind_dash_algo_callbacks(GF_Filter *filter, void *udta,
	void (*period_reset)(void *udta, u32 type),
	void (*new_group)(void *udta, u32 group_idx, void *dash),
	s32 (*rate_adaptation)(void *udta, u32 group_idx, u32 base_group_idx, Bool force_low_complex, void *stats),
	s32 (*download_monitor)(void *udta, u32 group_idx, void *stats));

/* src/filters/dmx_dash.c: what dashin passes as `stats` to a bound download monitor (private struct there,
 * filled by dashdmx_download_monitor_ext). */
typedef struct
{
	u32 bits_per_sec;
	u64 total_bytes;
	u64 bytes_done;
	u64 us_since_start;
	u32 buffer_dur;
	u32 current_seg_dur;
} GF_DASHDownloadStats;

/* src/filters/out_http.c: binds a request handler to an httpout filter. */
GF_Err gf_filter_bind_httpout_callbacks(GF_Filter *filter, void *udta,
	s32 (*on_request)(void *udta, GF_HTTPOutSession *session, const char *method, const char *url, u32 auth_code, u32 nb_hdrs, const char **hdrs));

/* src/filters/out_http.c: answers a request handed to an httpout request handler. */
GF_Err gf_httpout_send_request(GF_HTTPOutSession *sess, void *udta, u32 reply, char *body_or_file,
	u32 nb_headers, const char **headers,
	u32 (*throttle)(void *udta, u64 done, u64 total),
	s32 (*read)(void *udta, u8 *buffer, u32 buffer_size),
	u32 (*write)(void *udta, const u8 *buffer, u32 buffer_size),
	void (*close)(void *udta, GF_Err reason));

/* libgpac.py's selectors for FilterCustom.notify_failure(err, error_type): they are binding-level names,
 * not C constants, and choose between gf_filter_setup_failure (SETUP), gf_filter_notification_failure
 * (NOTIF) and gf_filter_notification_failure with force_disconnect (NOTIF_ERROR_AND_DISCONNECT).
 * Kept here, with libgpac.py's values, so that every constant libgpac.py defines exists in generated/. */
#define GF_SETUP_ERROR 0
#define GF_NOTIF_ERROR 1
#define GF_NOTIF_ERROR_AND_DISCONNECT 2
