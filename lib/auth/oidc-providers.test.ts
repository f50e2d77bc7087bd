// STRONGROOM_OIDC_PROVIDERS: what parses, and the start-up errors for what does not.
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../env';
import { isAllowedEmailDomain } from './oidc-providers';

const PROVIDER = { id: 'corp', label: 'Corp SSO', issuer: 'https://id.example.com', clientId: 'strongroom', clientSecret: 's3cret-value-xyz', allowedDomains: ['Example.com'] };

function problems(value: unknown): string[] {
  try {
    parseEnv({ STRONGROOM_OIDC_PROVIDERS: typeof value === 'string' ? value : JSON.stringify(value) });
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe('STRONGROOM_OIDC_PROVIDERS', () => {
  it('is an empty list when unset or empty', () => {
    expect(parseEnv({}).STRONGROOM_OIDC_PROVIDERS).toEqual([]);
    expect(parseEnv({ STRONGROOM_OIDC_PROVIDERS: '  ' }).STRONGROOM_OIDC_PROVIDERS).toEqual([]);
  });

  it('parses providers, lower-casing domains', () => {
    const second = { ...PROVIDER, id: 'local', issuer: 'http://127.0.0.1:4000/realm', allowedDomains: ['corp.example.org'] };
    expect(parseEnv({ STRONGROOM_OIDC_PROVIDERS: JSON.stringify([PROVIDER, second]) }).STRONGROOM_OIDC_PROVIDERS).toEqual([{ ...PROVIDER, allowedDomains: ['example.com'] }, second]);
  });

  it('names the variable and the field of each mistake', () => {
    expect(problems({ ...PROVIDER })).toEqual([expect.stringMatching(/^STRONGROOM_OIDC_PROVIDERS: must be a JSON array/)]);
    expect(problems([{ ...PROVIDER, issuer: 'http://id.example.com' }])).toEqual([expect.stringMatching(/^STRONGROOM_OIDC_PROVIDERS\.0\.issuer: issuer must be an https:\/\/ URL/)]);
    expect(problems([{ ...PROVIDER, allowedDomains: [] }])).toEqual([expect.stringMatching(/^STRONGROOM_OIDC_PROVIDERS\.0\.allowedDomains: .*at least one/)]);
    expect(problems([{ ...PROVIDER, allowedDomains: ['*.example.com'] }])).toEqual([expect.stringMatching(/^STRONGROOM_OIDC_PROVIDERS\.0\.allowedDomains\.0: /)]);
    expect(problems([{ ...PROVIDER, id: 'Corp!' }])).toEqual([expect.stringMatching(/^STRONGROOM_OIDC_PROVIDERS\.0\.id: /)]);
    expect(problems([PROVIDER, PROVIDER])).toEqual(['STRONGROOM_OIDC_PROVIDERS.1.id: id "corp" is used twice']);
    expect(problems([{ ...PROVIDER, id: 'credentials' }])).toEqual(['STRONGROOM_OIDC_PROVIDERS.0.id: id "credentials" is reserved']);
    expect(problems([{ ...PROVIDER, clientSecret: '' }])).toEqual([expect.stringMatching(/^STRONGROOM_OIDC_PROVIDERS\.0\.clientSecret: /)]);
    expect(problems([{ ...PROVIDER, extra: 1 }])).toHaveLength(1);
  });

  it('never repeats the client secret in an error, even in broken JSON', () => {
    const broken = `[{"id":"corp","clientSecret":"${PROVIDER.clientSecret}",}]`;
    const found = problems(broken);
    expect(found).toEqual([expect.stringMatching(/^STRONGROOM_OIDC_PROVIDERS: must be a JSON array/)]);
    expect(found.join('\n')).not.toContain(PROVIDER.clientSecret);
    expect(problems([{ ...PROVIDER, clientSecret: 12345 }]).join('\n')).not.toContain('12345');
  });
});

describe('isAllowedEmailDomain', () => {
  it('matches the exact domain only', () => {
    const provider = { allowedDomains: ['example.com'] };
    expect(isAllowedEmailDomain(provider, 'anna@example.com')).toBe(true);
    expect(isAllowedEmailDomain(provider, 'anna@EXAMPLE.com')).toBe(true);
    expect(isAllowedEmailDomain(provider, 'anna@evil.example.com')).toBe(false);
    expect(isAllowedEmailDomain(provider, 'anna@example.com.evil.net')).toBe(false);
    expect(isAllowedEmailDomain(provider, 'example.com')).toBe(false);
  });
});
