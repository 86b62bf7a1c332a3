import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Crash and journal tests touch the disk and spawn processes: generous limits for slow machines.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for a page or a broker to catch up: 1 s (the default) is too short on a
    // slow, busy machine. A poll that passes returns at once; only a real failure waits this long.
    expect: { poll: { timeout: 20_000 } },
  },
});
