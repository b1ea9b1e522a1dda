// Peer shim: OpenVINO's CPU plugin running a one-op model, Gelu-7 with
// approximation_mode ERF (f32_erf_openvino__jit) or TANH
// (f32_tanh_openvino__jit), as an OpenVINO user runs GELU. The plugin
// executes it with its own fork of oneDNN's JIT eltwise code.
//
// Through the public C API (libopenvino_c): the model is read from an IR
// string (Parameter f32[n] -> Gelu -> Result), compiled once per (thread,
// mode, n, threads) for the CPU device with f32 inference precision (on
// AVX512_BF16 CPUs the plugin would otherwise run bf16), one stream and one
// inference thread (T after gelubench_peer_set_threads(T), for `throughput
// --threads`), and cached per thread with its infer request. CPU pinning is off:
// with it, every inference pins the calling thread to the stream's core
// (CPUStreamsExecutor, seen with gdb), so two gelubench threads calling it
// shared one core (the accuracy sweep ran at half speed), and
// `throughput --threads` places the threads itself. A call binds x and y
// as the request's input and output tensors (user memory, no copy by us;
// rebound only when the pointers change) and runs a synchronous inference.
//
// Not loaded in AddressSanitizer builds (see gelubench_peer_open).
// --isa: OpenVINO has no public cap on the ISA its plugin dispatches to, so
// under a cap below the CPU's best this peer refuses to run rather than
// measure the wrong code. The code path recorded is the plugin's execution
// type for the Gelu node from its profiling counters (e.g. "jit_avx512_f32"),
// read from a separate profiling-enabled model so the timed ones carry no
// profiling cost.
#include <openvino/c/openvino.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/peers/peer_shim.h"

// Built with AddressSanitizer (the asan and fuzz presets)?
#if defined(__SANITIZE_ADDRESS__)
#define GELUBENCH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GELUBENCH_ASAN 1
#endif
#endif

namespace {

using gelubench::peer_shim::last_error;

ov_core_t* core = nullptr;

bool failed(ov_status_e st, const char* what) {
  if (st == OK) return false;
  const char* msg = ov_get_last_err_msg();
  std::snprintf(last_error, sizeof last_error, "OpenVINO %s failed: %s (%s)", what, ov_get_error_info(st),
                msg ? msg : "");
  return true;
}

std::string ir(const char* mode, size_t n) {
  const std::string dim = "<dim>" + std::to_string(n) + "</dim>";
  return "<?xml version=\"1.0\"?>\n<net name=\"gelu\" version=\"11\"><layers>"
         "<layer id=\"0\" name=\"x\" type=\"Parameter\" version=\"opset1\">"
         "<data shape=\"" + std::to_string(n) + "\" element_type=\"f32\"/>"
         "<output><port id=\"0\" precision=\"FP32\">" + dim + "</port></output></layer>"
         "<layer id=\"1\" name=\"gelu\" type=\"Gelu\" version=\"opset7\">"
         "<data approximation_mode=\"" + mode + "\"/>"
         "<input><port id=\"0\" precision=\"FP32\">" + dim + "</port></input>"
         "<output><port id=\"1\" precision=\"FP32\">" + dim + "</port></output></layer>"
         "<layer id=\"2\" name=\"y\" type=\"Result\" version=\"opset1\">"
         "<input><port id=\"0\" precision=\"FP32\">" + dim + "</port></input></layer>"
         "</layers><edges>"
         "<edge from-layer=\"0\" from-port=\"0\" to-layer=\"1\" to-port=\"0\"/>"
         "<edge from-layer=\"1\" from-port=\"1\" to-layer=\"2\" to-port=\"0\"/>"
         "</edges></net>\n";
}

struct Entry {
  const char* mode;
  size_t n;
  int threads = 1;  // inference threads (gelubench_peer_set_threads)
  ov_compiled_model_t* compiled = nullptr;
  ov_infer_request_t* request = nullptr;
  const float* bound_x = nullptr;
  float* bound_y = nullptr;
};

void destroy(Entry& e) {
  if (e.request) ov_infer_request_free(e.request);
  if (e.compiled) ov_compiled_model_free(e.compiled);
}

// Compiles the one-op model for (mode, n); profiling adds the counters that
// name the code path.
bool compile(Entry& e, bool profiling) {
  const std::string xml = ir(e.mode, e.n);
  const std::string threads = std::to_string(e.threads);
  ov_model_t* model = nullptr;
  if (failed(ov_core_read_model_from_memory_buffer(core, xml.c_str(), xml.size(), nullptr, &model), "read_model"))
    return false;
  const bool ok = !failed(ov_core_compile_model(core, model, "CPU", 12, &e.compiled,
                                                ov_property_key_hint_inference_precision, "f32",
                                                ov_property_key_num_streams, "1",
                                                ov_property_key_inference_num_threads, threads.c_str(),
                                                ov_property_key_hint_performance_mode, "LATENCY",
                                                ov_property_key_hint_enable_cpu_pinning, "NO",
                                                ov_property_key_enable_profiling, profiling ? "YES" : "NO"),
                          "compile_model") &&
                  !failed(ov_compiled_model_create_infer_request(e.compiled, &e.request), "create_infer_request");
  ov_model_free(model);
  return ok;
}

// Binds x and y as the request's tensors.
bool bind(Entry& e, const float* x, float* y) {
  const int64_t dims[1] = {static_cast<int64_t>(e.n)};
  ov_shape_t shape;
  if (failed(ov_shape_create(1, dims, &shape), "shape_create")) return false;
  ov_tensor_t *in = nullptr, *out = nullptr;
  const bool ok = !failed(ov_tensor_create_from_host_ptr(F32, shape, const_cast<float*>(x), &in), "tensor_create") &&
                  !failed(ov_tensor_create_from_host_ptr(F32, shape, y, &out), "tensor_create") &&
                  !failed(ov_infer_request_set_input_tensor_by_index(e.request, 0, in), "set_input_tensor") &&
                  !failed(ov_infer_request_set_output_tensor_by_index(e.request, 0, out), "set_output_tensor");
  if (in) ov_tensor_free(in);
  if (out) ov_tensor_free(out);
  ov_shape_free(&shape);
  if (ok) e.bound_x = x, e.bound_y = y;
  return ok;
}

// A thread's compiled models, freed when the thread exits.
struct Entries : std::vector<Entry> {
  ~Entries() {
    for (Entry& e : *this) destroy(e);
  }
};

// The calling thread's inference thread count (gelubench_peer_set_threads).
thread_local int requested_threads = 1;

int gelu(const char* mode, size_t n, const float* x, float* y) {
  if (n == 0) return 0;
  thread_local Entries entries;  // few distinct (mode, n, threads) per thread
  Entry* e = nullptr;
  for (auto& c : entries)
    if (c.mode == mode && c.n == n && c.threads == requested_threads) e = &c;
  if (e == nullptr) {
    if (entries.size() >= 8) {
      destroy(entries.front());
      entries.erase(entries.begin());
    }
    Entry fresh{mode, n, requested_threads};
    if (!compile(fresh, false)) {
      destroy(fresh);
      return 1;
    }
    entries.push_back(fresh);
    e = &entries.back();
  }
  if ((e->bound_x != x || e->bound_y != y) && !bind(*e, x, y)) return 1;
  return failed(ov_infer_request_infer(e->request), "infer") ? 1 : 0;
}

// The plugin's execution type for the Gelu node of a profiling-enabled model.
std::string exec_type(const char* mode) {
  Entry e{mode, 1024};
  std::vector<float> x(e.n, 0.5f), y(e.n);
  std::string out = "unknown";
  ov_profiling_info_list_t infos{};
  if (compile(e, true) && bind(e, x.data(), y.data()) && !failed(ov_infer_request_infer(e.request), "infer") &&
      !failed(ov_infer_request_get_profiling_info(e.request, &infos), "get_profiling_info")) {
    for (size_t i = 0; i < infos.size; ++i)
      if (std::strcmp(infos.profiling_infos[i].node_type, "Gelu") == 0 ||
          std::strcmp(infos.profiling_infos[i].node_name, "gelu") == 0)
        out = infos.profiling_infos[i].exec_type;
    ov_profiling_info_list_free(&infos);
  }
  destroy(e);
  return out;
}

}  // namespace

GELUBENCH_PEER_EXPORT const char* gelubench_peer_open(int isa_cap) {
#ifdef GELUBENCH_ASAN
  // OpenVINO's TBB dlopens libtbbbind with RTLD_DEEPBIND, on which the
  // AddressSanitizer runtime aborts the whole process.
  return "not under AddressSanitizer: OpenVINO's TBB loads libtbbbind with RTLD_DEEPBIND, which ASan aborts on";
#endif
  if (isa_cap != gelubench::peer_shim::kAvx512)
    return "OpenVINO has no public cap on its CPU plugin's ISA; it runs only at this CPU's best ISA";
  if (failed(ov_core_create(&core), "core_create")) return last_error;
  return nullptr;
}

GELUBENCH_PEER_EXPORT const char* gelubench_peer_describe() {
  static const std::string text = [] {
    ov_version_t v{};
    std::string build = "unknown";
    if (ov_get_openvino_version(&v) == OK) {
      build = v.buildNumber;
      ov_version_free(&v);
    }
    const std::string version = build.substr(0, build.find('-'));
    return "{\"library\": \"OpenVINO\", \"version\": \"" + version + "\", \"build\": \"" + build +
           "\", \"code_path\": \"CPU plugin, Gelu ERF " + exec_type("ERF") + "; Gelu TANH " + exec_type("TANH") +
           "\", \"threading\": \"1 stream, 1 inference thread, no CPU pinning, f32 precision\"}";
  }();
  return text.c_str();
}

GELUBENCH_PEER_EXPORT const char* gelubench_peer_error() { return last_error; }

// throughput --threads: OpenVINO's own inference threads (a model compiled
// per count; the default stays one).
GELUBENCH_PEER_EXPORT int gelubench_peer_set_threads(int threads) {
  if (threads < 1) return 1;
  requested_threads = threads;
  return 0;
}

// The mode strings are static: entries compare them by address.
GELUBENCH_PEER_EXPORT int f32_erf_openvino__jit(size_t n, const float* x, float* y) { return gelu("ERF", n, x, y); }
GELUBENCH_PEER_EXPORT int f32_tanh_openvino__jit(size_t n, const float* x, float* y) { return gelu("TANH", n, x, y); }
