// Constants electron-vite injects into main at build time (see electron.vite.config.ts).
declare const __CORDON_BUILD_KIND__: 'production' | 'development';
/** PEM public keys this build trusts to sign policies. */
declare const __CORDON_POLICY_KEYS__: readonly string[];
