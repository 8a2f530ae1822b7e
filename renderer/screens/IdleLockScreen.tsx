import { useEffect, useRef } from 'react';
import type { ShellState } from '../../common/ipc/contract';
import { cordonApi } from '../cordonApi';
import { useMainAction } from '../useMainAction';

type IdleLocked = Extract<ShellState, { kind: 'idle-locked' }>;

const WHY: Record<IdleLocked['reason'], string> = {
  idle: 'You were away for a while, so Cordon locked and hid the practice apps.',
  'os-lock': 'Your computer was locked, so Cordon locked too and hid the practice apps.',
  suspend: 'Your computer went to sleep, so Cordon locked and hid the practice apps.',
  'user-switch': 'Another account became active on this computer, so Cordon locked and hid the practice apps.',
  policy: 'Cordon locked and hid the practice apps, as your practice requires.',
};

/** The idle lock: only the signed-in person, signing in again, brings the apps back. */
export function IdleLockScreen({ state, onShowPosture, onChanged }: { state: IdleLocked; onShowPosture: () => void; onChanged: () => void }) {
  const unlock = useMainAction(() => cordonApi().unlock(), { pending: 'Finish signing in, in the window that opened.', failed: 'Unlocking failed. Try again, or sign out.', onDone: onChanged });
  const unlockButton = useRef<HTMLButtonElement>(null);

  useEffect(() => unlockButton.current?.focus(), []);

  const signOut = async () => {
    await cordonApi().signOut();
    onChanged();
  };

  return (
    <main className="screen centered" aria-labelledby="idle-locked-title">
      <div className="card">
        <p className="eyebrow">{state.practiceName}</p>
        <h1 id="idle-locked-title">Cordon is locked</h1>
        <p>{WHY[state.reason]}</p>
        <p>
          Sign in again as <strong data-testid="locked-user">{state.userName}</strong> to pick up where you left off.
        </p>
        <div className="actions">
          <button ref={unlockButton} type="button" onClick={unlock.start} disabled={unlock.busy}>
            Unlock
          </button>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
          <button type="button" className="secondary" onClick={onShowPosture}>
            Security posture
          </button>
        </div>
        <p className="status" role="status" aria-live="polite">
          {unlock.message}
        </p>
      </div>
    </main>
  );
}
