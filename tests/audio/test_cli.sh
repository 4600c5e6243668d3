# test_cli.sh: `viva audio devices|record|play` on the virtual devices, and their messages for
# an unknown device and for a machine with no device at all.
set -u
fail=0
check() { if ! eval "$1"; then echo "FAIL: $1" >&2; fail=1; fi; }
if ! command -v sox >/dev/null; then echo "skipped: sox is needed (scripts/deps/test.txt)"; exit 0; fi
viva() { $VIVA_EMU "$VIVA_BIN" --data-dir "$PWD/cli_data" "$@"; }

# The virtual microphone is listed only while its raw file exists.
sox -n -r 16000 -c 1 -b 16 -e signed-integer -t raw cli_mic.raw synth 3 sine 440 vol 0.5
export TEST_MIC_RAW=$PWD/cli_mic.raw TEST_SPK_WAV=$PWD/cli_spk.wav
out=$(viva audio devices 2>cli_err.txt); rc=$?
check '[ $rc -eq 0 ]'
check 'echo "$out" | grep -q "\"test_mic\""'
check 'echo "$out" | grep -q "\"test_spk\""'
# ALSA/JACK chatter is silenced (other libraries may print under qemu: only these are checked)
check '! grep -qiE "ALSA lib|jack|server socket" cli_err.txt'

rm -f cli_rec.wav cli_spk.wav
viva --set audio.input=test_mic audio record --seconds 2 --out cli_rec.wav >cli_out.txt 2>cli_err.txt
rc=$?
check '[ $rc -eq 0 ]'
check 'grep -q "dBFS" cli_err.txt'        # the live level line
check 'grep -q "recorded 2.00 s from \"test_mic\"" cli_out.txt'
check '[ "$(soxi -s cli_rec.wav)" = 32000 ] && [ "$(soxi -r cli_rec.wav)" = 16000 ]'

viva audio play cli_rec.wav --device test_spk >cli_out.txt 2>&1; rc=$?
check '[ $rc -eq 0 ]'
# The speaker's file holds the recording (the first 2 s of the 440 Hz tone).
check '[ "$(soxi -s cli_spk.wav)" -ge 32000 ]'
check 'sox cli_spk.wav -n stat 2>&1 | grep -q "Rough   frequency: *4[34][0-9]"'

viva --set audio.input=usb_mic_404 audio record --seconds 1 --out cli_x.wav >/dev/null 2>cli_err.txt
rc=$?
check '[ $rc -eq 10 ]'
check 'grep -q "no input device named \"usb_mic_404\"" cli_err.txt'
check 'grep -q "\"test_mic\"" cli_err.txt'
check '[ ! -e cli_x.wav ]'

ASAN_OPTIONS=detect_leaks=0 ALSA_CONFIG_PATH=$VIVA_AUDIO_NODEV_CONF viva audio devices >cli_out.txt 2>&1; rc=$?
if [ $rc -eq 0 ]; then
    echo "skipped the no-device checks: this machine has a sound device"
    [ $fail -eq 0 ] && echo "audio cli: ok"
    exit $fail
fi
check '[ $rc -eq 10 ]'
check 'grep -q "none" cli_out.txt'
ASAN_OPTIONS=detect_leaks=0 ALSA_CONFIG_PATH=$VIVA_AUDIO_NODEV_CONF viva audio record --seconds 1 --out cli_x.wav >/dev/null 2>cli_err.txt; rc=$?
check '[ $rc -eq 10 ]'
check 'grep -q "no microphone" cli_err.txt'

[ $fail -eq 0 ] && echo "audio cli: ok"
exit $fail
