// Progress reporting for long sweeps: a redrawn bar with ETA on a terminal,
// plain lines (at most one per ~10 s) when stderr is a file or pipe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace gelubench {

class Progress {
 public:
  Progress(std::string label, uint64_t total);
  void update(uint64_t done);  // call from one thread only
  void finish();               // final line with elapsed time
  double elapsed_seconds() const;

 private:
  std::string label_;
  uint64_t total_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_print_;
};

}  // namespace gelubench
