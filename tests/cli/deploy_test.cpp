// deploy/: the scripts a Kubernetes Indexed Job and a Slurm array run, run here as those
// schedulers would (four shard processes at once, each told its index the scheduler's way),
// then `dtlsim merge`: the merged summary must be byte for byte the one-process sweep's.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "read_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

const std::string kSource = DTLSIM_SOURCE_DIR;
const std::string kDeploy = kSource + "/deploy";
const std::string kScenario = kSource + "/scenarios/catalog/lossless.textproto";
// Seed 154 of this draw fails (finding 016), so failing seeds are merged too.
const std::string kSweepArgs = "--swarm --backends openssl,mbedtls,gnutls,wolfssl";
const std::string kSeeds = "150..173";

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

using dtlsim_test::readFile;

// Runs a bash script text in `dir`, stdout and stderr kept apart.
Result bash(const fs::path& dir, const std::string& script) {
  const fs::path file = dir / "script.sh";
  std::ofstream(file) << "set -u\nexport DTLSIM_BIN='" << DTLSIM_BINARY << "'\n" << script;
  const std::string command = "bash '" + file.string() + "' >'" + (dir / "out").string() +
                              "' 2>'" + (dir / "err").string() + "' </dev/null";
  const int status = std::system(command.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readFile(dir / "out");
  r.err = readFile(dir / "err");
  return r;
}

class DeployTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("dtlsim_deploy_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // The one-process sweep, as text or JSON lines.
  Result oneProcess(bool json) {
    return bash(dir_, "\"$DTLSIM_BIN\" sweep '" + kScenario + "' --seeds " + kSeeds + " " +
                          kSweepArgs + " --jobs 2" + (json ? " --json" : "") + "\n");
  }
  std::string environment(const std::string& results) const {
    return "export DTLSIM_SCENARIO='" + kScenario + "' DTLSIM_SEEDS=" + kSeeds +
           " DTLSIM_SHARDS=4 DTLSIM_RESULTS='" + (dir_ / results).string() +
           "' DTLSIM_SWEEP_ARGS='" + kSweepArgs + "'\n";
  }

  fs::path dir_;
};

TEST_F(DeployTest, AnIndexedJobsFourShardsMergeToTheOneProcessSummary) {
  // Kubernetes gives each pod JOB_COMPLETION_INDEX 0..3; the four run at once.
  const Result shards = bash(dir_, environment("k8s") +
                                       "for i in 0 1 2 3; do\n"
                                       "  JOB_COMPLETION_INDEX=$i '" + kDeploy +
                                       "/run-shard.sh' & pids+=($!)\n"
                                       "done\n"
                                       "for p in \"${pids[@]}\"; do wait $p || exit 9; done\n");
  ASSERT_EQ(shards.code, 0) << shards.err;
  for (int k = 1; k <= 4; ++k)
    EXPECT_TRUE(fs::exists(dir_ / "k8s" / ("shard-" + std::to_string(k) + "-of-4.jsonl")));
  const Result merged = bash(dir_, environment("k8s") + "'" + kDeploy + "/merge.sh'\n");
  const Result one = oneProcess(false);
  EXPECT_EQ(one.code, 1) << "seed 154 should fail: " << one.out;
  EXPECT_EQ(merged.code, one.code) << merged.err;
  EXPECT_EQ(merged.out, one.out);
  EXPECT_EQ(readFile(dir_ / "k8s" / "summary.txt"), one.out);
  EXPECT_NE(one.out.find("  seed 154: "), std::string::npos) << one.out;

  // The JSON lines too.
  const Result merged_json =
      bash(dir_, "\"$DTLSIM_BIN\" merge --json '" + (dir_ / "k8s").string() + "'/shard-*.jsonl\n");
  const Result one_json = oneProcess(true);
  EXPECT_EQ(merged_json.code, one_json.code) << merged_json.err;
  EXPECT_EQ(merged_json.out, one_json.out);
}

TEST_F(DeployTest, ASlurmArraysShardsMergeToTheOneProcessSummary) {
  // Slurm runs sweep.sbatch once per array task with SLURM_ARRAY_TASK_ID 1..4, then the merge
  // job (submit.sh queues it after the array).
  const Result shards =
      bash(dir_, environment("slurm") + "export DTLSIM_DEPLOY='" + kDeploy +
                     "' SLURM_ARRAY_TASK_COUNT=4 SLURM_CPUS_PER_TASK=1\n"
                     "unset DTLSIM_SHARDS\n"
                     "for i in 1 2 3 4; do\n"
                     "  SLURM_ARRAY_TASK_ID=$i '" + kDeploy + "/slurm/sweep.sbatch' & pids+=($!)\n"
                     "done\n"
                     "for p in \"${pids[@]}\"; do wait $p || exit 9; done\n");
  ASSERT_EQ(shards.code, 0) << shards.err;
  const Result merged = bash(dir_, environment("slurm") + "export DTLSIM_DEPLOY='" + kDeploy +
                                       "'\n'" + kDeploy + "/slurm/merge.sbatch'\n");
  const Result one = oneProcess(false);
  EXPECT_EQ(merged.code, one.code) << merged.err;
  EXPECT_EQ(merged.out, one.out);
}

TEST_F(DeployTest, AShardThatNeverRanIsNamedWithItsSeeds) {
  const Result shards = bash(dir_, environment("partial") +
                                       "for i in 0 1 3; do\n"
                                       "  JOB_COMPLETION_INDEX=$i '" + kDeploy +
                                       "/run-shard.sh' || exit 9\n"
                                       "done\n");
  ASSERT_EQ(shards.code, 0) << shards.err;
  const Result merged = bash(dir_, environment("partial") + "'" + kDeploy + "/merge.sh'\n");
  EXPECT_EQ(merged.code, 2);
  EXPECT_NE(merged.err.find("shard-3-of-4.jsonl is missing"), std::string::npos) << merged.err;
  EXPECT_NE(merged.err.find("dtlsim: merge: 6 of seeds 150..173 missing: 152, 156, 160, 164, 168, 172; "
                            "no output of shard 3/4"),
            std::string::npos)
      << merged.err;
}

TEST_F(DeployTest, RunShardRefusesToGuessItsIndex) {
  const Result r = bash(dir_, environment("none") + "'" + kDeploy + "/run-shard.sh'\n");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no shard index"), std::string::npos) << r.err;
}

}  // namespace
