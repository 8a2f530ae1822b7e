// The Chromium host's entry for the main-world half of the guard, bundled by esbuild like
// the isolated half: copying mainWorldGuard into the page as source text breaks whenever
// the host's own code was compiled with helpers the page lacks (tsx's keepNames adds
// `__name(...)`). The host wraps this bundle in a scope that declares `cordonMainWorld`
// (binding names, never page-visible globals). Any throw is reported to the host, which
// fails its run: a guard that did not install must never look like one that blocked.
import type { MainWorldGuardConfig } from '../../preload/guard/mainWorldGuard';
import { mainWorldGuard } from '../../preload/guard/mainWorldGuard';
import { permissionShim } from './permissionShim';

declare const cordonMainWorld: {
  config: MainWorldGuardConfig;
  bindings: { report: string; clipboard: string; permission: string; failed: string };
  resolver: string;
};

type Binding = (payload: string) => void;
const globals = window as unknown as Record<string, Binding | undefined>;
/** Takes a CDP binding out of the page's reach and keeps it for the guard. */
const take = (name: string): Binding => {
  const binding = globals[name];
  Reflect.deleteProperty(globals, name);
  if (binding === undefined) throw new Error(`binding ${name} is missing`);
  return binding;
};

const failed = take(cordonMainWorld.bindings.failed);
try {
  const report = take(cordonMainWorld.bindings.report);
  const toWorkspace = take(cordonMainWorld.bindings.clipboard);
  const ask = take(cordonMainWorld.bindings.permission);
  const pending = new Map<number, (granted: boolean) => void>();
  let next = 0;
  Object.defineProperty(window, cordonMainWorld.resolver, {
    value: (id: number, granted: boolean) => {
      pending.get(id)?.(granted);
      pending.delete(id);
    },
  });
  if (mainWorldGuard(cordonMainWorld.config, (r) => report(JSON.stringify(r)), (text) => toWorkspace(text)) !== true) throw new Error('the main-world guard did not finish');
  permissionShim(
    (permission, mediaTypes) =>
      new Promise((resolve) => {
        next += 1;
        pending.set(next, resolve);
        ask(JSON.stringify({ id: next, permission, mediaTypes, url: location.href }));
      }),
  );
} catch (error) {
  failed(`main world: ${error instanceof Error ? error.message : String(error)}`);
}
