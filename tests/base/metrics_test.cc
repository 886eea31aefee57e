#include "pactum/base/metrics.h"

#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace pactum::metrics {
namespace {

TEST(MetricsTest, CounterAndGaugeRender) {
  Registry registry;
  Counter& signatures = registry.counter("pactum_signatures_total", "Signatures made.",
                                         {{"level", "B-B"}});
  signatures.increment();
  signatures.increment(2);
  registry.gauge("pactum_open_things", "Things open.").set(-3);
  EXPECT_EQ(registry.render(),
            "# HELP pactum_open_things Things open.\n"
            "# TYPE pactum_open_things gauge\n"
            "pactum_open_things -3\n"
            "# HELP pactum_signatures_total Signatures made.\n"
            "# TYPE pactum_signatures_total counter\n"
            "pactum_signatures_total{level=\"B-B\"} 3\n");
}

TEST(MetricsTest, SameNameAndLabelsIsTheSameObject) {
  Registry registry;
  Counter& a = registry.counter("x_total", "X.", {{"k", "1"}});
  Counter& b = registry.counter("x_total", "X.", {{"k", "1"}});
  Counter& c = registry.counter("x_total", "X.", {{"k", "2"}});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &c);
}

TEST(MetricsTest, MisuseIsAProgrammingError) {
  Registry registry;
  (void)registry.counter("x_total", "X.");
  EXPECT_THROW((void)registry.gauge("x_total", "X."), std::invalid_argument);
  EXPECT_THROW((void)registry.counter("x_total", "Other help."), std::invalid_argument);
  EXPECT_THROW((void)registry.counter("1bad", "X."), std::invalid_argument);
  EXPECT_THROW((void)registry.counter("bad-name", "X."), std::invalid_argument);
  EXPECT_THROW((void)registry.counter("y_total", "Y.", {{"__reserved", "v"}}),
               std::invalid_argument);
  EXPECT_THROW((void)registry.counter("y_total", "Y.", {{"le", "v"}}), std::invalid_argument);
  const double unsorted[] = {1, 0.5};
  EXPECT_THROW((void)registry.histogram("h", "H.", unsorted), std::invalid_argument);
  const double infinite[] = {1, std::numeric_limits<double>::infinity()};
  EXPECT_THROW((void)registry.histogram("h", "H.", infinite), std::invalid_argument);
  const double first[] = {1, 2};
  const double second[] = {1, 3};
  (void)registry.histogram("h2", "H.", first, {{"a", "1"}});
  EXPECT_THROW((void)registry.histogram("h2", "H.", second, {{"a", "2"}}), std::invalid_argument);
}

TEST(MetricsTest, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  registry.counter("x_total", "Line\nbreak \\ and \"quotes\".", {{"path", "a\"b\\c\nd"}})
      .increment();
  EXPECT_EQ(registry.render(),
            "# HELP x_total Line\\nbreak \\\\ and \"quotes\".\n"
            "# TYPE x_total counter\n"
            "x_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndInclusive) {
  Registry registry;
  const double bounds[] = {0.1, 1};
  Histogram& histogram = registry.histogram("latency_seconds", "Latency.", bounds, {{"r", "/x"}});
  histogram.observe(0.05);
  histogram.observe(0.1);  // on the bound: counted in that bucket
  histogram.observe(0.5);
  histogram.observe(7);
  histogram.observe(std::numeric_limits<double>::quiet_NaN());  // ignored
  EXPECT_EQ(registry.render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{r=\"/x\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{r=\"/x\",le=\"1\"} 3\n"
            "latency_seconds_bucket{r=\"/x\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{r=\"/x\"} 7.65\n"
            "latency_seconds_count{r=\"/x\"} 4\n");
}

TEST(MetricsTest, ConcurrentIncrementsAreAllCounted) {
  Registry registry;
  Counter& counter = registry.counter("c_total", "C.");
  Histogram& histogram = registry.histogram("h_seconds", "H.", kLatencyBuckets);
  constexpr int kThreads = 4;
  constexpr int kEach = 10000;
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kEach; ++i) {
          counter.increment();
          histogram.observe(0.001);
        }
      });
    }
  }
  EXPECT_EQ(counter.value(), std::uint64_t{kThreads} * kEach);
  const Histogram::Snapshot snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.count, std::uint64_t{kThreads} * kEach);
  EXPECT_NEAR(snapshot.sum, kThreads * kEach * 0.001, 1e-6);
}

}  // namespace
}  // namespace pactum::metrics
