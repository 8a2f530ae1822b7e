import { useState } from 'react';
import { cordonApi } from '../cordonApi';

export function SignedOutScreen({ practiceName, onShowPosture, onSignedIn }: { practiceName: string; onShowPosture: () => void; onSignedIn: () => void }) {
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  const signIn = async () => {
    setBusy(true);
    setMessage('');
    try {
      const result = await cordonApi().signIn();
      if (result.ok) onSignedIn();
      else setMessage(result.message);
    } catch {
      setMessage('Sign-in failed. Try again, or call IT if it keeps failing.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="screen centered" aria-labelledby="signed-out-title">
      <div className="card">
        <p className="eyebrow">Cordon secure workspace</p>
        <h1 id="signed-out-title">{practiceName}</h1>
        <p>Sign in with your practice account. You will be asked for your password and your authenticator code.</p>
        <div className="actions">
          <button type="button" onClick={() => void signIn()} disabled={busy}>
            Sign in
          </button>
          <button type="button" className="secondary" onClick={onShowPosture}>
            Security posture
          </button>
        </div>
        <p className="status" role="status" aria-live="polite">
          {message}
        </p>
      </div>
    </main>
  );
}
