// The screens without a console session: signed out (first visit, after signing out, after
// automatic logoff) and refused (signed in, but with no console role).
import { useEffect, useState } from 'react';
import { CONSOLE_AUTH_PATHS, CONSOLE_ROUTES, CSRF_HEADER } from '../../common/console/consoleApi';
import { plural } from '../format';
import { rememberWhereTo } from '../returnTo';

/**
 * signed-out: no session (first visit, or the collector ended it); signed-out-by-user: the
 * person signed out; session-expired: the collector ended it (idle or maximum length);
 * session-limit: it had reached its maximum length; idle: this page's own idle timeout.
 */
export type SignedOutReason = 'signed-out' | 'signed-out-by-user' | 'session-expired' | 'session-limit' | 'idle';

const idleWords = (seconds: number) => (seconds < 60 ? plural(seconds, 'second') : plural(Math.round(seconds / 60), 'minute'));

function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Cordon console`;
  }, [title]);
}

export function SignedOutView({ reason, message, idleSeconds }: { reason: SignedOutReason; message: string | null; idleSeconds: number | null }) {
  const timedOut = reason === 'idle' || reason === 'session-expired' || reason === 'session-limit';
  const heading = timedOut ? 'You were signed out' : reason === 'signed-out-by-user' ? 'You are signed out' : 'Sign in to the Cordon console';
  useTitle(heading);
  return (
    <main id="main" className="screen centered">
      <div className="card">
        <p className="eyebrow">Cordon console</p>
        <h1>{heading}</h1>
        {timedOut && (
          <p role="status">
            {reason === 'session-limit'
              ? 'Your console session reached its maximum length.'
              : idleSeconds !== null
                ? `You were signed out after ${idleWords(idleSeconds)} without activity.`
                : (message ?? 'You were signed out after a while without activity.')}{' '}
            The console signs out on its own because it shows information close to patients' records.
          </p>
        )}
        {reason === 'signed-out-by-user' && <p role="status">Your console session has ended. Close this tab, or sign in again.</p>}
        {reason === 'signed-out' && (
          <p>
            Supervisors, compliance officers and IT review what happened in Cordon here. Sign in with your practice account; you will need your password and your
            authenticator code.
          </p>
        )}
        <p className="actions">
          <a className="button" href={CONSOLE_AUTH_PATHS.signIn} onClick={rememberWhereTo}>
            {reason === 'signed-out' ? 'Sign in' : 'Sign in again'}
          </a>
        </p>
      </div>
    </main>
  );
}

export function RefusedView({ message, csrfToken }: { message: string; csrfToken: string | null }) {
  useTitle('Not a console account');
  const [busy, setBusy] = useState(false);
  const signOut = () => {
    setBusy(true);
    // Through fetch, not the client: this session has no role, so any 401 here is not news.
    fetch(CONSOLE_ROUTES.signOut.path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(csrfToken === null ? {} : { [CSRF_HEADER]: csrfToken }) },
      body: '{}',
      credentials: 'same-origin',
    })
      .then(async (response) => (response.ok ? CONSOLE_ROUTES.signOut.result.parse(await response.json()).endSessionUrl : null))
      .catch(() => null)
      .then((endSessionUrl) => window.location.assign(endSessionUrl ?? CONSOLE_AUTH_PATHS.signedOut));
  };
  return (
    <main id="main" className="screen centered">
      <div className="card refused">
        <p className="eyebrow">Cordon console</p>
        <h1>This console is not available to your account</h1>
        <p>
          This console is for supervisors, compliance officers and IT admins; your account has none of these roles. Ask IT to give you the role you need, then
          sign in again.
        </p>
        <p className="server-words">The collector said: {message}</p>
        <p className="actions">
          <button type="button" onClick={signOut} disabled={busy}>
            Sign out
          </button>
        </p>
      </div>
    </main>
  );
}
