// ESLint rule that enforces Cordon's folder layering (see README "Architecture").
// Every import is classified (our folder, Node built-in, electron, npm package) and
// checked against what the importing file's layer may use. npm packages must be
// classified in PACKAGE_ENVIRONMENTS, so a new dependency in shared code is a decision.
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { Rule } from 'eslint';

export type Layer = 'common' | 'main' | 'preload' | 'renderer' | 'collector' | 'console';
/** Where an npm package may run: everywhere, only under Node, or only in a DOM page. */
export type PackageEnvironment = 'anywhere' | 'node' | 'dom';

/** Which of our own folders each layer may import. demo/, test/, build/ are unrestricted. */
const ALLOWED_FOLDERS: Record<Layer, readonly string[]> = {
  common: ['common'],
  main: ['main', 'common'],
  preload: ['preload', 'common'],
  renderer: ['renderer', 'common'],
  collector: ['collector', 'common'],
  // The collector's web console runs in a browser tab: it shares only the contract in common/.
  console: ['console', 'common'],
};
const OUR_FOLDERS = ['main', 'preload', 'renderer', 'common', 'collector', 'console', 'demo', 'build', 'test'];

const ALLOWED_PACKAGES: Record<Layer, readonly PackageEnvironment[]> = {
  common: ['anywhere'],
  main: ['anywhere', 'node'],
  collector: ['anywhere', 'node'],
  // A sandboxed preload cannot load npm packages at run time; whatever it imports is
  // bundled, so only environment-neutral packages make sense.
  preload: ['anywhere'],
  renderer: ['anywhere', 'dom'],
  console: ['anywhere', 'dom'],
};

/** Layers that may import Node built-ins and `electron`. */
const NODE_LAYERS: readonly Layer[] = ['main', 'collector'];
const ELECTRON_LAYERS: readonly Layer[] = ['main', 'preload'];

export const PACKAGE_ENVIRONMENTS: Record<string, PackageEnvironment> = {
  zod: 'anywhere',
  react: 'dom',
  'react-dom': 'dom',
  '@tanstack/react-query': 'dom',
  '@observablehq/plot': 'dom',
  'openid-client': 'node',
  // macOS managed preferences in XML (main/policy); binary ones are read by main/policy/binaryPlist.
  plist: 'node',
  'electron-updater': 'node',
  'better-sqlite3-multiple-ciphers': 'node',
  fastify: 'node',
  '@fastify/rate-limit': 'node',
  '@fastify/cookie': 'node',
  '@fastify/helmet': 'node',
  '@fastify/static': 'node',
  kysely: 'node',
  pg: 'node',
  jose: 'node',
  yaml: 'node',
  nodemailer: 'node',
  // The collector bundles the evidence package's standalone verifier from its own source.
  esbuild: 'node',
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function packageName(source: string): string {
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? source);
}

export function layerOf(filename: string, root: string): Layer | null {
  // A build config (console/vite.config.ts) runs under Node at build time, not in the layer.
  if (/\.config\.ts$/.test(filename)) return null;
  const top = path.relative(root, filename).split(path.sep)[0];
  return top === 'common' || top === 'main' || top === 'preload' || top === 'renderer' || top === 'collector' || top === 'console'
    ? top
    : null;
}

/** Returns why `source` may not be imported from `filename`, or null when it may. */
export function layeringViolation(
  filename: string,
  source: string,
  root: string,
  packages: Record<string, PackageEnvironment> = PACKAGE_ENVIRONMENTS,
): string | null {
  const layer = layerOf(filename, root);
  if (layer === null) return null;

  if (source.startsWith('.') || path.isAbsolute(source)) {
    const target = path.resolve(path.dirname(filename), source);
    const relative = path.relative(root, target);
    const folder = relative.split(path.sep)[0] ?? '';
    if (relative.startsWith('..') || !OUR_FOLDERS.includes(folder)) {
      return `${layer}/ may not import '${source}': it resolves outside the project's layered folders`;
    }
    return ALLOWED_FOLDERS[layer].includes(folder)
      ? null
      : `${layer}/ may not import from ${folder}/ ('${source}'); allowed: ${ALLOWED_FOLDERS[layer].join(', ')}`;
  }

  if (NODE_BUILTINS.has(source) || NODE_BUILTINS.has(source.split('/')[0] ?? '')) {
    return NODE_LAYERS.includes(layer) ? null : `${layer}/ may not import the Node built-in '${source}'`;
  }

  const name = packageName(source);
  if (name === 'electron') {
    return ELECTRON_LAYERS.includes(layer) ? null : `${layer}/ may not import 'electron'`;
  }
  const environment = packages[name];
  if (environment === undefined) {
    return `${layer}/ imports '${name}', which is not classified in PACKAGE_ENVIRONMENTS (build/lint/layeringRule.ts): say whether it runs anywhere, under Node only, or in a DOM page`;
  }
  return ALLOWED_PACKAGES[layer].includes(environment)
    ? null
    : `${layer}/ may not import '${name}' (a ${environment}-only package)`;
}

export function createLayeringRule(root: string): Rule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: { description: 'Enforce Cordon folder layering (common, main, preload, renderer, collector, console)' },
      schema: [],
      messages: { violation: '{{reason}}' },
    },
    create(context) {
      const check = (node: Rule.Node, source: unknown): void => {
        if (typeof source !== 'string') return;
        const reason = layeringViolation(context.filename, source, root);
        if (reason !== null) context.report({ node, messageId: 'violation', data: { reason } });
      };
      return {
        ImportDeclaration: (node) => check(node, node.source.value),
        ExportAllDeclaration: (node) => check(node, node.source.value),
        ExportNamedDeclaration: (node) => check(node, node.source?.value),
        ImportExpression: (node) => {
          if (node.source.type === 'Literal') check(node, node.source.value);
          else if (layerOf(context.filename, root) !== null) {
            context.report({ node, messageId: 'violation', data: { reason: 'a dynamic import with a computed specifier cannot be checked for layering' } });
          }
        },
        CallExpression: (node) => {
          if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
            const [arg] = node.arguments;
            if (arg?.type === 'Literal') check(node, arg.value);
          }
        },
      };
    },
  };
}
