# Shared by fuzz/CMakeLists.txt (clang + libFuzzer) and tests/fuzz_regression (any compiler, a
# plain main()): the harness list and the fixture libraries they link.
set(DTLSIM_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(DTLSIM_FUZZ_TARGETS wire server_hello server_handshake client_handshake decrypt scenario
    faults)

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

# dtlsim_fuzz_link(<executable> <harness>): the fixture, libraries and clock interposition
# (libssl's gettimeofday()/time() follow the manual clock) a harness needs.
function(dtlsim_fuzz_link exe harness)
  if(harness STREQUAL "wire")
    target_link_libraries(${exe} PRIVATE dtls_wire)
    target_include_directories(${exe} PRIVATE ${DTLSIM_FUZZ_DIR})
    return()
  endif()
  if(harness STREQUAL "scenario" OR harness STREQUAL "faults")
    target_link_libraries(${exe} PRIVATE dtlsim_fuzz_scenarios)
  else()
    target_link_libraries(${exe} PRIVATE dtlsim_fuzz_core)
  endif()
  target_sources(${exe} PRIVATE $<TARGET_OBJECTS:dtls_clock_interpose>)
endfunction()
