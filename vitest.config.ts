import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Crash and journal tests touch the disk and spawn processes: generous limits for slow machines.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
