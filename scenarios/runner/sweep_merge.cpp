#include "scenarios/sweep_merge.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace scenarios {

namespace {

using Json = nlohmann::json;

// "<file>:<line>", and the same as a message prefix.
std::string place(const std::string& file, std::size_t line) {
  return file + ":" + std::to_string(line);
}
std::string at(const std::string& file, std::size_t line) { return place(file, line) + ": "; }

bool uintField(const Json& j, const char* name, std::uint64_t* out, std::string* why) {
  const auto it = j.find(name);
  if (it == j.end()) {
    *why = "no \"" + std::string(name) + "\"";
    return false;
  }
  if (!it->is_number_unsigned()) {
    *why = "\"" + std::string(name) + "\" is not a non-negative integer";
    return false;
  }
  *out = it->get<std::uint64_t>();
  return true;
}

bool stringField(const Json& j, const char* name, std::string* out, std::string* why,
                 bool optional = false) {
  const auto it = j.find(name);
  if (it == j.end()) {
    if (optional) return true;
    *why = "no \"" + std::string(name) + "\"";
    return false;
  }
  if (!it->is_string()) {
    *why = "\"" + std::string(name) + "\" is not a string";
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool seedLine(const Json& j, SeedResult* r, std::string* why) {
  if (!uintField(j, "seed", &r->seed, why) ||
      !uintField(j, "retransmissions", &r->retransmissions, why) ||
      !uintField(j, "end_time_us", &r->end_time_us, why) ||
      !stringField(j, "swarm_draw", &r->swarm_draw, why, /*optional=*/true))
    return false;
  const auto passed = j.find("passed");
  if (passed == j.end() || !passed->is_boolean()) {
    *why = "\"passed\" is missing or not true/false";
    return false;
  }
  r->passed = passed->get<bool>();
  const auto handshake = j.find("handshake_us");
  if (handshake == j.end() || !(handshake->is_null() || handshake->is_number_unsigned())) {
    *why = "\"handshake_us\" is missing or neither null nor a non-negative integer";
    return false;
  }
  if (!handshake->is_null()) r->handshake_us = handshake->get<std::uint64_t>();
  const auto failures = j.find("failures");
  if (failures == j.end() || !failures->is_array()) {
    *why = "\"failures\" is missing or not an array";
    return false;
  }
  for (const Json& f : *failures) {
    if (!f.is_string()) {
      *why = "\"failures\" holds something other than strings";
      return false;
    }
    r->failures.push_back(f.get<std::string>());
  }
  return true;
}

bool summaryLine(const Json& j, ShardRun* run, std::string* why) {
  std::string seeds, shard;
  if (!stringField(j, "scenario", &run->scenario, why) ||
      !stringField(j, "seeds", &seeds, why) || !stringField(j, "shard", &shard, why) ||
      !stringField(j, "run_flags", &run->run_flags, why, /*optional=*/true))
    return false;
  std::string error;
  if (!parseSeedRange(seeds, &run->range, &error) || !parseShard(shard, &run->shard, &error)) {
    *why = error;
    return false;
  }
  std::uint64_t runs = 0, passed = 0, failed = 0;
  if (!uintField(j, "runs", &runs, why) || !uintField(j, "passed", &passed, why) ||
      !uintField(j, "failed", &failed, why))
    return false;
  const auto seed_passed = static_cast<std::uint64_t>(std::count_if(
      run->results.begin(), run->results.end(), [](const SeedResult& r) { return r.passed; }));
  if (runs != run->results.size() || passed != seed_passed ||
      failed != run->results.size() - seed_passed) {
    *why = "the summary counts runs " + std::to_string(runs) + ", passed " +
           std::to_string(passed) + ", failed " + std::to_string(failed) + " but its " +
           std::to_string(run->results.size()) + " seed lines have " +
           std::to_string(seed_passed) + " passed (an incomplete or edited shard output?)";
    return false;
  }
  return true;
}

std::string shardText(const Shard& s) {
  return std::to_string(s.index) + "/" + std::to_string(s.count);
}

std::string rangeText(const SeedRange& r) {
  return std::to_string(r.first) + ".." + std::to_string(r.last);
}

std::string joined(const std::vector<std::uint64_t>& values, const std::string& suffix = "") {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + std::to_string(values[i]) + suffix;
  return out;
}

}  // namespace

bool parseShardOutput(std::string_view text, const std::string& file, ShardOutput* out,
                      std::string* error) {
  out->file = file;
  out->runs.clear();
  ShardRun current;
  std::size_t line_number = 0;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Json j;
    try {
      j = Json::parse(line);
    } catch (const Json::parse_error& e) {
      // e.byte is 1-based within the line: the column.
      *error = file + ":" + std::to_string(line_number) + ":" + std::to_string(e.byte) +
               ": not JSON: " + e.what();
      return false;
    }
    std::string type, why;
    if (!j.is_object() || !stringField(j, "type", &type, &why)) {
      *error = at(file, line_number) + "not a sweep line (a JSON object with a \"type\")";
      return false;
    }
    if (type == "seed") {
      SeedResult r;
      if (!seedLine(j, &r, &why)) {
        *error = at(file, line_number) + "seed line: " + why;
        return false;
      }
      current.results.push_back(std::move(r));
      current.lines.push_back(line_number);
    } else if (type == "summary") {
      if (!summaryLine(j, &current, &why)) {
        *error = at(file, line_number) + "summary line: " + why;
        return false;
      }
      current.summary_line = line_number;
      out->runs.push_back(std::move(current));
      current = ShardRun();
    } else {
      *error = at(file, line_number) + "unknown line type \"" + type +
               "\" (expected \"seed\" or \"summary\")";
      return false;
    }
  }
  if (!current.results.empty()) {
    *error = at(file, current.lines.front()) + std::to_string(current.results.size()) +
             " seed lines with no summary line after them (an unfinished shard?)";
    return false;
  }
  if (out->runs.empty()) {
    *error = file + ": no summary line: not the output of `dtlsim sweep --json`";
    return false;
  }
  return true;
}

bool mergeShardOutputs(const std::vector<ShardOutput>& outputs, MergedSweep* out,
                       std::string* error) {
  const ShardRun* first = nullptr;
  std::string first_at;
  // shard index -> where its summary is.
  std::map<std::uint64_t, std::string> shards_seen;
  // seed -> where its line is; every seed of every shard, checked against its shard.
  std::map<std::uint64_t, std::string> seeds_seen;
  std::map<std::uint64_t, const SeedResult*> results;
  for (const ShardOutput& o : outputs) {
    for (const ShardRun& run : o.runs) {
      const std::string where = at(o.file, run.summary_line);
      if (first == nullptr) {
        first = &run;
        first_at = place(o.file, run.summary_line);
      }
      const auto differs = [&](const char* what, const std::string& mine,
                               const std::string& theirs) {
        *error = where + "a shard of another sweep: " + what + " " + mine + ", but " + theirs +
                 " at " + first_at;
        return false;
      };
      if (run.scenario != first->scenario)
        return differs("scenario", run.scenario, first->scenario);
      if (run.range.first != first->range.first || run.range.last != first->range.last)
        return differs("seeds", rangeText(run.range), rangeText(first->range));
      if (run.shard.count != first->shard.count)
        return differs("shard count", std::to_string(run.shard.count),
                       std::to_string(first->shard.count));
      if (run.run_flags != first->run_flags)
        return differs("run flags", "'" + run.run_flags + "'", "'" + first->run_flags + "'");
      for (std::size_t i = 0; i < run.results.size(); ++i) {
        const SeedResult& r = run.results[i];
        const std::string seed_place = place(o.file, run.lines[i]);
        const std::string seed_at = seed_place + ": ";
        if (r.seed < run.range.first || r.seed > run.range.last ||
            (r.seed - run.range.first) % run.shard.count != run.shard.index - 1) {
          *error = seed_at + "seed " + std::to_string(r.seed) + " is not in shard " +
                   shardText(run.shard) + " of seeds " + rangeText(run.range);
          return false;
        }
        const auto [seed_it, new_seed] = seeds_seen.emplace(r.seed, seed_place);
        if (!new_seed) {
          *error = seed_at + "seed " + std::to_string(r.seed) + " listed twice (also at " +
                   seed_it->second + ")";
          return false;
        }
        results[r.seed] = &r;
      }
      // After the seeds, so that a shard given twice is reported by the seeds it repeats.
      const auto [shard_it, new_shard] = shards_seen.emplace(run.shard.index, place(o.file, run.summary_line));
      if (!new_shard) {
        *error = where + "shard " + shardText(run.shard) + " given twice (also at " +
                 shard_it->second + ")";
        return false;
      }
    }
  }
  if (first == nullptr) {
    *error = "no shard outputs to merge";
    return false;
  }
  std::vector<std::uint64_t> missing_shards;
  for (std::uint64_t k = 1; k <= first->shard.count && missing_shards.size() <= 10; ++k)
    if (!shards_seen.contains(k)) missing_shards.push_back(k);
  const std::uint64_t expected = shardSeedCount(first->range, {1, 1});
  if (expected > kMaxSweepSeeds) {
    *error = "seeds " + rangeText(first->range) + ": more than the bound of " +
             std::to_string(kMaxSweepSeeds) + " seeds one merge holds";
    return false;
  }
  if (!missing_shards.empty() || results.size() != expected) {
    std::vector<std::uint64_t> missing_seeds;
    std::uint64_t count = 0;
    for (std::uint64_t s = first->range.first;; ++s) {
      if (!results.contains(s)) {
        ++count;
        if (missing_seeds.size() < 10) missing_seeds.push_back(s);
      }
      if (s == first->range.last) break;
    }
    std::vector<std::string> parts;
    if (count > 0)
      parts.push_back(std::to_string(count) + " of seeds " + rangeText(first->range) +
                      " missing: " + joined(missing_seeds) +
                      (count > missing_seeds.size()
                           ? " (and " + std::to_string(count - missing_seeds.size()) + " more)"
                           : ""));
    if (!missing_shards.empty())
      parts.push_back("no output of shard " +
                      joined(missing_shards, "/" + std::to_string(first->shard.count)));
    *error = parts.size() == 2 ? parts[0] + "; " + parts[1] : parts[0];
    return false;
  }
  out->scenario = first->scenario;
  out->range = first->range;
  out->run_flags = first->run_flags;
  out->results.clear();
  out->results.reserve(results.size());
  for (const auto& [seed, r] : results) out->results.push_back(*r);
  return true;
}

}  // namespace scenarios
