// Clipboard conformance, per policy mode, on the Chromium host: what a hosted page copies
// never reaches the OS clipboard (read back from an outside page standing for the VA's
// personal app), paste follows the mode, dragging out is refused, and every refusal is
// audited. Same line format as the hostile-page suite:
// `CONFORMANCE <scenario-id> chromium <PASS|FAIL> <blocked|allowed> <audited|unaudited>`.
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { AuditEventInput } from '../../common/audit/auditSink';
import { hostedAppRules, type ClipboardMode } from '../../common/hosting/hostedAppRules';
import { policyV1Schema } from '../../common/policy/policySchema';
import { RecordingAuditSink } from '../support/electronFakes';
import { validPolicy } from '../support/policyFixtures';
import { startChromiumHost } from './chromiumHost';
import { startHostileServers, type HostileServers } from './hostileServers';

const OS_MARKER = 'OUTSIDE-MARKER';

let servers: HostileServers;
test.beforeAll(async () => {
  servers = await startHostileServers();
});
test.afterAll(async () => {
  await servers.close();
});

interface Apps {
  ehr: Page;
  messages: Page;
  audit: RecordingAuditSink;
  /** The OS clipboard as an app outside Cordon sees it. */
  osClipboard(): Promise<string>;
}

async function withApps(browser: Browser, mode: ClipboardMode, run: (apps: Apps) => Promise<void>, guard = true): Promise<void> {
  const policy = policyV1Schema.parse({
    ...validPolicy(),
    environment: 'demo',
    clipboard: { mode },
    apps: [
      { id: 'ehr', name: 'EHR', startUrl: `${servers.appOrigin}/clipboard`, navigationOrigins: [servers.appOrigin] },
      { id: 'messages', name: 'Messages', startUrl: `${servers.appOrigin}/clipboard`, navigationOrigins: [servers.appOrigin] },
    ],
  });
  const audit = new RecordingAuditSink();
  const host = await startChromiumHost(browser, new Map(policy.apps.map((app, i) => [i + 1, hostedAppRules(policy, app)])), audit, { scope: 'page', guard });
  const outside = await browser.newContext();
  await outside.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: servers.evilOrigin });
  try {
    const personal = await outside.newPage();
    await personal.goto(servers.evilOrigin);
    // Headed Chromium can hang on clipboard reads: always bound the wait.
    const osClipboard = () => personal.evaluate(() => Promise.race([navigator.clipboard.readText(), new Promise<string>((resolve) => setTimeout(() => resolve('TIMEOUT'), 2_000))]));
    await personal.evaluate((marker) => navigator.clipboard.writeText(marker), OS_MARKER);
    const ehr = await host.openApp(1);
    const messages = await host.openApp(2);
    for (const page of [ehr, messages]) await page.goto(`${servers.appOrigin}/clipboard`);
    await run({ ehr, messages, audit, osClipboard });
  } finally {
    await outside.close();
    await host.close();
  }
}

async function selectPhone(page: Page): Promise<void> {
  await page.evaluate(() => {
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('phone') as HTMLElement);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
  });
}

const blockedFor = (reason: string) => (e: AuditEventInput) => e.type === 'clipboard.blocked' && e.appId === 'ehr' && e.reason === reason;

interface ClipboardScenario {
  id: string;
  mode: ClipboardMode;
  /** What the policy requires of this attempt. */
  expect: 'blocked' | 'allowed';
  attempt(apps: Apps): Promise<void>;
  /** Whether the attempt ended as blocked, by what can be observed outside the guard. */
  blocked(apps: Apps): Promise<boolean>;
  audited?: (e: AuditEventInput) => boolean;
}

const PHONE_LINE = 'Phone 555-0100 for synthetic patient SYN-0001';

async function pasteIntoNote(page: Page): Promise<void> {
  await page.focus('#note');
  await page.keyboard.press('Control+V');
}

/** Pastes into the messaging app's note and waits (bounded) for `text` to arrive. */
async function pastedIntoMessages({ messages }: Apps, text: string): Promise<boolean> {
  await pasteIntoNote(messages);
  return expect.poll(() => messages.inputValue('#note')).toBe(text).then(() => true, () => false);
}

const copyPhoneWithShortcut = async ({ ehr }: Apps) => {
  await selectPhone(ehr);
  await ehr.keyboard.press('Control+C');
};
const osUnchanged = async ({ osClipboard }: Apps) => (await osClipboard()) === OS_MARKER;
const noteOf = (page: Page) => page.inputValue('#note');
const noteStaysEmpty = async ({ ehr }: Apps) => (await noteOf(ehr)) === '';

const SCENARIOS: ClipboardScenario[] = [
  {
    id: 'clipboard-copy-shortcut',
    mode: 'blocked',
    expect: 'blocked',
    attempt: copyPhoneWithShortcut,
    blocked: osUnchanged,
    audited: blockedFor('copy'),
  },
  {
    id: 'clipboard-cut-shortcut',
    mode: 'blocked',
    expect: 'blocked',
    attempt: async ({ ehr }) => {
      await ehr.fill('#note', 'SYN-0001 note');
      await ehr.focus('#note');
      await ehr.keyboard.press('Control+A');
      await ehr.keyboard.press('Control+X');
    },
    blocked: async (apps) => (await osUnchanged(apps)) && (await noteOf(apps.ehr)) === 'SYN-0001 note',
    audited: blockedFor('cut'),
  },
  {
    id: 'clipboard-copy-execcommand',
    mode: 'blocked',
    expect: 'blocked',
    attempt: async ({ ehr }) => {
      await selectPhone(ehr);
      await ehr.evaluate(() => document.execCommand('copy'));
    },
    blocked: osUnchanged,
    audited: blockedFor('copy'),
  },
  {
    id: 'clipboard-copy-page-handler',
    mode: 'workspace',
    expect: 'allowed',
    attempt: async ({ ehr }) => {
      await ehr.evaluate(() => (window as unknown as { pageCopyHandler(): void }).pageCopyHandler());
      await selectPhone(ehr);
      await ehr.keyboard.press('Control+C');
    },
    // The copy stays in the workspace; the page's own data reaches neither clipboard.
    blocked: async (apps) => !((await pastedIntoMessages(apps, PHONE_LINE)) && (await osUnchanged(apps))),
  },
  {
    id: 'clipboard-copy-api',
    mode: 'blocked',
    expect: 'blocked',
    attempt: async ({ ehr }) => {
      await ehr.evaluate(() => navigator.clipboard.writeText('SYN-0001 555-0100').catch(() => undefined));
    },
    blocked: osUnchanged,
    audited: blockedFor('clipboard-api-write'),
  },
  {
    id: 'clipboard-copy-api-workspace',
    mode: 'workspace',
    expect: 'allowed',
    attempt: async ({ ehr }) => {
      await ehr.evaluate(() => navigator.clipboard.writeText('SYN-0001 555-0100'));
    },
    // Kept in the workspace: pasteable in another app, not on the OS clipboard.
    blocked: async (apps) => !((await pastedIntoMessages(apps, 'SYN-0001 555-0100')) && (await osUnchanged(apps))),
  },
  {
    id: 'clipboard-drag-out',
    mode: 'workspace',
    expect: 'blocked',
    attempt: async ({ ehr }) => {
      await ehr.dragAndDrop('#link', '#note');
    },
    blocked: async () => !(servers.pageResults.get('clipboard') ?? []).includes('dropped'),
    audited: blockedFor('drag-out'),
  },
  {
    id: 'clipboard-paste-blocked',
    mode: 'blocked',
    expect: 'blocked',
    attempt: ({ ehr }) => pasteIntoNote(ehr),
    blocked: noteStaysEmpty,
    audited: blockedFor('paste'),
  },
  {
    id: 'clipboard-paste-workspace-from-os',
    mode: 'workspace',
    expect: 'blocked',
    attempt: ({ ehr }) => pasteIntoNote(ehr),
    blocked: noteStaysEmpty,
    audited: blockedFor('paste-from-os'),
  },
  {
    id: 'clipboard-copy-inbound-only',
    mode: 'inbound-only',
    expect: 'blocked',
    attempt: copyPhoneWithShortcut,
    blocked: osUnchanged,
    audited: blockedFor('copy'),
  },
  {
    id: 'clipboard-paste-inbound-only',
    mode: 'inbound-only',
    expect: 'allowed',
    attempt: ({ ehr }) => pasteIntoNote(ehr),
    blocked: async ({ ehr }) => !(await expect.poll(() => noteOf(ehr)).toBe(OS_MARKER).then(() => true, () => false)),
  },
  {
    id: 'clipboard-workspace-between-apps',
    mode: 'workspace',
    expect: 'allowed',
    attempt: copyPhoneWithShortcut,
    // Allowed inside Cordon, and still nothing on the OS clipboard.
    blocked: async (apps) => !((await pastedIntoMessages(apps, PHONE_LINE)) && (await osUnchanged(apps))),
  },
];

for (const scenario of SCENARIOS) {
  test(`conformance ${scenario.id} (chromium, ${scenario.mode})`, async ({ browser }) => {
    servers.pageResults.delete('clipboard');
    await withApps(browser, scenario.mode, async (apps) => {
      await scenario.attempt(apps);
      const audited = scenario.audited === undefined ? false : await expect.poll(() => apps.audit.events.some((e) => scenario.audited?.(e) === true), { timeout: 3_000 }).toBe(true).then(() => true, () => false);
      const blocked = await scenario.blocked(apps);
      // Blocked attempts must be audited; allowed ones must leave no clipboard refusal behind.
      const pass = scenario.expect === 'blocked' ? blocked && audited : !blocked && !apps.audit.events.some((e) => e.type === 'clipboard.blocked');
      console.log(`CONFORMANCE ${scenario.id} chromium ${pass ? 'PASS' : 'FAIL'} ${blocked ? 'blocked' : 'allowed'} ${audited ? 'audited' : 'unaudited'}`);
      expect(pass).toBe(true);
      // Audit events name the action, never what was copied.
      expect(JSON.stringify(apps.audit.events)).not.toMatch(/SYN-0001|555-0100|OUTSIDE-MARKER/);
    });
  });
}

test('control: without the guard, a shortcut copy does reach the OS clipboard', async ({ browser }) => {
  await withApps(
    browser,
    'blocked',
    async (apps) => {
      await copyPhoneWithShortcut(apps);
      expect(await apps.osClipboard()).toBe(PHONE_LINE);
    },
    false,
  );
});

test('the context menu: Cordon installs none in hosted views (note)', () => {
  console.log('CONFORMANCE-NOTE chromium context-menu copy and paste raise the same copy/paste events covered above; Electron shows no context menu in hosted views unless Cordon adds one, and Cordon adds none');
});
