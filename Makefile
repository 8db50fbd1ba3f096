# Thin wrapper over the CMake presets: the README's two commands.
#   make run   — install what is missing, build, run the main job: the scenario catalog
#   make test  — install what is missing; fuzz every harness for a bounded time and check that
#                the gcc and clang builds give byte-identical traces (fuzz preset, clang);
#                build the default and asan presets and run every test (ctest last)
JOBS ?= 2
# Seconds of fuzzing per harness in `make test` (scripts/fuzz-ci.sh; 7 harnesses).
FUZZ_SECONDS ?= 30

.PHONY: run test deps test-deps build build-asan test-default test-asan test-fuzz \
        test-determinism bench clean

run: deps build
	./build/default/scenarios/cli/dtlsim catalog scenarios/catalog --sweep 50

test: test-deps test-fuzz test-determinism test-default test-asan

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build:
	cmake --preset default >/dev/null
	cmake --build --preset default -j $(JOBS)

build-asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)

test-default: build
	ctest --preset default -j $(JOBS)

test-asan: build-asan
	ctest --preset asan -j $(JOBS)

test-fuzz: test-deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(JOBS) scripts/fuzz-ci.sh

# The clang dtlsim comes from the fuzz preset (ASan does not change what a run computes).
test-determinism: build test-fuzz
	cmake --build --preset fuzz -j $(JOBS) --target dtlsim
	scripts/determinism-check.sh build/default/scenarios/cli/dtlsim build/fuzz/scenarios/cli/dtlsim

bench: build
	./build/default/tests/bench/bench_simnet --benchmark_filter=deliver
	./build/default/tests/bench/bench_dtls

clean:
	rm -rf build
