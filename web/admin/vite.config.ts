import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The admin SPA is served by the Go server under /admin/ from the committed
// dist/ (see web/admin.go). The build must be reproducible: CI rebuilds it
// and compares, so nothing here may depend on time or on the machine.
// GUICHET_URL: the Go server the dev server forwards to.
const backend = process.env.GUICHET_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` proxies the API and the portal CSS to a running
    // `go run ./server -dev`.
    proxy: {
      '/api': backend,
      '/static': backend,
      '/login': backend,
    },
  },
  preview: {
    proxy: {
      '/api': backend,
      '/static': backend,
      '/login': backend,
    },
  },
})
