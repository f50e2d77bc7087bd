// Per-method, per-token request limits in fixed 1-second windows, timed by the emulator's clock.

/** Counts calls per (method, token) and refuses those past the limit within the current second. */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  /** Records a call; false when it is over `perSecond` in the window that began with its first call. */
  take(key: string, perSecond: number, now: number): boolean {
    const window = this.windows.get(key);
    if (!window || now >= window.start + 1000 || now < window.start) {
      this.windows.set(key, { start: now, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= perSecond;
  }

  reset(): void {
    this.windows.clear();
  }
}
