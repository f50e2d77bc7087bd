import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log';

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
