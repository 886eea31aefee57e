#include "pactum/base/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace pactum::metrics {

namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// is_metric_name checks [a-zA-Z_:][a-zA-Z0-9_:]*.
bool is_metric_name(std::string_view name) {
  return !name.empty() && (is_name_start(name.front()) || name.front() == ':') &&
         std::ranges::all_of(name, [](char c) { return is_name_char(c) || c == ':'; });
}

// is_label_name checks [a-zA-Z_][a-zA-Z0-9_]* and refuses the reserved "__" prefix; "le" is
// reserved for histogram buckets.
bool is_label_name(std::string_view name) {
  return !name.empty() && is_name_start(name.front()) && std::ranges::all_of(name, is_name_char) &&
         !name.starts_with("__") && name != "le";
}

// escape_label escapes a label value: backslash, double quote and line feed.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_labels(std::string& out, const Labels& labels, std::string_view le = {}) {
  if (labels.empty() && le.empty()) {
    return;
  }
  out += '{';
  bool first = true;
  for (const auto& [name, value] : labels) {
    out += first ? "" : ",";
    first = false;
    out += name;
    out += "=\"";
    append_escaped(out, value, true);
    out += '"';
  }
  if (!le.empty()) {
    out += first ? "" : ",";
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

std::string format_number(double value) {
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  return fmt::format("{}", value);
}

}  // namespace

Histogram::Histogram(std::span<const double> upper_bounds)
    : bounds_(upper_bounds.begin(), upper_bounds.end()),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1])) {
      throw std::invalid_argument("histogram bounds must be finite and strictly increasing");
    }
  }
}

void Histogram::observe(double value) noexcept {
  if (std::isnan(value)) {
    return;
  }
  const auto bucket = std::ranges::lower_bound(bounds_, value) - bounds_.begin();
  counts_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

struct Registry::Series {
  Labels labels;
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Gauge> gauge;
  std::unique_ptr<Histogram> histogram;
};

struct Registry::Family {
  std::string help;
  Type type = Type::kCounter;
  std::deque<Series> series;
};

Registry::Registry() = default;
Registry::~Registry() = default;

Registry::Family& Registry::family(std::string_view name, std::string_view help, Type type) {
  if (!is_metric_name(name)) {
    throw std::invalid_argument(fmt::format("\"{}\" is not a valid metric name", name));
  }
  auto found = families_.find(name);
  if (found == families_.end()) {
    auto fresh = std::make_unique<Family>();
    fresh->help = std::string(help);
    fresh->type = type;
    found = families_.emplace(std::string(name), std::move(fresh)).first;
  }
  Family& existing = *found->second;
  if (existing.type != type || existing.help != help) {
    throw std::invalid_argument(
        fmt::format("metric \"{}\" is already registered with another type or help", name));
  }
  return existing;
}

Registry::Series* Registry::find(Family& family, const Labels& labels) {
  for (const auto& [label, value] : labels) {
    if (!is_label_name(label)) {
      throw std::invalid_argument(fmt::format("\"{}\" is not a valid label name", label));
    }
  }
  for (Series& series : family.series) {
    if (series.labels == labels) {
      return &series;
    }
  }
  return nullptr;
}

Counter& Registry::counter(std::string_view name, std::string_view help, const Labels& labels) {
  const std::lock_guard lock(mutex_);
  Family& owner = family(name, help, Type::kCounter);
  if (Series* series = find(owner, labels)) {
    return *series->counter;
  }
  return *owner.series.emplace_back(Series{labels, std::make_unique<Counter>(), {}, {}}).counter;
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, const Labels& labels) {
  const std::lock_guard lock(mutex_);
  Family& owner = family(name, help, Type::kGauge);
  if (Series* series = find(owner, labels)) {
    return *series->gauge;
  }
  return *owner.series.emplace_back(Series{labels, {}, std::make_unique<Gauge>(), {}}).gauge;
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               std::span<const double> upper_bounds, const Labels& labels) {
  const std::lock_guard lock(mutex_);
  Family& owner = family(name, help, Type::kHistogram);
  if (Series* series = find(owner, labels)) {
    return *series->histogram;
  }
  if (!owner.series.empty() &&
      !std::ranges::equal(owner.series.front().histogram->upper_bounds(), upper_bounds)) {
    throw std::invalid_argument(
        fmt::format("histogram \"{}\" is already registered with other bounds", name));
  }
  return *owner.series
              .emplace_back(Series{labels, {}, {}, std::make_unique<Histogram>(upper_bounds)})
              .histogram;
}

std::string Registry::render() const {
  const std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, family] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_escaped(out, family->help, false);
    out += "\n# TYPE ";
    out += name;
    switch (family->type) {
      case Type::kCounter:
        out += " counter\n";
        break;
      case Type::kGauge:
        out += " gauge\n";
        break;
      case Type::kHistogram:
        out += " histogram\n";
        break;
    }
    for (const Series& series : family->series) {
      if (series.counter) {
        out += name;
        append_labels(out, series.labels);
        out += fmt::format(" {}\n", series.counter->value());
      } else if (series.gauge) {
        out += name;
        append_labels(out, series.labels);
        out += fmt::format(" {}\n", series.gauge->value());
      } else if (series.histogram) {
        const Histogram::Snapshot snapshot = series.histogram->snapshot();
        const std::vector<double>& bounds = series.histogram->upper_bounds();
        for (std::size_t i = 0; i < snapshot.cumulative.size(); ++i) {
          out += name;
          out += "_bucket";
          const double bound =
              i < bounds.size() ? bounds[i] : std::numeric_limits<double>::infinity();
          append_labels(out, series.labels, format_number(bound));
          out += fmt::format(" {}\n", snapshot.cumulative[i]);
        }
        out += name;
        out += "_sum";
        append_labels(out, series.labels);
        out += ' ';
        out += format_number(snapshot.sum);
        out += '\n';
        out += name;
        out += "_count";
        append_labels(out, series.labels);
        out += fmt::format(" {}\n", snapshot.count);
      }
    }
  }
  return out;
}

}  // namespace pactum::metrics
