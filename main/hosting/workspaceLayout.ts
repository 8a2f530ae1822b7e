// Shows one hosted app at a time inside the shell window, below the top bar (and the
// infobar, while the shell shows one). Views are detached, not merely covered, when
// another app is shown or when nothing may be shown.
import type { BaseWindow, View, WebContentsView } from 'electron';
import { hostedViewBounds } from '../../common/ui/shellLayout';

export type LayoutWindow = Pick<BaseWindow, 'getContentSize' | 'on' | 'isDestroyed'> & { contentView: Pick<View, 'addChildView' | 'removeChildView' | 'children'> };

export class WorkspaceLayout {
  private shown: WebContentsView | null = null;

  constructor(
    private readonly window: LayoutWindow,
    /** Whether the shell shows its infobar now (the app then starts below it). */
    private readonly infobar: () => boolean = () => false,
  ) {
    window.on('resize', () => this.fit());
  }

  /** Places the shown app again, after the shell's infobar came or went. */
  refit(): void {
    this.fit();
  }

  show(view: WebContentsView): void {
    if (this.shown !== view) this.hideAll();
    this.window.contentView.addChildView(view);
    this.shown = view;
    this.fit();
  }

  /** Detaches every hosted view (lock, sign-out, policy trouble). */
  hideAll(): void {
    if (this.window.isDestroyed()) return;
    for (const child of [...this.window.contentView.children]) this.window.contentView.removeChildView(child);
    this.shown = null;
  }

  private fit(): void {
    if (this.shown === null || this.window.isDestroyed()) return;
    const [width = 0, height = 0] = this.window.getContentSize();
    this.shown.setBounds(hostedViewBounds({ width, height }, { infobar: this.infobar() }));
  }
}
