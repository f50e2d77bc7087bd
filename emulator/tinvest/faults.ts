// Injected faults for tests and demos: failing and slow calls by method, and a forced ping delay.
export interface FailRule {
  method?: string;
  code: number;
  details: string;
  message?: string;
  remaining: number;
}

export interface DelayRule {
  method?: string;
  ms: number;
  remaining: number;
}

function matches(rule: { method?: string }, method: string, path: string): boolean {
  if (!rule.method) return true;
  const wanted = rule.method.replace(/^\//, '');
  return wanted === method || wanted === path || path.endsWith(`.${wanted}`);
}

/** The fault table; rules are consumed call by call. */
export class Faults {
  fails: FailRule[] = [];
  delays: DelayRule[] = [];
  pingDelayMs: number | null = null;

  takeFail(method: string, path: string): FailRule | undefined {
    const rule = this.fails.find((r) => matches(r, method, path));
    if (rule && --rule.remaining <= 0) this.fails.splice(this.fails.indexOf(rule), 1);
    return rule;
  }

  takeDelay(method: string, path: string): number {
    const rule = this.delays.find((r) => matches(r, method, path));
    if (!rule) return 0;
    if (--rule.remaining <= 0) this.delays.splice(this.delays.indexOf(rule), 1);
    return rule.ms;
  }

  reset(): void {
    this.fails = [];
    this.delays = [];
    this.pingDelayMs = null;
  }
}
