// No token is reachable from the renderer: after a real sign-in, every IPC method the
// renderer can call is invoked, and no answer contains any token the IdP issued.
import type { CustomFetch } from 'openid-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../common/ipc/channels';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { startDemoIdp, type DemoIdp } from '../../../demo/idp/demoIdp';
import { registerIpcHandlers } from '../../../main/ipc/ipcServer';
import { createShellHandlers } from '../../../main/shell/shellHandlers';
import { shellStateFor } from '../../../main/shell/shellState';
import { harness } from '../../support/authHarness';
import { FakeIpcMain, fakeFrame, fakeInvokeEvent } from '../../support/electronFakes';
import { validPolicy } from '../../support/policyFixtures';

let idp: DemoIdp;
beforeAll(async () => {
  idp = await startDemoIdp();
});
afterAll(async () => {
  await idp.close();
});

it('no IPC answer carries an access, ID or refresh token', async () => {
  const issued: string[] = [];
  const capture: CustomFetch = async (url, init) => {
    const response = await fetch(url, init as RequestInit);
    if (url.endsWith('/token')) {
      const body = (await response.clone().json()) as Record<string, unknown>;
      for (const key of ['access_token', 'id_token', 'refresh_token']) if (typeof body[key] === 'string') issued.push(body[key]);
    }
    return response;
  };
  const h = harness(idp.issuer, { hooks: { fetch: capture } });
  const policy = { ok: true as const, policy: policyV1Schema.parse(validPolicy()), file: 'f', keyId: 'k' };
  const ipc = new FakeIpcMain();
  registerIpcHandlers(ipc, createShellHandlers(() => shellStateFor(policy, [], h.service.identity), h.service), { shellWebContentsId: () => 1, onRefused: () => undefined });
  const event = fakeInvokeEvent(1, fakeFrame('cordon://app/index.html'));

  expect(await ipc.invoke(IPC_CHANNELS.signIn, event)).toEqual({ ok: true });
  await h.service.renew();
  expect(issued.length).toBeGreaterThanOrEqual(5);
  const answers = [
    await ipc.invoke(IPC_CHANNELS.getShellState, event),
    await ipc.invoke(IPC_CHANNELS.selectApp, event, 'ehr'),
    await ipc.invoke(IPC_CHANNELS.signIn, event),
  ];
  expect(answers[0]).toMatchObject({ kind: 'workspace', identity: { name: 'Valerie Assistant', mfaMethods: ['pwd', 'otp'] } });
  const everything = JSON.stringify(answers);
  for (const token of issued) {
    expect(everything).not.toContain(token);
    // Not even a recognisable piece of one (e.g. a JWT's payload segment).
    for (const part of token.split('.').filter((p) => p.length > 16)) expect(everything).not.toContain(part);
  }
  // The identity summary has a fixed shape: no raw claims, no tokens.
  expect(Object.keys((answers[0] as { identity: object }).identity).sort()).toEqual(['email', 'mfaMethods', 'name', 'roles', 'signedInAt']);
  expect(await ipc.invoke(IPC_CHANNELS.signOut, event)).toEqual({ ok: true });
});
