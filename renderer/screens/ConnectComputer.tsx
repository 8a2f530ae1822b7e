import { useId, useState } from 'react';
import { SHELL_INFOBAR_HEIGHT } from '../../common/ui/shellLayout';
import { cordonApi } from '../cordonApi';
import { useMainAction } from '../useMainAction';

/**
 * "Connect this computer to the practice": the one-time enrollment code from IT, while
 * main says the computer is not connected. A card on the sign-in screen; in the workspace
 * a strip below the top bar (main places the app below it). Main reads the code as typed
 * and answers in words; once connected, main's next state has no step and this goes.
 */
export function ConnectComputer({ message, variant }: { message: string; variant: 'card' | 'infobar' }) {
  const [code, setCode] = useState('');
  const [done, setDone] = useState(false);
  const connect = useMainAction(() => cordonApi().enrollWithCode(code), {
    pending: 'Connecting…',
    failed: 'Cordon could not connect this computer. Try again, or call IT.',
    onDone: () => setDone(true),
  });
  const titleId = useId();
  const inputId = useId();
  const form = (
    <form
      className="connect-form"
      onSubmit={(event) => {
        event.preventDefault();
        connect.start();
      }}
    >
      <label htmlFor={inputId}>Enrollment code</label>
      <input id={inputId} value={code} onChange={(event) => setCode(event.target.value)} autoComplete="off" spellCheck={false} maxLength={64} placeholder="ABCD-EFGH-JKLM-NPQR" />
      <button type="submit" disabled={connect.busy || code.trim() === ''}>
        Connect
      </button>
    </form>
  );
  const status = (
    <p className="status" role="status" aria-live="polite">
      {done ? 'Connected. Cordon delivers its activity log to the practice.' : connect.message}
    </p>
  );
  if (variant === 'infobar') {
    return (
      <section className="infobar" aria-labelledby={titleId} style={{ height: SHELL_INFOBAR_HEIGHT }}>
        <h2 id={titleId} className="infobar-title" title={message}>
          Connect this computer to the practice
        </h2>
        <p className="visually-hidden">{message}</p>
        {form}
        {status}
      </section>
    );
  }
  return (
    <section className="card connect" aria-labelledby={titleId}>
      <h2 id={titleId}>Connect this computer to the practice</h2>
      <p>{message}</p>
      {form}
      {status}
    </section>
  );
}
