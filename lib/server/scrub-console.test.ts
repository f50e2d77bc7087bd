import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearSecrets, registerSecret } from '../redact-secrets';
import { scrubConsole } from './scrub-console';

const TOKEN = 't.ScrubConsoleTestValue0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP';

describe('scrubConsole', () => {
  afterEach(() => clearSecrets());

  it('hides a registered secret in errors and warnings, messages and stacks alike, and leaves the rest readable', () => {
    registerSecret(TOKEN);
    const error = vi.fn();
    const warn = vi.fn();
    const target = { error, warn };
    scrubConsole(target);
    scrubConsole(target);
    target.error(new Error(`upstream said: bad token ${TOKEN}`));
    target.warn('retrying %s with %o', 'GetPortfolio', { authorization: `Bearer ${TOKEN}` });
    const printed = [...error.mock.calls, ...warn.mock.calls].map((call) => String(call[0]));
    expect(printed).toHaveLength(2);
    for (const line of printed) expect(line).not.toContain(TOKEN.slice(2, 30));
    expect(printed[0]).toContain('upstream said: bad token');
    expect(printed[0]).toContain('scrub-console.test.ts');
    expect(printed[1]).toContain('retrying GetPortfolio');
  });
});
