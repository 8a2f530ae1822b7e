import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright must never download a browser here.
export const CHROMIUM_PATH = process.env.CORDON_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  testDir: 'test',
  // One tsconfig for everything the tests import: see the file for why.
  tsconfig: './tsconfig.playwright.json',
  outputDir: '.cache/playwright-results',
  fullyParallel: false,
  workers: 1,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: '.cache/reports/playwright.json' }]],
  globalSetup: './test/browser/globalSetup.ts',
  projects: [
    {
      name: 'renderer-chromium',
      testDir: 'test/browser',
      use: { browserName: 'chromium', launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } },
    },
    {
      name: 'conformance-chromium',
      testDir: 'test/conformance',
      use: { browserName: 'chromium', launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } },
    },
    {
      // The supervisors' console, served by a collector (a stand-in, and the real one with the demo IdP).
      name: 'console-chromium',
      testDir: 'test/console',
      use: { browserName: 'chromium', launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS } },
    },
    { name: 'electron-e2e', testDir: 'test/e2e' },
  ],
});
