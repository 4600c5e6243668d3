# Packaging.cmake: the Debian package (CPack DEB) and the files only the package installs:
# the kiosk unit, sysusers/tmpfiles fragments, /etc/viva/viva.conf for the board, the man page,
# board fragments, copyright and changelog. Included by the top-level CMakeLists.txt.
#
#   cmake --build build/x && (cd build/x && cpack -G DEB)    ->  build/x/viva_<ver>-1_<arch>.deb
#
# Architecture: the host's (dpkg --print-architecture) in a native build; in a cross build
# VIVA_DEB_ARCH from toolchain.cmake (arm64, armhf), else derived from CMAKE_SYSTEM_PROCESSOR.
# Depends: dpkg-shlibdeps computes the library dependencies in native and multiarch (arm64)
# builds. In a sysroot build (armhf) dpkg-shlibdeps cannot see the libraries, so the list below
# is used; firmware/check-deb.sh compares a package's Depends with what its binary links.

set(VIVA_DEB_VERSION "${PROJECT_VERSION}")
set(VIVA_DEB_RELEASE 1)
set(VIVA_DEB_MAINTAINER "viva developers <dev@viva.invalid>")

# --- Architecture --------------------------------------------------------------------------
if(VIVA_DEB_ARCH)
    set(deb_arch ${VIVA_DEB_ARCH})
elseif(CMAKE_CROSSCOMPILING)
    string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" cpu)
    if(cpu MATCHES "^(aarch64|arm64)$")
        set(deb_arch arm64)
    elseif(cpu MATCHES "^arm")
        set(deb_arch armhf)
    elseif(cpu MATCHES "^(x86_64|amd64)$")
        set(deb_arch amd64)
    elseif(cpu MATCHES "^i.86$")
        set(deb_arch i386)
    else()
        message(FATAL_ERROR "Packaging: no Debian architecture for '${CMAKE_SYSTEM_PROCESSOR}';"
            " set VIVA_DEB_ARCH")
    endif()
else()
    execute_process(COMMAND dpkg --print-architecture OUTPUT_VARIABLE deb_arch
        OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(NOT deb_arch)
        set(deb_arch amd64)
    endif()
endif()

# --- Files only the package installs -------------------------------------------------------
set(pkg_dir ${CMAKE_BINARY_DIR}/package)
file(MAKE_DIRECTORY ${pkg_dir})
set(fw ${CMAKE_SOURCE_DIR}/firmware)
if(NOT VIVA_BOARD_CONF)
    set(VIVA_BOARD_CONF ${CMAKE_SOURCE_DIR}/board/${VIVA_BOARD}.conf)
endif()

# /etc/viva/viva.conf: every default, with the board profile's values filled in.
add_custom_command(OUTPUT ${pkg_dir}/viva.conf
    COMMAND ${CMAKE_COMMAND} -DEXAMPLE=${fw}/viva.conf.example -DBOARD_CONF=${VIVA_BOARD_CONF}
        -DBOARD=${VIVA_BOARD} -DOUT=${pkg_dir}/viva.conf -P ${fw}/make-conf.cmake
    DEPENDS ${fw}/viva.conf.example ${VIVA_BOARD_CONF} ${fw}/make-conf.cmake
    COMMENT "viva.conf for board ${VIVA_BOARD}")

# Man page and changelog, gzip-compressed as Debian policy wants (-n: no name/time: reproducible).
string(TIMESTAMP pkg_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${pkg_dir}/changelog.Debian
    "viva (${VIVA_DEB_VERSION}-${VIVA_DEB_RELEASE}) unstable; urgency=medium\n\n"
    "  * Built from the viva source tree with CPack.\n\n"
    " -- ${VIVA_DEB_MAINTAINER}  ${pkg_date}\n")
add_custom_command(OUTPUT ${pkg_dir}/viva.1.gz ${pkg_dir}/changelog.Debian.gz
    COMMAND gzip -9n -c ${CMAKE_SOURCE_DIR}/docs/viva.1 > ${pkg_dir}/viva.1.gz
    COMMAND gzip -9n -c ${pkg_dir}/changelog.Debian > ${pkg_dir}/changelog.Debian.gz
    DEPENDS ${CMAKE_SOURCE_DIR}/docs/viva.1 ${pkg_dir}/changelog.Debian
    COMMENT "Compressing the man page and changelog")
add_custom_target(viva_package_files ALL
    DEPENDS ${pkg_dir}/viva.conf ${pkg_dir}/viva.1.gz ${pkg_dir}/changelog.Debian.gz)

# Machine-readable copyright file from LICENSE.
file(READ ${CMAKE_SOURCE_DIR}/LICENSE license_text)
string(REGEX REPLACE "\n+$" "" license_text "${license_text}")
string(REGEX REPLACE "\n\n" "\n.\n" license_body "${license_text}")
string(REGEX REPLACE "\n" "\n " license_body "${license_body}")
file(WRITE ${pkg_dir}/copyright
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    "Upstream-Name: viva\n\n"
    "Files: *\nCopyright: 2026 The viva authors\nLicense: Expat\n ${license_body}\n")

# Paths: absolute destinations (/etc, /lib) are outside the /usr prefix on purpose.
# The unit: /lib/systemd/system up to Debian 12; Debian 13 packages put every file under /usr
# (/lib is only a link there, and dpkg must not see the same file under two names).
if(VIVA_DEBIAN STREQUAL "bookworm" OR VIVA_DEBIAN STREQUAL "bullseye")
    install(FILES ${fw}/viva.service DESTINATION /lib/systemd/system)
else()
    install(FILES ${fw}/viva.service DESTINATION lib/systemd/system)
endif()
install(FILES ${fw}/viva.sysusers DESTINATION lib/sysusers.d RENAME viva.conf)
install(FILES ${fw}/viva.tmpfiles DESTINATION lib/tmpfiles.d RENAME viva.conf)
install(FILES ${pkg_dir}/viva.conf DESTINATION /etc/viva)
install(FILES ${pkg_dir}/viva.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${pkg_dir}/copyright ${pkg_dir}/changelog.Debian.gz ${fw}/viva.conf.example
    DESTINATION share/doc/viva)
install(FILES ${fw}/kiosk-logind.conf DESTINATION share/doc/viva/examples)
install(FILES ${fw}/lintian-overrides DESTINATION share/lintian/overrides RENAME viva)
if(EXISTS ${CMAKE_SOURCE_DIR}/README.md)
    install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/viva)
endif()
file(GLOB board_confs ${CMAKE_SOURCE_DIR}/board/*.conf)
install(FILES ${board_confs} DESTINATION share/viva/boards)

# Debian's usual hardening (what dpkg-buildflags gives packages): off by default because
# _FORTIFY_SOURCE adds warn_unused_result checks that -Werror development builds would trip on;
# the package builds in CI turn it on.
option(VIVA_HARDENING "Build with Debian's hardening flags (fortify, stack protector, relro/now)"
    OFF)
if(VIVA_HARDENING AND NOT VIVA_SANITIZE)
    target_compile_options(viva_flags INTERFACE -fstack-protector-strong
        $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
    target_link_options(viva_flags INTERFACE -Wl,-z,relro -Wl,-z,now)
endif()

# --- CPack -----------------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME viva)
set(CPACK_PACKAGE_VERSION ${VIVA_DEB_VERSION})
set(CPACK_PACKAGE_VENDOR "The viva authors")
set(CPACK_PACKAGE_CONTACT "${VIVA_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${VIVA_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${deb_arch})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${VIVA_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://viva.invalid/")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "adaptive oral-interview trainer for a kiosk device")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "viva shows an interview question full screen, records the spoken answer
from a USB microphone, lets the candidate play it back and grade it, and
picks the next question at the right level with an item-response-theory
model. Everything stays on the device.

The package includes a systemd unit that boots a Raspberry Pi (or any
small PC) straight into viva on the console, without a desktop, as the
unprivileged system user 'viva' that the package creates. The unit is not
enabled on installation: run 'systemctl enable --now viva'. Board profiles,
GPIO buttons and the configuration in /etc/viva/viva.conf are described in
viva(1) and /usr/share/doc/viva.

Data lives in /var/lib/viva. Removing the package keeps it; PURGING THE
PACKAGE DELETES /var/lib/viva, that is every profile, answer and recording
made on the device. Export or back it up first.")
# Fonts the UI draws with, adduser for the maintainer scripts; libraries come from shlibdeps.
set(viva_extra_depends "fonts-dejavu-core, adduser")
if(TARGET viva_speech)
    # The recogniser's acoustic model is data, which no library scan finds.
    string(APPEND viva_extra_depends ", pocketsphinx-en-us")
endif()
if(CMAKE_SYSROOT)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
    # Debian 12 (bookworm) names and minimum versions, the same on every architecture. Keep in
    # step with the libraries viva links: firmware/check-deb.sh fails when one is missing.
    # Versions: what dpkg-shlibdeps gives the same program in the arm64 and amd64 builds.
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6 (>= 2.34), libsdl2-2.0-0 (>= 2.0.18), \
libsdl2-ttf-2.0-0 (>= 2.0.15), libsdl2-image-2.0-0 (>= 2.0.5), liblmdb0 (>= 0.9.14), \
libportaudio2 (>= 19+svn20101113), libasound2 (>= 1.0.16), libsndfile1 (>= 1.0.20), \
libsamplerate0 (>= 0.1.7), libinih1 (>= 40), libcjson1 (>= 1.7.5), libfontconfig1 (>= 2.12.6), \
libsystemd0, libgpiod2 (>= 1.5.1), ${viva_extra_depends}")
    if(TARGET viva_speech)
        string(PREPEND CPACK_DEBIAN_PACKAGE_DEPENDS
            "libpocketsphinx3 (>= 0.8+5prealpha), libsphinxbase3 (>= 0.8+5prealpha), libflite1 (>= 2.2), ")
    endif()
else()
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
    set(CPACK_DEBIAN_PACKAGE_DEPENDS "${viva_extra_depends}")
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gpiod, alsa-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${fw}/postinst ${fw}/prerm ${fw}/postrm ${fw}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
