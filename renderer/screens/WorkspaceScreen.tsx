import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { SHELL_TOPBAR_HEIGHT, workspaceInfobar } from '../../common/ui/shellLayout';
import type { ShellState } from '../../common/ipc/contract';
import { rolesInWords, signedInHow } from '../../common/ui/signInWording';
import { cordonApi } from '../cordonApi';
import { ConnectComputer } from './ConnectComputer';
import { SignedOutInfobar } from './SignedOutInfobar';

type Workspace = Extract<ShellState, { kind: 'workspace' }>;

/** The workspace frame: one tab per approved app; the host area is where main attaches the app. */
export function WorkspaceScreen({ state, onShowPosture, onSignedOut }: { state: Workspace; onShowPosture: () => void; onSignedOut: () => void }) {
  const [active, setActive] = useState(state.activeAppId);
  const [notice, setNotice] = useState('');
  const tabs = useRef(new Map<string, HTMLButtonElement>());

  const hidden = state.appsHidden !== undefined;

  const select = async (appId: string) => {
    if (hidden) return;
    setActive(appId);
    const result = await cordonApi().selectApp(appId);
    setNotice(result.ok ? '' : result.message);
  };

  // Main attaches the active app's view below the top bar as soon as the workspace shows,
  // and again when whatever hid the apps has gone.
  useEffect(() => {
    if (!hidden) void cordonApi().selectApp(state.activeAppId);
  }, [state.activeAppId, hidden]);

  // WAI-ARIA tabs pattern: arrows move between tabs, Home/End jump to the ends.
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const count = state.apps.length;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: count - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = state.apps[(next + count) % count];
    if (target === undefined) return;
    tabs.current.get(target.id)?.focus();
    void select(target.id);
  };

  const signOut = async () => {
    await cordonApi().signOut();
    onSignedOut();
  };

  const { identity } = state;
  const signedInAt = new Date(identity.signedInAt).toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
  const roles = rolesInWords(identity.roles);
  const how = signedInHow(signedInAt, identity.mfaMethods);
  const activeApp = state.apps.find((app) => app.id === active);
  // One strip at most: main places the app below it (SHELL_INFOBAR_HEIGHT).
  const infobar = workspaceInfobar(state);
  const signedOutApp = state.apps.find((app) => app.id === state.activeAppId);
  return (
    <div className="workspace">
      <header className="topbar" style={{ height: SHELL_TOPBAR_HEIGHT }}>
        <h1 className="practice">{state.practiceName}</h1>
        <div role="tablist" aria-label="Practice apps" className="tabs">
          {state.apps.map((app, index) => (
            <button
              key={app.id}
              ref={(el) => {
                if (el === null) tabs.current.delete(app.id);
                else tabs.current.set(app.id, el);
              }}
              type="button"
              role="tab"
              id={`tab-${app.id}`}
              aria-selected={app.id === active}
              aria-disabled={hidden}
              aria-controls="app-host"
              tabIndex={app.id === active ? 0 : -1}
              onClick={() => void select(app.id)}
              onKeyDown={(event) => onKeyDown(event, index)}
            >
              {app.name}
            </button>
          ))}
        </div>
        <p className="identity" data-testid="identity">
          <strong className="identity-name">{roles === '' ? identity.name : `${identity.name} (${roles})`}</strong>
          <span className="visually-hidden">, </span>
          {/* The title shows all of it on hover where a narrow window cuts it short. */}
          <span className="identity-how" title={how}>
            {how}
          </span>
        </p>
        <button type="button" className="secondary" onClick={onShowPosture}>
          Security posture
        </button>
        <button type="button" className="secondary" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      {infobar === 'signed-out' && signedOutApp !== undefined && <SignedOutInfobar key={signedOutApp.id} app={signedOutApp} />}
      {infobar === 'enrollment' && state.enrollment !== undefined && <ConnectComputer message={state.enrollment.message} variant="infobar" />}
      <main className="host">
        <div id="app-host" role="tabpanel" aria-labelledby={`tab-${active}`}>
          {state.appsHidden === undefined ? (
            <p className="host-placeholder">{activeApp === undefined ? '' : `${activeApp.name} opens here.`}</p>
          ) : (
            <p className="apps-hidden" data-testid="apps-hidden">
              {state.appsHidden.message}
            </p>
          )}
          <p className="status notice" role="status" aria-live="polite" data-testid="notice">
            {notice === '' ? (state.notice?.text ?? '') : notice}
          </p>
        </div>
      </main>
    </div>
  );
}
