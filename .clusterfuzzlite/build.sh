#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: compiles the harnesses of fuzz/ with the environment's
# $CC $CXX $CFLAGS $CXXFLAGS (they carry the sanitizer and coverage flags) and links them with
# $LIB_FUZZING_ENGINE, then puts into $OUT, per harness: the fuzzer, <name>.options,
# <name>_seed_corpus.zip (fuzz/corpus/<target>/ + fuzz/regressions/<target>/) and the
# dictionary dtls.dict the .options files name. Build files go to $WORK (or a temp dir).
#
# Run locally (what tests/fuzz_regression's clusterfuzzlite test does):
#   CC=clang CXX=clang++ CFLAGS="-fsanitize=address,fuzzer-no-link" CXXFLAGS="$CFLAGS" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer SRC=/tmp/src OUT=/tmp/out .clusterfuzzlite/build.sh

# The source tree: the working directory in the image ($SRC/dtlsim), else this script's parent.
if [ -f "$PWD/fuzz/CMakeLists.txt" ]; then
  root="$PWD"
else
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fi
# The fuzzers run in another image (base-runner) that has neither OpenSSL 3, mbedTLS nor
# protobuf: all are linked statically (the -dev packages ship the archives).
# OSS-Fuzz's base-builder adds -stdlib=libc++; the distribution's protobuf and OpenSSL are
# libstdc++ builds, so dtlsim links against libstdc++ (fine for ASan and UBSan; MSan would need
# every dependency rebuilt).
CXXFLAGS="${CXXFLAGS//-stdlib=libc++/}"
build="${WORK:-$(mktemp -d)}/dtlsim-build"
mkdir -p "$OUT" "$build"

generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
cmake -S "$root" -B "$build" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DDTLSIM_FUZZ=ON -DDTLSIM_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" \
  -DDTLSIM_BUILD_TESTS=OFF -DDTLSIM_BUILD_VIZ=OFF \
  -DOPENSSL_USE_STATIC_LIBS=TRUE -DProtobuf_USE_STATIC_LIBS=ON -DMBEDTLS_USE_STATIC_LIBS=ON
cmake --build "$build" -j"${DTLSIM_BUILD_JOBS:-$(nproc)}" --target fuzzers

zip_dir() {  # zip_dir <archive> <dir>...: the regular files of the dirs, flat
  python3 - "$@" <<'PY'
import os, sys, zipfile
archive, dirs = sys.argv[1], sys.argv[2:]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
    for d in dirs:
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                path = os.path.join(d, name)
                if os.path.isfile(path):
                    z.write(path, os.path.basename(d) + "_" + name)
PY
}

cp "$root/fuzz/dtls.dict" "$OUT/dtls.dict"
for fuzzer in "$build"/fuzz/fuzz_*; do
  name="$(basename "$fuzzer")"
  target="${name#fuzz_}"
  [ -f "$root/fuzz/$name.options" ] || continue  # fuzz_make_corpus is not a fuzzer
  cp "$fuzzer" "$OUT/$name"
  cp "$root/fuzz/$name.options" "$OUT/$name.options"
  zip_dir "$OUT/${name}_seed_corpus.zip" "$root/fuzz/corpus/$target" \
    "$root/fuzz/regressions/$target"
done
