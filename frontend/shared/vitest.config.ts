import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "shared",
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
  },
});
