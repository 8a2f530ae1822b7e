import { useEffect, useRef, type RefObject } from 'react';

/**
 * Shows a <dialog> as modal while `open`: the browser keeps the rest of the page inert
 * and returns focus where it was when it closes. Focus goes to `start` when given (e.g.
 * the dialog's heading), with the dialog scrolled to its top: the browser's own choice,
 * the first button, may be at the bottom of a long dialog and scroll its start away.
 */
export function useModalDialog(open: boolean, start?: RefObject<HTMLElement | null>): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) {
      element.showModal();
      if (start?.current) {
        start.current.focus();
        element.scrollTop = 0;
      }
    }
    if (!open && element.open) element.close();
  }, [open, start]);
  return dialog;
}
