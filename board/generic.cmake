# Generic: a developer machine, or an x86-64 mini PC kiosk (Intel N100/Celeron, AMD Ryzen
# embedded...). Tuning only (-mtune), no -march: the package then runs on any amd64 or arm64
# machine Debian supports. A mini PC fleet of one known CPU can add -march=x86-64-v3 through
# CMAKE_C_FLAGS.
include(${CMAKE_CURRENT_LIST_DIR}/tuning.cmake)
viva_board_tuning(NOWARN
    AARCH64 -mtune=generic
    X86_64 -mtune=generic)
viva_board_apply()
