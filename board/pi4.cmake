# Raspberry Pi 4 / 400 / CM4: Cortex-A72 (Armv8.0-A + CRC), BCM2711. -mcpu=cortex-a72 only adds
# CRC instructions, which the Pi 3's A53 and the Pi 5's A76 also have, so a pi4 arm64 package
# runs on every 64-bit Pi; it is the profile CI uses for the arm64 .deb.
include(${CMAKE_CURRENT_LIST_DIR}/tuning.cmake)
viva_board_tuning(
    AARCH64 -mcpu=cortex-a72
    ARMHF -mcpu=cortex-a72 -mfpu=neon-fp-armv8 -mfloat-abi=hard)
viva_board_apply()
