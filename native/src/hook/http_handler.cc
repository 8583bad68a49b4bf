#include "hook/http_handler.h"

#include <cstdint>
#include <cstring>
#include <unordered_map>


namespace gts {
namespace {

// Every live request of every handler, by id (ids unique in the process): a stale udta finds nothing.
std::mutex g_mx;
std::unordered_map<uint64_t, void *> g_requests;
uint64_t g_nextId = 1;

}  // namespace

HttpHandler::HttpHandler(HookOptions opts) : HookCore(std::move(opts)) {}

// After gf_fs_del of every session using it: the requests httpout never closed are gone with it.
HttpHandler::~HttpHandler() {
  std::lock_guard<std::mutex> lock(g_mx);
  for (auto it = g_requests.begin(); it != g_requests.end();) {
    auto *r = static_cast<Request *>(it->second);
    if (r->hook != this) {
      ++it;
      continue;
    }
    delete r;
    it = g_requests.erase(it);
  }
}

GF_Err HttpHandler::bindFilter(GF_Filter *f) { return gpac.gf_filter_bind_httpout_callbacks(f, this, &HttpHandler::onRequestCb); }

void *HttpHandler::udtaOf(const Request *r) { return reinterpret_cast<void *>(static_cast<uintptr_t>(r->id)); }

HttpHandler::Request *HttpHandler::requestOf(void *udta) {
  std::lock_guard<std::mutex> lock(g_mx);
  auto it = g_requests.find(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(udta)));
  return it == g_requests.end() ? nullptr : static_cast<Request *>(it->second);
}

void HttpHandler::forget(Request *r) {
  {
    std::lock_guard<std::mutex> lock(g_mx);
    g_requests.erase(static_cast<uint64_t>(r->id));
  }
  delete r;
}

// httpout's thread, for each request. The worker makes the request's instance and runs its onRequest; its
// send() runs here (serve) while this thread waits. A request the plugin failed on is refused (500).
s32 HttpHandler::onRequestCb(void *udta, GF_HTTPOutSession *sess, const char *method, const char *url, u32 auth_code, u32 nb_hdrs,
                             const char **hdrs) {
  auto *self = static_cast<HttpHandler *>(udta);
  if (self->failed()) return 500;
  auto *r = new Request;
  r->hook = self;
  r->sess = sess;
  {
    std::lock_guard<std::mutex> lock(g_mx);
    r->id = static_cast<double>(g_nextId++);
    g_requests[static_cast<uint64_t>(r->id)] = r;
  }
  HookValue headers = HookValue::array();
  for (u32 i = 0; i < nb_hdrs; i++) headers.push(HookValue::str(hdrs[i] ? hdrs[i] : ""));
  bool ok = self->invoke("onRequest",
                         {HookValue::of(r->id), HookValue::str(method ? method : ""), HookValue::str(url ? url : ""), HookValue::of(auth_code),
                          std::move(headers)},
                         nullptr);
  if (ok && r->sent) return 0;
  // Not answered: httpout answers 500 itself and never calls this request's callbacks.
  self->forget(r);
  return 500;
}

bool HttpHandler::serve(const std::string &op, const HookValue &args, HookValue *out, std::string *error) {
  if (op != "send") return HookCore::serve(op, args, out, error);
  const HookValue *idv = args.get("id");
  Request *r = idv && idv->isNumber() ? requestOf(reinterpret_cast<void *>(static_cast<uintptr_t>(idv->number))) : nullptr;
  if (r && r->hook != this) r = nullptr;
  if (!r) {
    *error = "send(): this request is over (its client went away, or it was answered)";
    return false;
  }
  if (r->sent) {
    *error = "send(): already called for this request";
    return false;
  }
  const HookValue *reply = args.get("reply");
  const HookValue *body = args.get("body");
  const HookValue *hv = args.get("headers");
  std::vector<std::string> headers;
  if (hv && hv->type == HookValue::Type::Array)
    for (auto &h : hv->items) headers.push_back(h.type == HookValue::Type::String ? h.string : std::string());
  std::vector<const char *> hdrs;
  for (auto &h : headers) hdrs.push_back(h.c_str());
  auto has = [&](const char *k) {
    const HookValue *v = args.get(k);
    return v && v->type == HookValue::Type::Bool && v->boolean;
  };
  std::string bodyStr = body && body->type == HookValue::Type::String ? body->string : std::string();
  GF_Err e = gpac.gf_httpout_send_request(r->sess, udtaOf(r), reply && reply->isNumber() ? static_cast<u32>(reply->number) : 0,
                                          body && body->type == HookValue::Type::String ? const_cast<char *>(bodyStr.c_str()) : nullptr,
                                          static_cast<u32>(hdrs.size()), hdrs.empty() ? nullptr : hdrs.data(),
                                          has("throttle") ? &HttpHandler::throttleCb : nullptr, has("read") ? &HttpHandler::readCb : nullptr,
                                          has("write") ? &HttpHandler::writeCb : nullptr, &HttpHandler::closeCb);
  if (e != GF_OK) {
    *error = std::string("send(): gf_httpout_send_request failed: ") + gpac.gf_error_to_string(e) +
             " (a GET served by the plugin needs read(), a PUT or POST needs write())";
    return false;
  }
  r->sent = true;
  *out = HookValue::of(0);
  return true;
}

u32 HttpHandler::throttleCb(void *udta, u64 done, u64 total) {
  Request *r = requestOf(udta);
  if (!r) return 0;
  HookValue out;
  if (r->hook->failed() || !r->hook->invoke("throttle", {HookValue::of(r->id), HookValue::of(static_cast<double>(done)), HookValue::of(static_cast<double>(total))}, &out) ||
      !out.isNumber())
    return 0;
  return out.number > 0 ? static_cast<u32>(out.number) : 0;
}

// httpout asks for the next bytes of a body the plugin serves: its block, lent to read() (no copy there);
// a negative answer is "nothing yet, ask again".
s32 HttpHandler::readCb(void *udta, u8 *buffer, u32 size) {
  Request *r = requestOf(udta);
  if (!r) return 0;
  if (r->hook->failed()) return 0;
  if (!r->block || r->block->size() < size) r->block = std::make_shared<std::vector<uint8_t>>(size);
  HookValue out;
  if (!r->hook->invoke("read", {HookValue::of(r->id), HookValue::buffer(r->block, 0, size)}, &out) || !out.isNumber()) return 0;
  if (out.number < 0) return -1;
  size_t n = std::min<size_t>(static_cast<size_t>(out.number), size);
  memcpy(buffer, r->block->data(), n);
  return static_cast<s32>(n);
}

// A chunk of an upload (null at its end), lent to write() for the call.
u32 HttpHandler::writeCb(void *udta, const u8 *buffer, u32 size) {
  Request *r = requestOf(udta);
  if (!r) return 0;
  if (r->hook->failed()) return 0;
  HookValue chunk = HookValue::null();
  if (buffer && size) chunk = HookValue::buffer(std::make_shared<std::vector<uint8_t>>(buffer, buffer + size), 0, size);
  r->hook->invoke("write", {HookValue::of(r->id), std::move(chunk)}, nullptr);
  return 0;
}

void HttpHandler::closeCb(void *udta, GF_Err reason) {
  Request *r = requestOf(udta);
  if (!r) return;  // closed already (the request ended, then its connection)
  HttpHandler *self = r->hook;
  if (!self->failed()) self->invoke("close", {HookValue::of(r->id), HookValue::of(static_cast<int32_t>(reason))}, nullptr);
  self->forget(r);
}

}  // namespace gts
