#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pactum::metrics {

// Labels are a series' label names and values, e.g. {{"method", "GET"}, {"route", "/healthz"}}.
using Labels = std::vector<std::pair<std::string, std::string>>;

// Counter only goes up. Incrementing is one relaxed atomic add: safe and cheap from any thread.
class Counter {
 public:
  // increment adds `by` to the counter.
  void increment(std::uint64_t by = 1) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }

  // value returns the current count.
  [[nodiscard]] std::uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// Gauge goes up and down (requests in flight, open connections). Lock-free like Counter.
class Gauge {
 public:
  // add adds `delta` (negative to go down).
  void add(std::int64_t delta) noexcept { value_.fetch_add(delta, std::memory_order_relaxed); }

  // set replaces the value.
  void set(std::int64_t value) noexcept { value_.store(value, std::memory_order_relaxed); }

  // value returns the current value.
  [[nodiscard]] std::int64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Histogram counts observations into fixed buckets (Prometheus style: each bucket counts the
// observations <= its upper bound; +Inf is implicit) and keeps their sum. observe() is lock-free:
// one relaxed add to a bucket and a compare-and-swap on the sum.
class Histogram {
 public:
  // Histogram takes the finite upper bounds, strictly increasing; anything else is a programming
  // error (std::invalid_argument).
  explicit Histogram(std::span<const double> upper_bounds);

  // observe records one value. NaN is ignored.
  void observe(double value) noexcept;

  // Snapshot is a consistent-enough reading for exposition: cumulative counts per bound (the
  // last entry is +Inf, equal to count), and the sum.
  struct Snapshot {
    std::vector<std::uint64_t> cumulative;
    double sum = 0;
    std::uint64_t count = 0;
  };

  // snapshot reads the histogram. Concurrent observations may or may not be included.
  [[nodiscard]] Snapshot snapshot() const;

  // upper_bounds returns the finite bounds given at construction.
  [[nodiscard]] const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1 (the +Inf one)
  std::atomic<double> sum_{0};
};

// kLatencyBuckets are bounds in seconds suited to request latencies, 100 µs to 10 s.
inline constexpr double kLatencyBuckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                             0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                             1,      2.5,     5,      10};

// Registry owns named metrics and renders them in the Prometheus text exposition format
// (version 0.0.4). Any layer may take a Registry& and register what it counts (signatures made,
// logins); the program creates one and serves it at /metrics. Registering takes a mutex and is
// meant for start-up or first use; the returned reference stays valid for the registry's life
// and is then used without any lock.
class Registry {
 public:
  Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  Registry(Registry&&) = delete;
  Registry& operator=(Registry&&) = delete;
  ~Registry();

  // counter returns the counter `name` with `labels`, creating it on first use. The same name
  // and labels always return the same object. A name or label name that Prometheus does not
  // allow, or a name already registered as another type or with another help text, is a
  // programming error: std::invalid_argument.
  Counter& counter(std::string_view name, std::string_view help, const Labels& labels = {});

  // gauge is counter() for gauges.
  Gauge& gauge(std::string_view name, std::string_view help, const Labels& labels = {});

  // histogram is counter() for histograms; every series of one name must use the same bounds.
  Histogram& histogram(std::string_view name, std::string_view help,
                       std::span<const double> upper_bounds, const Labels& labels = {});

  // render returns every metric in the text exposition format: families sorted by name, each
  // with its # HELP and # TYPE lines, series in the order they were created.
  [[nodiscard]] std::string render() const;

 private:
  enum class Type : std::uint8_t { kCounter, kGauge, kHistogram };
  struct Series;
  struct Family;

  Family& family(std::string_view name, std::string_view help, Type type);
  Series* find(Family& family, const Labels& labels);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;  // guarded by mutex_
};

// signature_counter returns pactum_signatures_total{kind}: signatures the server made, by kind
// ("timestamp", "ocsp_response", "crl"; contract signatures later), one family for every layer.
inline Counter& signature_counter(Registry& registry, std::string_view kind) {
  return registry.counter("pactum_signatures_total", "Signatures made by the server, by kind.",
                          {{"kind", std::string(kind)}});
}

}  // namespace pactum::metrics
