import { useEffect, useRef, type RefObject } from 'react';

/**
 * Shows a <dialog> as modal while `open`: the browser moves focus into it, keeps the
 * rest of the page inert, and returns focus where it was when it closes.
 */
export function useModalDialog(open: boolean): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return dialog;
}
