// An HTTP request handler plugin bound to httpout (gf_filter_bind_httpout_callbacks): each request httpout
// receives becomes an onRequest call in the plugin's worker, where a new instance of the plugin's class
// (libgpac.py's HTTPOutRequest) decides: let GPAC serve it (adding headers, or refusing it with a code), serve
// the body itself (read) or receive an upload (write). send() is a request of the worker, run by httpout's
// thread that waits on onRequest: gf_httpout_send_request writes the session httpout's thread processes, so
// no other thread may call it. The later callbacks (throttle, read, write, close) are hook calls too.
#pragma once
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "gpac_api.h"
#include "hook/hook_core.h"

namespace gts {

class HttpHandler : public HookCore {
 public:
  explicit HttpHandler(HookOptions opts);
  ~HttpHandler() override;
  /** Binds the handler to `f`; GF_BAD_PARAM if `f` is not an httpout filter. Where nothing runs `f`. */
  GF_Err bindFilter(GF_Filter *f) override;
  const char *filterName() const override { return "httpout"; }
  /** "send": gf_httpout_send_request for the request of the call being served. */
  bool serve(const std::string &op, const HookValue &args, HookValue *out, std::string *error) override;

 private:
  /** One request of a client, from onRequest to GPAC's close callback. GPAC's callbacks get its id, not
   *  a pointer: httpout calls close again with the same udta when a kept-alive connection ends later. */
  struct Request {
    HttpHandler *hook = nullptr;
    GF_HTTPOutSession *sess = nullptr;
    double id = 0;  // also the worker's instance
    bool sent = false;
    std::shared_ptr<std::vector<uint8_t>> block;  // lent to read()
  };

  static void *udtaOf(const Request *r);
  /** The live request of a callback's udta, or null (already closed). */
  static Request *requestOf(void *udta);
  void forget(Request *r);

  static s32 onRequestCb(void *udta, GF_HTTPOutSession *sess, const char *method, const char *url, u32 auth_code, u32 nb_hdrs,
                         const char **hdrs);
  static u32 throttleCb(void *udta, u64 done, u64 total);
  static s32 readCb(void *udta, u8 *buffer, u32 size);
  static u32 writeCb(void *udta, const u8 *buffer, u32 size);
  static void closeCb(void *udta, GF_Err reason);

};

}  // namespace gts
