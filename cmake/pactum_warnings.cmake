# pactum_target_warnings turns on the warnings we hold our code to, as errors.
# (-Wnull-dereference is left out: with GCC 12 at -O2 it fires inside libstdc++ and CLI11.)
function(pactum_target_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Werror
    -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
    -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough)
endfunction()
