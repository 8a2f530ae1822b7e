// Clipboard and drag rules inside a hosted page (isolated world, every frame), per the
// policy's mode:
// - workspace: copy and cut go to main's in-memory workspace clipboard, never the OS
//   clipboard; paste inserts the workspace clipboard's text (the OS clipboard's content
//   does not come in).
// - inbound-only: nothing is copied out; paste from the OS works as usual.
// - blocked: no copy out, no paste in.
// The listeners run first (capture phase, registered before any page script) and stop
// the event, so a page's own copy handler cannot put data on the OS clipboard either.
// Dragging selected text, links or images out of the page is blocked in every mode.
// A copy into the workspace needs transient user activation (navigator.userActivation).
import type { GuardConfig } from '../../common/hosting/guardProtocol';
import type { Report } from './isolatedGuard';

export interface WorkspaceClipboardPort {
  write(text: string): void;
  read(): Promise<string | null>;
}

/** The text a copy would take: the focused field's selection, else the page selection. */
function selectedText(doc: Document): string {
  const active = doc.activeElement;
  if ((active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) && active.selectionStart !== null && active.selectionEnd !== null) {
    return active.value.slice(active.selectionStart, active.selectionEnd);
  }
  return doc.getSelection()?.toString() ?? '';
}

export function installClipboardGuard(mode: GuardConfig['clipboard'], win: Window, report: Report, workspace: WorkspaceClipboardPort): void {
  const doc = win.document;
  const stop = (event: Event) => {
    event.preventDefault();
    event.stopImmediatePropagation();
  };

  const onCopy = (event: ClipboardEvent) => {
    stop(event);
    // A page's own synthetic event carries no user intent: refuse it silently.
    if (!event.isTrusted) return;
    if (mode !== 'workspace') {
      report({ block: 'clipboard', reason: event.type });
      return;
    }
    // A page's own execCommand('copy') fires a trusted copy event too: only one the VA
    // caused (a key press or click just now) may replace what they copied. Main checks
    // its own record of input as well.
    if (!win.navigator.userActivation.isActive) {
      report({ block: 'clipboard', reason: 'copy-without-user-gesture' });
      return;
    }
    const text = selectedText(doc);
    if (text === '') return;
    workspace.write(text);
    // A prevented cut removes nothing by itself; do what the VA asked for.
    if (event.type === 'cut') doc.execCommand('delete');
  };
  win.addEventListener('copy', onCopy, true);
  win.addEventListener('cut', onCopy, true);

  win.addEventListener(
    'paste',
    (event: ClipboardEvent) => {
      if (mode === 'inbound-only') return;
      stop(event);
      // A synthetic paste would read the workspace clipboard into the page unasked.
      if (!event.isTrusted) return;
      const fromOs = (event.clipboardData?.types.length ?? 0) > 0;
      if (mode === 'blocked') {
        report({ block: 'clipboard', reason: 'paste' });
        return;
      }
      void workspace.read().then((text) => {
        if (text !== null) doc.execCommand('insertText', false, text);
        else if (fromOs) report({ block: 'clipboard', reason: 'paste-from-os' });
      });
    },
    true,
  );

  win.addEventListener(
    'dragstart',
    (event: DragEvent) => {
      // Elements the app itself made draggable (lists, cards) keep working inside the page.
      if (event.target instanceof Element && event.target.closest('[draggable="true"]') !== null) return;
      stop(event);
      report({ block: 'clipboard', reason: 'drag-out' });
    },
    true,
  );
}
