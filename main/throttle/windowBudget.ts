// A fixed-window budget per key: the first `limit` uses in a window pass, the rest are
// counted, and when the window ends the count is handed back once so the caller can
// record one summary. The first use of a key in a window always passes.

export interface Overflow<K> {
  key: K;
  suppressed: number;
}

export class WindowBudget<K> {
  private readonly windows = new Map<string, { key: K; start: number; used: number; suppressed: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly id: (key: K) => string = (key) => JSON.stringify(key),
  ) {
    if (limit < 1) throw new Error('a budget must let the first use through');
  }

  /**
   * Whether this use passes. Summaries of windows that ended (including this key's) come
   * back through `onOverflow` first, so they are recorded before the new window's events.
   */
  take(key: K, now: number, onOverflow: (overflow: Overflow<K>) => void): boolean {
    this.expire(now, onOverflow);
    const id = this.id(key);
    const window = this.windows.get(id) ?? { key, start: now, used: 0, suppressed: 0 };
    this.windows.set(id, window);
    if (window.used < this.limit) {
      window.used += 1;
      return true;
    }
    window.suppressed += 1;
    return false;
  }

  /** Drops a key's window without a summary (its use is counted elsewhere). */
  forget(key: K): void {
    this.windows.delete(this.id(key));
  }

  /** Ends every window older than the window length (call it on a timer too, so a last burst is summarised). */
  expire(now: number, onOverflow: (overflow: Overflow<K>) => void): void {
    for (const [id, window] of this.windows) {
      if (now - window.start < this.windowMs) continue;
      this.windows.delete(id);
      if (window.suppressed > 0) onOverflow({ key: window.key, suppressed: window.suppressed });
    }
  }
}
