// The latest notice for the VA, shown for a few seconds. Each has an id so the page can
// tell a repeat of the same words from the one it already showed.

const SHOW_FOR_MS = 8_000;

export class ShellNotices {
  private latest: { id: number; text: string; at: number } | null = null;
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  push(text: string): void {
    this.latest = { id: this.nextId, text, at: this.now() };
    this.nextId += 1;
  }

  current(): { id: number; text: string } | undefined {
    if (this.latest === null || this.now() - this.latest.at >= SHOW_FOR_MS) return undefined;
    return { id: this.latest.id, text: this.latest.text };
  }
}
