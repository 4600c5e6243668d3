# Raspberry Pi 5: Cortex-A76 (Armv8.2-A), BCM2712. The 64-bit build is tuned AND targeted for
# the A76: it uses Armv8.2 instructions, so this build does not run on a Pi 4 or Pi 3 (use pi4
# for one arm64 package that runs on all three). A 32-bit OS gets A76 tuning within Armv8 NEON.
include(${CMAKE_CURRENT_LIST_DIR}/tuning.cmake)
viva_board_tuning(
    AARCH64 -mcpu=cortex-a76
    ARMHF -mcpu=cortex-a76 -mfpu=neon-fp-armv8 -mfloat-abi=hard)
viva_board_apply()
