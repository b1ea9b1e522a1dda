#include "harness/external.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <csignal>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/peer_libraries.h"
#include "harness/registry.h"

extern char** environ;

namespace gelubench {
namespace {

// The framing (adapters/README.md): a 16-byte header, then the raw array.
//   magic "GBEV" | dtype u32 (0 = f32, 1 = f16, 2 = bf16) | count u64, little-endian
// gelubench sends one such block; the program answers with one of the same
// dtype and count holding GELU of each element.
// Shared memory, optional: the program's fd 3 is a memory file of two
// regions of kShmBytes (inputs, then outputs; GELUBENCH_SHM_FD and
// GELUBENCH_SHM_BYTES say so). Magic "GBES" means the array is in the
// region instead of after the header. gelubench sends "GBEV" until the
// program first answers "GBES", and "GBES" from then on; a program that
// never maps the memory never sees "GBES".
constexpr char kMagic[4] = {'G', 'B', 'E', 'V'};
constexpr char kMagicShared[4] = {'G', 'B', 'E', 'S'};
// Throughput request: "GBTP" | dtype | count, then calls u32 | what u32 (0 =
// GELU, 1 = copy), then the array (or "GBTS": the array in shared memory).
// The answer: "GBTP" | dtype | calls, then the seconds as a float64.
constexpr char kMagicTime[4] = {'G', 'B', 'T', 'P'};
constexpr char kMagicTimeShared[4] = {'G', 'B', 'T', 'S'};
constexpr size_t kShmBytes = size_t{4} << 20;  // the accuracy sweep's blocks: 2^20 floats
constexpr int kShmChildFd = 3;

// The wire's dtype codes, and each format's element size.
uint32_t wire_dtype(DType d) { return d == DType::f32 ? 0 : d == DType::f16 ? 1 : 2; }
size_t element_size(DType d) { return d == DType::f32 ? 4 : 2; }
struct Header {
  char magic[4];
  uint32_t dtype;
  uint64_t count;
};
static_assert(sizeof(Header) == 16);

constexpr size_t kMaxExternals = 32;

class External {
 public:
  External(std::string name_, std::string command_, DType dtype_)
      : name(std::move(name_)), command(std::move(command_)), dtype(dtype_) {}
  ~External() {
    stop();
    if (shm_ != nullptr) munmap(shm_, 2 * kShmBytes), close(shm_fd_);
  }

  // Starts the program; "" or why it could not.
  std::string start() {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) return "cannot create pipes";
    map_shared_memory();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    // The memory file as its fd 3 (dup2 clears close-on-exec on the copy).
    if (shm_ != nullptr) posix_spawn_file_actions_adddup2(&fa, shm_fd_, kShmChildFd);
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e)
      if (std::string_view(*e).rfind("GELUBENCH_SHM_", 0) != 0) env_text.emplace_back(*e);
    if (shm_ != nullptr) {
      env_text.push_back(fmt::format("GELUBENCH_SHM_FD={}", kShmChildFd));
      env_text.push_back(fmt::format("GELUBENCH_SHM_BYTES={}", kShmBytes));
    }
    std::vector<char*> env;
    for (auto& t : env_text) env.push_back(t.data());
    env.push_back(nullptr);
    // Its own process group, so stopping it also stops what the shell started.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    const int rc = posix_spawn(&pid_, "/bin/sh", &fa, &attr, const_cast<char**>(argv), env.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    to_ = in[1];
    from_ = out[0];
    if (rc != 0) {
      pid_ = -1;
      return fmt::format("cannot start /bin/sh: {}", std::strerror(rc));
    }
    // Blocks are up to 4 MiB: a pipe larger than the default 64 KiB saves
    // most of the context switches (the kernel caps it at pipe-max-size).
    for (int fd : {to_, from_}) fcntl(fd, F_SETPIPE_SZ, 1 << 20);
    fcntl(to_, F_SETFL, fcntl(to_, F_GETFL) | O_NONBLOCK);
    fcntl(from_, F_SETFL, fcntl(from_, F_GETFL) | O_NONBLOCK);
    return "";
  }

  // One block of n elements of the kernel's dtype through the program: 0,
  // or 1 with the failure recorded in slot.
  int call(size_t n, const void* x, void* y) {
    std::lock_guard lock(mu_);
    if (!failure_.empty()) return fail("");
    const size_t bytes = n * element_size(dtype);
    const bool shared = shared_mode_ && bytes <= kShmBytes;
    const char* magic = shared ? kMagicShared : kMagic;
    const Header req{{magic[0], magic[1], magic[2], magic[3]}, wire_dtype(dtype), n};
    Header resp{};
    // x may alias y (in place), and the answer is read while x is still being
    // sent: send a copy then.
    std::vector<unsigned char> copy;
    if (shared) {
      if (n > 0) std::memcpy(shm_in(), x, bytes);
      x = nullptr, bytes_sent_ = 0;
    } else {
      if (x == y && n > 0) copy.assign(static_cast<const unsigned char*>(x), static_cast<const unsigned char*>(x) + bytes), x = copy.data();
      bytes_sent_ = bytes;
    }
    // The first block also waits for the program to start (a framework's
    // import can take seconds on a loaded machine).
    const double timeout = answered_ ? external_timeout_seconds() : std::max(external_timeout_seconds(), 60.0);
    bool answered_shared = false;
    if (std::string why = exchange(req, x, n, resp, y, timeout, answered_shared); !why.empty()) return fail(why);
    if (answered_shared) {
      if (n > 0) std::memcpy(y, shm_out(), bytes);
      shared_mode_ = true;
    }
    if (!answered_) slot.transport = answered_shared ? "shared memory" : "pipe";
    answered_ = true;
    return 0;
  }

  // One timing request (time_external): 0, or 1 with the failure recorded.
  int time(size_t n, const void* x, uint32_t calls, bool copy, double* seconds) {
    std::lock_guard lock(mu_);
    if (!failure_.empty()) return fail("");
    const size_t bytes = n * element_size(dtype);
    const bool shared = shared_mode_ && bytes <= kShmBytes;
    const char* magic = shared ? kMagicTimeShared : kMagicTime;
    struct {
      Header h;
      uint32_t calls, what;
    } req{{{magic[0], magic[1], magic[2], magic[3]}, wire_dtype(dtype), n}, calls, copy ? 1u : 0u};
    static_assert(sizeof req == 24);
    if (shared && n > 0) std::memcpy(shm_in(), x, bytes);
    struct {
      Header h;
      double seconds;
    } resp{};
    static_assert(sizeof resp == 24);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(external_timeout_seconds()));
    if (std::string why = send_all(&req, sizeof req, deadline); !why.empty()) return fail(why);
    if (!shared)
      if (std::string why = send_all(x, bytes, deadline); !why.empty()) return fail(why);
    if (std::string why = read_all(&resp, sizeof resp, deadline); !why.empty()) return fail(why);
    if (std::memcmp(resp.h.magic, kMagicTime, 4) != 0)
      return fail(fmt::format("it answered a timing request with header bytes {:02x} {:02x} {:02x} {:02x}, not "
                              "\"GBTP\" (does it time itself? adapters/README.md)",
                              static_cast<unsigned char>(resp.h.magic[0]), static_cast<unsigned char>(resp.h.magic[1]),
                              static_cast<unsigned char>(resp.h.magic[2]), static_cast<unsigned char>(resp.h.magic[3])));
    if (resp.h.count != calls) return fail(fmt::format("it timed {} calls for {}", resp.h.count, calls));
    if (!(resp.seconds > 0) || !std::isfinite(resp.seconds))
      return fail(fmt::format("it timed its calls at {} s", resp.seconds));
    *seconds = resp.seconds;
    return 0;
  }

  const std::string name, command;  // the kernel's name and the command line; stable for the registry
  const DType dtype;                // f32, f16 or bf16: what travels, both ways
  PeerSlot slot{nullptr, nullptr};

 private:
  // Records the first failure (killing the program) and returns 1.
  int fail(const std::string& why) {
    if (failure_.empty()) {
      failure_ = describe_failure(why);
      stop();
      std::lock_guard lock(slot.mu);
      if (slot.error.empty()) slot.error = fmt::format("external {} ('{}') failed: {}", name, command, failure_);
    }
    return 1;
  }

  // Why the program stopped answering: its exit status when it has one.
  std::string describe_failure(const std::string& why) {
    if (pid_ <= 0) return why;
    int st = 0;
    for (int i = 0; i < 200; ++i) {  // a crash closes the pipe a moment before the exit is visible
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        if (WIFSIGNALED(st)) return fmt::format("{} (it was killed by signal {}: {})", why, WTERMSIG(st), strsignal(WTERMSIG(st)));
        if (WIFEXITED(st) && WEXITSTATUS(st) > 128 && WEXITSTATUS(st) < 160)  // sh -c reports a killed child so
          return fmt::format("{} (it exited with status {}: killed by signal {}, {})", why, WEXITSTATUS(st),
                             WEXITSTATUS(st) - 128, strsignal(WEXITSTATUS(st) - 128));
        if (WIFEXITED(st)) return fmt::format("{} (it exited with status {})", why, WEXITSTATUS(st));
        break;
      }
      usleep(10000);
    }
    return why;
  }

  // Blocking-style writes and reads over the non-blocking pipes, within the
  // deadline (the timing requests: one direction at a time is enough, the
  // program reads the whole request before it answers).
  std::string send_all(const void* p, size_t bytes, std::chrono::steady_clock::time_point deadline) {
    const char* c = static_cast<const char*>(p);
    while (bytes > 0) {
      if (std::string why = wait_for(to_, POLLOUT, deadline); !why.empty()) return why;
      const ssize_t w = write(to_, c, bytes);
      if (w < 0 && errno != EAGAIN && errno != EINTR) return "it stopped reading its input";
      if (w > 0) c += w, bytes -= static_cast<size_t>(w);
    }
    return "";
  }
  std::string read_all(void* p, size_t bytes, std::chrono::steady_clock::time_point deadline) {
    char* c = static_cast<char*>(p);
    while (bytes > 0) {
      if (std::string why = wait_for(from_, POLLIN, deadline); !why.empty()) return why;
      const ssize_t r = read(from_, c, bytes);
      if (r == 0) return "it closed its output";
      if (r < 0 && errno != EAGAIN && errno != EINTR) return fmt::format("read failed: {}", std::strerror(errno));
      if (r > 0) c += r, bytes -= static_cast<size_t>(r);
    }
    return "";
  }
  static std::string wait_for(int fd, short events, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      const auto left = std::chrono::duration<double, std::milli>(deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) return fmt::format("no answer within {:g} s (timed out)", external_timeout_seconds());
      pollfd pfd{fd, events, 0};
      const int ready = poll(&pfd, 1, static_cast<int>(std::min(left, 1000.0)) + 1);
      if (ready > 0) return "";
      if (ready < 0 && errno != EINTR) return fmt::format("poll failed: {}", std::strerror(errno));
    }
  }

  // A memory file for the blocks, if the system gives one (else pipes only).
  void map_shared_memory() {
    int fd = memfd_create("gelubench-external", MFD_CLOEXEC);
    if (fd < 0) return;
    if (fd <= kShmChildFd) {  // dup2 onto itself would keep close-on-exec
      const int moved = fcntl(fd, F_DUPFD_CLOEXEC, kShmChildFd + 1);
      close(fd);
      fd = moved;
      if (fd < 0) return;
    }
    void* p = MAP_FAILED;
    if (ftruncate(fd, static_cast<off_t>(2 * kShmBytes)) == 0)
      p = mmap(nullptr, 2 * kShmBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
      close(fd);
      return;
    }
    shm_fd_ = fd;
    shm_ = p;
  }
  void* shm_in() const { return shm_; }
  void* shm_out() const { return static_cast<char*>(shm_) + kShmBytes; }

  // Writes the request (header, then bytes_sent_ bytes from x) and reads
  // the response concurrently (a program may answer while it still reads),
  // within the timeout. A "GBES" answer (its array in the shared output
  // region) sets answered_shared.
  std::string exchange(const Header& req, const void* x, size_t n, Header& resp, void* y, double timeout,
                       bool& answered_shared) {
    const size_t bytes = n * element_size(dtype);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout);
    struct Span {
      const char* p;
      size_t left;
    };
    std::array<Span, 2> out = {Span{reinterpret_cast<const char*>(&req), sizeof req},
                               Span{static_cast<const char*>(x), bytes_sent_}};
    size_t out_i = 0;
    char* in_p = reinterpret_cast<char*>(&resp);
    size_t in_left = sizeof resp;
    bool header_done = false, stopped_reading = false;
    while (in_left > 0 || !header_done) {
      while (out_i < out.size() && out[out_i].left == 0) ++out_i;
      pollfd fds[2] = {{from_, POLLIN, 0}, {to_, POLLOUT, 0}};
      const nfds_t nfds = out_i < out.size() ? 2 : 1;
      const auto left = std::chrono::duration<double, std::milli>(deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) return fmt::format("no answer within {:g} s (timed out)", timeout);
      const int ready = poll(fds, nfds, static_cast<int>(std::min(left, 1000.0)) + 1);
      if (ready < 0 && errno != EINTR) return fmt::format("poll failed: {}", std::strerror(errno));
      if (ready <= 0) continue;
      if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
        const ssize_t w = write(to_, out[out_i].p, out[out_i].left);
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
          // Stop writing but keep reading: a program that died is then
          // reported by its closed output and exit status, not by the race.
          stopped_reading = true;
          out_i = out.size();
        }
        if (w > 0) out[out_i].p += w, out[out_i].left -= static_cast<size_t>(w);
      }
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        const ssize_t r = read(from_, in_p, in_left);
        if (r == 0) return header_done ? "its output ended inside a block" : "it closed its output";
        if (r < 0 && errno != EAGAIN && errno != EINTR) return fmt::format("read failed: {}", std::strerror(errno));
        if (r > 0) in_p += r, in_left -= static_cast<size_t>(r);
        if (in_left == 0 && !header_done) {
          header_done = true;
          answered_shared = shm_ != nullptr && bytes <= kShmBytes &&
                            std::memcmp(resp.magic, kMagicShared, 4) == 0;
          if (!answered_shared && std::memcmp(resp.magic, kMagic, 4) != 0)
            return fmt::format("it answered with garbage (header bytes {:02x} {:02x} {:02x} {:02x}, not \"GBEV\")",
                               static_cast<unsigned char>(resp.magic[0]), static_cast<unsigned char>(resp.magic[1]),
                               static_cast<unsigned char>(resp.magic[2]), static_cast<unsigned char>(resp.magic[3]));
          if (resp.dtype != req.dtype)
            return fmt::format("it answered dtype {} for {} ({})", resp.dtype, dtype_name(dtype), req.dtype);
          if (resp.count != n) return fmt::format("it returned {} elements for {}", resp.count, n);
          in_p = static_cast<char*>(y);
          in_left = answered_shared ? 0 : bytes;
        }
      }
    }
    // The whole answer is in; the request must have been read entirely too.
    if (stopped_reading) return "it stopped reading its input";
    for (const Span& s : out)
      if (s.left) return "it answered before reading its whole input";
    return "";
  }

  void stop() {
    if (to_ >= 0) close(to_), to_ = -1;  // EOF: a well-behaved program exits
    if (from_ >= 0) close(from_), from_ = -1;
    if (pid_ > 0) {
      int st;
      for (int i = 0; i < 100 && waitpid(pid_, &st, WNOHANG) == 0; ++i) usleep(10000);
      if (waitpid(pid_, &st, WNOHANG) == 0) {
        kill(-pid_, SIGKILL);
        waitpid(pid_, &st, 0);
      }
      kill(-pid_, SIGKILL);  // whatever of its group is left (the shell may be gone, a child not)
      pid_ = -1;
    }
  }

  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  int shm_fd_ = -1;
  void* shm_ = nullptr;       // 2 * kShmBytes, shared with the program; nullptr: pipes only
  bool shared_mode_ = false;  // the program answered "GBES": send "GBES" blocks
  size_t bytes_sent_ = 0;     // bytes following the current request's header
  std::mutex mu_;
  std::string failure_;
  bool answered_ = false;  // a block has come back: the program is up
};

std::deque<std::unique_ptr<External>> g_externals;

// A fixed set of plain functions, one per external slot, for the registry's
// function pointers (which carry no context). The slot's fn (the f32 call)
// also marks it runnable, whatever the dtype; narrow kernels call through
// their u16 function, which leaves NaN where the program failed.
template <size_t I>
int external_call(size_t n, const float* x, float* y) {
  return g_externals[I]->call(n, x, y);
}
template <size_t I>
void external_kernel(size_t n, const float* x, float* y) {
  call_peer(g_externals[I]->slot, n, x, y);
}
template <size_t I>
void external_u16(size_t n, const uint16_t* x, uint16_t* y, const U16State*) {
  External& e = *g_externals[I];
  if (e.slot.fn.load(std::memory_order_relaxed) != nullptr && e.call(n, x, y) == 0) return;
  if (peer_failure(e.slot).empty()) {
    std::lock_guard lock(e.slot.mu);
    e.slot.error = fmt::format("external {} ('{}') failed: called before it answered", e.name, e.command);
  }
  std::fill(y, y + n, e.dtype == DType::f16 ? uint16_t{0x7e00} : uint16_t{0x7fc0});  // quiet NaN
}
struct SlotFunctions {
  PeerFn call;
  F32Kernel f32;
  U16Kernel u16;
};
template <size_t... I>
constexpr auto make_table(std::index_sequence<I...>) {
  return std::array<SlotFunctions, sizeof...(I)>{{{&external_call<I>, &external_kernel<I>, &external_u16<I>}...}};
}
constexpr auto kSlots = make_table(std::make_index_sequence<kMaxExternals>{});

}  // namespace

double external_timeout_seconds() {
  static const double s = [] {
    const char* e = std::getenv("GELUBENCH_EXTERNAL_TIMEOUT");
    const double v = e ? std::atof(e) : 0.0;
    return v > 0 && std::isfinite(v) ? v : 120.0;
  }();
  return s;
}

std::string time_external(PeerSlot& slot, size_t n, const void* x, uint32_t calls, bool copy, double* seconds) {
  for (auto& ext : g_externals)
    if (&ext->slot == &slot) {
      if (ext->time(n, x, calls, copy, seconds) != 0) return peer_failure(slot);
      return "";
    }
  return "not an external kernel";
}

std::string parse_external_budgets(const std::vector<std::string>& args, const std::vector<std::string>& externals,
                                   std::map<std::string, Budget>& out) {
  for (const std::string& arg : args) {
    const size_t eq = arg.find('=');
    const std::string name = eq == std::string::npos ? "" : arg.substr(0, eq);
    const bool known = std::any_of(externals.begin(), externals.end(),
                                   [&](const std::string& e) { return e.rfind(name + "=", 0) == 0; });
    if (name.empty() || eq + 1 == arg.size())
      return fmt::format("--external-budget '{}': expected NAME=ULP[,ULP_EXACT[,ABS_EXACT]]", arg);
    if (!known) return fmt::format("--external-budget: no --external named {}", name);
    double v[3] = {kUnbounded, kUnbounded, kUnbounded};
    size_t pos = eq + 1;
    for (int i = 0; i < 3 && pos <= arg.size(); ++i) {
      const size_t comma = std::min(arg.find(',', pos), arg.size());
      const std::string field = arg.substr(pos, comma - pos);
      if (field != "-") {
        char* end = nullptr;
        v[i] = std::strtod(field.c_str(), &end);
        if (field.empty() || *end != '\0' || !(v[i] >= 0))
          return fmt::format("--external-budget {}: '{}' is not a number >= 0 (or - for no claim)", name, field);
      }
      pos = comma + 1;
      if (comma == arg.size()) break;
    }
    if (pos < arg.size()) return fmt::format("--external-budget {}: at most three figures", name);
    out[name] = Budget{v[0], v[1], v[2]};
  }
  return "";
}

std::string add_external(const std::string& spec, const Budget* budget) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    return fmt::format("--external '{}': expected NAME=COMMAND", spec);
  const std::string name = spec.substr(0, eq), command = spec.substr(eq + 1);
  const auto kind = float_name_kind(name);
  if (!kind)
    return fmt::format("--external: name '{}' is not <f32|f16|bf16>_<formula>_<method>[_<detail>]__<isa> in "
                       "[a-z0-9_] (e.g. f32_erf_torch_gelu__ext)",
                       name);
  const auto [dtype, formula] = *kind;
  if (find_kernel(name)) return fmt::format("--external: duplicate kernel name {}", name);
  if (g_externals.size() == kMaxExternals) return fmt::format("--external: at most {} external kernels", kMaxExternals);

  // A program that dies must not take gelubench with it through SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  const size_t index = g_externals.size();
  auto& ext = *g_externals.emplace_back(std::make_unique<External>(name, command, dtype));
  const char* stored = ext.name.c_str();
  ext.slot.symbol = stored;
  ext.slot.command = command;
  std::string why = ext.start();
  if (why.empty()) {
    // The handshake: one block of one element, 1.0, must come back framed
    // right (its value is for the accuracy sweep to judge).
    const float x = 1.0f;
    const uint16_t x16 = dtype == DType::f16 ? 0x3c00 : 0x3f80;
    unsigned char y[4];
    if (ext.call(1, dtype == DType::f32 ? static_cast<const void*>(&x) : &x16, y) != 0) why = peer_failure(ext.slot);
  }
  if (why.empty()) {
    ext.slot.fn.store(kSlots[index].call);
  } else {
    std::lock_guard lock(ext.slot.mu);
    ext.slot.unavailable = why;
  }
  // With a budget it is judged like a registry kernel (not a peer).
  const bool f32 = dtype == DType::f32;
  add_kernel({stored, dtype, formula, kScalar, budget ? *budget : Budget{}, budget == nullptr, Declarations{},
              f32 ? kSlots[index].f32 : nullptr, f32 ? nullptr : kSlots[index].u16, nullptr, &ext.slot, nullptr});
  return "";
}

}  // namespace gelubench
