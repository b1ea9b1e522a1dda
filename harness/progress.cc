#include "harness/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace gelubench {

using Clock = std::chrono::steady_clock;

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)), total_(total), tty_(isatty(STDERR_FILENO) != 0),
      start_(Clock::now()), last_print_(start_) {}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void Progress::update(uint64_t done) {
  auto now = Clock::now();
  double since = std::chrono::duration<double>(now - last_print_).count();
  if (since < (tty_ ? 0.25 : 10.0)) return;
  last_print_ = now;
  double frac = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  double elapsed = elapsed_seconds();
  double eta = frac > 0 ? elapsed * (1 - frac) / frac : 0;
  if (tty_) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(frac * kWidth);
    fmt::print(stderr, "\r{} [{}{}] {:5.1f}%  {:.0f}s elapsed, ETA {:.0f}s ", label_,
               std::string(filled, '#'), std::string(kWidth - filled, '.'), 100 * frac, elapsed, eta);
  } else {
    fmt::print(stderr, "{}: {:.1f}% ({:.0f}s elapsed, ETA {:.0f}s)\n", label_, 100 * frac, elapsed, eta);
  }
  std::fflush(stderr);
}

void Progress::finish() {
  if (tty_) fmt::print(stderr, "\r\033[K");
  fmt::print(stderr, "{}: done in {:.1f}s\n", label_, elapsed_seconds());
}

}  // namespace gelubench
