import { defineConfig } from 'vite';

// The Maven build passes --outDir target/classes/META-INF/resources; `npm run dev` proxies /api, /q and the
// OIDC paths to a gateway on :8080 (log in there first, then use the dev server on :5173).
export default defineConfig({
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    // ECharts (core, line, markers, dataZoom, tooltip, legend) is ~560 kB in its own chunk, loaded only on the run page.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: {
        index: 'index.html',
        'signed-out': 'signed-out.html',
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/logout': 'http://127.0.0.1:8080',
    },
  },
});
