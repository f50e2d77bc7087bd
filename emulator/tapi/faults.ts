// Injected faults for tests and demos: the next N calls of a method fail with a chosen status, or are slow.
import { METHODS, type TapiMethod } from './contract';

export interface FailRule {
  method?: string;
  status: number;
  errorCode: string;
  errorMessage: string;
  remaining: number;
}

export interface DelayRule {
  method?: string;
  ms: number;
  remaining: number;
}

/** A rule's `method` is a method name (`statement`) or its path (`/v1/statement`); none matches every call. */
function matches(rule: { method?: string }, method: TapiMethod): boolean {
  if (!rule.method) return true;
  return rule.method === method || rule.method.endsWith(METHODS[method].path);
}

/** The fault table; rules are consumed call by call. */
export class Faults {
  fails: FailRule[] = [];
  delays: DelayRule[] = [];

  takeFail(method: TapiMethod): FailRule | undefined {
    const rule = this.fails.find((r) => matches(r, method));
    if (rule && --rule.remaining <= 0) this.fails.splice(this.fails.indexOf(rule), 1);
    return rule;
  }

  takeDelay(method: TapiMethod): number {
    const rule = this.delays.find((r) => matches(r, method));
    if (!rule) return 0;
    if (--rule.remaining <= 0) this.delays.splice(this.delays.indexOf(rule), 1);
    return rule.ms;
  }

  reset(): void {
    this.fails = [];
    this.delays = [];
  }
}
