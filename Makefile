# Thin wrapper over the CMake presets: the README's two commands.
#   make run   — install what is missing, build, run the main job: the scenario catalog
#   make test  — install what is missing, build the default and asan presets, run every test
JOBS ?= 2

.PHONY: run test deps test-deps build build-asan test-default test-asan bench clean

run: deps build
	./build/default/scenarios/cli/dtlsim catalog scenarios/catalog --sweep 50

test: test-deps test-default test-asan

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

bench: build
	./build/default/tests/bench/bench_simnet --benchmark_filter=deliver
	./build/default/tests/bench/bench_dtls

clean:
	rm -rf build
