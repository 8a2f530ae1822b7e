import path from 'node:path';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { createLayeringRule, layeringViolation } from '../../../build/lint/layeringRule';
import { REPO_ROOT } from '../../support/policyFixtures';

const file = (relative: string) => path.join(REPO_ROOT, relative);

describe('layering rule (unit)', () => {
  RuleTester.describe = describe;
  RuleTester.it = it;
  const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' } });
  const rule = createLayeringRule(REPO_ROOT);

  tester.run('cordon/layering', rule, {
    valid: [
      { filename: file('common/policy/x.ts'), code: "import { z } from 'zod'; import { a } from './y'; import { b } from '../net/origin';" },
      { filename: file('main/index.ts'), code: "import { app } from 'electron'; import fs from 'node:fs'; import { c } from '../common/ipc/contract';" },
      { filename: file('preload/index.ts'), code: "import { contextBridge } from 'electron'; import { IPC_CHANNELS } from '../common/ipc/channels';" },
      { filename: file('renderer/App.tsx'), code: "import { useState } from 'react'; import type { CordonApi } from '../common/ipc/contract';" },
      { filename: file('collector/server.ts'), code: "import http from 'node:http'; import { x } from '../common/audit/auditSink';" },
      { filename: file('test/unit/x.test.ts'), code: "import { app } from 'electron'; import '../../main/index'; import fs from 'fs';" },
      { filename: file('demo/start.ts'), code: "import '../main/policy/policyCli'; import '../renderer/App';" },
      { filename: file('console/vite.config.ts'), code: "import path from 'node:path'; import react from '@vitejs/plugin-react';" },
      {
        filename: file('console/views/Overview.tsx'),
        code: "import { useQuery } from '@tanstack/react-query'; import * as Plot from '@observablehq/plot'; import { createRoot } from 'react-dom/client'; import { CONSOLE_ROUTES } from '../../common/console/consoleApi'; import { call } from '../api/consoleClient';",
      },
    ],
    invalid: [
      { filename: file('common/a.ts'), code: "import fs from 'node:fs';", errors: [{ message: "common/ may not import the Node built-in 'node:fs'" }] },
      { filename: file('common/a.ts'), code: "import path from 'path';", errors: 1 },
      { filename: file('common/a.ts'), code: "import { app } from 'electron';", errors: [{ message: "common/ may not import 'electron'" }] },
      { filename: file('common/a.ts'), code: "import { createRoot } from 'react-dom/client';", errors: [{ message: "common/ may not import 'react-dom' (a dom-only package)" }] },
      { filename: file('common/a.ts'), code: "import { loadPolicy } from '../main/policy/policyLoader';", errors: 1 },
      { filename: file('common/a.ts'), code: "export * from '../renderer/App';", errors: 1 },
      { filename: file('common/a.ts'), code: "import leftpad from 'left-pad';", errors: [{ message: /not classified in PACKAGE_ENVIRONMENTS/ }] },
      { filename: file('common/a.ts'), code: "const m = await import(name);", errors: [{ message: /computed specifier/ }] },
      { filename: file('renderer/App.tsx'), code: "import { loadPolicy } from '../main/policy/policyLoader';", errors: [{ message: /renderer\/ may not import from main\// }] },
      { filename: file('renderer/App.tsx'), code: "import { ipcRenderer } from 'electron';", errors: 1 },
      { filename: file('renderer/App.tsx'), code: "import fs from 'node:fs';", errors: 1 },
      { filename: file('renderer/App.tsx'), code: "const fs = require('fs');", errors: 1 },
      { filename: file('renderer/App.tsx'), code: "const m = await import('node:child_process');", errors: 1 },
      { filename: file('preload/index.ts'), code: "import { x } from '../main/ipc/ipcServer';", errors: 1 },
      { filename: file('preload/index.ts'), code: "import fs from 'node:fs';", errors: 1 },
      { filename: file('preload/index.ts'), code: "import { useState } from 'react';", errors: 1 },
      { filename: file('main/index.ts'), code: "import { App } from '../renderer/App';", errors: 1 },
      { filename: file('main/index.ts'), code: "import { x } from '../collector/server';", errors: 1 },
      { filename: file('collector/server.ts'), code: "import { x } from '../main/index';", errors: 1 },
      { filename: file('common/a.ts'), code: "import x from '../../outside/thing';", errors: [{ message: /outside the project's layered folders/ }] },
      { filename: file('console/App.tsx'), code: "import { x } from '../collector/server';", errors: [{ message: /console\/ may not import from collector\// }] },
      { filename: file('console/App.tsx'), code: "import fs from 'node:fs';", errors: [{ message: "console/ may not import the Node built-in 'node:fs'" }] },
      { filename: file('console/App.tsx'), code: "import { ipcRenderer } from 'electron';", errors: [{ message: "console/ may not import 'electron'" }] },
      { filename: file('console/App.tsx'), code: "import { x } from '../main/index';", errors: 1 },
      { filename: file('console/App.tsx'), code: "import { App } from '../renderer/App';", errors: 1 },
      { filename: file('console/App.tsx'), code: "import Fastify from 'fastify';", errors: [{ message: "console/ may not import 'fastify' (a node-only package)" }] },
      { filename: file('common/a.ts'), code: "import { call } from '../console/api/consoleClient';", errors: 1 },
      { filename: file('collector/server.ts'), code: "import { App } from '../console/App';", errors: 1 },
    ],
  });
});

describe('layering rule (through the project ESLint config)', () => {
  const eslint = new ESLint({ cwd: REPO_ROOT });

  it('fails a deliberate violation: common/ importing node:fs and main/', async () => {
    const [result] = await eslint.lintText("import fs from 'node:fs';\nimport { loadPolicy } from '../main/policy/policyLoader';\nexport const x = [fs, loadPolicy];\n", {
      filePath: file('common/deliberateViolation.ts'),
    });
    const layering = result?.messages.filter((m) => m.ruleId === 'cordon/layering') ?? [];
    expect(layering.map((m) => m.line)).toEqual([1, 2]);
  });

  it('fails a renderer file importing electron', async () => {
    const [result] = await eslint.lintText("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", { filePath: file('renderer/deliberateViolation.ts') });
    expect(result?.messages.some((m) => m.ruleId === 'cordon/layering')).toBe(true);
  });

  it('fails a console file importing the collector and node:fs', async () => {
    const [result] = await eslint.lintText("import fs from 'node:fs';\nimport { x } from '../collector/server';\nexport const y = [fs, x];\n", { filePath: file('console/deliberateViolation.ts') });
    expect(result?.messages.filter((m) => m.ruleId === 'cordon/layering').map((m) => m.line)).toEqual([1, 2]);
  });

  it('passes the same code in test/, where anything may be imported', async () => {
    const [result] = await eslint.lintText("import fs from 'node:fs';\nexport const x = fs;\n", { filePath: file('test/deliberateOk.ts') });
    expect(result?.messages.filter((m) => m.ruleId === 'cordon/layering')).toEqual([]);
  });

  it('reports the reason in words', () => {
    expect(layeringViolation(file('renderer/x.ts'), 'node:child_process', REPO_ROOT)).toBe("renderer/ may not import the Node built-in 'node:child_process'");
  });
});

describe('project lint bans', () => {
  it('rejects shell.openExternal anywhere in app code', async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const [result] = await eslint.lintText("import { shell } from 'electron';\nexport const go = (url: string) => shell.openExternal(url);\n", { filePath: file('main/deliberateViolation.ts') });
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-properties');
  });
});
