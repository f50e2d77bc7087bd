import 'server-only';
// One grpc-js channel per endpoint and CA bundle; many tokens share it (the token rides in per-call metadata).
import { rootCertificates } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import type { ResolvedEndpoint } from './endpoint';

export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // The Java FAQ asks for keepalive ≥ 10 s; 30 s keeps idle streams alive through NATs without nagging the server.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  // Shares/Bonds lists exceed the 4 MiB default (research §1.5).
  'grpc.max_receive_message_length': 32 * 1024 * 1024,
  'grpc.max_send_message_length': 4 * 1024 * 1024,
  'grpc.enable_retries': 0,
  // grpc-js backs a lost connection off up to 120 s by default; the hub promises live data within
  // seconds of an outage ending (its own retries cap at 5 s), so the channel must not sleep longer.
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 5_000,
};

const channels = new Map<string, grpc.Client>();

/** The shared client for an endpoint (+ optional extra CA PEM appended to Node's default roots). */
export function getChannel(endpoint: ResolvedEndpoint, caBundlePem?: string): grpc.Client {
  const key = `${endpoint.address}|${endpoint.tls}|${caBundlePem ?? ''}`;
  let client = channels.get(key);
  if (!client) {
    client = new grpc.Client(endpoint.address, credentialsFor(endpoint, caBundlePem), CHANNEL_OPTIONS);
    channels.set(key, client);
  }
  return client;
}

function credentialsFor(endpoint: ResolvedEndpoint, caBundlePem?: string): grpc.ChannelCredentials {
  if (!endpoint.tls) return grpc.credentials.createInsecure();
  // Production chains end in the Russian Trusted Root CA, absent from default stores: add it, keep the rest.
  const roots = caBundlePem ? Buffer.from(`${rootCertificates.join('\n')}\n${caBundlePem}`) : null;
  return grpc.credentials.createSsl(roots);
}

/** Closes every cached channel (tests, shutdown). */
export function closeChannels(): void {
  for (const client of channels.values()) client.close();
  channels.clear();
}
