import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

describe('parseEnv', () => {
  it('fills the embedded defaults from an empty environment', () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
    expect(env.dataDir).toBe(path.resolve('./data'));
    expect(env.publicUrl).toBe('http://127.0.0.1:3000');
    expect(env.STRONGROOM_DEMO).toBe(false);
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('names every bad variable with a clear message', () => {
    try {
      parseEnv({ DATABASE_URL: 'mysql://x', PORT: 'eighty', LOG_LEVEL: 'loud', STRONGROOM_AUTH_SECRET: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const problems = (error as EnvError).problems.join('\n');
      expect(problems).toMatch(/^DATABASE_URL: must be a postgres/m);
      expect(problems).toMatch(/^PORT: /m);
      expect(problems).toMatch(/^LOG_LEVEL: /m);
      expect(problems).toMatch(/^STRONGROOM_AUTH_SECRET: must be at least 32 characters/m);
      expect((error as EnvError).problems).toHaveLength(4);
    }
  });

  it('accepts PostgreSQL and a public URL', () => {
    const env = parseEnv({ DATABASE_URL: 'postgresql://root@127.0.0.1:5432/test', STRONGROOM_PUBLIC_URL: 'https://vault.example.ru/', STRONGROOM_DEMO: '1' });
    expect(env.DATABASE_URL).toBe('postgresql://root@127.0.0.1:5432/test');
    expect(env.publicUrl).toBe('https://vault.example.ru');
    expect(env.STRONGROOM_DEMO).toBe(true);
  });

  it('takes the metrics settings: a long token, a port apart from PORT, an IP to bind', () => {
    const env = parseEnv({ METRICS_TOKEN: 'a'.repeat(32), METRICS_PORT: '9464' });
    expect(env).toMatchObject({ METRICS_TOKEN: 'a'.repeat(32), METRICS_PORT: 9464, METRICS_HOST: '127.0.0.1' });
    expect(parseEnv({}).METRICS_PORT).toBeUndefined();
    const problems = (() => {
      try {
        parseEnv({ METRICS_TOKEN: 'short', METRICS_HOST: 'metrics.local' });
        return [];
      } catch (error) {
        return (error as EnvError).problems;
      }
    })();
    expect(problems.join('\n')).toMatch(/^METRICS_TOKEN: must be at least 24/m);
    expect(problems.join('\n')).toMatch(/^METRICS_HOST: must be an IPv4 or IPv6 address/m);
    expect(() => parseEnv({ PORT: '3000', METRICS_PORT: '3000' })).toThrow(/METRICS_PORT: must differ from PORT/);
  });
});
