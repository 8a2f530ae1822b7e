import type { ShellState } from '../../common/ipc/contract';

type Reason = Extract<ShellState, { kind: 'locked' }>['reason'];

/** Cordon locked itself because something it needs to stay safe failed; nothing is hosted. */
export function LockedScreen({ reason, onShowPosture }: { reason: Reason; onShowPosture: () => void }) {
  return (
    <main className="screen centered locked" aria-labelledby="locked-title">
      <div className="card">
        <h1 id="locked-title">Cordon is locked</h1>
        <p role="alert" data-testid="lock-message">
          {reason.message}
        </p>
        <p className="status">Reference for IT: {reason.code}</p>
        <button type="button" className="secondary" onClick={onShowPosture}>
          Security posture
        </button>
      </div>
    </main>
  );
}
