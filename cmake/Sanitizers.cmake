# DTLSIM_SANITIZE: a comma-separated -fsanitize= list applied to every target (the asan preset
# sets "address,undefined"). UBSan is made fatal so a report fails the test that caused it.
set(DTLSIM_SANITIZE "" CACHE STRING "Sanitizers for every target, e.g. address,undefined")
if(DTLSIM_SANITIZE)
  add_compile_options(-fsanitize=${DTLSIM_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=${DTLSIM_SANITIZE})
endif()
