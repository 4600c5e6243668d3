# Packaging.cmake: the Debian package (CPack DEB) and the files only the package installs:
# the kiosk unit, sysusers/tmpfiles fragments, /etc/viva/viva.conf for the board, the man page,
# board fragments, copyright and changelog. Included by the top-level CMakeLists.txt.
#
#   cmake --build build/x && (cd build/x && cpack -G DEB)  ->  build/x/viva_<ver>~deb<N>_<arch>.deb
#   ./setup.sh package    every release x architecture into build/packages/ (scripts/package.sh)
#
# Release: one package per Debian release, because the library package names differ (Debian 13
# renamed many for the 64-bit time_t, e.g. libasound2 -> libasound2t64, and ships libgpiod3
# instead of libgpiod2). VIVA_DEBIAN names the release built against: a sysroot's (toolchain.cmake
# reads it), else the host's. The version is PROJECT_VERSION~deb<N> (0.2.0~deb12 for bookworm,
# 0.2.0~deb13 for trixie): ~ sorts a bookworm build below a trixie one of the same version, so
# a device upgraded from bookworm to trixie takes the trixie package.
# Architecture: the host's (dpkg --print-architecture) in a native build; in a cross build
# VIVA_DEB_ARCH from toolchain.cmake (arm64, armhf, amd64), else from CMAKE_SYSTEM_PROCESSOR.
# Depends: always from dpkg-shlibdeps. In a sysroot build CPack gives it the sysroot's library
# directories (-l) and it reads that release's symbols/shlibs files from the sysroot's DEBIAN/
# (scripts/make-sysroot.sh collects them); firmware/check-deb.sh compares the result with what the
# binary links.

set(VIVA_DEB_MAINTAINER "viva developers <dev@viva.invalid>")

# --- Release and version ---------------------------------------------------------------------
if(NOT VIVA_DEBIAN)
    if(VIVA_SYSROOT_RELEASE)
        set(release_guess ${VIVA_SYSROOT_RELEASE})
    else()
        set(release_guess "")
        if(EXISTS /etc/os-release)
            file(STRINGS /etc/os-release codename_line REGEX "^VERSION_CODENAME=")
            string(REGEX REPLACE "^VERSION_CODENAME=\"?([a-z]*)\"?$" "\\1" release_guess
                "${codename_line}")
        endif()
    endif()
    set(VIVA_DEBIAN "${release_guess}" CACHE STRING
        "Debian release the package is for (bookworm, trixie): its version suffix")
endif()
set(deb_release_numbers bullseye 11 bookworm 12 trixie 13 forky 14)
list(FIND deb_release_numbers "${VIVA_DEBIAN}" release_index)
if(release_index GREATER_EQUAL 0)
    math(EXPR release_index "${release_index} + 1")
    list(GET deb_release_numbers ${release_index} deb_release_number)
    set(VIVA_DEB_VERSION "${PROJECT_VERSION}~deb${deb_release_number}")
    set(deb_distribution ${VIVA_DEBIAN})
else()
    message(WARNING "Packaging: unknown Debian release '${VIVA_DEBIAN}' (set VIVA_DEBIAN to "
        "bookworm or trixie); the package version has no release suffix")
    set(VIVA_DEB_VERSION "${PROJECT_VERSION}")
    set(deb_distribution unstable)
endif()

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
# The version has no Debian revision (a native package), so the changelog is changelog.gz.
string(TIMESTAMP pkg_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${pkg_dir}/changelog
    "viva (${VIVA_DEB_VERSION}) ${deb_distribution}; urgency=medium\n\n"
    "  * Built from the viva source tree with CPack.\n\n"
    " -- ${VIVA_DEB_MAINTAINER}  ${pkg_date}\n")
# The man page gets the project's version here (docs/viva.1 says @PROJECT_VERSION@).
configure_file(${CMAKE_SOURCE_DIR}/docs/viva.1 ${pkg_dir}/viva.1 @ONLY)
add_custom_command(OUTPUT ${pkg_dir}/viva.1.gz ${pkg_dir}/changelog.gz
    COMMAND gzip -9n -c ${pkg_dir}/viva.1 > ${pkg_dir}/viva.1.gz
    COMMAND gzip -9n -c ${pkg_dir}/changelog > ${pkg_dir}/changelog.gz
    DEPENDS ${pkg_dir}/viva.1 ${pkg_dir}/changelog
    COMMENT "Compressing the man page and changelog")
add_custom_target(viva_package_files ALL
    DEPENDS ${pkg_dir}/viva.conf ${pkg_dir}/viva.1.gz ${pkg_dir}/changelog.gz)

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
install(FILES ${pkg_dir}/copyright ${pkg_dir}/changelog.gz ${fw}/viva.conf.example
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
    # Voice enrolment runs these programs (src/speech/adapt.c); without them it says what to
    # install and everything else works.
    set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "sphinxtrain, sphinxbase-utils, pocketsphinx")
endif()
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${viva_extra_depends}")
if(CMAKE_SYSROOT)
    # dpkg-shlibdeps finds the libraries in the sysroot (-l) and, as they belong to no installed
    # package, reads the symbols/shlibs files of the tree they are in: ${CMAKE_SYSROOT}/DEBIAN.
    if(NOT EXISTS ${CMAKE_SYSROOT}/DEBIAN/symbols)
        message(FATAL_ERROR "Packaging: ${CMAKE_SYSROOT}/DEBIAN/symbols is missing: make the "
            "sysroot again with scripts/make-sysroot.sh")
    endif()
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS
        ${CMAKE_SYSROOT}/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}
        ${CMAKE_SYSROOT}/lib/${CMAKE_LIBRARY_ARCHITECTURE})
endif()
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gpiod, alsa-utils")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${fw}/postinst ${fw}/prerm ${fw}/postrm ${fw}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
