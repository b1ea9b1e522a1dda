// An exact sum of doubles, rounded once at the end: the same result in any
// order of additions. The sweep adds each chunk's ULP sums into one, so its
// figures depend neither on the thread count nor on how the chunks were
// split into shards (`accuracy --shard`, `merge`).
//
// Shewchuk's algorithm as in Python's math.fsum: the exact sum is kept as a
// few non-overlapping doubles ("partials"); value() rounds it to nearest-even.
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

namespace gelubench {

class ExactSum {
 public:
  void add(double x) {
    if (!std::isfinite(x)) {
      special_ += x;  // inf or NaN: the sum is that (inf - inf is NaN)
      return;
    }
    size_t i = 0;
    for (double y : partials_) {
      if (std::fabs(x) < std::fabs(y)) std::swap(x, y);
      const double hi = x + y;
      const double lo = y - (hi - x);
      if (lo != 0) partials_[i++] = lo;
      x = hi;
    }
    partials_.resize(i);
    if (!std::isfinite(x))
      special_ += x;  // overflow past the largest double
    else
      partials_.push_back(x);
  }

  void merge(const ExactSum& b) {
    for (double p : b.partials_) add(p);
    special_ += b.special_;
  }

  // The exact sum rounded to the nearest double, ties to even.
  double value() const {
    if (special_ != 0) return special_;  // also NaN
    size_t n = partials_.size();
    if (n == 0) return 0.0;
    double hi = partials_[--n], lo = 0;
    while (n > 0) {
      const double x = hi, y = partials_[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo != 0) break;
    }
    // hi + lo was rounded half-even; the partials below decide a tie.
    if (n > 0 && ((lo < 0 && partials_[n - 1] < 0) || (lo > 0 && partials_[n - 1] > 0))) {
      const double y = lo * 2, x = hi + y;
      if (y == x - hi) hi = x;
    }
    return hi;
  }

  // The state, for shard files: value() of a restored copy is the same.
  const std::vector<double>& partials() const { return partials_; }
  double special() const { return special_; }
  static ExactSum restore(std::vector<double> partials, double special) {
    ExactSum s;
    for (double p : partials) s.add(p);
    s.special_ += special;
    return s;
  }

 private:
  std::vector<double> partials_;  // increasing magnitude, non-overlapping
  double special_ = 0;            // sum of the non-finite terms
};

}  // namespace gelubench
