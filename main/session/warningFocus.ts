// Keyboard focus for the idle warning: the shell takes it so the countdown is announced
// and can be answered from the keyboard, and gives it back to the page the VA was in.
import type { WebContents } from 'electron';

type Focusable = Pick<WebContents, 'focus' | 'isDestroyed'>;

export function shellFocuser(focused: () => Focusable | null, shell: () => Focusable | null): () => () => void {
  return () => {
    const previous = focused();
    // Nothing of Cordon's has focus: the VA is in another app; taking focus would send their typing here.
    if (previous === null) return () => undefined;
    shell()?.focus();
    return () => {
      if (!previous.isDestroyed()) previous.focus();
    };
  };
}
