// console.error and console.warn carry what nobody chose to print: Next's own reports of a failed render
// or handler, a rejected promise, an error's message and stack, which may quote a request or an upstream
// answer. They go through the same scrubber as every log line. console.log stays as is: the server
// prints only deliberate operator messages there (addresses, the one-time setup code).
import { format } from 'node:util';
import { redactSecrets } from '../redact-secrets';

const SCRUBBED = ['error', 'warn'] as const;

/** Routes console.error/console.warn through redactSecrets; idempotent. */
export function scrubConsole(target: Pick<Console, (typeof SCRUBBED)[number]> = console): void {
  for (const method of SCRUBBED) {
    const original = target[method] as ((...args: unknown[]) => void) & { scrubbed?: true };
    if (original.scrubbed) continue;
    const scrubbed = Object.assign((...args: unknown[]) => original.call(target, redactSecrets(format(...args))), { scrubbed: true as const });
    target[method] = scrubbed;
  }
}
