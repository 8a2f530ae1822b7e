// Builds the console's browser UI, which the collector serves at /console/ under a strict
// CSP (script-src 'self', style-src 'self'): no inline script, no module preload polyfill.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const consoleRoot = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(consoleRoot, '..');

export default defineConfig({
  root: consoleRoot,
  base: '/console/',
  plugins: [react()],
  build: {
    // Tests build into a scratch folder so they never race the collector's own out/.
    outDir: path.resolve(repoRoot, process.env.CORDON_CONSOLE_OUT ?? 'out/console'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
  },
});
