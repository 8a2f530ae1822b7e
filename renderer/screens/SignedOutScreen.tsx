import { cordonApi } from '../cordonApi';
import { useMainAction } from '../useMainAction';
import { ConnectComputer } from './ConnectComputer';

export function SignedOutScreen({ practiceName, notice, enrollment, onShowPosture, onSignedIn }: { practiceName: string; notice?: string | undefined; enrollment?: { message: string } | undefined; onShowPosture: () => void; onSignedIn: () => void }) {
  const signIn = useMainAction(() => cordonApi().signIn(), { failed: 'Sign-in failed. Try again, or call IT if it keeps failing.', onDone: onSignedIn });

  return (
    <main className="screen centered" aria-labelledby="signed-out-title">
      <div className="card">
        <p className="eyebrow">Cordon secure workspace</p>
        <h1 id="signed-out-title">{practiceName}</h1>
        <p>Sign in with your practice account. You will be asked for your password and your authenticator code.</p>
        <div className="actions">
          <button type="button" onClick={signIn.start} disabled={signIn.busy}>
            Sign in
          </button>
          <button type="button" className="secondary" onClick={onShowPosture}>
            Security posture
          </button>
        </div>
        <p className="status" role="status" aria-live="polite">
          {signIn.message === '' ? (notice ?? '') : signIn.message}
        </p>
      </div>
      {enrollment !== undefined && <ConnectComputer message={enrollment.message} variant="card" />}
    </main>
  );
}
