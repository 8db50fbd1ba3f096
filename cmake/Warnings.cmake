# dtlsim_warnings(target): the project's warning set. CMAKE_COMPILE_WARNING_AS_ERROR
# (set by every preset) turns them into errors, so CI never accepts a new warning.
function(dtlsim_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
    -Wimplicit-fallthrough)
endfunction()
