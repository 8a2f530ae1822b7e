// oidc-provider's own in-memory adapter ships without types; the demo IdP names it
// explicitly (see demoIdp.ts), so this declares the one export it uses.
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  import type { AdapterFactory } from 'oidc-provider';

  export function createMemoryAdapter(clockTolerance?: number): AdapterFactory;
}
