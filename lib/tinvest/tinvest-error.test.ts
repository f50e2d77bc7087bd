import { inspect } from 'node:util';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { AppError } from '@/lib/errors';
import { errorMessage } from '@/lib/i18n/translate-error';
import { scrub, TINVEST_CODE_KEYS, TinvestError, tlsFailureOf, toTinvestError } from './tinvest-error';

const TOKEN = 't.SECRETsecretSECRETsecret_0123456789abcdef';

function serviceError(code: status, details: string, trailers: Record<string, string> = {}): ServiceError {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata });
}

describe('toTinvestError', () => {
  const cases: [status, string, string][] = [
    [status.UNAUTHENTICATED, '40003', 'token_invalid'],
    [status.PERMISSION_DENIED, '40002', 'insufficient_rights'],
    [status.NOT_FOUND, '50004', 'not_found'],
    [status.RESOURCE_EXHAUSTED, '80002', 'rate_limited'],
    [status.UNAVAILABLE, 'GOAWAY received', 'unavailable'],
    [status.DEADLINE_EXCEEDED, 'Deadline exceeded', 'deadline'],
    [status.INVALID_ARGUMENT, '30087', 'invalid_argument'],
    [status.INTERNAL, '70001', 'internal'],
    [status.UNKNOWN, '', 'internal'],
    [status.CANCELLED, 'Cancelled on client', 'cancelled'],
  ];
  it.each(cases)('maps gRPC %i / %s to %s', (code, details, kind) => {
    const error = toTinvestError(serviceError(code, details, { message: 'some text', 'x-tracking-id': 'abc-123' }), { method: 'GetPortfolio' });
    expect(error).toBeInstanceOf(TinvestError);
    expect(error).toBeInstanceOf(AppError);
    expect(error.kind).toBe(kind);
    expect(error.trackingId).toBe('abc-123');
    expect(error.serverMessage).toBe('some text');
    expect(error.method).toBe('GetPortfolio');
    if (/^\d{5}$/.test(details)) expect(error.apiCode).toBe(details);
  });

  it('maps to dashboard-facing AppError codes', () => {
    expect(toTinvestError(serviceError(status.UNAUTHENTICATED, '40003')).status).toBe(403);
    expect(toTinvestError(serviceError(status.PERMISSION_DENIED, '40002')).status).toBe(403);
    expect(toTinvestError(serviceError(status.NOT_FOUND, '50002')).status).toBe(404);
    expect(toTinvestError(serviceError(status.UNAVAILABLE, '')).status).toBe(503);
    expect(toTinvestError(serviceError(status.INVALID_ARGUMENT, '30087')).status).toBe(422);
  });

  it('carries reset seconds for 80002 and into retryAfterSeconds', () => {
    const error = toTinvestError(serviceError(status.RESOURCE_EXHAUSTED, '80002', { message: 'request limit exceeded', 'x-ratelimit-reset': '17', 'x-tracking-id': 't1' }));
    expect(error).toMatchObject({ kind: 'rate_limited', apiCode: '80002', resetSeconds: 17, retryAfterSeconds: 17, status: 429, trackingId: 't1' });
    expect(error.serverMessage).toBe('request limit exceeded');
    expect(error.message).toContain('80002');
    expect(error.messageKey).toBe('errors.tinvest.code.80002');
    expect(error.values).toMatchObject({ code: '80002', trackingId: 't1', seconds: 17 });
    // Rate limits without details or message still classify.
    expect(toTinvestError(serviceError(status.RESOURCE_EXHAUSTED, '')).kind).toBe('rate_limited');
  });

  it('never lets the token out, even when the server echoes it', () => {
    const raw = serviceError(status.UNAUTHENTICATED, '40003', { message: `bad token ${TOKEN} and Bearer ${TOKEN}`, 'x-tracking-id': TOKEN });
    const error = toTinvestError(raw, { token: TOKEN });
    const surfaces = [error.message, error.stack ?? '', JSON.stringify(error), inspect(error), inspect(error, { showHidden: true, depth: 10 }), String(error), JSON.stringify(error.cause ?? null)];
    for (const text of surfaces) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('SECRETsecret');
    }
    expect(error.kind).toBe('token_invalid');
    expect(error.trackingId).toBeUndefined();
  });

  it('scrubs token-shaped strings it was not told about', () => {
    expect(scrub('oops t.AAAAAAAAAAAAAAAAAAAAAAAAAAAAA end')).toBe('oops [redacted] end');
    expect(scrub('authorization: Bearer abc.def.ghi')).toBe('authorization: Bearer [redacted]');
    expect(scrub('paste it without the «Bearer ».')).toBe('paste it without the «Bearer ».');
  });

  it('scrubs the token echoed without "t.", URL-encoded, spaced, as bearer= or base64', () => {
    const core = TOKEN.slice(2);
    const echoes = [core, encodeURIComponent(TOKEN).replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16)}`), core.replace(/(.{7})/g, '$1 '), `bearer=${core}`, Buffer.from(`x${TOKEN}`).toString('base64'), Buffer.from(`xy${core}`).toString('base64url')];
    for (const echo of echoes) {
      const error = toTinvestError(serviceError(status.UNAUTHENTICATED, '40003', { message: `server-echo: ${echo}` }), { token: TOKEN });
      expect(error.serverMessage, echo).not.toContain(echo);
      expect(error.serverMessage, echo).toContain('[redacted]');
      expect(error.message).not.toContain("server-echo");
    }
  });

  it('keeps the server text out of the message, which names the code, its meaning and the tracking id', () => {
    const error = toTinvestError(serviceError(status.INVALID_ARGUMENT, '30052', { message: 'instrument forbidden for trading by API', 'x-tracking-id': 'tr-1' }));
    expect(error.message).not.toContain('forbidden for trading');
    expect(error.message).toContain('code 30052');
    expect(error.message).toContain('tracking id tr-1');
    expect(error.messageKey).toBe('errors.tinvest.code.30052');
    expect(toTinvestError(serviceError(status.INVALID_ARGUMENT, '39999')).messageKey).toBe('errors.tinvest.kind.invalid_argument');
  });

  it('offers a retry time only for rate limits, though every answer carries x-ratelimit-reset', () => {
    const rejected = toTinvestError(serviceError(status.UNAUTHENTICATED, '40003', { 'x-ratelimit-reset': '55' }));
    expect(rejected.resetSeconds).toBe(55);
    expect(rejected.retryAfterSeconds).toBeUndefined();
    expect(toTinvestError(serviceError(status.RESOURCE_EXHAUSTED, '80002', { 'x-ratelimit-reset': '55' })).retryAfterSeconds).toBe(55);
  });

  it.each(TINVEST_CODE_KEYS.map((code) => [code]))('explains code %s in English and Russian, with the code and what to do', (code) => {
    const error = new TinvestError({ kind: 'invalid_argument', grpcCode: 3, apiCode: code, trackingId: 'tr-9' });
    const en = errorMessage(error, 'en');
    const ru = errorMessage(error, 'ru');
    expect(en).not.toBe(ru);
    for (const text of [en, ru]) {
      expect(text).toContain(code);
      expect(text).not.toMatch(/\{|errors\.tinvest/);
    }
  });

  it('wraps non-gRPC failures without their text', () => {
    const error = toTinvestError(new Error(`socket died ${TOKEN}`));
    expect(error.kind).toBe('internal');
    expect(inspect(error)).not.toContain(TOKEN);
  });
});

describe('TLS failures', () => {
  // grpc-js's own wording (1.14) around Node's TLS error texts.
  const wrap = (reason: string) => `No connection established. Last error: ${reason}. Resolution note: `;
  const cases: [string, string | undefined][] = [
    [wrap('Error: unable to verify the first certificate'), 'untrusted'],
    [wrap('Error: self-signed certificate in certificate chain'), 'untrusted'],
    [wrap('Error: unable to get local issuer certificate'), 'untrusted'],
    [wrap("Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: a.example. is not in the cert's altnames: DNS:b.example"), 'host_mismatch'],
    [wrap('Error: certificate has expired'), 'expired'],
    [wrap('Error: 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:ssl3_record.c:350:\n'), 'handshake'],
    ['No connection established. Last error: Failed to connect (2026-11-22T08:51:57.150Z). Resolution note: ', undefined],
    ['GOAWAY received', undefined],
  ];
  it.each(cases)('classifies %j as %s', (details, expected) => expect(tlsFailureOf(details)).toBe(expected));

  it('says what to do, with the reason, and does not present a local failure as the server speaking', () => {
    const error = toTinvestError(serviceError(status.UNAVAILABLE, wrap('Error: unable to verify the first certificate')), { method: 'GetAccounts', caSetting: 'SOME_CA_SETTING' });
    expect(error).toMatchObject({ kind: 'unavailable', tls: 'untrusted', status: 503, serverMessage: 'unable to verify the first certificate' });
    expect(error.message).toBe(
      "The T-Invest endpoint's TLS certificate is not trusted: add the CA that issued it (a TLS-inspecting proxy's or gateway's root) to SOME_CA_SETTING. (unable to verify the first certificate)",
    );
    expect(toTinvestError(serviceError(status.UNAVAILABLE, wrap('Error: unable to verify the first certificate'))).message).toContain('TinvestClientOptions.caBundlePem');
  });

  it('leaves server-sent UNAVAILABLE alone, and scrubs TLS texts too', () => {
    const served = toTinvestError(serviceError(status.UNAVAILABLE, 'unable to verify the first certificate', { message: 'upstream says so' }));
    expect(served.tls).toBeUndefined();
    expect(served.serverMessage).toBe('upstream says so');
    expect(served.message).toBe('T-Invest is unreachable right now.');
    const leaky = toTinvestError(serviceError(status.UNAVAILABLE, wrap(`Error: self-signed certificate ${TOKEN}`)), { token: TOKEN });
    expect(leaky.tls).toBe('untrusted');
    expect(inspect(leaky)).not.toContain(TOKEN);
  });
});
