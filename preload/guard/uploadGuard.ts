// Uploads denied by policy: a file never gets into the page to be sent. The guard stops
// the two ways a VA hands a page a file (the file picker and dropping files on the page);
// the main-world guard locks the File System Access picker.
import type { Report } from './isolatedGuard';

const isFileInput = (target: EventTarget | null) => target instanceof HTMLInputElement && target.type === 'file';

export function installUploadGuard(win: Window, report: Report): void {
  win.addEventListener(
    'click',
    (event) => {
      if (!isFileInput(event.target)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      report({ block: 'upload', reason: 'file-picker' });
    },
    true,
  );
  const refuseFiles = (event: DragEvent) => {
    if (!(event.dataTransfer?.types.includes('Files') ?? false)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    if (event.type === 'drop') report({ block: 'upload', reason: 'file-drop' });
  };
  win.addEventListener('dragover', refuseFiles, true);
  win.addEventListener('drop', refuseFiles, true);
}
