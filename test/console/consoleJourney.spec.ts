// The supervisor's and compliance officer's journeys (shared/journeys.md) in real Chromium
// against the REAL collector and the REAL demo IdP (test/support/consoleStack.ts): nothing
// here is a stand-in. Sam signs in with password and TOTP, looks up a watermark code as
// read off a photo, reads the timeline and marks it reviewed; Valerie (a VA) is refused;
// Cora (compliance) reads the access log with Sam's steps in it; an idle session ends.
import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEFAULT_RULES_FILE } from '../../collector/rules/rulesSchema';
import { startConsoleStack, type ConsoleStack } from '../support/consoleStack';
import { typeDemoCredentials } from '../support/demoIdpLogin';
import { TestDevice } from '../unit/collector/collectorTestDevice';
import { rulesBeside } from '../unit/collector/consoleRuleEngine';
import { body } from '../unit/collector/rulesStream';
import { buildConsoleUi } from './consoleBuild';
import { expectAccessible } from './accessibility';

const TIMEZONE = 'America/Chicago';
const IDLE_SECONDS = 120;

// Each journey is several pages with axe on each, on a shared two-core machine.
test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.use({ timezoneId: TIMEZONE, locale: 'en-US', viewport: { width: 1280, height: 800 } });

let stack: ConsoleStack;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startConsoleStack({ uiDir: buildConsoleUi(), idleTimeoutSeconds: IDLE_SECONDS });
});
test.afterAll(async () => {
  await stack.close();
});

function seeded(): NonNullable<ConsoleStack['seeded']> {
  if (stack.seeded === null) throw new Error('the console stack was started without its demo sessions');
  return stack.seeded;
}

/** CSP refusals and page errors: every journey expects none. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** Opens the console signed out, follows Sign in to the IdP, types password and TOTP. */
async function signIn(browser: Browser, username: string): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ timezoneId: TIMEZONE, locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = watch(page);
  const response = await page.goto(stack.consoleUrl);
  // The page runs under the collector's strict CSP, so "no CSP refusals" below means something.
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'.*style-src 'self'|style-src 'self'.*script-src 'self'/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to the Cordon console');
  await page.getByRole('link', { name: 'Sign in' }).click();
  await typeDemoCredentials(page, username);
  return { page, problems, close: () => context.close() };
}

/** How a person reads a code off a photo: lower case, no hyphen, O for 0 and l for 1. */
const asReadOffAPhoto = (code: string) => code.toLowerCase().replace('-', '').replaceAll('0', 'o').replaceAll('1', 'l');

/** "14:05" on the viewer's clock for an instant. */
const wallClock = (ms: number) => new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIMEZONE }).format(ms);

test('a supervisor signs in with password and TOTP, looks up a photo code, reads the timeline and marks it reviewed', async ({ browser }) => {
  const sam = await signIn(browser, 'sam');
  const { page } = sam;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await expect(page.getByRole('banner')).toContainText('Sam Supervisor');
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link')).toHaveText(['Overview', 'Sessions', 'Watermark lookup', 'Alerts', 'Compliance status']);
  await expect(page.locator('figure.chart svg[role="img"]').first()).toBeVisible();
  await expectAccessible(page);

  // The sessions list by keyboard: Tab reaches today's session, Enter opens it.
  const { late } = seeded();
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Sessions' }).click();
  await expect(page.getByRole('table', { name: 'All sessions' }).locator('tbody tr')).toHaveCount(seeded().sessions.length);
  await expectAccessible(page);
  const todays = page.getByRole('link', { name: new RegExp(`session ${late.code}`) });
  await page.locator('body').focus();
  for (let i = 0; i < 60 && !(await todays.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
  await expect(todays).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Session ${late.code}`);
  // Offline for two hours, chain intact: marked as such, in words.
  await expect(page.locator('section.stretch').filter({ hasText: 'Delivered late' }).first()).toBeVisible();
  await expect(page.locator('section.stretch').filter({ hasText: 'Verified' }).first()).toBeVisible();
  await expectAccessible(page);

  // The watermark lookup, typed as read off a photo, with the time on the photo: the
  // clipboard block 37 minutes into the session.
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Watermark lookup' }).click();
  await page.getByLabel('Session code from the watermark').fill(asReadOffAPhoto(late.code));
  await page.getByLabel('Time on the photo (optional)').fill(wallClock(late.startedAt + 37 * 60_000));
  await page.getByRole('button', { name: 'Find the session' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Session ${late.code}`);
  const atMinute = page.locator('li.event.highlight');
  await expect(atMinute).toBeFocused();
  await expect(atMinute).toContainText('Clipboard use blocked');
  await expect(atMinute).toContainText(/GMT-[56]/);

  await page.getByRole('radio', { name: 'Reviewed' }).check();
  await page.getByLabel('Note').fill('Checked with Valerie: the clipboard block was a phone number she kept in the EHR.');
  await page.getByRole('button', { name: 'Save review' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved: Reviewed.');
  await page.reload();
  await expect(page.getByTestId('review-status')).toContainText('Reviewed');
  await expect(page.getByTestId('review-status')).toContainText('Checked with Valerie');
  expect(sam.problems).toEqual([]);
  await sam.close();
});

test('a VA is refused with a clear page', async ({ browser }) => {
  const valerie = await signIn(browser, 'valerie');
  await expect(valerie.page.getByRole('heading', { level: 1 })).toHaveText('This console is not for your account');
  await expect(valerie.page.locator('main')).toContainText('The console is for supervisors, compliance officers and IT admins');
  await expect(valerie.page.getByRole('link', { name: 'Sign out' })).toBeVisible();
  await expectAccessible(valerie.page);
  expect(valerie.problems).toEqual([]);
  await valerie.close();
});

test("a compliance officer reads the console's access log, with the supervisor's lookup, view and review in it", async ({ browser }) => {
  const cora = await signIn(browser, 'cora');
  const { page } = cora;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Access log' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access log');
  await expect(page.getByTestId('access-chain')).toContainText('Chain intact');
  const rows = page.getByRole('table', { name: 'Console access log' }).locator('tbody tr');
  for (const action of ['lookup-code', 'view-session', 'review-session']) {
    await expect(rows.filter({ hasText: 'Sam Supervisor' }).filter({ hasText: action }).first()).toBeVisible();
  }
  await expect(rows.filter({ hasText: 'refused' }).filter({ hasText: 'no-console-role' }).first()).toBeVisible();
  await expectAccessible(page);
  expect(cora.problems).toEqual([]);
  await cora.close();
});

test("a compliance officer prints the periodic access review: per VA, sessions, blocks, alerts and reviews, as the collector counts them", async ({ browser }) => {
  const cora = await signIn(browser, 'cora');
  const { page } = cora;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Access review' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Periodic access review');
  // The seeded sessions are from the last four days, on Cora's calendar.
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  await page.getByLabel('First day').fill(day(Date.now() - 4 * 86_400_000));
  await page.getByLabel('Last day').fill(day(Date.now()));
  await page.getByRole('button', { name: 'Show review' }).click();
  await expect(page.locator('.report-header')).toContainText('Cora Compliance [demo-cmp-0001]');
  await expect(page.locator('.report-header')).toContainText('Sunrise Family Medicine (demo)');

  // Valerie's row: every seeded session, the one Sam reviewed, the front desk's tamper alert still open.
  const valerie = (table: string) => page.getByRole('table', { name: table }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'demo-va-0001' }) }).getByRole('cell');
  await expect(valerie('Per VA: sessions, hours and blocks').first()).toHaveText(String(seeded().sessions.length));
  await expect(valerie('Per VA: alerts and reviews')).toHaveText(['1', '0', '—', '—', '1', '0', String(seeded().sessions.length - 1)]);
  // The blocks agree with the sessions list's own counters.
  const listing = await page.request.get(`${stack.collector.url}/console/api/sessions?user=demo-va-0001&limit=200`);
  const listed = ((await listing.json()) as { items: { blocks: number }[] }).items.reduce((sum, s) => sum + s.blocks, 0);
  await expect(valerie('Per VA: sessions, hours and blocks').last()).toHaveText(String(listed));
  await expectAccessible(page);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^\uFEFF"scope","va","period_from","period_to","sessions",/);
  expect(csv).toContain(`"va","demo-va-0001",`);

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Console' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(page.locator('.report-header')).toBeVisible();
  await expectAccessible(page);
  expect(cora.problems).toEqual([]);
  await cora.close();
});

test('an idle console session ends at the collector, and the page says so', async ({ browser }) => {
  const sam = await signIn(browser, 'sam');
  const { page } = sam;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  // Loaded, so no request is still in flight when the clock moves.
  await expect(page.locator('figure.chart svg[role="img"]').first()).toBeVisible();
  // The collector's clock moves past the idle timeout (no waiting in real time); the next
  // thing Sam does is refused, and the page clears and says why.
  stack.clock.travelTo(Date.now() + (IDLE_SECONDS + 5) * 1000);
  try {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Sessions' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('You were signed out');
    await expect(page.getByRole('status')).toContainText('You were signed out after 2 minutes without activity.');
    await expect(page.getByRole('table')).toHaveCount(0);
    const me = await page.request.get(`${stack.collector.url}/console/api/me`);
    expect(me.status()).toBe(401);
  } finally {
    stack.clock.travelTo(null);
  }
  expect(sam.problems).toEqual([]);
  await sam.close();
});

test('a supervisor reads a rule alert in the inbox: its name in words, the severity the rule gave, counted in its window', async ({ browser }) => {
  // Six blocked copies in a few minutes, in one of the default burst rule's 10-minute windows.
  const burst = DEFAULT_RULES_FILE.rules['blocked-burst'];
  const windowMs = burst.withinMinutes * 60_000;
  const windowStart = Math.floor(Date.now() / windowMs) * windowMs - 3 * 3_600_000;
  const copies = burst.count + 1;
  const device = new TestDevice(stack.collector.url, 'VA-LT-031 (burst)');
  await device.enrollWithCode(stack.collector);
  const session = { subject: 'demo-va-0001', session: 'BR57-0001' };
  const events = device.record(copies + 1, (i) =>
    i === 0 ? body({ type: 'sign-in.succeeded', at: new Date(windowStart).toISOString(), ...session }) : body({ type: 'clipboard.blocked', outcome: 'blocked', at: new Date(windowStart + i * 60_000).toISOString(), appId: 'ehr', ...session }),
  );
  expect((await device.sendBatch(events)).status).toBe(200);
  const rules = await rulesBeside({ kind: 'sqlite', file: stack.sqliteFile as string }, DEFAULT_RULES_FILE);
  try {
    await rules.ingested(device.deviceId, events);
  } finally {
    await rules.close();
  }

  const sam = await signIn(browser, 'sam');
  const { page } = sam;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Alerts' }).click();
  const alert = page.locator('ul.alerts > li').filter({ has: page.getByRole('heading', { name: 'Many blocked attempts in a short time' }) });
  await expect(alert).toContainText('blocked-burst');
  await expect(alert.locator('.severity')).toHaveText(burst.severity);
  await expect(alert).toContainText('VA-LT-031 (burst)');
  await expect(alert.locator('dt:text-is("Window") + dd')).toContainText(`the rule's window starting`);
  await expect(alert.locator('dt:text-is("Window") + dd')).toContainText(wallClock(windowStart));
  // Every copy from the threshold on is a finding, all folded into this one alert.
  await expect(alert.locator('dt:text-is("Counted") + dd')).toHaveText(`${copies - burst.count + 1} times`);
  await expectAccessible(page);
  expect(sam.problems).toEqual([]);
  await sam.close();
});
