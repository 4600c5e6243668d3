# Raspberry Pi 3 / 3+ / Zero 2 W: Cortex-A53 (Armv8.0-A + CRC), BCM2837, 512 MB to 1 GB of RAM.
# The armhf build is the usual choice on the 512 MB Zero 2 W (smaller pointers, less memory).
# Debian armhf is Armv7: these flags keep that baseline and only add NEON/VFPv4 and A53 tuning.
include(${CMAKE_CURRENT_LIST_DIR}/tuning.cmake)
viva_board_tuning(
    AARCH64 -mcpu=cortex-a53
    ARMHF -mcpu=cortex-a53 -mfpu=neon-fp-armv8 -mfloat-abi=hard)
viva_board_apply()
