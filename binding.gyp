{
  "variables": {
    "gpac_api_dir%": "generated/native"
  },
  "targets": [
    {
      "target_name": "gpac_ts",
      "sources": [
        "native/src/addon.cc",
        "native/src/lib.cc",
        "native/src/props.cc",
        "native/src/reflect.cc",
        "native/src/util.cc",
        "native/src/hook/dash_algo.cc",
        "native/src/hook/file_io.cc",
        "native/src/hook/http_handler.cc",
        "native/src/hook/hook_core.cc",
        "native/src/hook/hook_loader.cc",
        "native/src/hook/hook_value.cc",
        "native/src/hook/hook_worker.cc",
        "native/src/session/events.cc",
        "native/src/session/filter.cc",
        "native/src/session/gpac_queue.cc",
        "native/src/session/session.cc",
        "native/src/session/session_core.cc",
        "native/src/session/gpac_thread.cc",
        "native/src/session/stall_watch.cc",
        "native/src/plugin/plugin_core.cc",
        "native/src/plugin/plugin_handoff.cc",
        "native/src/plugin/plugin_loader.cc",
        "native/src/plugin/plugin_props.cc",
        "native/src/plugin/plugin_tables.cc",
        "native/src/plugin/plugin_worker.cc",
        "native/src/plugin/packet.cc",
        "native/src/plugin/pid.cc",
        "<(gpac_api_dir)/gpac_api.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<(gpac_api_dir)",
        "native/src"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-missing-field-initializers"],
      "libraries": ["-ldl"],
      "ldflags": ["-Wl,-z,nodelete"]
    },
    {
      "target_name": "gpac_ts_thread_id",
      "sources": ["native/thread_id/gf_th_id.cc"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"],
      "ldflags": ["-Wl,-z,nodelete"]
    }
  ]
}
