#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build: compiles the harnesses of fuzz/ with the environment's
# $CC $CXX $CFLAGS $CXXFLAGS (they carry the sanitizer and coverage flags) and links them with
# $LIB_FUZZING_ENGINE, then puts into $OUT, per fuzzer — every harness on every DTLS backend,
# fuzz_<harness>[_<backend>] as listed in the build's fuzz/fuzzers.txt: the fuzzer,
# fuzz_<name>.options (its harness's), fuzz_<name>_seed_corpus.zip (fuzz/corpus/<name>/ +
# fuzz/regressions/<name>/), and the dictionary dtls.dict the .options files name; and lib/, the
# shared libraries the fuzzers load that the runner image lacks. Build files go to $WORK (or a
# temp dir).
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
# The fuzzers run in another image (base-runner) that has neither OpenSSL 3, mbedTLS, GnuTLS nor
# protobuf. OpenSSL, mbedTLS and protobuf are linked statically (the -dev packages ship the
# archives). GnuTLS cannot be: the executable's own gnutls_rnd must interpose the library's
# (DESIGN.md §9), which only works through the shared library's PLT, and Debian's libgnutls.a
# would also need static nettle, gmp, p11-kit, idn2, unistring and tasn1. So, the OSS-Fuzz way,
# libgnutls.so.30 and every library it loads (but libc's and the C++ runtime's, which every
# image has) are copied to $OUT/lib and the fuzzers find them through an RPATH of $ORIGIN/lib
# (DT_RPATH, not RUNPATH: it also serves the copied libraries' own dependencies). wolfSSL goes
# the same way: dtls links libwolfssl.so through pkg-config, after libssl, so that the OpenSSL
# names libwolfssl also exports resolve to libssl (tests/dtls/symbol_origin_test.cpp).
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
  -DOPENSSL_USE_STATIC_LIBS=TRUE -DProtobuf_USE_STATIC_LIBS=ON -DMBEDTLS_USE_STATIC_LIBS=ON \
  -DCMAKE_BUILD_RPATH='$ORIGIN/lib' -DCMAKE_EXE_LINKER_FLAGS=-Wl,--disable-new-dtags
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

# copy_libraries <executable>: the shared libraries it loads into $OUT/lib, but the C library's
# and the C++ runtime's.
copy_libraries() {
  mkdir -p "$OUT/lib"
  ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while read -r lib; do
    case "$(basename "$lib")" in
      libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*|ld-linux*|\
      libgcc_s.so.*|libstdc++.so.*) ;;
      *) [ -e "$OUT/lib/$(basename "$lib")" ] || cp -L "$lib" "$OUT/lib/" ;;
    esac
  done
}

cp "$root/fuzz/dtls.dict" "$OUT/dtls.dict"
# "<executable> <harness> <backend>" per fuzzer (fuzz/CMakeLists.txt).
while read -r name harness backend; do
  cp "$build/fuzz/$name" "$OUT/$name"
  copy_libraries "$OUT/$name"
  cp "$root/fuzz/fuzz_$harness.options" "$OUT/$name.options"
  zip_dir "$OUT/${name}_seed_corpus.zip" "$root/fuzz/corpus/${name#fuzz_}" \
    "$root/fuzz/regressions/${name#fuzz_}"
done < "$build/fuzz/fuzzers.txt"
