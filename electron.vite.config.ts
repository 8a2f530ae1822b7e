import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { hostedGuardPlugin } from './build/guardBundle';
import { trustedPolicyKeyPems, type BuildMode } from './build/policyKeys';

const root = path.dirname(fileURLToPath(import.meta.url));
// Tests build into a scratch folder so they never race the app's own out/.
const outRoot = path.resolve(root, process.env.CORDON_BUILD_OUT ?? 'out');

// `--mode production` (the default of `electron-vite build`) makes a production build:
// no devtools, and only the practice's policy keys. `--mode development` (used by
// `npm start`) also trusts the demo policy key.
export default defineConfig(({ mode }) => {
  const buildMode: BuildMode = mode === 'development' ? 'development' : 'production';
  return {
    main: {
      define: {
        __CORDON_BUILD_KIND__: JSON.stringify(buildMode),
        __CORDON_POLICY_KEYS__: JSON.stringify(trustedPolicyKeyPems(root, buildMode)),
      },
      build: {
        outDir: path.join(outRoot, 'main'),
        rollupOptions: { input: { index: path.join(root, 'main/index.ts') } },
      },
    },
    preload: {
      plugins: [hostedGuardPlugin(root, path.join(outRoot, 'preload'))],
      build: {
        outDir: path.join(outRoot, 'preload'),
        // A sandboxed preload cannot load other files or packages: one CommonJS file.
        externalizeDeps: false,
        rollupOptions: {
          input: { index: path.join(root, 'preload/index.ts') },
          output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
        },
      },
    },
    renderer: {
      root: path.join(root, 'renderer'),
      plugins: [react()],
      build: {
        outDir: path.join(outRoot, 'renderer'),
        // Keep the bundle CSP-clean: no inline module preload polyfill.
        modulePreload: { polyfill: false },
        rollupOptions: { input: { index: path.join(root, 'renderer/index.html') } },
      },
    },
  };
});
