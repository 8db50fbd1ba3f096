#include "scenarios/sweep.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "scenarios/runner.h"

namespace scenarios {

bool parseUint64(std::string_view text, std::uint64_t* out) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return false;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  *out = v;
  return true;
}

bool parseSeedRange(std::string_view text, SeedRange* out, std::string* error) {
  const std::size_t dots = text.find("..");
  SeedRange r;
  if (dots == std::string_view::npos || !parseUint64(text.substr(0, dots), &r.first) ||
      !parseUint64(text.substr(dots + 2), &r.last)) {
    *error = "'" + std::string(text) + "' is not a seed range (A..B)";
    return false;
  }
  if (r.first > r.last) {
    *error = "'" + std::string(text) + "': A is greater than B";
    return false;
  }
  *out = r;
  return true;
}

bool parseShard(std::string_view text, Shard* out, std::string* error) {
  const std::size_t slash = text.find('/');
  Shard s;
  if (slash == std::string_view::npos || !parseUint64(text.substr(0, slash), &s.index) ||
      !parseUint64(text.substr(slash + 1), &s.count) || s.count == 0) {
    *error = "'" + std::string(text) + "' is not a shard (K/N, 1-based)";
    return false;
  }
  if (s.index < 1 || s.index > s.count) {
    *error = "'" + std::string(text) + "': K must be in 1..N";
    return false;
  }
  *out = s;
  return true;
}

std::uint64_t shardSeedCount(const SeedRange& range, const Shard& shard) {
  assert(range.first <= range.last);
  assert(shard.index >= 1 && shard.index <= shard.count);
  // Offsets 0..span (span + 1 may overflow, span may not).
  const std::uint64_t span = range.last - range.first;
  const std::uint64_t offset = shard.index - 1;
  if (offset > span) return 0;
  const std::uint64_t rest = (span - offset) / shard.count;
  // 0..UINT64_MAX in one shard: 2^64 seeds saturate (far above kMaxSweepSeeds anyway).
  return rest == UINT64_MAX ? UINT64_MAX : rest + 1;
}

std::vector<std::uint64_t> shardSeeds(const SeedRange& range, const Shard& shard) {
  const std::uint64_t n = shardSeedCount(range, shard);
  assert(n <= kMaxSweepSeeds);
  std::vector<std::uint64_t> seeds;
  seeds.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i)
    seeds.push_back(range.first + (shard.index - 1) + i * shard.count);
  return seeds;
}

SeedResult seedResultOf(const dtlsim::Trace& trace) {
  SeedResult r;
  r.seed = trace.seed();
  const dtlsim::Outcome& o = trace.outcome();
  r.passed = o.passed();
  r.failures.assign(o.failures().begin(), o.failures().end());
  r.end_time_us = o.end_time_us();
  r.oracles.assign(o.oracles().begin(), o.oracles().end());
  r.swarm_draw = o.swarm_draw();
  std::set<std::string> clients;
  for (const auto& e : trace.endpoints())
    if (e.role() == "client") clients.insert(e.name());
  bool all_done = !clients.empty();
  std::uint64_t latest = 0;
  for (const auto& e : o.endpoints()) {
    r.retransmissions += e.retransmissions();
    if (!clients.contains(e.name())) continue;
    if (!e.has_handshake_done_us()) {
      all_done = false;
      continue;
    }
    latest = std::max(latest, e.handshake_done_us());
  }
  if (all_done) r.handshake_us = latest;
  return r;
}

namespace {

// Shared by the workers of one batch: the next task to take, results, the first setup error.
struct BatchState {
  BatchState(const std::vector<SeedTask>& t, const SeedProgress& p, std::vector<SeedResult>& r)
      : tasks(t), progress(p), results(r) {}

  const std::vector<SeedTask>& tasks;
  const SeedProgress& progress;
  std::vector<SeedResult>& results;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;  // guards done, error_task, error and the progress callback
  std::uint64_t done = 0;
  std::optional<std::size_t> error_task;
  std::string error;
};

void worker(BatchState& st) {
  for (;;) {
    if (st.stop.load()) return;
    const std::size_t i = st.next.fetch_add(1);
    if (i >= st.tasks.size()) return;
    const SeedTask& task = st.tasks[i];
    RunOptions run;
    run.seed = task.seed;
    run.events = false;  // seedResultOf reads the outcome only; a seed's trace is one `run` away
    run.swarm = task.swarm;
    dtlsim::Trace trace;
    std::string error;
    const bool ok = runScenario(*task.scenario, run, &trace, &error);
    std::lock_guard lock(st.mutex);
    if (!ok) {
      st.stop = true;
      // Workers race: keep the error of the first task in order, whichever finished first.
      if (!st.error_task || *st.error_task > i) {
        st.error_task = i;
        st.error = (task.label.empty() ? "" : std::string(task.label) + ": ") + "seed " +
                   std::to_string(task.seed) + ": " + error;
      }
      return;
    }
    st.results[i] = seedResultOf(trace);
    ++st.done;
    if (st.progress) st.progress(st.done, st.tasks.size());
  }
}

}  // namespace

bool runSeedTasks(const std::vector<SeedTask>& tasks, unsigned jobs, const SeedProgress& progress,
                  std::vector<SeedResult>* results, std::string* error) {
  if (jobs == 0 || jobs > kMaxSweepJobs) {
    *error = "jobs must be in 1.." + std::to_string(kMaxSweepJobs) + ", got " +
             std::to_string(jobs);
    return false;
  }
  results->assign(tasks.size(), SeedResult{});
  BatchState st(tasks, progress, *results);
  const unsigned threads = static_cast<unsigned>(
      std::min<std::size_t>(jobs, std::max<std::size_t>(tasks.size(), 1)));
  if (threads <= 1) {
    worker(st);
  } else {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back([&st] { worker(st); });
  }  // jthreads join here
  if (st.error_task) {
    *error = st.error;
    results->clear();
    return false;
  }
  return true;
}

bool runSweep(const LoadedScenario& scenario, const SweepOptions& options,
              std::vector<SeedResult>* results, std::string* error) {
  const std::uint64_t count = shardSeedCount(options.seeds, options.shard);
  if (count > kMaxSweepSeeds) {
    *error = "the shard has " + std::to_string(count) + " seeds, more than the bound of " +
             std::to_string(kMaxSweepSeeds) + " per sweep: use a smaller range or more shards";
    return false;
  }
  std::vector<SeedTask> tasks;
  tasks.reserve(static_cast<std::size_t>(count));
  for (const std::uint64_t seed : shardSeeds(options.seeds, options.shard))
    tasks.push_back({&scenario, seed, {}, options.swarm});
  if (!runSeedTasks(tasks, options.jobs, options.progress, results, error)) return false;
  // Filled by task index, so already in seed order; keep the promise explicit.
  assert(std::is_sorted(results->begin(), results->end(),
                        [](const SeedResult& a, const SeedResult& b) { return a.seed < b.seed; }));
  return true;
}

std::uint64_t percentile(const std::vector<std::uint64_t>& sorted, unsigned p) {
  assert(!sorted.empty());
  assert(p >= 1 && p <= 100);
  const std::uint64_t n = sorted.size();
  const std::uint64_t rank = (p * n + 99) / 100;  // ceil(p * n / 100), >= 1 for p >= 1
  return sorted[static_cast<std::size_t>(std::max<std::uint64_t>(rank, 1) - 1)];
}

SweepSummary summarize(const std::vector<SeedResult>& results) {
  SweepSummary s;
  std::vector<std::uint64_t> handshakes;
  for (const SeedResult& r : results) {
    ++s.runs;
    if (r.passed) {
      ++s.passed;
    } else {
      ++s.failed;
      s.failing.push_back(&r);
    }
    if (r.handshake_us) handshakes.push_back(*r.handshake_us);
    ++s.retransmissions_histogram[r.retransmissions];
  }
  std::sort(handshakes.begin(), handshakes.end());
  s.handshakes = handshakes.size();
  if (!handshakes.empty()) {
    s.handshake_p50_us = percentile(handshakes, 50);
    s.handshake_p90_us = percentile(handshakes, 90);
    s.handshake_p99_us = percentile(handshakes, 99);
    s.handshake_max_us = handshakes.back();
  }
  return s;
}

namespace {

// "12.345 ms" from microseconds, integer arithmetic (no locale, no rounding).
std::string msText(std::uint64_t us) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%llu.%03llu ms", static_cast<unsigned long long>(us / 1000),
                static_cast<unsigned long long>(us % 1000));
  return buf;
}

}  // namespace

std::string failureText(const SeedResult& r) {
  const std::string reason = r.failures.empty() ? "failed" : r.failures.front();
  if (r.failures.size() <= 1) return reason;
  return reason + " (+" + std::to_string(r.failures.size() - 1) + " more)";
}

std::string reproduceCommand(const std::string& scenario_path, std::uint64_t seed,
                             const std::string& run_flags) {
  return "dtlsim run " + scenario_path + " --seed " + std::to_string(seed) + run_flags;
}

std::string formatSummaryText(const SweepSummary& s, const std::string& scenario_path,
                              const std::string& run_flags) {
  std::string out;
  out += "runs " + std::to_string(s.runs) + ": " + std::to_string(s.passed) + " passed, " +
         std::to_string(s.failed) + " failed\n";
  if (s.handshakes == 0) {
    out += "handshake time: no completed handshake\n";
  } else {
    out += "handshake time (virtual, " + std::to_string(s.handshakes) + " runs): p50 " +
           msText(s.handshake_p50_us) + "  p90 " + msText(s.handshake_p90_us) + "  p99 " +
           msText(s.handshake_p99_us) + "  max " + msText(s.handshake_max_us) + "\n";
  }
  out += "retransmissions per run:\n";
  std::uint64_t widest = 1;
  for (const auto& [retx, runs] : s.retransmissions_histogram) widest = std::max(widest, runs);
  constexpr std::uint64_t kBarWidth = 40;
  for (const auto& [retx, runs] : s.retransmissions_histogram) {
    char line[64];
    std::snprintf(line, sizeof line, "  %6llu: %8llu  ", static_cast<unsigned long long>(retx),
                  static_cast<unsigned long long>(runs));
    const std::uint64_t bar = std::max<std::uint64_t>(1, runs * kBarWidth / widest);
    out += line + std::string(static_cast<std::size_t>(bar), '#') + "\n";
  }
  if (!s.failing.empty()) {
    out += "failing seeds:\n";
    for (const SeedResult* r : s.failing) {
      out += "  seed " + std::to_string(r->seed) + ": " + failureText(*r) + "\n";
      if (!r->swarm_draw.empty()) out += "    draw: " + r->swarm_draw + "\n";
      out += "    reproduce: " + reproduceCommand(scenario_path, r->seed, run_flags) + "\n";
    }
  }
  return out;
}

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20 || u == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", u);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string seedResultJson(const SeedResult& r) {
  std::string out = "{\"type\":\"seed\",\"seed\":" + std::to_string(r.seed) +
                    ",\"passed\":" + (r.passed ? "true" : "false") + ",\"failures\":[";
  for (std::size_t i = 0; i < r.failures.size(); ++i)
    out += (i ? "," : "") + jsonString(r.failures[i]);
  out += "],\"handshake_us\":" + (r.handshake_us ? std::to_string(*r.handshake_us) : "null");
  out += ",\"retransmissions\":" + std::to_string(r.retransmissions);
  out += ",\"end_time_us\":" + std::to_string(r.end_time_us);
  if (!r.swarm_draw.empty()) out += ",\"swarm_draw\":" + jsonString(r.swarm_draw);
  return out + "}";
}

std::string sweepReport(const std::vector<SeedResult>& results, const std::string& scenario_path,
                        const SeedRange& range, const Shard& shard, const std::string& run_flags,
                        bool json) {
  const SweepSummary summary = summarize(results);
  std::string out;
  if (json) {
    for (const SeedResult& r : results) out += seedResultJson(r) + "\n";
    return out + summaryJson(summary, scenario_path, range, shard, run_flags) + "\n";
  }
  out = "sweep " + scenario_path + " seeds " + std::to_string(range.first) + ".." +
        std::to_string(range.last) + " shard " + std::to_string(shard.index) + "/" +
        std::to_string(shard.count) + "\n";
  return out + formatSummaryText(summary, scenario_path, run_flags);
}

std::string summaryJson(const SweepSummary& s, const std::string& scenario_path,
                        const SeedRange& range, const Shard& shard,
                        const std::string& run_flags) {
  std::string out = "{\"type\":\"summary\",\"scenario\":" + jsonString(scenario_path);
  out += ",\"seeds\":\"" + std::to_string(range.first) + ".." + std::to_string(range.last) + "\"";
  out += ",\"shard\":\"" + std::to_string(shard.index) + "/" + std::to_string(shard.count) + "\"";
  out += ",\"run_flags\":" + jsonString(run_flags);
  out += ",\"runs\":" + std::to_string(s.runs) + ",\"passed\":" + std::to_string(s.passed) +
         ",\"failed\":" + std::to_string(s.failed);
  out += ",\"handshakes\":" + std::to_string(s.handshakes);
  if (s.handshakes == 0) {
    out += ",\"handshake_us\":null";
  } else {
    out += ",\"handshake_us\":{\"p50\":" + std::to_string(s.handshake_p50_us) +
           ",\"p90\":" + std::to_string(s.handshake_p90_us) +
           ",\"p99\":" + std::to_string(s.handshake_p99_us) +
           ",\"max\":" + std::to_string(s.handshake_max_us) + "}";
  }
  out += ",\"retransmissions_histogram\":{";
  bool first = true;
  for (const auto& [retx, runs] : s.retransmissions_histogram) {
    out += (first ? "\"" : ",\"") + std::to_string(retx) + "\":" + std::to_string(runs);
    first = false;
  }
  out += "},\"failing_seeds\":[";
  for (std::size_t i = 0; i < s.failing.size(); ++i)
    out += (i ? "," : "") + std::to_string(s.failing[i]->seed);
  return out + "]}";
}

}  // namespace scenarios
