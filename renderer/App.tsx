import { useCallback, useEffect, useState } from 'react';
import type { ShellState } from '../common/ipc/contract';
import { cordonApi } from './cordonApi';
import { AgreementScreen } from './screens/AgreementScreen';
import { IdleLockScreen } from './screens/IdleLockScreen';
import { IdleWarning } from './screens/IdleWarning';
import { LockedScreen } from './screens/LockedScreen';
import { PolicyErrorScreen } from './screens/PolicyErrorScreen';
import { PosturePanel } from './screens/PosturePanel';
import { SignedOutScreen } from './screens/SignedOutScreen';
import { WorkspaceScreen } from './screens/WorkspaceScreen';

type Load = { status: 'loading' } | { status: 'ready'; state: ShellState } | { status: 'failed' };

export function App() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [postureOpen, setPostureOpen] = useState(false);

  const refresh = useCallback(() => {
    // Through a promise so a missing bridge (failed preload) also lands in the catch.
    Promise.resolve()
      .then(() => cordonApi().getShellState())
      .then((state) => setLoad({ status: 'ready', state }))
      // Fail closed: if main cannot be reached, show nothing but the error.
      .catch(() => setLoad({ status: 'failed' }));
  }, []);

  // Main changes state on its own (idle countdown, lock, a capture tool starting) and
  // pushes each change; the page subscribes first, then asks once, so it misses none.
  useEffect(() => {
    let unsubscribe: () => void = () => undefined;
    try {
      unsubscribe = cordonApi().onShellStateChanged((state) => setLoad({ status: 'ready', state }));
    } catch {
      // No bridge (failed preload): the first ask below fails too and shows the error.
    }
    refresh();
    return () => unsubscribe();
  }, [refresh]);

  const closePosture = useCallback(() => setPostureOpen(false), []);

  if (load.status === 'loading') {
    return (
      <main className="screen centered" aria-busy="true">
        <h1 className="card">Starting Cordon…</h1>
      </main>
    );
  }
  if (load.status === 'failed') {
    return (
      <main className="screen centered">
        <div className="card">
          <h1>Cordon cannot start</h1>
          <p role="alert">The secure workspace did not answer. Close Cordon and open it again; if this keeps happening, call IT.</p>
        </div>
      </main>
    );
  }

  const { state } = load;
  const openPosture = () => setPostureOpen(true);
  return (
    <>
      {/* First, so it closes (and hands focus back) before a screen that replaces the workspace takes focus. */}
      <IdleWarning lockAt={state.kind === 'workspace' || state.kind === 'agreement' ? (state.idleWarning?.lockAt ?? null) : null} onAnswer={refresh} />
      {state.kind === 'policy-error' && <PolicyErrorScreen problem={state.problem} onShowPosture={openPosture} />}
      {state.kind === 'locked' && <LockedScreen reason={state.reason} onShowPosture={openPosture} />}
      {state.kind === 'idle-locked' && <IdleLockScreen state={state} onShowPosture={openPosture} onChanged={refresh} />}
      {state.kind === 'signed-out' && <SignedOutScreen practiceName={state.practiceName} notice={state.notice} enrollment={state.enrollment} onShowPosture={openPosture} onSignedIn={refresh} />}
      {/* Keyed by document and version: each one starts unread. */}
      {state.kind === 'agreement' && <AgreementScreen key={`${state.document.id}@${state.document.version}`} state={state} onShowPosture={openPosture} onChanged={refresh} />}
      {state.kind === 'workspace' && <WorkspaceScreen state={state} onShowPosture={openPosture} onSignedOut={refresh} />}
      <PosturePanel open={postureOpen} posture={state.posture} onClose={closePosture} />
    </>
  );
}
