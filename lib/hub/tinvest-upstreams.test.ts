// The hub over real lib/tinvest clients, against a server built from the npm SDK's definitions that refuses
// PortfolioStream and PositionsStream with UNIMPLEMENTED: those topics are served by polling, and no fault is reported.
import { createServer, ServerError, Status, type Server } from 'nice-grpc';
import { OperationsServiceDefinition, OperationsStreamServiceDefinition } from 'tinkoff-invest-api/dist/generated/operations.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeChannels } from '@/lib/tinvest/channel';
import { createTinvestClient } from '@/lib/tinvest/create-tinvest-client';
// eslint-disable-next-line no-restricted-imports -- the test plays custody's part: a real handle for the foreign server.
import { createTokenHandle } from '@/lib/vault/token-handle';
import { createHub, type Hub } from './create-hub';
import type { HubDataEvent, HubEvent, HubHealthEvent, HubStatusEvent } from './dto';
import { tinvestUpstreams } from './tinvest-upstreams';
import { implement } from '../testing/foreign-tinvest';

const ACCOUNT = '2000111222';
const calls = { portfolioStream: 0, positionsStream: 0, getPortfolio: 0, getPositions: 0 };
/** The account's cash in roubles; the test changes it to see polling carry the change. */
let cash = 1000;

const rub = (units: number) => ({ currency: 'rub', units, nano: 0 });
const unimplemented = () => new ServerError(Status.UNIMPLEMENTED, 'Method not implemented');


let server: Server;
let address: string;

beforeAll(async () => {
  server = createServer();
  server.add(
    OperationsStreamServiceDefinition,
    implement(OperationsStreamServiceDefinition, {
      portfolioStream: async function* () {
        calls.portfolioStream++;
        yield* [];
        throw unimplemented();
      },
      positionsStream: async function* () {
        calls.positionsStream++;
        yield* [];
        throw unimplemented();
      },
    }),
  );
  server.add(
    OperationsServiceDefinition,
    implement(OperationsServiceDefinition, {
      getPortfolio: async (req: { accountId: string }) => {
        calls.getPortfolio++;
        return { accountId: req.accountId, totalAmountPortfolio: rub(cash), totalAmountCurrencies: rub(cash), expectedYield: { units: 0, nano: 0 }, dailyYieldRelative: { units: 0, nano: 0 }, positions: [], virtualPositions: [] };
      },
      getPositions: async (req: { accountId: string }) => {
        calls.getPositions++;
        return { accountId: req.accountId, money: [rub(cash)], blocked: [], securities: [], limitsLoadingInProgress: false, futures: [], options: [] };
      },
    }),
  );
  const port = await server.listen('127.0.0.1:0');
  address = `127.0.0.1:${port}`;
});

afterAll(async () => {
  closeChannels();
  server?.forceShutdown();
});

describe('hub with tinvestUpstreams against a server that does not implement the account streams', () => {
  let hub: Hub;

  afterAll(() => hub?.close());

  it('marks portfolio and positions topics unavailable, polls GetPortfolio/GetPositions instead, and reports no connection fault', async () => {
    const client = createTinvestClient({ endpoint: { address }, token: createTokenHandle('foreign', 't.hub-foreign-server-test-0123456789') });
    hub = createHub({ ...tinvestUpstreams(() => client), pollMs: 200, epoch: 'fx' });
    const events: HubEvent[] = [];
    hub.subscribe('viewer', 'tok', [`portfolio:tok:${ACCOUNT}`, `positions:tok:${ACCOUNT}`], (event) => events.push(event));

    const health = (topic: string) => events.filter((e): e is HubHealthEvent => e.kind === 'health' && e.topic === topic).at(-1);
    const data = () => events.filter((e): e is HubDataEvent => e.kind === 'data');
    const cashOf = (e: HubDataEvent) =>
      e.data.type === 'portfolio' ? e.data.portfolio.totals.currencies?.amount : e.data.type === 'initial_positions' ? e.data.positions.money[0]?.amount : undefined;

    await vi.waitFor(
      () => {
        expect(health(`portfolio:tok:${ACCOUNT}`)).toEqual({ kind: 'health', topic: `portfolio:tok:${ACCOUNT}`, health: 'polling', pollMs: 200, reason: 'unimplemented' });
        expect(health(`positions:tok:${ACCOUNT}`)).toMatchObject({ health: 'polling', reason: 'unimplemented' });
      },
      { timeout: 5000, interval: 20 },
    );
    expect(data().map((e) => [e.topic, cashOf(e)])).toEqual([
      [`portfolio:tok:${ACCOUNT}`, '1000'],
      [`positions:tok:${ACCOUNT}`, '1000'],
    ]);

    // A change on the server reaches the topics by the next poll.
    cash = 1250;
    await vi.waitFor(() => expect(data().map(cashOf).slice(2).sort()).toEqual(['1250', '1250']), { timeout: 3000, interval: 20 });

    const statuses = events.filter((e): e is HubStatusEvent => e.kind === 'status');
    expect(statuses.filter((s) => s.state === 'reconnecting')).toEqual([]);
    expect(statuses.filter((s) => s.state === 'unavailable').map((s) => [s.stream, s.reason])).toEqual([
      ['portfolio', 'unimplemented'],
      ['positions', 'unimplemented'],
    ]);
    expect(hub.metrics().tokens.tok!.upstreams.map((u) => [u.stream, u.state])).toEqual([
      ['portfolio', 'unavailable'],
      ['positions', 'unavailable'],
    ]);
    expect(hub.metrics().reconnects).toBe(0);
    // Asked once each, not retried on a backoff; the unary calls carry the topics.
    expect([calls.portfolioStream, calls.positionsStream]).toEqual([1, 1]);
    expect(calls.getPortfolio).toBeGreaterThanOrEqual(3);
    expect(calls.getPositions).toBeGreaterThanOrEqual(2);
  });
});
