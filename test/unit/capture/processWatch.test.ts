// The blocked capture-tool watch with an injected process lister: fails closed, hides the
// apps while a tool runs, audits each tool once per episode, and lets the apps back after.
import { describe, expect, it } from 'vitest';
import { BlockedProcessWatch } from '../../../main/capture/processWatch';
import type { ProcessLister } from '../../../main/capture/processLister';
import { RecordingAuditSink } from '../../support/electronFakes';

function setup(lister: ProcessLister, blocked = ['obs64.exe', 'AnyDesk', 'simplescreenrecorder']) {
  const audit = new RecordingAuditSink();
  const hides = { count: 0 };
  const watch = new BlockedProcessWatch({ blocked, lister, audit, hideAll: () => void (hides.count += 1) });
  return { audit, hides, watch, reasons: () => audit.events.map((e) => `${e.type}:${e.outcome}:${e.reason ?? ''}`) };
}

describe('blocked capture tools watch', () => {
  it('keeps the apps hidden until the first check has run', async () => {
    const { watch } = setup({ list: async () => ['explorer.exe'] });
    expect(watch.appsHidden?.code).toBe('capture-check-pending');
    await watch.check();
    expect(watch.appsHidden).toBeNull();
  });

  it('hides the apps while a tool runs, naming it, and audits each tool once per episode', async () => {
    let running = ['explorer.exe', 'OBS64.EXE'];
    const { watch, hides, reasons } = setup({ list: async () => running });
    await watch.check();
    expect(watch.appsHidden).toEqual({ code: 'capture-tool-running', message: 'Practice apps are hidden while obs64.exe is running. Close it to continue.' });
    expect(hides.count).toBe(1);
    await watch.check();
    expect(reasons()).toEqual(['capture.blocked:blocked:process:obs64.exe']);
    running = ['OBS64.EXE', 'anydesk.exe'];
    await watch.check();
    expect(watch.appsHidden?.message).toBe('Practice apps are hidden while obs64.exe, AnyDesk are running. Close them to continue.');
    expect(reasons()).toEqual(['capture.blocked:blocked:process:obs64.exe', 'capture.blocked:blocked:process:AnyDesk']);
    running = ['explorer.exe'];
    await watch.check();
    expect(watch.appsHidden).toBeNull();
    running = ['obs64.exe'];
    await watch.check(); // a new episode is audited again
    expect(reasons()).toHaveLength(3);
  });

  it("matches Linux's cut names when the lister says names are cut", async () => {
    const { watch } = setup({ list: async () => ['simplescreenrec'], truncatedTo: 15 });
    await watch.check();
    expect(watch.appsHidden?.code).toBe('capture-tool-running');
  });

  it('fails closed when the process list cannot be read: hidden, said, audited once', async () => {
    let fail = true;
    const { watch, hides, reasons } = setup({ list: async () => (fail ? Promise.reject(new Error('EACCES')) : []) });
    await watch.check();
    await watch.check();
    expect(watch.appsHidden?.code).toBe('capture-check-failed');
    expect(hides.count).toBe(2);
    expect(reasons()).toEqual(['capture.blocked:blocked:process-check-failed']);
    fail = false;
    await watch.check();
    expect(watch.appsHidden).toBeNull();
  });

  it('skips a check while the previous one is still running', async () => {
    let release: (names: string[]) => void = () => undefined;
    let listings = 0;
    const { watch } = setup({
      list: () => {
        listings += 1;
        return new Promise((resolve) => (release = resolve));
      },
    });
    const first = watch.check();
    await watch.check();
    release([]);
    await first;
    expect(listings).toBe(1);
  });
});
