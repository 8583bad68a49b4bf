#include "filter.h"

#include <cstring>

#include "addon.h"
#include "props.h"
#include "reflect.h"
#include "util.h"

namespace gts {

Napi::Function Filter::Define(Napi::Env env) {
  return DefineClass(env, "NativeFilter",
                     {
                         InstanceAccessor<&Filter::Serial>("serial"),
                         InstanceAccessor<&Filter::Alive>("alive"),
                         InstanceAccessor<&Filter::Name>("name"),
                         InstanceAccessor<&Filter::Id>("id"),
                         InstanceAccessor<&Filter::NbIpid>("nbIpid"),
                         InstanceAccessor<&Filter::NbOpid>("nbOpid"),
                         InstanceAccessor<&Filter::Status>("status"),
                         InstanceAccessor<&Filter::BytesDone>("bytesDone"),
                         InstanceMethod<&Filter::PidProp>("pidProp"),
                         InstanceMethod<&Filter::PidProps>("pidProps"),
                         InstanceMethod<&Filter::PidName>("pidName"),
                         InstanceMethod<&Filter::PidStats>("pidStats"),
                         InstanceMethod<&Filter::IpidSource>("ipidSource"),
                         InstanceMethod<&Filter::OpidSinks>("opidSinks"),
                         InstanceMethod<&Filter::GetInfo>("getInfo"),
                         InstanceMethod<&Filter::Statistics>("statistics"),
                         InstanceMethod<&Filter::Options>("options"),
                         InstanceMethod<&Filter::GetArg>("getArg"),
                         InstanceMethod<&Filter::Update>("update"),
                         InstanceMethod<&Filter::Remove>("remove"),
                         InstanceMethod<&Filter::SetSource>("setSource"),
                         InstanceMethod<&Filter::Reconnect>("reconnect"),
                         InstanceMethod<&Filter::RequireSourceId>("requireSourceId"),
                         InstanceMethod<&Filter::ProbeLink>("probeLink"),
                         InstanceMethod<&Filter::Destinations>("destinations"),
                     });
}

Filter::Filter(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Filter>(info) {
  // Only NewInstance may construct: it passes a tagged token, then fills core_/ref_.
  if (info.Length() < 1 || !info[0].IsObject() || !info[0].As<Napi::Object>().CheckTypeTag(&kCtorTokenTag))
    throwType(info.Env(), "Filter handles come from a FilterSession (loadSrc, loadDst, load, getFilter …); they cannot be constructed");
  info.This().As<Napi::Object>().TypeTag(&kFilterTag);
}

Napi::Object Filter::NewInstance(Napi::Env env, std::shared_ptr<SessionCore> core, std::shared_ptr<FilterRef> ref) {
  // A tagged plain object, not an External: Node frees an External's native wrapper only when it is garbage
  // collected, which may not happen before exit (LeakSanitizer and valgrind then report it).
  Napi::Object token = Napi::Object::New(env);
  token.TypeTag(&kCtorTokenTag);
  Napi::Object obj = env.GetInstanceData<GpacAddon>()->filterCtor.New({token});
  Filter *f = Napi::ObjectWrap<Filter>::Unwrap(obj);
  f->core_ = std::move(core);
  f->ref_ = std::move(ref);
  return obj;
}

GF_Filter *Filter::FromJs(Napi::Env env, const Napi::Value &v, const SessionCore *core, const char *what) {
  return RefFromJs(env, v, core, what)->filter;
}

std::shared_ptr<FilterRef> Filter::RefFromJs(Napi::Env env, const Napi::Value &v, const SessionCore *core, const char *what) {
  Filter *f = unwrapTagged<Filter>(env, v, kFilterTag, what);
  if (f->core_.get() != core) throwType(env, std::string(what) + ": the filter belongs to another session");
  if (!f->ref_->alive) throwState(env, std::string(what) + ": filter '" + f->ref_->lastName + "' was destroyed");
  return f->ref_;
}

void Filter::ThrowGone(Napi::Env env, const std::string &what, const FilterRef &ref) {
  throwState(env, what + " '" + ref.lastName + "' was destroyed by GPAC", "ERR_GPAC_FILTER_GONE");
}

Filter::Use::Use(Filter *f, Napi::Env env, const char *op) : f_(f) {
  if (!f->core_->beginUse(f->ref_)) {
    if (f->core_->closed())
      throwState(env, std::string(op) + ": the session of this filter is closed", "ERR_GPAC_CLOSED");
    ThrowGone(env, std::string(op) + ": filter", *f->ref_);
  }
  filter = f->ref_->filter;
  fs = f->core_->fs();
}

Filter::Use::~Use() { f_->core_->endUse(f_->ref_); }

void Filter::OnGpac(Napi::Env env, const char *op, bool wait, std::function<void(GF_Filter *)> fn) {
  { Use use(this, env, op); }  // the clear error now, whatever happens to the call
  auto core = core_;
  auto ref = ref_;
  auto made = std::make_shared<bool>(false);
  auto call = [core, ref, fn = std::move(fn), made] {
    if (!core->beginUse(ref)) return;  // destroyed meanwhile
    fn(ref->filter);
    core->endUse(ref);
    *made = true;
  };
  if (!wait) {
    core->queue().post(std::move(call));
    return;
  }
  if (!core->queue().call(std::move(call))) throwState(env, std::string(op) + ": the session was closed", "ERR_GPAC_CLOSED");
  if (!*made) ThrowGone(env, std::string(op) + ": filter", *ref);
}

GF_FilterPid *Filter::Pid(Napi::Env env, GF_Filter *f, bool input, const Napi::Value &idx, const char *op) {
  if (!idx.IsNumber()) throwType(env, std::string(op) + ": expected a PID index, received " + describe(idx));
  double d = idx.As<Napi::Number>().DoubleValue();
  u32 count = input ? gpac.gf_filter_get_ipid_count(f) : gpac.gf_filter_get_opid_count(f);
  if (d < 0 || d >= count || static_cast<double>(static_cast<u32>(d)) != d) {
    throw Napi::RangeError::New(env, std::string(op) + ": no " + (input ? "input" : "output") + " PID " +
                                         describe(idx) + " in filter '" + gpac.gf_filter_get_name(f) + "' (it has " +
                                         std::to_string(count) + ")");
  }
  GF_FilterPid *pid = input ? gpac.gf_filter_get_ipid(f, static_cast<u32>(d)) : gpac.gf_filter_get_opid(f, static_cast<u32>(d));
  if (!pid) throwState(env, std::string(op) + ": PID vanished while reading it");
  return pid;
}

Napi::Value Filter::Serial(const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), static_cast<double>(ref_->serial));
}

Napi::Value Filter::Alive(const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), ref_->alive && !core_->closed());
}

Napi::Value Filter::Name(const Napi::CallbackInfo &info) {
  if (!core_->beginUse(ref_)) return Napi::String::New(info.Env(), ref_->lastName);
  const char *n = gpac.gf_filter_get_name(ref_->filter);
  std::string name = n ? n : "";
  core_->endUse(ref_);
  return Napi::String::New(info.Env(), name);
}

Napi::Value Filter::Id(const Napi::CallbackInfo &info) {
  if (!core_->beginUse(ref_))
    return ref_->lastId.empty() ? info.Env().Null() : Napi::Value(Napi::String::New(info.Env(), ref_->lastId));
  const char *id = gpac.gf_filter_get_id(ref_->filter);
  Napi::Value v = id ? Napi::Value(Napi::String::New(info.Env(), id)) : info.Env().Null();
  core_->endUse(ref_);
  return v;
}

Napi::Value Filter::NbIpid(const Napi::CallbackInfo &info) {
  Use use(this, info.Env(), "nbIpid");
  return Napi::Number::New(info.Env(), gpac.gf_filter_get_ipid_count(use.filter));
}

Napi::Value Filter::NbOpid(const Napi::CallbackInfo &info) {
  Use use(this, info.Env(), "nbOpid");
  return Napi::Number::New(info.Env(), gpac.gf_filter_get_opid_count(use.filter));
}

Napi::Value Filter::Status(const Napi::CallbackInfo &info) {
  Use use(this, info.Env(), "status");
  const char *s = gpac.gf_filter_get_status(use.filter);
  return s ? Napi::Value(Napi::String::New(info.Env(), s)) : info.Env().Null();
}

Napi::Value Filter::BytesDone(const Napi::CallbackInfo &info) {
  Use use(this, info.Env(), "bytesDone");
  return Napi::BigInt::New(info.Env(), static_cast<uint64_t>(gpac.gf_filter_get_bytes_done(use.filter)));
}

Napi::Value Filter::PidProp(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  bool input = argBool(info, 0, "input", true);
  std::string name = argString(info, 2, "property name");
  Use use(this, env, input ? "ipidProp" : "opidProp");
  GF_FilterPid *pid = Pid(env, use.filter, input, info[1], input ? "ipidProp" : "opidProp");
  u32 code = propCode(name);
  const GF_PropertyValue *p = code ? gpac.gf_filter_pid_get_property(pid, code) : gpac.gf_filter_pid_get_property_str(pid, name.c_str());
  if (!p) return env.Undefined();
  return propToJs(env, *p, code);
}

Napi::Value Filter::PidProps(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  bool input = argBool(info, 0, "input", true);
  Use use(this, env, input ? "ipidProps" : "opidProps");
  GF_FilterPid *pid = Pid(env, use.filter, input, info[1], input ? "ipidProps" : "opidProps");
  return propEntries(env, pidPropList(pid));
}

Napi::Value Filter::PidName(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  bool input = argBool(info, 0, "input", true);
  Use use(this, env, "pidName");
  GF_FilterPid *pid = Pid(env, use.filter, input, info[1], "pidName");
  const char *n = gpac.gf_filter_pid_get_name(pid);
  return n ? Napi::Value(Napi::String::New(env, n)) : env.Null();
}

Napi::Value Filter::PidStats(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  bool input = argBool(info, 0, "input", true);
  u32 mode = argU32(info, 2, "stats mode");
  const char *op = input ? "ipidStats" : "opidStats";
  Use use(this, env, op);
  GF_FilterPid *pid = Pid(env, use.filter, input, info[1], op);
  GF_FilterPidStatistics st;
  memset(&st, 0, sizeof st);
  GF_Err e = gpac.gf_filter_pid_get_statistics(pid, &st, static_cast<GF_FilterPidStatsLocation>(mode));
  if (e != GF_OK) throwGf(env, e, op);
  return structToJs(env, structInfo("GF_FilterPidStatistics"), &st);
}

Napi::Value Filter::IpidSource(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Use use(this, env, "ipidSource");
  GF_FilterPid *pid = Pid(env, use.filter, true, info[0], "ipidSource");
  // The session's filter list lock keeps the source from being removed while we look it up.
  gpac.gf_fs_lock_filters(use.fs, GF_TRUE);
  GF_Filter *src = gpac.gf_filter_pid_get_source_filter(pid);
  std::shared_ptr<FilterRef> ref = src ? core_->refFor(src) : nullptr;
  gpac.gf_fs_lock_filters(use.fs, GF_FALSE);
  if (!ref) return env.Null();
  return NewInstance(env, core_, ref);
}

Napi::Value Filter::OpidSinks(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Use use(this, env, "opidSinks");
  GF_FilterPid *pid = Pid(env, use.filter, false, info[0], "opidSinks");
  std::vector<std::shared_ptr<FilterRef>> refs;
  gpac.gf_fs_lock_filters(use.fs, GF_TRUE);
  for (u32 i = 0;; i++) {
    GF_Filter *dst = gpac.gf_filter_pid_enum_destinations(pid, i);
    if (!dst) break;
    refs.push_back(core_->refFor(dst));
  }
  gpac.gf_fs_lock_filters(use.fs, GF_FALSE);
  Napi::Array out = Napi::Array::New(env, refs.size());
  for (size_t i = 0; i < refs.size(); i++) out.Set(static_cast<uint32_t>(i), NewInstance(env, core_, refs[i]));
  return out;
}

Napi::Value Filter::GetInfo(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string name = argString(info, 0, "property name");
  Use use(this, env, "getInfo");
  GF_PropertyEntry *pe = nullptr;
  u32 code = propCode(name);
  const GF_PropertyValue *p = code ? gpac.gf_filter_get_info(use.filter, code, &pe) : gpac.gf_filter_get_info_str(use.filter, name.c_str(), &pe);
  Napi::Value v = p ? propToJs(env, *p, code) : env.Undefined();
  if (pe) gpac.gf_filter_release_property(pe);
  return v;
}

Napi::Value Filter::Statistics(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Use use(this, env, "statistics");
  GF_FilterStats st;
  memset(&st, 0, sizeof st);
  GF_Err e = gpac.gf_filter_get_stats(use.filter, &st);
  if (e != GF_OK) throwGf(env, e, "statistics");
  return structToJs(env, structInfo("GF_FilterStats"), &st);
}

/** An option's current value: enum options (uint with "a|b|c") by name, as GPAC writes them. */
static Napi::Value argValue(Napi::Env env, GF_Filter *f, const GF_FilterArgs *a) {
  GF_PropertyValue p;
  memset(&p, 0, sizeof p);
  if (!gpac.gf_filter_get_arg(f, a->arg_name, &p)) return env.Undefined();
  if (p.type == GF_PROP_UINT && a->min_max_enum && strchr(a->min_max_enum, '|')) {
    const char *s = a->min_max_enum;
    for (u32 i = 0; s; i++) {
      const char *sep = strchr(s, '|');
      if (i == p.value.uint) return Napi::String::New(env, sep ? std::string(s, sep - s) : std::string(s));
      s = sep ? sep + 1 : nullptr;
    }
  }
  return propToJs(env, p, 0);
}

Napi::Value Filter::Options(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Use use(this, env, "options");
  Napi::Array out = Napi::Array::New(env);
  for (u32 i = 0;; i++) {
    const GF_FilterArgs *a = gpac.gf_filter_enumerate_args(use.filter, i);
    if (!a || !a->arg_name) break;
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", a->arg_name);
    o.Set("type", gpac.gf_props_get_type_name(a->arg_type));
    o.Set("description", a->arg_desc ? Napi::Value(Napi::String::New(env, a->arg_desc)) : env.Null());
    o.Set("default", a->arg_default_val ? Napi::Value(Napi::String::New(env, a->arg_default_val)) : env.Null());
    o.Set("minMaxEnum", a->min_max_enum ? Napi::Value(Napi::String::New(env, a->min_max_enum)) : env.Null());
    o.Set("flags", Napi::Number::New(env, a->flags));
    o.Set("value", argValue(env, use.filter, a));
    char dump[GF_PROP_DUMP_ARG_SIZE + 16];
    const char *text = gpac.gf_filter_get_arg_str(use.filter, a->arg_name, dump);
    o.Set("text", text ? Napi::Value(Napi::String::New(env, text)) : env.Null());
    out.Set(i, o);
  }
  return out;
}

Napi::Value Filter::GetArg(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string name = argString(info, 0, "option name");
  Use use(this, env, "getArg");
  for (u32 i = 0;; i++) {
    const GF_FilterArgs *a = gpac.gf_filter_enumerate_args(use.filter, i);
    if (!a || !a->arg_name) break;
    if (name == a->arg_name) return argValue(env, use.filter, a);
  }
  return env.Undefined();
}

Napi::Value Filter::Update(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  std::string name = argString(info, 0, "option name");
  std::string text = argString(info, 1, "option value");
  u32 mask = argU32(info, 2, "propagate mask");
  GF_FilterSession *fs = core_->fs();
  OnGpac(env, "update", false, [fs, name, text, mask](GF_Filter *f) {
    gpac.gf_fs_send_update(fs, nullptr, f, name.c_str(), text.c_str(), static_cast<GF_EventPropagateType>(mask));
  });
  return env.Undefined();
}

Napi::Value Filter::Remove(const Napi::CallbackInfo &info) {
  core_->noteRemoveRequested();
  OnGpac(info.Env(), "remove", false, [](GF_Filter *f) { gpac.gf_filter_remove(f); });
  return info.Env().Undefined();
}

Napi::Value Filter::SetSource(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  auto src = RefFromJs(env, info[0], core_.get(), "setSource: source filter");
  bool hasArgs;
  std::string link = argOptString(info, 1, "setSource: link arguments", &hasArgs);
  bool restricted = argBool(info, 2, "restricted", false);
  const char *op = restricted ? "setSourceRestricted" : "setSource";
  GF_Err e = GF_OK;
  bool srcGone = false;
  auto core = core_;
  OnGpac(env, op, true, [&](GF_Filter *f) {
    if (!core->beginUse(src)) {
      srcGone = true;
      return;
    }
    e = restricted ? gpac.gf_filter_set_source_restricted(f, src->filter, hasArgs ? link.c_str() : nullptr)
                   : gpac.gf_filter_set_source(f, src->filter, hasArgs ? link.c_str() : nullptr);
    core->endUse(src);
  });
  if (srcGone) ThrowGone(env, std::string(op) + ": source filter", *src);
  if (e != GF_OK) throwGf(env, e, op);
  return env.Undefined();
}

Napi::Value Filter::Reconnect(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int32_t idx = argS32(info, 0, "reconnect: output PID index");
  if (idx >= 0) {
    Use use(this, env, "reconnect");
    Pid(env, use.filter, false, info[0], "reconnect");  // the clear RangeError now
  }
  GF_Err e = GF_OK;
  OnGpac(env, "reconnect", true, [&](GF_Filter *f) {
    GF_FilterPid *pid = nullptr;
    if (idx >= 0) {
      pid = static_cast<u32>(idx) < gpac.gf_filter_get_opid_count(f) ? gpac.gf_filter_get_opid(f, static_cast<u32>(idx)) : nullptr;
      if (!pid) {
        e = GF_BAD_PARAM;  // the PID went away meanwhile
        return;
      }
    }
    e = gpac.gf_filter_reconnect_output(f, pid);
  });
  if (e != GF_OK) throwGf(env, e, "reconnect");
  return env.Undefined();
}

Napi::Value Filter::RequireSourceId(const Napi::CallbackInfo &info) {
  OnGpac(info.Env(), "requireSourceId", true, [](GF_Filter *f) { gpac.gf_filter_require_source_id(f); });
  return info.Env().Undefined();
}

static Napi::Value splitList(Napi::Env env, char *list) {
  if (!list) return env.Null();
  Napi::Array out = Napi::Array::New(env);
  uint32_t n = 0;
  for (char *s = list; s && *s;) {
    char *sep = strchr(s, ',');
    out.Set(n++, Napi::String::New(env, sep ? std::string(s, sep - s) : std::string(s)));
    s = sep ? sep + 1 : nullptr;
  }
  gpac.gf_free(list);
  return out;
}

Napi::Value Filter::ProbeLink(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  u32 idx = argU32(info, 0, "probeLink: output PID index");
  std::string desc = argString(info, 1, "probeLink: filter description");
  Use use(this, env, "probeLink");
  char *chain = nullptr;
  GF_Err e = gpac.gf_filter_probe_link(use.filter, idx, desc.c_str(), &chain);
  if (e != GF_OK) {
    if (chain) gpac.gf_free(chain);
    return env.Null();
  }
  return splitList(env, chain);
}

Napi::Value Filter::Destinations(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  int32_t idx = argS32(info, 0, "destinations: output PID index");
  Use use(this, env, "destinations");
  char *list = nullptr;
  GF_Err e = gpac.gf_filter_get_possible_destinations(use.filter, idx, &list);
  if (e != GF_OK) {
    if (list) gpac.gf_free(list);
    return env.Null();
  }
  return splitList(env, list);
}

}  // namespace gts
