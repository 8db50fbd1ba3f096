#include "scenarios/shrink.h"

#include <algorithm>
#include <cassert>
#include <filesystem>
#include <set>
#include <vector>

#include "scenarios/decisions_io.h"
#include "scenarios/runner.h"

namespace scenarios {

std::string failureSignature(const std::string& line) {
  std::string out;
  out.reserve(line.size());
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto word = [&](char c) {
    return digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  for (std::size_t i = 0; i < line.size();) {
    // Digits inside a word ("client8", "DtlsV1_2") name something: keep them.
    if (!digit(line[i]) || (i > 0 && word(line[i - 1]))) {
      out += line[i++];
      continue;
    }
    while (i < line.size() &&
           (digit(line[i]) || (line[i] == '.' && i + 1 < line.size() && digit(line[i + 1]))))
      ++i;
    out += '#';
  }
  return out;
}

namespace {

using Ids = std::vector<std::uint64_t>;

// Runs candidates (subsets of the original log, by datagram id) through the trial.
// Deterministic: a candidate is never run twice.
class Trials {
 public:
  Trials(const simnet::DecisionLog& original, std::uint64_t max_runs, const ShrinkTrial& trial,
         std::uint64_t* runs)
      : original_(original), max_runs_(max_runs), trial_(trial), runs_(runs) {}

  bool budgetLeft() const { return *runs_ < max_runs_; }

  // Whether replaying `ids` fails the same way. False with *error set on a trial error.
  // Precondition: budgetLeft() or `ids` already tried.
  bool fails(const Ids& ids, std::string* error) {
    if (tried_.contains(ids)) return false;  // only non-failing candidates are remembered
    assert(budgetLeft());
    simnet::DecisionLog log;
    for (const std::uint64_t id : ids) log.emplace(id, original_.at(id));
    ++*runs_;
    switch (trial_(log, error)) {
      case TrialResult::kFailsTheSameWay: return true;
      case TrialResult::kPasses: tried_.insert(ids); return false;
      case TrialResult::kError: error_ = true; return false;
    }
    return false;
  }

  bool hadError() const { return error_; }

 private:
  const simnet::DecisionLog& original_;
  const std::uint64_t max_runs_;
  const ShrinkTrial& trial_;
  std::uint64_t* runs_;
  std::set<Ids> tried_;
  bool error_ = false;
};

Ids without(const Ids& ids, std::size_t begin, std::size_t end) {
  Ids out(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(begin));
  out.insert(out.end(), ids.begin() + static_cast<std::ptrdiff_t>(end), ids.end());
  return out;
}

// ddmin by complement removal (see shrink.h). Returns the remaining ids; *one_minimal when the
// last pass over single entries removed nothing.
Ids ddmin(Ids ids, Trials& trials, bool* one_minimal, std::string* error) {
  *one_minimal = false;
  std::size_t n = 2;
  while (!ids.empty()) {
    n = std::min(n, ids.size());
    const std::size_t chunk = (ids.size() + n - 1) / n;
    bool removed = false;
    for (std::size_t begin = 0; begin < ids.size();) {
      const std::size_t end = std::min(begin + chunk, ids.size());
      Ids candidate = without(ids, begin, end);
      if (!trials.budgetLeft()) return ids;
      if (trials.fails(candidate, error)) {
        ids = std::move(candidate);  // the next chunk now starts at `begin`
        removed = true;
      } else {
        if (trials.hadError()) return ids;
        begin = end;
      }
    }
    if (!removed) {
      if (chunk == 1) {
        *one_minimal = true;
        break;
      }
      n *= 2;
    }
  }
  if (ids.empty()) *one_minimal = true;
  return ids;
}

}  // namespace

bool minimizeFaults(const simnet::DecisionLog& original, std::uint64_t max_runs,
                    const ShrinkTrial& trial, const std::string& failure, std::uint64_t seed,
                    simnet::DecisionLog* minimal, bool* one_minimal, std::uint64_t* runs,
                    std::string* error) {
  Trials trials(original, max_runs, trial, runs);
  Ids ids;
  for (const auto& [id, decision] : original) ids.push_back(id);
  *minimal = original;
  *one_minimal = false;

  // Replay must reproduce the recorded run; if it does not, shrinking would chase noise.
  if (trials.budgetLeft()) {
    if (!trials.fails(ids, error)) {
      if (trials.hadError()) return false;
      *error = "replaying the " + std::to_string(ids.size()) +
               " recorded fault decisions of seed " + std::to_string(seed) +
               " does not reproduce the failure '" + failure +
               "' (the run is not a function of its seed and faults: a replay/record mismatch "
               "in simnet or the World, or nondeterministic code in a simulation's body)";
      return false;
    }
  }
  // A failure that needs no fault at all shrinks to nothing in one run.
  if (!ids.empty() && trials.budgetLeft() && trials.fails({}, error)) {
    minimal->clear();
    *one_minimal = true;
    return true;
  }
  if (trials.hadError()) return false;

  const Ids kept = ddmin(ids, trials, one_minimal, error);
  if (trials.hadError()) return false;
  minimal->clear();
  for (const std::uint64_t id : kept) minimal->emplace(id, original.at(id));
  return true;
}

bool shrinkFailure(const LoadedScenario& scenario, const ShrinkOptions& options,
                   ShrinkResult* result, std::string* error) {
  *result = ShrinkResult{};
  RunOptions run;
  run.seed = options.seed;
  dtlsim::Trace trace;
  result->runs = 1;
  if (!runScenario(scenario, run, &trace, error)) return false;
  if (trace.outcome().passed()) return true;
  result->failed = true;
  result->first_failure =
      trace.outcome().failures().empty() ? std::string() : trace.outcome().failures(0);

  const auto& start = scenario.scenario.explicit_faults().empty()
                          ? trace.decisions()
                          : scenario.scenario.explicit_faults();
  if (!decisionsFromProto(start, &result->original, error)) return false;
  result->minimal_trace = trace;

  const std::string signature = failureSignature(result->first_failure);
  const ShrinkTrial trial = [&](const simnet::DecisionLog& log, std::string* trial_error) {
    RunOptions replay;
    replay.seed = options.seed;
    replay.replay = &log;
    dtlsim::Trace replayed;
    if (!runScenario(scenario, replay, &replayed, trial_error)) return TrialResult::kError;
    if (!failsTheSameWay(replayed.outcome(), signature, options.match_any_failure))
      return TrialResult::kPasses;
    result->minimal_trace.Swap(&replayed);
    return TrialResult::kFailsTheSameWay;
  };
  return minimizeFaults(result->original, options.max_runs, trial, result->first_failure,
                        options.seed, &result->minimal, &result->one_minimal, &result->runs,
                        error);
}

bool failsTheSameWay(const dtlsim::Outcome& outcome, const std::string& signature,
                     bool match_any_failure) {
  if (outcome.passed()) return false;
  if (match_any_failure) return true;
  for (const auto& f : outcome.failures())
    if (failureSignature(f) == signature) return true;
  return false;
}

namespace {

std::string rewritePath(const LoadedScenario& scenario, const std::string& path,
                        const std::string& output_dir) {
  namespace fs = std::filesystem;
  // An absolute path resolves the same from anywhere: keep it as written.
  if (path.empty() || fs::path(path).is_absolute()) return path;
  const fs::path absolute = fs::absolute(scenario.resolvePath(path)).lexically_normal();
  if (output_dir.empty()) return absolute.string();
  const fs::path relative = absolute.lexically_relative(fs::absolute(output_dir).lexically_normal());
  return relative.empty() ? absolute.string() : relative.string();
}

}  // namespace

dtlsim::Scenario shrunkScenario(const LoadedScenario& scenario, std::uint64_t seed,
                                const simnet::DecisionLog& faults, const std::string& output_dir) {
  dtlsim::Scenario out = scenario.scenario;
  out.set_seed(seed);
  decisionsToProto(faults, out.mutable_explicit_faults());
  if (faults.empty()) {
    dtlsim::FaultDecision* sentinel = out.add_explicit_faults();
    sentinel->set_datagram_id(kNoFaultSentinelDatagramId);
    sentinel->add_copies()->set_delay_us(0);
  }
  for (dtlsim::Endpoint& e : *out.mutable_endpoints()) {
    if (!e.has_dtls()) continue;
    dtlsim::DtlsConfig* dtls = e.mutable_dtls();
    dtls->set_certificate_chain(rewritePath(scenario, dtls->certificate_chain(), output_dir));
    dtls->set_private_key(rewritePath(scenario, dtls->private_key(), output_dir));
    for (std::string& ca : *dtls->mutable_ca_certificates())
      ca = rewritePath(scenario, ca, output_dir);
  }
  return out;
}

}  // namespace scenarios
