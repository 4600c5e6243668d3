# make-conf.cmake: build /etc/viva/viva.conf for a board at build time (no program is run, so
# it works in cross builds):
#   cmake -DEXAMPLE=viva.conf.example -DBOARD_CONF=board/pi4.conf -DBOARD=pi4 -DOUT=viva.conf
#         -P make-conf.cmake
# Every "key = value" of the board fragment replaces the same key of the same section in the
# example (all defaults); a fragment key that the example lacks is an error, so a renamed key
# cannot be silently dropped.
cmake_minimum_required(VERSION 3.25)
foreach(v EXAMPLE BOARD_CONF BOARD OUT)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "make-conf.cmake: -D${v}=... is required")
    endif()
endforeach()

function(read_lines file out)
    file(READ ${file} text)
    # Keep empty lines and ';' (a list separator in CMake) by escaping before splitting.
    string(REPLACE ";" "\\;" text "${text}")
    string(REPLACE "\n" ";" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# 1. The fragment: section.key -> value.
read_lines(${BOARD_CONF} frag)
set(section "")
set(wanted "")
foreach(line IN LISTS frag)
    if(line MATCHES "^\\[([a-z_]+)\\]")
        set(section ${CMAKE_MATCH_1})
    elseif(line MATCHES "^([a-z_]+)[ \t]*=[ \t]*(.*)$")
        set(key "${section}.${CMAKE_MATCH_1}")
        set("val_${key}" "${CMAKE_MATCH_2}")
        list(APPEND wanted ${key})
    endif()
endforeach()

# 2. The example, with those values put in.
read_lines(${EXAMPLE} lines)
set(section "")
set(result "; Board profile: ${BOARD} (values from board/${BOARD}.conf)\n")
set(done "")
foreach(line IN LISTS lines)
    if(line MATCHES "^\\[([a-z_]+)\\]")
        set(section ${CMAKE_MATCH_1})
    elseif(line MATCHES "^([a-z_]+)[ \t]*=")
        set(key "${section}.${CMAKE_MATCH_1}")
        if(DEFINED "val_${key}")
            set(line "${CMAKE_MATCH_1} = ${val_${key}}")
            list(APPEND done ${key})
        endif()
    endif()
    string(APPEND result "${line}\n")
endforeach()
foreach(key IN LISTS wanted)
    if(NOT key IN_LIST done)
        message(FATAL_ERROR "${BOARD_CONF}: ${key} is not a key of ${EXAMPLE}")
    endif()
endforeach()
# Splitting added one newline too many at the end.
string(REGEX REPLACE "\n\n$" "\n" result "${result}")
file(WRITE ${OUT} "${result}")
