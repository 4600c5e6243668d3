#!/usr/bin/python3
"""boot_test.py: boot the viva image under qemu-system-aarch64 and check the appliance as a
device owner would meet it (scripts/image/boot-test.sh runs it; see there for the options).

The virt machine boots the image's own kernel and initrd (copied out of its boot partition with
mtools, no root needed) from a copy of the image, with a virtio GPU (SDL's KMSDRM through Mesa),
a USB audio device, a virtio keyboard, the serial console and QMP. The guest's journal is
forwarded to the serial console (a kernel argument this test adds), so every check reads what
systemd and viva logged; the QEMU guest agent (started in the guest only when QEMU's virtio port
exists) runs the few commands that look inside: the sound cards, the store's answers.

Checks: viva.service started (Type=notify: systemd logs "Started" only after viva's READY=1,
which viva sends after its first frame); QMP screendumps until one shows viva's screen (its
background colour first, with text; at most 30 s after READY) and viva logged home; the
USB audio device found; the settings file applied and its bad line shown; the data partition
grown to the disk; viva killed -> restarted; viva stopped (SIGSTOP, a real hang) -> the watchdog
fires and systemd restarts it; hard power-offs (QMP quit) in the middle of a keyboard-driven
practice session: after each boot the store opens and every grade viva logged as committed
before the power-off is in it. Prints boot-to-home times. Exit 0 all passed, 1 a check failed,
77 cannot run here."""
import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time

SCALE = max(1.0, float(os.environ.get("VIVA_TEST_TIME_SCALE", "1") or 1))
results = {"pass": 0, "fail": 0}


def say(msg):
    print(f"[boot-test] {msg}", flush=True)


def check(ok, what):
    if ok:
        results["pass"] += 1
        say(f"ok: {what}")
    else:
        results["fail"] += 1
        say(f"FAIL: {what}")
    return ok


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


class Channel:
    """A JSON line protocol over a unix socket (QMP and the guest agent)."""

    def __init__(self, path, timeout):
        deadline = time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        self.buf = b""

    def send(self, obj):
        self.s.sendall(json.dumps(obj).encode() + b"\n")

    def recv(self, timeout):
        self.s.settimeout(timeout)
        while b"\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("channel closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        line = line.strip().lstrip(b"\xff")
        return json.loads(line) if line else None

    def close(self):
        self.s.close()


class Qmp(Channel):
    def __init__(self, path, timeout):
        super().__init__(path, timeout)
        self.recv(timeout)  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        self.send({"execute": name, "arguments": args} if args else {"execute": name})
        while True:
            r = self.recv(60 * SCALE)
            if r is None or "event" in r:
                continue
            if "error" in r:
                raise RuntimeError(f"QMP {name}: {r['error']}")
            return r.get("return")


class Agent:
    """The QEMU guest agent: run a shell command in the guest as root."""

    def __init__(self, path):
        self.path = path
        self.ch = None
        self.n = 0

    def connect(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if self.ch is None:
                    self.ch = Channel(self.path, 5)
                self.n += 1
                self.ch.send({"execute": "guest-sync", "arguments": {"id": self.n}})
                while True:
                    r = self.ch.recv(5)
                    if r and r.get("return") == self.n:
                        return True
            except (OSError, EOFError, ValueError):
                if self.ch:
                    self.ch.close()
                self.ch = None
                time.sleep(2)
        return False

    def call(self, name, timeout, **args):
        self.ch.send({"execute": name, "arguments": args})
        while True:
            r = self.ch.recv(timeout)
            if r is None:
                continue
            if "error" in r:
                raise RuntimeError(f"guest agent {name}: {r['error']}")
            return r["return"]

    def sh(self, command, timeout=120):
        pid = self.call("guest-exec", 30 * SCALE, path="/bin/sh", arg=["-c", command],
                        **{"capture-output": True})["pid"]
        deadline = time.time() + timeout * SCALE
        while time.time() < deadline:
            st = self.call("guest-exec-status", 30 * SCALE, pid=pid)
            if st.get("exited"):
                out = base64.b64decode(st.get("out-data", "")).decode(errors="replace")
                err = base64.b64decode(st.get("err-data", "")).decode(errors="replace")
                return st.get("exitcode", -1), out + err
            time.sleep(0.5)
        return -1, f"(still running after {timeout * SCALE:.0f} s)"


class Vm:
    def __init__(self, args, work, kernel, initrd, boot_no):
        self.work = work
        self.serial = os.path.join(work, f"serial-{boot_no}.log")
        self.qmp_path = os.path.join(work, "qmp.sock")
        self.qga_path = os.path.join(work, "qga.sock")
        for p in (self.qmp_path, self.qga_path):
            if os.path.exists(p):
                os.unlink(p)
        # The last console= is /dev/console, where the journal is forwarded: the serial line.
        append = ("root=LABEL=viva-root rootwait ro console=tty1 console=ttyAMA0 "
                  "systemd.journald.forward_to_console=1 systemd.show_status=0 "
                  "modules_load=snd_aloop consoleblank=0 vt.global_cursor_default=0")
        cmd = ["qemu-system-aarch64", "-M", "virt", "-cpu", args.cpu, "-smp", "2",
               "-m", "1024", "-display", "none", "-no-reboot", "-nic", "none",
               "-kernel", kernel, "-initrd", initrd, "-append", append,
               "-drive", f"if=none,id=disk,file={args.disk},format=raw,cache=writeback",
               "-device", "virtio-blk-pci,drive=disk",
               "-device", "virtio-gpu-pci,xres=1024,yres=600",
               "-device", "qemu-xhci,id=xhci",
               "-audiodev", f"wav,id=snd0,path={os.path.join(work, f'audio-{boot_no}.wav')}",
               "-device", "usb-audio,audiodev=snd0,bus=xhci.0",
               "-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci",
               "-device", "virtio-rng-pci",
               "-chardev", f"socket,id=qga0,path={self.qga_path},server=on,wait=off",
               "-device", "virtio-serial-pci",
               "-device", "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
               "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
               "-serial", f"file:{self.serial}", "-monitor", "none"]
        self.t0 = time.time()
        self.proc = subprocess.Popen(cmd, stdout=open(os.path.join(work, "qemu.log"), "a"),
                                     stderr=subprocess.STDOUT)
        self.qmp = Qmp(self.qmp_path, 60)
        self.agent = Agent(self.qga_path)
        self.seen = {}  # first time (since start) each pattern was found

    def log(self):
        try:
            with open(self.serial, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def wait_for(self, pattern, timeout, count=1):
        """Waits until pattern occurs count times in the serial log; returns the seconds since
        QEMU started, or None after timeout (scaled)."""
        rx = re.compile(pattern)
        deadline = time.time() + timeout * SCALE
        while time.time() < deadline:
            if len(rx.findall(self.log())) >= count:
                return time.time() - self.t0
            if self.proc.poll() is not None:
                return None
            time.sleep(0.25)
        return None

    def mark(self, pattern):
        """Timestamps the first appearance of pattern while waiting for something else."""
        if pattern not in self.seen and re.search(pattern, self.log()):
            self.seen[pattern] = time.time() - self.t0

    def key(self, *qcodes):
        self.qmp.cmd("send-key", keys=[{"type": "qcode", "data": q} for q in qcodes])

    def screendump(self, png):
        ppm = png[:-4] + ".ppm"
        self.qmp.cmd("screendump", filename=ppm)
        with open(png, "wb") as f:
            subprocess.run(["pnmtopng", ppm], stdout=f, check=True, stderr=subprocess.DEVNULL)
        hist = run(["ppmhist", "-noheader", ppm]).splitlines()  # most frequent colour first
        size = run(["sh", "-c", f"head -c 20 '{ppm}' | sed -n 2p"]).strip()
        os.unlink(ppm)
        top = tuple(int(v) for v in hist[0].split()[:3]) if hist else None
        return len(hist), size, top

    def power_off(self):
        """Pulls the plug: QEMU quits at once, nothing in the guest runs afterwards."""
        try:
            self.qmp.cmd("quit")
        except (RuntimeError, EOFError, OSError):
            pass
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def boot_times(vm, ready):
    """Splits boot-to-home: kernel (QEMU start to systemd's first line), systemd (to viva's
    start), viva (its start to READY=1 after the first frame)."""
    log = vm.log()
    t_sd = vm.seen.get(r"systemd\[1\]: .*(running in system mode|Detected architecture)")
    t_viva = vm.seen.get(r"Starting viva\.service")
    parts = []
    if t_sd is not None:
        parts.append(f"kernel+initrd {t_sd:.1f} s")
    if t_sd is not None and t_viva is not None:
        parts.append(f"systemd {t_viva - t_sd:.1f} s")
    if t_viva is not None:
        parts.append(f"viva {ready - t_viva:.1f} s")
    m = re.search(r"Startup finished in ([^\n]*)", log)
    return ", ".join(parts) + (f" (systemd: {m.group(1).strip()})" if m else "")


def wait_home(vm, timeout):
    """Boots to READY, marking the milestones on the way; returns seconds or None."""
    deadline = time.time() + timeout * SCALE
    marks = [r"systemd\[1\]: .*(running in system mode|Detected architecture)",
             r"Starting viva\.service"]
    while time.time() < deadline:
        for m in marks:
            vm.mark(m)
        t = vm.wait_for(r"Started viva\.service", 1)
        if t is not None:
            for m in marks:
                vm.mark(m)
            return t
        if vm.proc.poll() is not None:
            return None
    return None


def committed(log):
    """Grades viva acknowledged (its journal line after the synced commit): {answer id: grade}."""
    return {int(a): int(g) for g, a in
            re.findall(r"grade (\d) committed: answer (\d+)", log)}


def store_answers(vm):
    """The store's answers, read back in the guest through `viva export` (JSON)."""
    rc, out = vm.agent.sh(
        "rm -rf /tmp/bt && runuser -u viva -- env HOME=/var/lib/viva viva --data-dir "
        "/var/lib/viva export --profile boot-test --out /tmp/bt >/tmp/bt.log 2>&1; "
        "echo rc=$?; cat /tmp/bt/answers.json 2>/dev/null || cat /tmp/bt.log", 300)
    m = re.match(r"rc=(\d+)\n(.*)", out, re.S)
    if not m or m.group(1) != "0":
        return None, out
    try:
        data = json.loads(m.group(2))
    except ValueError:
        return None, out
    answers = data.get("answers", data if isinstance(data, list) else [])
    return {int(a["id"]): a.get("grade") for a in answers}, ""


def session(vm, seconds, rng_state):
    """A practice session from home, with keys as a person presses them: start, then for each
    question: skip the countdown, answer (silence from the dummy microphone), end the answer,
    and grade it; keys go on until `seconds` have passed."""
    grades = ["2", "1", "3", "0"]
    vm.key("ret")  # home: Start
    end = time.time() + seconds
    i = rng_state
    while time.time() < end:
        for q in ("ret", "ret", grades[i % 4]):
            time.sleep(2.5 * SCALE)
            vm.key(q)
            if time.time() >= end:
                break
        i += 1
    return i


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--image", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--power-offs", type=int, default=10)
    ap.add_argument("--cpu", default="cortex-a72")
    ap.add_argument("--shots", default=None, help="directory for the screendumps")
    args = ap.parse_args()
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    shots = args.shots or work
    os.makedirs(shots, exist_ok=True)

    # The disk: a copy of the image, 512 MiB larger (a card bigger than the image).
    args.disk = os.path.join(work, "disk.img")
    run(["cp", "--sparse=always", args.image, args.disk])
    run(["truncate", "-s", "+512M", args.disk])
    parts = run(["sfdisk", "-d", args.disk])
    starts = [int(s) for s in re.findall(r"start=\s*(\d+)", parts)]
    fat = f"{args.disk}@@{starts[0] * 512}"
    names = run(["mdir", "-b", "-i", fat, "::"]).split()
    names = [os.path.basename(n) for n in names]

    def pick(prefix):
        c = sorted(n for n in names if n.startswith(prefix))
        return c[-1] if c else None

    kernel, initrd = pick("vmlinuz"), pick("initrd.img")
    if not kernel or not initrd:
        say(f"FAIL: no kernel/initrd on the boot partition ({' '.join(names)})")
        return 1
    for n in (kernel, initrd):
        run(["mcopy", "-o", "-i", fat, f"::{n}", os.path.join(work, n)])
    # Kernels Debian packs as an EFI zboot image (trixie) boot through the EFI stub only.
    with open(os.path.join(work, kernel), "rb") as f:
        head = f.read(8)
    if head[4:8] == b"zimg":
        say("SKIP: this kernel is an EFI zboot image; QEMU's -kernel cannot load it here")
        return 77
    # The owner's settings file, as a person would edit it: the test's profile and sound cards
    # (QEMU's USB speaker, the dummy microphone), no reading aloud or analysis (too slow under
    # emulation), and one bad line that must be shown on the screen.
    settings = os.path.join(work, "viva-settings.txt")
    with open(settings, "w") as f:
        f.write("# boot test\nprofile = boot-test\ntimezone = Europe/Paris\n"
                "audio.input = Loopback\naudio.output = USB\nspeech.enabled = false\n"
                "feedback.enabled = false\nsession.think_seconds = 0\n"
                "audio.silence_seconds = 2\nssh = off\n"
                "display.rotation = 45\n")
    run(["mcopy", "-o", "-i", fat, settings, "::viva-settings.txt"])

    boots = 0
    acked = {}
    poweroff_ok = 0
    runs = 1 if args.short else args.power_offs
    lost_total = 0
    for cycle in range(runs + 1):
        boots += 1
        vm = Vm(args, work, os.path.join(work, kernel), os.path.join(work, initrd), boots)
        try:
            t = wait_home(vm, 900)
            if not check(t is not None, f"boot {boots}: viva.service started with READY=1"
                         + (f" in {t:.1f} s: {boot_times(vm, t)}" if t else "")):
                print(vm.log()[-4000:])
                vm.power_off()
                break
            if boots == 1:
                first_checks(vm, shots, args)
            if cycle > 0:
                # After a power-off: the store opens and holds every acknowledged grade.
                if not vm.agent.connect(180 * SCALE):
                    check(False, f"boot {boots}: guest agent answers")
                else:
                    have, why = store_answers(vm)
                    if have is None:
                        check(False, f"boot {boots}: the store opens (viva export): {why[-300:]}")
                    else:
                        lost = {a: g for a, g in acked.items() if have.get(a) != g}
                        lost_total += len(lost)
                        ok = check(not lost, f"boot {boots}: store opens, {len(have)} answers; "
                                   f"all {len(acked)} acknowledged grades there"
                                   + (f" (lost: {lost})" if lost else ""))
                        poweroff_ok += ok
            if cycle == runs:
                vm.power_off()
                break
            # A session, then the plug pulled at a moment that moves from run to run.
            before = len(committed(vm.log()))
            session(vm, (25 + 7 * (cycle % 4)) * SCALE, cycle)
            got = committed(vm.log())
            acked.update(got)
            say(f"boot {boots}: {len(got) - before if got else 0} grades acknowledged this session; "
                f"power off")
            vm.power_off()
        except Exception as e:  # noqa: BLE001 - a test harness reports and goes on
            check(False, f"boot {boots}: {type(e).__name__}: {e}")
            print(vm.log()[-3000:])
            vm.power_off()
            break
    if runs:
        check(len(acked) > 0, f"grades acknowledged over the sessions: {len(acked)}")
        say(f"power-offs: {poweroff_ok} of {runs} boots with the store intact and no "
            f"acknowledged grade lost ({lost_total} lost)")
    say(f"{results['pass']} passed, {results['fail']} failed")
    return 0 if results["fail"] == 0 else 1


# viva's background (src/ui/ui.c, theme_default.bg); high contrast would be black, which the
# image does not set. A frame that is mostly this colour and has text on it is viva's screen:
# a blank, black or console frame is not.
VIVA_BG = (16, 20, 28)


def looks_like_viva(colours, top):
    return colours >= 8 and top == VIVA_BG


def wait_for_viva_frame(vm, png, limit=30):
    """Screendumps once a second until one shows viva's screen, for at most limit s (scaled):
    under emulation the first frame reaches QEMU's display a few seconds after READY (measured:
    black for 3 s, then home). Returns the last dump's colours, size, commonest colour, and the
    seconds since this call."""
    t0 = time.time()
    while True:
        colours, size, top = vm.screendump(png)
        if looks_like_viva(colours, top) or time.time() - t0 > limit * SCALE:
            return colours, size, top, time.time() - t0
        time.sleep(1)


def first_checks(vm, shots, args):
    png = os.path.join(shots, "home.png")
    colours, size, top, after = wait_for_viva_frame(vm, png)
    check(looks_like_viva(colours, top) and re.search(r"viva\[run\] info: screen: home", vm.log()),
          f"screendump of home: {png} ({size}, {colours} colours, mostly {top}), "
          f"{after:.1f} s after READY; viva logged the home screen")
    if not check(vm.agent.connect(300 * SCALE), "guest agent answers (virtio port present)"):
        return
    rc, cards = vm.agent.sh("cat /proc/asound/cards")
    check("USB" in cards and "Audio" in cards, "USB audio device found: "
          + " | ".join(line.strip() for line in cards.splitlines() if "]" in line))
    rc, out = vm.agent.sh("cat /run/viva/notices; cat /etc/viva/settings.conf; readlink /etc/localtime")
    check("display.rotation" in out and "Europe/Paris" in out,
          "settings file applied; its bad line noted: "
          + next((l for l in out.splitlines() if "viva-settings.txt line" in l), "(no notice)"))
    m = re.search(r"notice from /run/viva/notices: ([^\n]*)", vm.log())
    check(m is not None and "display.rotation" in m.group(1),
          "viva shows the bad settings line on its first screen: "
          + (m.group(1)[:100] if m else "(not logged)"))
    rc, out = vm.agent.sh("findmnt -no SIZE,OPTIONS /var/lib/viva; lsblk -bno SIZE /dev/vda3")
    check(rc == 0 and re.search(r"^\s*7\d\d(\.\d+)?M", out, re.M) is not None,
          f"data partition grown to the disk's end: {out.split(chr(10))[0]}")
    rc, out = vm.agent.sh("systemctl is-enabled ssh.service; systemctl is-active ssh.service; "
                          "systemctl is-active getty@tty1.service serial-getty@ttyAMA0.service")
    check("active\n" not in out.replace("inactive", ""), f"no ssh, no getty: {' '.join(out.split())}")
    # Killed: systemd restarts it (Restart=always, RestartSec=3).
    n = len(re.findall(r"Started viva\.service", vm.log()))
    vm.agent.sh("systemctl kill --signal=KILL viva.service")
    t = vm.wait_for(r"Started viva\.service", 180, n + 1)
    check(t is not None, "viva killed (SIGKILL) -> restarted by systemd, READY again")
    # Hung: SIGSTOP stops the main loop, so no WATCHDOG=1; after WatchdogSec systemd kills it.
    n = len(re.findall(r"Started viva\.service", vm.log()))
    t0 = time.time()
    vm.agent.sh("systemctl kill --signal=STOP --kill-whom=main viva.service")
    t = vm.wait_for(r"Started viva\.service", 240, n + 1)
    wd = re.search(r"viva\.service: Watchdog timeout", vm.log())
    check(t is not None and wd is not None,
          f"viva hung (SIGSTOP) -> watchdog timeout -> restarted after {time.time() - t0:.0f} s")
    png = os.path.join(shots, "home-after-restart.png")
    colours, size, top, after = wait_for_viva_frame(vm, png)
    check(looks_like_viva(colours, top),
          f"screendump after the restarts: {png} ({colours} colours, mostly {top}), "
          f"{after:.1f} s after READY")


def on_term(sig, frame):
    raise SystemExit(1)


if __name__ == "__main__":
    import signal
    signal.signal(signal.SIGTERM, on_term)
    try:
        sys.exit(main())
    finally:
        # No QEMU outlives the test.
        subprocess.run(["pkill", "-P", str(os.getpid()), "-x", "qemu-system-aar"], check=False)
