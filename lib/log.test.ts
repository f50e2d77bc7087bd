import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log';
import { registerSecret } from './redact-secrets';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

describe('logger', () => {
  it('writes JSON and redacts authorization, cookie, password and token fields', () => {
    const { lines, logger } = capture();
    logger.info(
      { password: 'hunter2-secret', token: 't.SECRET-TOKEN', req: { headers: { authorization: 'Bearer t.SECRET', cookie: 'session=abc' } }, body: { newPassword: 'x1', token: 't.NESTED' } },
      'hello',
    );
    const line = lines.join('');
    const parsed = JSON.parse(line);
    expect(parsed.msg).toBe('hello');
    expect(parsed.level).toBe('info');
    for (const secret of ['hunter2-secret', 't.SECRET-TOKEN', 'Bearer t.SECRET', 'session=abc', 't.NESTED', '"x1"']) {
      expect(line).not.toContain(secret);
    }
    expect(parsed.password).toBe('[redacted]');
  });
});

describe('logger and known secrets', () => {
  it('hides a registered token wherever and however a line carries it', () => {
    const core = 'Zk3vQ9xLm2Pq7RtY8wEa1SdF4gHj6KlZ0cVbNm5XqWe';
    registerSecret(`t.${core}`);
    const { lines, logger } = capture();
    const error = new Error(`upstream said: invalid ${core}`);
    logger.error({ err: error, detail: { echoed: encodeURIComponent(`bearer=${core}`), b64: Buffer.from(`t.${core}`).toString('base64') } }, `call failed for ${core.slice(0, 30)}`);
    const line = lines.join('');
    expect(() => JSON.parse(line)).not.toThrow();
    for (let i = 0; i + 15 <= core.length; i++) expect(line).not.toContain(core.slice(i, i + 15));
    expect(line).not.toContain(Buffer.from(`t.${core}`).toString('base64').slice(4, 40));
    expect(line).toContain('[redacted]');
  });
});
