# Shared by fuzz/CMakeLists.txt (clang + libFuzzer) and tests/fuzz_regression (any compiler, a
# plain main()): the harness list, the executables made of it and the fixture libraries they
# link.
set(DTLSIM_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(DTLSIM_FUZZ_TARGETS wire server_hello server_handshake client_handshake decrypt scenario
    faults)
# The harnesses that reach no DTLS backend (a decoder, a parser): one executable each. Every
# other harness gets one executable per backend of DTLSIM_BACKENDS (top-level CMakeLists.txt).
set(DTLSIM_FUZZ_BACKEND_FREE wire scenario)

# dtlsim_fuzz_names(<out>): the name of every fuzz executable (fuzz_<name>), which is also its
# corpus and regressions folder (fuzz/corpus/<name>, fuzz/regressions/<name>): the harness
# alone for the default backend (the first of DTLSIM_BACKENDS) and for the backend-free ones,
# <harness>_<backend> for every other backend (server_hello_mbedtls).
function(dtlsim_fuzz_names out)
  list(SUBLIST DTLSIM_BACKENDS 1 -1 others)
  set(names)
  foreach(harness ${DTLSIM_FUZZ_TARGETS})
    list(APPEND names ${harness})
    if(NOT harness IN_LIST DTLSIM_FUZZ_BACKEND_FREE)
      foreach(backend ${others})
        list(APPEND names ${harness}_${backend})
      endforeach()
    endif()
  endforeach()
  set(${out} ${names} PARENT_SCOPE)
endfunction()

# dtlsim_fuzz_split(<name> <harness out> <backend out>): the inverse of dtlsim_fuzz_names.
function(dtlsim_fuzz_split name harness_out backend_out)
  list(GET DTLSIM_BACKENDS 0 backend)
  set(harness ${name})
  foreach(b ${DTLSIM_BACKENDS})
    if(name MATCHES "^(.+)_${b}$")
      set(harness ${CMAKE_MATCH_1})
      set(backend ${b})
    endif()
  endforeach()
  set(${harness_out} ${harness} PARENT_SCOPE)
  set(${backend_out} ${backend} PARENT_SCOPE)
endfunction()

# dtlsim_fuzz_fixtures(<extra compile options>): two fixture libraries.
#  - dtlsim_fuzz_core: fixture.cpp on dtls, simnet and scenarios_rand (the seeded OpenSSL
#    context) only, so the DTLS harnesses do not wait for the scenarios library;
#  - dtlsim_fuzz_scenarios: the same + fixture_faults.cpp on the scenarios library.
function(dtlsim_fuzz_fixtures)
  # The test PKI is compiled in (pki.h.in): ClusterFuzzLite runs the fuzzers where the source
  # tree is not.
  foreach(pem server-chain server.key ca)
    string(MAKE_C_IDENTIFIER ${pem} var)
    file(READ ${PROJECT_SOURCE_DIR}/tests/data/certs/${pem}.pem DTLSIM_PEM_${var})
  endforeach()
  configure_file(${DTLSIM_FUZZ_DIR}/pki.h.in ${CMAKE_CURRENT_BINARY_DIR}/fuzz_pki/pki.h @ONLY)
  set(defs DTLSIM_CATALOG_DIR="${PROJECT_SOURCE_DIR}/scenarios/catalog")
  add_library(dtlsim_fuzz_core STATIC ${DTLSIM_FUZZ_DIR}/fixture.cpp)
  target_include_directories(dtlsim_fuzz_core PUBLIC ${DTLSIM_FUZZ_DIR}
    ${CMAKE_CURRENT_BINARY_DIR}/fuzz_pki ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(dtlsim_fuzz_core PUBLIC dtls dtls_wire simnet scenarios_rand)
  target_compile_definitions(dtlsim_fuzz_core PUBLIC ${defs})
  target_compile_options(dtlsim_fuzz_core PRIVATE ${ARGN})
  dtlsim_warnings(dtlsim_fuzz_core)
  if(TARGET scenarios)
    add_library(dtlsim_fuzz_scenarios STATIC ${DTLSIM_FUZZ_DIR}/fixture.cpp
      ${DTLSIM_FUZZ_DIR}/fixture_faults.cpp)
    target_include_directories(dtlsim_fuzz_scenarios PUBLIC ${DTLSIM_FUZZ_DIR}
                                                             ${CMAKE_CURRENT_BINARY_DIR}/fuzz_pki
                                                             ${PROJECT_SOURCE_DIR}/tests)
    target_link_libraries(dtlsim_fuzz_scenarios PUBLIC scenarios dtls dtls_wire simnet)
    target_compile_definitions(dtlsim_fuzz_scenarios PUBLIC ${defs})
    target_compile_options(dtlsim_fuzz_scenarios PRIVATE ${ARGN})
    dtlsim_warnings(dtlsim_fuzz_scenarios)
  endif()
endfunction()

# dtlsim_fuzz_link(<executable> <harness>): the fixture, libraries and interposition
# (gettimeofday()/time() follow the manual clock, gnutls_rnd the seeded stream) a harness needs.
function(dtlsim_fuzz_link exe harness)
  _dtlsim_fuzz_libraries(${exe} ${harness})
  if(NOT harness STREQUAL "wire")
    target_sources(${exe} PRIVATE $<TARGET_OBJECTS:dtls_clock_interpose>)
  endif()
endfunction()

# dtlsim_fuzz_executable(<executable> <name> <more sources>...): the executable of one name of
# dtlsim_fuzz_names. Each harness source is compiled once (an object library, with the compile
# options in DTLSIM_FUZZ_COMPILE_OPTIONS) for all its backends; an executable on a backend adds
# backend_select.cpp compiled for that backend.
function(dtlsim_fuzz_executable exe name)
  dtlsim_fuzz_split(${name} harness backend)
  set(objects dtlsim_fuzz_${harness}_objects)
  if(NOT TARGET ${objects})
    add_library(${objects} OBJECT ${DTLSIM_FUZZ_DIR}/fuzz_${harness}.cpp)
    _dtlsim_fuzz_libraries(${objects} ${harness})
    target_compile_options(${objects} PRIVATE ${DTLSIM_FUZZ_COMPILE_OPTIONS})
    dtlsim_warnings(${objects})
  endif()
  add_executable(${exe} $<TARGET_OBJECTS:${objects}> ${ARGN})
  dtlsim_fuzz_link(${exe} ${harness})
  if(NOT harness IN_LIST DTLSIM_FUZZ_BACKEND_FREE)
    set(select dtlsim_fuzz_select_${backend})
    if(NOT TARGET ${select})
      add_library(${select} OBJECT ${DTLSIM_FUZZ_DIR}/backend_select.cpp)
      target_link_libraries(${select} PRIVATE dtlsim_fuzz_core)
      target_compile_definitions(${select} PRIVATE DTLSIM_FUZZ_BACKEND="${backend}")
      dtlsim_warnings(${select})
    endif()
    target_sources(${exe} PRIVATE $<TARGET_OBJECTS:${select}>)
  endif()
  dtlsim_warnings(${exe})
endfunction()

# The libraries of a harness (for an object library: their include directories and
# definitions).
function(_dtlsim_fuzz_libraries target harness)
  if(harness STREQUAL "wire")
    target_link_libraries(${target} PRIVATE dtls_wire)
    target_include_directories(${target} PRIVATE ${DTLSIM_FUZZ_DIR})
  elseif(harness STREQUAL "scenario" OR harness STREQUAL "faults")
    target_link_libraries(${target} PRIVATE dtlsim_fuzz_scenarios)
  else()
    target_link_libraries(${target} PRIVATE dtlsim_fuzz_core)
  endif()
endfunction()
