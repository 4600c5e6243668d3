# toolchain.cmake: cross-compile viva for a Raspberry Pi class board.
#   aarch64 (default): multiarch, against Debian's :arm64 -dev packages
#       cmake -S . -B build/aarch64 -DCMAKE_TOOLCHAIN_FILE=toolchain.cmake
#   armhf: against a sysroot unpacked from Debian's armhf packages (scripts/make-sysroot.sh)
#       cmake -S . -B build/armhf -DCMAKE_TOOLCHAIN_FILE=toolchain.cmake -DVIVA_ARCH=armhf
#             [-DVIVA_SYSROOT=build/sysroot-armhf]
# Cross-built tests run through qemu-user (CMAKE_CROSSCOMPILING_EMULATOR), so plain `ctest`
# in the build directory runs them. Board tuning lives in board/, not here.
set(VIVA_ARCH "aarch64" CACHE STRING "Target architecture: aarch64 or armhf")
set(CMAKE_TRY_COMPILE_PLATFORM_VARIABLES VIVA_ARCH VIVA_SYSROOT)
set(CMAKE_SYSTEM_NAME Linux)

if(VIVA_ARCH STREQUAL "aarch64")
    set(CMAKE_SYSTEM_PROCESSOR aarch64)
    set(triple aarch64-linux-gnu)
    set(CMAKE_LIBRARY_ARCHITECTURE ${triple})
    set(CMAKE_C_COMPILER ${triple}-gcc)
    set(PKG_CONFIG_EXECUTABLE /usr/bin/${triple}-pkg-config CACHE FILEPATH "")
    # libc6:arm64 provides /lib/ld-linux-aarch64.so.1, so qemu needs no -L here.
    set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-aarch64)
    set(VIVA_DEB_ARCH arm64)
elseif(VIVA_ARCH STREQUAL "armhf")
    set(CMAKE_SYSTEM_PROCESSOR armv7l)
    set(triple arm-linux-gnueabihf)
    if(NOT VIVA_SYSROOT)
        get_filename_component(VIVA_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/build/sysroot-armhf"
            ABSOLUTE)
    endif()
    set(VIVA_SYSROOT "${VIVA_SYSROOT}" CACHE PATH "armhf sysroot (scripts/make-sysroot.sh)")
    set(CMAKE_C_COMPILER ${triple}-gcc)
    set(CMAKE_SYSROOT ${VIVA_SYSROOT})
    set(CMAKE_LIBRARY_ARCHITECTURE ${triple})
    set(CMAKE_FIND_ROOT_PATH ${VIVA_SYSROOT})
    set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
    set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
    set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
    set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
    set(ENV{PKG_CONFIG_SYSROOT_DIR} ${VIVA_SYSROOT})
    set(ENV{PKG_CONFIG_LIBDIR}
        "${VIVA_SYSROOT}/usr/lib/${triple}/pkgconfig:${VIVA_SYSROOT}/usr/share/pkgconfig")
    set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-arm;-L;${VIVA_SYSROOT})
    set(VIVA_DEB_ARCH armhf)
else()
    message(FATAL_ERROR "VIVA_ARCH must be aarch64 or armhf, not '${VIVA_ARCH}'")
endif()
