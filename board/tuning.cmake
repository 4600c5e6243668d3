# tuning.cmake: shared by the board profiles (not a board itself). A profile calls
#   viva_board_tuning(AARCH64 flags... ARMHF flags... X86_64 flags...)
# and gets the flags for the processor it is compiled for in VIVA_BOARD_CFLAGS, applied to every
# viva target through viva_flags. Building a Pi profile for another processor (say pi4 on an
# amd64 desktop) is allowed, for testing the configuration, but gets no tuning and a warning.
# Each profile also names its configuration fragment, VIVA_BOARD_CONF (board/<name>.conf): the
# package's /etc/viva/viva.conf is the default configuration with those values filled in.
function(viva_board_tuning)
    cmake_parse_arguments(T "NOWARN" "" "AARCH64;ARMHF;X86_64" ${ARGN})
    string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" cpu)
    if(cpu MATCHES "^(aarch64|arm64)$")
        set(flags ${T_AARCH64})
    elseif(cpu MATCHES "^arm")
        set(flags ${T_ARMHF})
    elseif(cpu MATCHES "^(x86_64|amd64)$")
        set(flags ${T_X86_64})
    else()
        set(flags "")
    endif()
    if(NOT flags AND NOT T_NOWARN)
        message(WARNING "board ${VIVA_BOARD}: no tuning for processor '${CMAKE_SYSTEM_PROCESSOR}';"
            " building without board-specific compiler flags")
    endif()
    set(VIVA_BOARD_CFLAGS "${flags}" PARENT_SCOPE)
endfunction()

macro(viva_board_apply)
    set(VIVA_BOARD_CONF ${CMAKE_CURRENT_LIST_DIR}/${VIVA_BOARD}.conf)
    if(VIVA_BOARD_CFLAGS)
        target_compile_options(viva_flags INTERFACE ${VIVA_BOARD_CFLAGS})
    endif()
    message(STATUS "Board ${VIVA_BOARD}: flags '${VIVA_BOARD_CFLAGS}', config ${VIVA_BOARD_CONF}")
endmacro()
