// The ALSA speaker over a fake `aplay` (a script that checks its arguments, keeps what it was
// given, and fails like aplay does when the device is missing): played to the end, offline with
// AUDIO_OFFLINE on failure, back and cleared by the probe.
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AplaySink } from "../../../device/audio/aplay-sink.js";
import { encodeWav, silence } from "../../../protocols/audio/pcm.js";
import { type HealthCall, recordingHealthSink } from "../support/health.js";

const FAKE_APLAY = `#!/bin/sh
# Checks the arguments vooru passes, keeps the WAV from stdin, fails while $DIR/fail exists.
[ "$1" = "-q" ] && [ "$2" = "-D" ] && [ "$4" = "-t" ] && [ "$5" = "wav" ] && [ "$6" = "-" ] || { echo "bad args: $*" >&2; exit 64; }
if [ -e "$DIR/fail" ]; then
  cat > /dev/null
  echo "aplay: main:831: audio open error: No such file or directory" >&2
  exit 1
fi
n=$(ls "$DIR" | grep -c '^play-' || true)
cat > "$DIR/play-$n.wav"
echo "$3" > "$DIR/device-$n"
`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fake() {
  const dir = mkdtempSync(join(tmpdir(), "vooru-aplay-"));
  dirs.push(dir);
  const command = join(dir, "aplay");
  writeFileSync(command, FAKE_APLAY.replaceAll("$DIR", dir));
  chmodSync(command, 0o755);
  const plays = () =>
    readdirSync(dir)
      .filter((n) => n.startsWith("play-"))
      .sort()
      .map((n) => readFileSync(join(dir, n)));
  return {
    dir,
    command,
    plays,
    fail: (on: boolean) =>
      on ? writeFileSync(join(dir, "fail"), "") : rmSync(join(dir, "fail"), { force: true }),
  };
}

const probeWav = encodeWav(silence(16_000, 20));
const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe("ALSA speaker through aplay", () => {
  it("probes at start, plays a WAV to its end on the configured device", async () => {
    const f = fake();
    const health = recordingHealthSink();
    const sink = new AplaySink({
      id: "zone-hall",
      device: "plughw:CARD=Headphones",
      health,
      clock: Date.now,
      probeWav,
      command: f.command,
    });
    sink.start();
    await until(() => sink.online);
    const wav = encodeWav(silence(16_000, 300));
    await sink.play(wav);
    const plays = f.plays();
    expect(plays).toHaveLength(2); // the probe, then the call
    expect(Buffer.compare(plays[0] as Buffer, Buffer.from(probeWav))).toBe(0);
    expect(Buffer.compare(plays[1] as Buffer, Buffer.from(wav))).toBe(0);
    expect(readFileSync(join(f.dir, "device-1"), "utf8").trim()).toBe("plughw:CARD=Headphones");
    expect(health.last()?.status).toBe("ok");
    await sink.stop();
  });

  it("a missing device: offline with AUDIO_OFFLINE and aplay's reason; the probe finds it back and clears it", async () => {
    const f = fake();
    f.fail(true);
    const health = recordingHealthSink();
    const sink = new AplaySink({
      id: "zone-hall",
      device: "hw:9",
      health,
      clock: Date.now,
      probeWav,
      command: f.command,
      probeMs: 50,
    });
    sink.start();
    await until(() => health.active.has("AUDIO_OFFLINE"));
    const alert = health.calls.find(
      (c): c is Extract<HealthCall, { kind: "raise" }> => c.kind === "raise" && c.code === "AUDIO_OFFLINE",
    );
    expect(alert?.message).toContain("audio open error: No such file or directory");
    expect(alert?.message).toContain("calls still go to the boards");
    await expect(sink.play(encodeWav(silence(16_000, 10)))).rejects.toThrow(/audio open error/);
    expect(sink.online).toBe(false);
    f.fail(false);
    await until(() => sink.online);
    await until(() => !health.active.has("AUDIO_OFFLINE"));
    await sink.stop();
  });

  it("aplay not installed: offline with the package to install", async () => {
    const health = recordingHealthSink();
    const sink = new AplaySink({
      id: "k",
      device: "default",
      health,
      clock: Date.now,
      probeWav,
      command: "/nonexistent/aplay",
    });
    await expect(sink.play(probeWav)).rejects.toThrow(/alsa-utils/);
    expect(health.active.has("AUDIO_OFFLINE")).toBe(true);
    await sink.stop();
    expect(existsSync("/nonexistent/aplay")).toBe(false);
  });
});
