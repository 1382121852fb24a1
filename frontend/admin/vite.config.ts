import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The API the dev server forwards to; OMS_DEV_API_URL picks another port or host.
const api = process.env.OMS_DEV_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  base: "/admin/",
  plugins: [react()],
  server: {
    port: 5174,
    strictPort: true,
    proxy: {
      "/api": { target: api, changeOrigin: false },
      "/.well-known": { target: api },
      "/health": { target: api },
    },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    rollupOptions: {
      output: {
        manualChunks: {
          react: ["react", "react-dom", "react-router"],
          mantine: ["@mantine/core", "@mantine/hooks", "@mantine/notifications"],
          charts: ["@mantine/charts", "recharts"],
        },
      },
    },
  },
  test: {
    name: "admin",
    environment: "jsdom",
    setupFiles: ["../shared/src/test/setup.ts"],
    // Its ES modules import `dayjs/plugin/...` without an extension, which only a bundler
    // resolves: let Vite transform it for the tests too.
    server: { deps: { inline: ["@rjsf/mantine"] } },
  },
});
