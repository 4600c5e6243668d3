# toolchain.cmake: build viva for another architecture, or against another Debian release's
# libraries (a sysroot from scripts/make-sysroot.sh), with the host's gcc cross compilers.
#   aarch64 (default), multiarch: against the host's Debian :arm64 -dev packages
#       cmake -S . -B build/aarch64 -DCMAKE_TOOLCHAIN_FILE=toolchain.cmake
#   any of aarch64 | armhf | x86_64 against a sysroot (scripts/make-sysroot.sh RELEASE ARCH):
#       cmake -S . -B build/x -DCMAKE_TOOLCHAIN_FILE=toolchain.cmake -DVIVA_ARCH=armhf
#             -DVIVA_SYSROOT=build/sysroots/trixie-armhf
#     armhf without VIVA_SYSROOT uses build/sysroots/bookworm-armhf.
# The release a sysroot holds (VIVA_DEBIAN: bookworm, trixie) comes from its .viva-release file;
# the package's version suffix and Depends follow it (cmake/Packaging.cmake). Debian 13 armhf
# libraries use a 64-bit time_t: building against them adds -D_TIME_BITS=64.
# Cross-built tests run through qemu-user (CMAKE_CROSSCOMPILING_EMULATOR), so plain `ctest`
# in the build directory runs them. Board tuning lives in board/, not here.
set(VIVA_ARCH "aarch64" CACHE STRING "Target architecture: aarch64, armhf or x86_64")
set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES VIVA_ARCH VIVA_SYSROOT)
set(CMAKE_SYSTEM_NAME Linux)

if(VIVA_ARCH STREQUAL "aarch64")
    set(CMAKE_SYSTEM_PROCESSOR aarch64)
    set(triple aarch64-linux-gnu)
    set(VIVA_DEB_ARCH arm64)
    set(qemu /usr/bin/qemu-aarch64)
elseif(VIVA_ARCH STREQUAL "armhf")
    set(CMAKE_SYSTEM_PROCESSOR armv7l)
    set(triple arm-linux-gnueabihf)
    set(VIVA_DEB_ARCH armhf)
    set(qemu /usr/bin/qemu-arm)
    if(NOT VIVA_SYSROOT)
        get_filename_component(VIVA_SYSROOT
            "${CMAKE_CURRENT_LIST_DIR}/build/sysroots/bookworm-armhf" ABSOLUTE)
    endif()
elseif(VIVA_ARCH STREQUAL "x86_64")
    set(CMAKE_SYSTEM_PROCESSOR x86_64)
    set(triple x86_64-linux-gnu)
    set(VIVA_DEB_ARCH amd64)
    set(qemu "")
    if(NOT VIVA_SYSROOT)
        message(FATAL_ERROR "VIVA_ARCH=x86_64 needs VIVA_SYSROOT (scripts/make-sysroot.sh)")
    endif()
else()
    message(FATAL_ERROR "VIVA_ARCH must be aarch64, armhf or x86_64, not '${VIVA_ARCH}'")
endif()
set(CMAKE_C_COMPILER ${triple}-gcc)
set(CMAKE_LIBRARY_ARCHITECTURE ${triple})

if(VIVA_SYSROOT)
    get_filename_component(VIVA_SYSROOT "${VIVA_SYSROOT}" ABSOLUTE)
    set(VIVA_SYSROOT "${VIVA_SYSROOT}" CACHE PATH "sysroot (scripts/make-sysroot.sh)")
    if(NOT EXISTS "${VIVA_SYSROOT}/.viva-sysroot")
        message(FATAL_ERROR "VIVA_SYSROOT=${VIVA_SYSROOT} is not a finished sysroot: run "
            "scripts/make-sysroot.sh RELEASE ${VIVA_DEB_ARCH} first")
    endif()
    file(STRINGS "${VIVA_SYSROOT}/.viva-release" VIVA_SYSROOT_RELEASE LIMIT_COUNT 1)
    set(CMAKE_SYSROOT ${VIVA_SYSROOT})
    set(CMAKE_FIND_ROOT_PATH ${VIVA_SYSROOT})
    set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
    set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
    set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
    set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
    set(PKG_CONFIG_EXECUTABLE /usr/bin/pkg-config CACHE FILEPATH "")
    set(ENV{PKG_CONFIG_SYSROOT_DIR} ${VIVA_SYSROOT})
    set(ENV{PKG_CONFIG_LIBDIR}
        "${VIVA_SYSROOT}/usr/lib/${triple}/pkgconfig:${VIVA_SYSROOT}/usr/share/pkgconfig")
    if(qemu)
        set(CMAKE_CROSSCOMPILING_EMULATOR ${qemu};-L;${VIVA_SYSROOT})
    endif()
    # Debian's cross compilers search their own C library (libc6-dev-*-cross, the host
    # release's glibc) before the sysroot, for headers, start files and libraries; against
    # another release's sysroot that mixes glibc versions (link errors such as
    # "undefined reference to __isoc23_strtoll@GLIBC_2.38"). Put the sysroot's first.
    set(sr_inc "${VIVA_SYSROOT}/usr/include")
    set(sr_lib "${VIVA_SYSROOT}/usr/lib/${triple}")
    set(CMAKE_C_FLAGS_INIT "-isystem ${sr_inc}/${triple} -isystem ${sr_inc}")
    set(link_init "-B${sr_lib}/ -L${sr_lib} -Wl,-rpath-link,${sr_lib}")
    if(IS_DIRECTORY "${VIVA_SYSROOT}/lib/${triple}")
        string(APPEND link_init
            " -L${VIVA_SYSROOT}/lib/${triple} -Wl,-rpath-link,${VIVA_SYSROOT}/lib/${triple}")
    endif()
    set(CMAKE_EXE_LINKER_FLAGS_INIT "${link_init}")
    set(CMAKE_SHARED_LINKER_FLAGS_INIT "${link_init}")
    # Debian 13 made time_t 64-bit on armhf (the "t64" library names): match its ABI.
    if(VIVA_ARCH STREQUAL "armhf" AND NOT VIVA_SYSROOT_RELEASE STREQUAL "bookworm")
        string(APPEND CMAKE_C_FLAGS_INIT " -D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64")
    endif()
elseif(VIVA_ARCH STREQUAL "aarch64")
    # Multiarch: the host's :arm64 packages. libc6:arm64 provides /lib/ld-linux-aarch64.so.1,
    # so qemu needs no -L here.
    set(PKG_CONFIG_EXECUTABLE /usr/bin/${triple}-pkg-config CACHE FILEPATH "")
    set(CMAKE_CROSSCOMPILING_EMULATOR ${qemu})
endif()
