import { useCallback, useEffect, useState } from 'react';
import type { ShellState } from '../common/ipc/contract';
import { cordonApi } from './cordonApi';
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

  useEffect(refresh, [refresh]);

  const closePosture = useCallback(() => setPostureOpen(false), []);

  if (load.status === 'loading') {
    return (
      <main className="screen centered" aria-busy="true">
        <p>Starting Cordon…</p>
      </main>
    );
  }
  if (load.status === 'failed') {
    return (
      <main className="screen centered">
        <h1>Cordon cannot start</h1>
        <p role="alert">The secure workspace did not answer. Close Cordon and open it again; if this keeps happening, call IT.</p>
      </main>
    );
  }

  const { state } = load;
  const openPosture = () => setPostureOpen(true);
  return (
    <>
      {state.kind === 'policy-error' && <PolicyErrorScreen problem={state.problem} onShowPosture={openPosture} />}
      {state.kind === 'locked' && <LockedScreen reason={state.reason} onShowPosture={openPosture} />}
      {state.kind === 'signed-out' && <SignedOutScreen practiceName={state.practiceName} onShowPosture={openPosture} onSignedIn={refresh} />}
      {state.kind === 'workspace' && <WorkspaceScreen state={state} onShowPosture={openPosture} onSignedOut={refresh} />}
      <PosturePanel open={postureOpen} posture={state.posture} onClose={closePosture} />
    </>
  );
}
