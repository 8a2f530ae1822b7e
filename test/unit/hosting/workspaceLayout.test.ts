import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ShellState } from '../../../common/ipc/contract';
import { SHELL_INFOBAR_HEIGHT, SHELL_TOPBAR_HEIGHT } from '../../../common/ui/shellLayout';
import { WorkspaceLayout } from '../../../main/hosting/workspaceLayout';
import { createShellHandlers } from '../../../main/shell/shellHandlers';

class FakeView {
  bounds: unknown = null;
  setBounds(bounds: unknown) {
    this.bounds = bounds;
  }
}

class FakeShellWindow extends EventEmitter {
  size: [number, number] = [1280, 800];
  readonly contentView = {
    children: [] as FakeView[],
    addChildView: (view: FakeView) => {
      if (!this.contentView.children.includes(view)) this.contentView.children.push(view);
    },
    removeChildView: (view: FakeView) => {
      this.contentView.children = this.contentView.children.filter((v) => v !== view);
    },
  };
  getContentSize() {
    return this.size;
  }
  isDestroyed() {
    return false;
  }
}

describe('workspace layout', () => {
  it('shows one app at a time below the top bar, follows resizes, and detaches everything on demand', () => {
    const window = new FakeShellWindow();
    const layout = new WorkspaceLayout(window as never);
    const ehr = new FakeView();
    const messages = new FakeView();
    layout.show(ehr as never);
    expect(window.contentView.children).toEqual([ehr]);
    expect(ehr.bounds).toEqual({ x: 0, y: SHELL_TOPBAR_HEIGHT, width: 1280, height: 800 - SHELL_TOPBAR_HEIGHT });
    layout.show(messages as never);
    expect(window.contentView.children).toEqual([messages]);
    window.size = [1000, 600];
    window.emit('resize');
    expect(messages.bounds).toEqual({ x: 0, y: SHELL_TOPBAR_HEIGHT, width: 1000, height: 600 - SHELL_TOPBAR_HEIGHT });
    layout.hideAll();
    expect(window.contentView.children).toEqual([]);
  });

  it('puts the app below the infobar while the shell shows one, and moves it up when it goes', () => {
    const window = new FakeShellWindow();
    let infobar = true;
    const layout = new WorkspaceLayout(window as never, () => infobar);
    const ehr = new FakeView();
    layout.show(ehr as never);
    const below = SHELL_TOPBAR_HEIGHT + SHELL_INFOBAR_HEIGHT;
    expect(ehr.bounds).toEqual({ x: 0, y: below, width: 1280, height: 800 - below });
    infobar = false;
    layout.refit();
    expect(ehr.bounds).toEqual({ x: 0, y: SHELL_TOPBAR_HEIGHT, width: 1280, height: 800 - SHELL_TOPBAR_HEIGHT });
  });
});

describe('shell handlers and the workspace', () => {
  const workspaceState: ShellState = {
    kind: 'workspace',
    practiceName: 'P',
    identity: { name: 'V', email: 'v@example.com', roles: ['va'], mfaMethods: ['otp'], signedInAt: '2027-01-01T00:00:00.000Z' },
    apps: [{ id: 'ehr', name: 'EHR' }],
    activeAppId: 'ehr',
    posture: [],
  };

  it('shows only approved apps, and hides every app before signing out', async () => {
    const calls: string[] = [];
    const workspace = { show: (id: string) => void calls.push(`show ${id}`), hideAll: () => void calls.push('hideAll') };
    const auth = { identity: null, signIn: async () => Promise.reject(new Error('unused')), signOut: async () => void calls.push('signOut') };
    const handlers = createShellHandlers(() => workspaceState, auth, workspace);
    await handlers.selectApp('ehr');
    await handlers.selectApp('payroll');
    await handlers.signOut();
    expect(calls).toEqual(['show ehr', 'hideAll', 'signOut']);
  });
});
