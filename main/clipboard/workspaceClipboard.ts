// The workspace clipboard: what a VA copies inside a hosted app, kept in main's memory
// only, so it can be pasted into another hosted app but never reaches the OS clipboard.
// It expires after the policy's time and is wiped on lock and sign-out.

export class WorkspaceClipboard {
  private item: { text: string; expiresAt: number } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  write(text: string): void {
    this.item = { text, expiresAt: this.now() + this.ttlMs };
  }

  /** The copied text, or null when there is none or it has expired (then it is dropped). */
  read(): string | null {
    if (this.item !== null && this.now() >= this.item.expiresAt) this.item = null;
    return this.item?.text ?? null;
  }

  wipe(): void {
    this.item = null;
  }
}
