import { useEffect, useState } from 'react';
import { SHELL_TOPBAR_HEIGHT } from '../../common/ui/shellLayout';
import { useModalDialog } from '../useModalDialog';

/** m:ss from `now` until `lockAt`, never below zero. */
export function countdown(lockAt: number, now: number): string {
  const seconds = Math.max(0, Math.ceil((lockAt - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The idle countdown as a WAI-ARIA alertdialog, laid over the top bar: the only part of
 * the shell a hosted app does not cover. Main decides when it shows and ends; any key or
 * pointer input in Cordon ends it (main sees that input), and the button and Escape ask
 * main at once rather than waiting for the next refresh.
 */
export function IdleWarning({ lockAt, onAnswer }: { lockAt: number | null; onAnswer: () => void }) {
  const open = lockAt !== null;
  const dialog = useModalDialog(open);
  const [now, setNow] = useState(() => Date.now());

  // The page counts down itself from main's deadline, between main's updates.
  useEffect(() => {
    if (!open) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [open]);

  return (
    <dialog
      ref={dialog}
      role="alertdialog"
      className="idle-warning"
      style={{ height: SHELL_TOPBAR_HEIGHT }}
      aria-labelledby="idle-warning-title"
      aria-describedby="idle-warning-text"
      onCancel={(event) => {
        event.preventDefault();
        onAnswer();
      }}
    >
      <strong id="idle-warning-title">Still there?</strong>
      <p id="idle-warning-text">
        Cordon locks in <span data-testid="idle-countdown">{lockAt === null ? '' : countdown(lockAt, now)}</span> to keep patient information private.
      </p>
      <button type="button" autoFocus onClick={onAnswer}>
        I&apos;m here
      </button>
    </dialog>
  );
}
