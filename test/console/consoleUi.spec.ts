// The console's browser UI in real Chromium (Debian), built for production and served with
// the collector's CSP by a STAND-IN for the collector (standInCollector.ts) that answers the
// contract's routes from fixtures. Every view, keyboard use, timezones, chain marks, roles,
// the signed-out and refused screens, CSRF on every POST, and axe-core on each screen.
// consoleJourney.spec.ts walks the same journeys against the real collector and demo IdP.
import { expect, test, type Page } from '@playwright/test';
import { CONSOLE_AUTH_PATHS, CSRF_HEADER } from '../../common/console/consoleApi';
import { REPO_ROOT } from './consoleBuild';
import { DEVICE_A, IDLE_SECONDS, MAIN_CODE, meFor, PHOTO_EVENT_SEQ, SHARED_CODE, ZERO_CODE } from './consoleFixtures';
import { freshState, useStandInCollector } from './standInCollector';
import { expectAccessible } from './accessibility';

test.use({ timezoneId: 'America/Chicago', locale: 'en-US', viewport: { width: 1280, height: 800 } });
// Keyboard walks of a 50-row page and axe on each view, on a shared two-core machine.
test.describe.configure({ timeout: 90_000 });

const collector = useStandInCollector();
const { as } = collector;
const refusedWith = (status: 401 | 403, error: string, message: string) => collector.reset(freshState({ status, body: { error, message } }));

/** CSP refusals and page errors seen since the page opened: each test expects none. */
let problems: string[] = [];
async function open(page: Page, path: string): Promise<void> {
  problems = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(`${collector.origin}${path}`);
}

/** axe-core: no violation of impact moderate, serious or critical. */
/** One <main>, one <h1>, the landmarks and the skip link: every signed-in view. */
async function expectFrame(page: Page, heading: string | RegExp): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  await expect(page.locator('main')).toHaveCount(1);
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Console' })).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Skip to content' })).toHaveAttribute('href', '#main');
}

const nav = (page: Page) => page.getByRole('navigation', { name: 'Console' }).getByRole('link');
const posts = () => collector.state.requests.filter((r) => r.method === 'POST');
const screenshots = process.env.CORDON_UPDATE_SCREENSHOTS === '1';

/** Presses Tab until `target` has focus; bounded, and fails naming where focus went. */
async function tabTo(page: Page, target: ReturnType<Page['getByRole']>, most = 120): Promise<void> {
  for (let i = 0; i < most; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`${most} presses of Tab did not reach the target; focus is on ${at}`);
}

test('the CSP watch is live: an inline <style> is refused and reported', async ({ page }) => {
  as('supervisor');
  await open(page, '/console/lookup');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Watermark lookup');
  await page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'body { color: red }' })));
  await expect.poll(() => problems.join('\n'), { timeout: 5_000 }).toContain('Content Security Policy');
});

test('supervisor: overview charts with the same numbers as text, only the views their roles may call', async ({ page }) => {
  as('supervisor');
  await open(page, '/console/');
  await expectFrame(page, 'Overview');
  await expect(nav(page)).toHaveText(['Overview', 'Sessions', 'Watermark lookup', 'Alerts', 'Compliance status']);
  await expect(page.getByRole('banner')).toContainText('Sam Supervisor');
  await expect(page.getByRole('banner')).toContainText('supervisor');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

  const charts = page.locator('figure.chart svg[role="img"]');
  await expect(charts).toHaveCount(3);
  // Plot's own <style> would be refused by the CSP: none reaches the page.
  await expect(page.locator('figure.chart style')).toHaveCount(0);
  for (const [name, text] of [
    ['Sessions per day', /2027-02-26\s*5/],
    ['Blocks per day', /2027-02-26\s*9/],
    ['Alerts by kind', /Many blocked attempts in a short time\s*4.*History edited\s*1/],
  ] as const) {
    const chart = page.getByRole('img', { name });
    await expect(chart).toBeVisible();
    const describedBy = await chart.getAttribute('aria-describedby');
    expect(describedBy).not.toBeNull();
    await expect(page.locator(`[id="${describedBy}"] table`)).toContainText(text);
  }
  await expect(page.getByRole('region', { name: 'Devices not heard from' })).toContainText('VAL-SPARE');
  await expect(page.getByRole('region', { name: 'Devices not heard from' })).toContainText('last synced Feb 26, 2027, 15:00 GMT-6');
  await expectAccessible(page);
  expect(problems).toEqual([]);
});

test('sessions: a real table, filters sent as instants, and keyboard-only paging to a session', async ({ page }) => {
  as('supervisor');
  await open(page, '/console/sessions');
  await expectFrame(page, 'Sessions');
  const table = page.getByRole('table', { name: 'All sessions' });
  await expect(table.locator('thead th[scope="col"]')).toHaveText(['User', 'Device', 'Start', 'End', 'Apps', 'Blocks', 'Locks', 'Open alerts', 'Review']);
  await expect(table.locator('tbody tr')).toHaveCount(50);
  const first = table.locator('tbody tr').first();
  await expect(first).toContainText('valerie');
  await expect(first).toContainText(MAIN_CODE);
  await expect(first).toContainText('Mar 1, 2027, 09:00 GMT-6');
  await expect(first).toContainText('Sunrise EHR, Front Desk Messages');
  await expect(first).toContainText('Not reviewed');
  await expectAccessible(page);

  // Keyboard only: from the top of the page, Tab reaches "Next page"; Enter opens page 2.
  await page.locator('body').focus();
  await tabTo(page, page.getByRole('button', { name: 'Next page' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table', { name: 'All sessions, a later page' }).locator('tbody tr')).toHaveCount(10);
  expect(collector.state.requests.filter((r) => r.route === 'sessions').at(-1)?.query.cursor).toBeTruthy();
  await tabTo(page, page.getByRole('button', { name: 'First page' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table', { name: 'All sessions' }).locator('tbody tr')).toHaveCount(50);
  const sessionLink = page.getByRole('link', { name: new RegExp(`session ${MAIN_CODE}`) });
  await tabTo(page, sessionLink);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Session ${MAIN_CODE}`);
  await expect(page).toHaveURL(`${collector.origin}/console/sessions/${DEVICE_A}/${MAIN_CODE}`);
  // Focus moved to the new page's heading, so a screen reader announces it.
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await page.goBack();
  await expect(page.getByRole('table', { name: 'All sessions' })).toBeVisible();

  // The viewer types Chicago wall-clock times; the collector receives UTC instants.
  await page.getByLabel('User', { exact: true }).fill('valerie');
  await page.getByLabel('From', { exact: true }).fill('2027-02-27T06:00');
  await page.getByLabel('To', { exact: true }).fill('2027-03-01T23:00');
  await page.getByLabel('Not reviewed').check();
  await page.getByRole('button', { name: 'Show sessions' }).click();
  const filtered = page.getByRole('table', { name: 'Sessions matching the filter' });
  await expect(filtered.locator('tbody tr')).toHaveCount(2);
  const query = collector.state.requests.filter((r) => r.route === 'sessions').at(-1)?.query;
  expect(query).toEqual({ user: 'valerie', from: '2027-02-27T12:00:00.000Z', to: '2027-03-02T05:00:00.000Z', notReviewed: 'true' });
  // The filter is in the address: a reload shows the same list, with the form filled in.
  await page.reload();
  await expect(page.getByRole('table', { name: 'Sessions matching the filter' }).locator('tbody tr')).toHaveCount(2);
  await expect(page.getByLabel('From', { exact: true })).toHaveValue('2027-02-27T06:00');
  await expect(page.getByLabel('Not reviewed')).toBeChecked();
  if (screenshots) {
    await page.goto(`${collector.origin}/console/sessions`);
    await expect(page.getByRole('table', { name: 'All sessions' }).locator('tbody tr')).toHaveCount(50);
    await page.screenshot({ path: `${REPO_ROOT}/docs/images/console-sessions.png` });
  }
  expect(problems).toEqual([]);
});

test('timeline: viewer-timezone times with the offset, all four chain marks in words, review with CSRF', async ({ page }) => {
  as('supervisor');
  await open(page, `/console/sessions/${DEVICE_A}/${MAIN_CODE}`);
  await expectFrame(page, `Session ${MAIN_CODE}`);
  await expect(page.getByRole('region', { name: 'Session', exact: true })).toContainText('Mar 1, 2027, 09:00 GMT-6');

  const events = page.locator('.timeline li.event');
  await expect(events).toHaveCount(13);
  await expect(events.first()).toContainText('09:02:14 GMT-6');
  await expect(events.first()).toContainText('Sign-in');
  await expect(page.locator('#event-3')).toContainText('Clipboard use blocked');
  await expect(page.locator('#event-3')).toContainText('https://ehr.sunrise.example');

  // Each stretch: its mark in words, and the collector's explanation.
  const stretches = page.locator('.timeline section.stretch');
  await expect(stretches).toHaveCount(4);
  const expected = [
    ['Verified', 'every link and signature checks'],
    ['Delivered late', 'offline for about 2 hours'],
    ['Gap', 'Events 11 and 12 never reached the collector'],
    ['Tampered', 'the stored history was changed on the device'],
  ];
  for (const [i, [label, explanation]] of expected.entries()) {
    const stretch = stretches.nth(i);
    await expect(stretch.getByRole('heading', { level: 3 })).toContainText(label ?? '');
    await expect(stretch.getByRole('heading', { level: 3 })).toBeVisible();
    await expect(stretch).toContainText(explanation ?? '');
  }
  // The worst state is said once at the top, in words.
  await expect(page.getByTestId('chain-summary')).toContainText('Tampered');
  await expect(page.getByTestId('chain-summary')).toContainText('something was changed or removed');
  if (screenshots) {
    // From the chain summary down: the stretches and their marks are what the picture is for.
    await page.getByTestId('chain-summary').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${REPO_ROOT}/docs/images/console-timeline.png` });
  }
  await expectAccessible(page);

  // Review, by keyboard: the form is reachable and submits; the POST carries the CSRF token.
  await page.locator('body').focus();
  await tabTo(page, page.getByRole('radio', { name: 'Reviewed' }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Flagged for follow-up' })).toBeChecked();
  await page.keyboard.press('Tab');
  await page.keyboard.type('Tampering alert: asked IT to check the laptop.');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Save review' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toHaveText('Saved: Flagged.');
  await expect(page.getByTestId('review-status')).toContainText('Flagged');
  await expect(page.getByTestId('review-status')).toContainText('asked IT to check the laptop');
  const review = posts().at(-1);
  expect(review?.route).toBe('review');
  expect(review?.headers[CSRF_HEADER]).toBe(meFor([]).csrfToken);
  expect(review?.headers['content-type']).toBe('application/json');
  expect(review?.body).toEqual({ status: 'flagged', note: 'Tampering alert: asked IT to check the laptop.' });
  expect(problems).toEqual([]);
});

test('timeline deep link with ?at= survives a reload: the nearest event is highlighted and focused', async ({ page }) => {
  as('supervisor');
  // 10:31 in Chicago; the download block was recorded at 10:31:10.
  await open(page, `/console/sessions/${DEVICE_A}/${MAIN_CODE}?at=${encodeURIComponent('2027-03-01T16:31:00.000Z')}`);
  const target = page.locator(`#event-${PHOTO_EVENT_SEQ}`);
  await expect(target).toBeFocused();
  await expect(target).toHaveAttribute('aria-current', 'true');
  await expect(target).toContainText('10:31:10 GMT-6');
  await expect(target).toBeInViewport();
  await expect(page.getByRole('status').filter({ hasText: 'nearest' })).toContainText('Mar 1, 2027, 10:31 GMT-6');
  await page.reload();
  await expect(page.locator(`#event-${PHOTO_EVENT_SEQ}`)).toBeFocused();
  await expectAccessible(page);
  expect(problems).toEqual([]);
});

test('watermark lookup: a code read off a photo, in lower case, without hyphen, O for 0, lands on that minute', async ({ page }) => {
  as('supervisor');
  await open(page, '/console/lookup');
  await expectFrame(page, 'Watermark lookup');
  await expectAccessible(page);
  await page.getByLabel('Session code from the watermark').fill('b7oq4m2x');
  await page.getByLabel('Time on the photo (optional)').fill('08:20');
  await page.getByRole('button', { name: 'Find the session' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Session ${ZERO_CODE}`);
  expect(collector.state.requests.find((r) => r.route === 'lookup')?.query).toEqual({ code: 'b7oq4m2x' });
  // Nora's session started 08:10 Chicago on Feb 28; 08:20 names 14:20 UTC that day.
  expect(new URL(page.url()).searchParams.get('at')).toBe('2027-02-28T14:20:00.000Z');
  await expect(page.locator('.event.highlight')).toBeFocused();

  await page.goto(`${collector.origin}/console/lookup`);
  await page.getByLabel('Session code from the watermark').fill(SHARED_CODE.toLowerCase());
  await page.getByRole('button', { name: 'Find the session' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('2 sessions carry this code');
  await expect(page.getByRole('link', { name: /valerie on VAL-SPARE/ })).toBeVisible();

  await page.getByLabel('Session code from the watermark').fill('7K2M-QX4');
  await page.getByRole('button', { name: 'Find the session' }).click();
  await expect(page.getByRole('alert')).toHaveText('a session code has 8 letters and digits (like 7K2M-QX4P); this has 7');
  await page.getByLabel('Session code from the watermark').fill('ZZZZ-ZZZZ');
  await page.getByRole('button', { name: 'Find the session' }).click();
  await expect(page.getByRole('alert')).toHaveText('No session with the code ZZZZ-ZZZZ has reached this collector.');
  expect(problems).toEqual([]);
});

test('alerts: severity, device, user, time; acknowledge and resolve with a note, each POST with CSRF', async ({ page }) => {
  as('supervisor');
  await open(page, '/console/alerts');
  await expectFrame(page, 'Alerts');
  const items = page.locator('ul.alerts > li');
  await expect(items).toHaveCount(2);
  // Chain alert kinds and rule ids get a name people read, with the machine's name beside it.
  const tampered = items.filter({ has: page.getByRole('heading', { name: 'History edited' }) });
  await expect(tampered).toContainText('edit');
  await expect(tampered).toContainText('critical');
  await expect(tampered).toContainText('VAL-LAPTOP-01');
  await expect(tampered).toContainText('valerie');
  await expect(tampered).toContainText('Mar 1, 2027, 15:31 GMT-6');
  // Where it came from and how often: an attack on a device reads differently from a device at fault.
  await expect(tampered.locator('dt:text-is("From") + dd')).toHaveText('203.0.113.7');
  await expect(tampered.locator('dt:text-is("Counted") + dd')).toHaveText('3 times, last Mar 1, 2027, 15:38 GMT-6');
  // A rule alert: the rule's severity as stored, its findings counted in its window (no request address).
  const burst = items.filter({ has: page.getByRole('heading', { name: 'Many blocked attempts in a short time' }) });
  await expect(burst).toContainText('blocked-burst');
  await expect(burst.locator('.severity')).toHaveText('high');
  await expect(burst.locator('dt:text-is("Window") + dd')).toHaveText("the rule's window starting Feb 28, 2027, 10:00 GMT-6");
  await expect(burst.locator('dt:text-is("Counted") + dd')).toHaveText('5 times, last Feb 28, 2027, 10:07 GMT-6');
  await expect(burst.locator('dt:text-is("From")')).toHaveCount(0);
  await expectAccessible(page);

  await tampered.getByLabel('Note').fill('Looking into it with IT.');
  await tampered.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'History edited' })).toHaveText('History edited on VAL-LAPTOP-01: acknowledged.');
  expect(posts().at(-1)).toMatchObject({ route: 'handleAlert', path: '/console/api/alerts/31', body: { status: 'acknowledged', note: 'Looking into it with IT.' } });
  expect(posts().at(-1)?.headers[CSRF_HEADER]).toBe(meFor([]).csrfToken);
  await expect(items).toHaveCount(1);

  await page.getByLabel('Show').selectOption('acknowledged');
  await expect(page).toHaveURL(/status=acknowledged/);
  await expect(items).toHaveCount(2);
  const silent = items.filter({ has: page.getByRole('heading', { name: 'Device stopped syncing during a session' }) });
  await expect(silent).toContainText('Laptop is in the office drawer.');
  await expect(silent.locator('dt:text-is("Window") + dd')).toHaveText('silent since Feb 26, 2027, 15:00 GMT-6');
  await expect(silent.locator('dt:text-is("Counted")')).toHaveCount(0);
  await silent.getByLabel('Note').fill('Returned to IT.');
  await silent.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Device stopped syncing' })).toHaveText('Device stopped syncing during a session on VAL-SPARE: resolved.');
  expect(posts().at(-1)).toMatchObject({ route: 'handleAlert', body: { status: 'resolved', note: 'Returned to IT.' } });
  expect(posts().every((p) => p.headers[CSRF_HEADER] === meFor([]).csrfToken)).toBe(true);

  // A day window is the practice's date: Chicago's evening before does not move it.
  await page.getByLabel('Show').selectOption('resolved');
  const offHours = items.filter({ has: page.getByRole('heading', { name: 'Sign-in outside working hours' }) });
  await expect(offHours.locator('dt:text-is("Window") + dd')).toHaveText("the practice's day Thu, Feb 25, 2027");
  expect(problems).toEqual([]);
});

test('admin: Devices, not Sessions; posture and revoked devices; an enrollment code shown once, asked for with CSRF', async ({ page }) => {
  as('admin');
  await open(page, '/console/');
  await expect(page).toHaveURL(`${collector.origin}/console/devices`);
  await expectFrame(page, 'Devices');
  await expect(nav(page)).toHaveText(['Devices', 'Access', 'Retention']);
  const table = page.getByRole('table', { name: 'Enrolled devices' });
  await expect(table.locator('tbody tr')).toHaveCount(3);
  // The chain flag counts chain alerts only; the open alerts column counts rule alerts too.
  await expect(table.locator('tbody tr').first()).toContainText('1 chain alert');
  await expect(table.locator('tbody tr').first().locator('td.num').last()).toHaveText('2');
  await expect(table.locator('tbody tr').nth(1)).toContainText('Intact');
  await expect(table.locator('tbody tr').nth(1).locator('td.num').last()).toHaveText('1');
  await expect(table.locator('tbody tr').nth(2)).toContainText('unknown');
  // Each check's latest result in words and a mark, unknown never as a pass; a device that reported none says so.
  await expect(table.locator('tbody tr').first().getByRole('listitem')).toHaveText([
    '✓ Disk encryption: Pass required, Mar 1, 2027, 08:02 GMT-6',
    '✕ Screen lock: Fail required, Mar 1, 2027, 09:10 GMT-6',
    '? Firewall: Unknown recommended, Mar 1, 2027, 08:02 GMT-6',
  ]);
  await expect(table.locator('tbody tr').nth(1)).toContainText('not reported');
  // The revoked spare laptop says since when and where to reinstate it; the others offer Revoke.
  await expect(table.locator('tbody tr').nth(2)).toContainText('Revoked since Feb 27, 2027, 09:00 GMT-6');
  await expect(table.getByRole('link', { name: 'Revoke VAL-LAPTOP-01' })).toHaveAttribute('href', `/console/access?device=${DEVICE_A}`);
  await expect(table.getByRole('link', { name: /^Revoke / })).toHaveCount(2);
  await expect(table.getByRole('link', { name: 'Reinstate VAL-SPARE on the Access page' })).toHaveAttribute('href', '/console/access');
  await page.getByRole('button', { name: 'Issue enrollment code' }).click();
  await expect(page.getByRole('status')).toContainText('ENR-4KQ9-TX2M');
  await expect(page.getByRole('status')).toContainText('It is shown only now');
  expect(posts().at(-1)).toMatchObject({ route: 'issueCode', body: {} });
  expect(posts().at(-1)?.headers[CSRF_HEADER]).toBe(meFor([]).csrfToken);
  await expectAccessible(page);

  // A deep link to a view the role may not call asks the collector nothing.
  const before = collector.state.requests.length;
  await page.goto(`${collector.origin}/console/sessions`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not available to your roles');
  expect(collector.state.requests.slice(before).map((r) => r.route)).toEqual(['me']);
  expect(problems).toEqual([]);
});

test('compliance: the access log with its chain status, intact and broken', async ({ page }) => {
  as('compliance');
  await open(page, '/console/access-log');
  await expectFrame(page, 'Access log');
  await expect(nav(page)).toHaveText(['Overview', 'Sessions', 'Watermark lookup', 'Alerts', 'Compliance status', 'Access log', 'Access review', 'Retention']);
  await expect(page.getByTestId('access-chain')).toContainText('Chain intact');
  await expect(page.getByTestId('access-chain')).toContainText('All 7 entries verify');
  const rows = page.getByRole('table', { name: 'Console access log' }).locator('tbody tr');
  await expect(rows).toHaveCount(7);
  await expect(rows.filter({ hasText: 'review-session' })).toContainText('sam');
  await expect(rows.filter({ hasText: 'refused' })).toContainText('valerie');
  await expectAccessible(page);

  collector.state.accessChain = { intact: false, problem: 'Entry 5 does not match the hash in entry 6.' };
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('Chain broken');
  await expect(page.getByRole('alert')).toContainText('Entry 5 does not match the hash in entry 6.');
  await expectAccessible(page);
  expect(problems).toEqual([]);
});

test('signed out: the sign-in screen is a full-page link to the collector, and remembers the deep link', async ({ page }) => {
  refusedWith(401, 'signed-out', 'Sign in to use the console.');
  const deepLink = `/console/sessions/${DEVICE_A}/${MAIN_CODE}?at=2027-03-01T16%3A31%3A00.000Z`;
  await open(page, deepLink);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to the Cordon console');
  await expect(page.locator('main')).toHaveCount(1);
  const signIn = page.getByRole('link', { name: 'Sign in' });
  await expect(signIn).toHaveAttribute('href', CONSOLE_AUTH_PATHS.signIn);
  await expectAccessible(page);
  // Following it leaves the page (the collector redirects to the IdP); the stand-in has no IdP.
  await signIn.click();
  await expect(page).toHaveURL(`${collector.origin}${CONSOLE_AUTH_PATHS.signIn}`);
  // The stand-in serves the page there too (the real collector redirects to the IdP): let its
  // own /me be refused before the person counts as signed in, or that page would take the
  // remembered link first.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to the Cordon console');
  // Back from the IdP, signed in, at /console/: the console opens the page that was asked for.
  as('supervisor');
  await page.goto(`${collector.origin}/console/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Session ${MAIN_CODE}`);
  await expect(page).toHaveURL(`${collector.origin}${deepLink}`);
  expect(problems).toEqual([]);
});

test('session expired at the collector, mid-use: the data goes and the screen says why', async ({ page }) => {
  as('supervisor');
  await open(page, '/console/sessions');
  await expect(page.getByRole('table', { name: 'All sessions' }).locator('tbody tr')).toHaveCount(50);
  collector.state.forced.set('timeline', { status: 401, body: { error: 'session-expired', message: 'Your console session ended after 15 minutes without activity.' } });
  await page.getByRole('link', { name: new RegExp(`session ${MAIN_CODE}`) }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You were signed out');
  await expect(page.getByRole('status')).toContainText('You were signed out after 15 minutes without activity.');
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Sign in again' })).toHaveAttribute('href', CONSOLE_AUTH_PATHS.signIn);
  await expectAccessible(page);

  // On a fresh load, with no session to ask about, the collector's own words.
  refusedWith(401, 'session-expired', 'Your console session ended after 15 minutes without activity.');
  await page.reload();
  await expect(page.getByRole('status')).toHaveText(/Your console session ended after 15 minutes without activity\./);
  expect(problems).toEqual([]);
});

test('automatic logoff on the page: after the idle timeout without input, nothing stays on screen', async ({ page }) => {
  as('supervisor');
  await page.clock.install({ time: Date.parse('2027-03-01T22:00:00Z') });
  await open(page, `/console/sessions/${DEVICE_A}/${MAIN_CODE}`);
  await expect(page.locator('.timeline li.event')).toHaveCount(13);
  await page.clock.runFor((IDLE_SECONDS - 60) * 1000);
  await page.keyboard.press('Tab');
  // Input restarts the count: a minute later the page is still there.
  await page.clock.runFor(2 * 60 * 1000);
  await expect(page.locator('.timeline li.event')).toHaveCount(13);
  await page.clock.runFor(IDLE_SECONDS * 1000);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You were signed out');
  await expect(page.getByRole('status')).toContainText('after 15 minutes without activity');
  await expect(page.locator('.timeline')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('no console role: a clear refusal page with a sign-out', async ({ page }) => {
  refusedWith(403, 'no-console-role', 'Valerie Assistant has the role va, which the console does not accept.');
  await open(page, '/console/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This console is not available to your account');
  await expect(page.locator('main')).toContainText('This console is for supervisors, compliance officers and IT admins; your account has none of these roles. Ask IT');
  await expect(page.locator('main')).toContainText('Valerie Assistant has the role va');
  await expect(page.getByRole('navigation')).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${collector.origin}${CONSOLE_AUTH_PATHS.signedOut}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are signed out');
  expect(problems).toEqual([]);
});

test('sign out: a POST with CSRF, then the signed-out page', async ({ page }) => {
  as('supervisor');
  await open(page, '/console/alerts');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Alerts');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${collector.origin}${CONSOLE_AUTH_PATHS.signedOut}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You are signed out');
  expect(posts().map((p) => [p.route, p.headers[CSRF_HEADER], p.headers['content-type']])).toEqual([['signOut', meFor([]).csrfToken, 'application/json']]);
  await expectAccessible(page);
  expect(problems).toEqual([]);
});

test('skip link and visible focus', async ({ page }) => {
  as('supervisor');
  await open(page, '/console/sessions');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sessions');
  await page.locator('body').focus();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  expect(await skip.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  // The next stop after skipping is inside main, not the nav.
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
});
