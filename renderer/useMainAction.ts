import { useState } from 'react';
import type { ActionResult } from '../common/ipc/contract';

/**
 * One action in main (sign in, unlock) for a button: busy while it runs, then main's
 * refusal, or `failed` when main could not be reached; `onDone` after success.
 */
export function useMainAction(run: () => Promise<ActionResult>, { pending = '', failed, onDone }: { pending?: string; failed: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const start = async () => {
    setBusy(true);
    setMessage(pending);
    try {
      const result = await run();
      setMessage(result.ok ? '' : result.message);
      if (result.ok) onDone();
    } catch {
      setMessage(failed);
    } finally {
      setBusy(false);
    }
  };
  return { busy, message, start: () => void start() };
}
