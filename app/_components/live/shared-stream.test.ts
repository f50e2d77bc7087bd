import { describe, expect, it } from 'vitest';
import { SharedStream, type FromSharedStream, type SharedConnection } from './shared-stream';
import type { StreamMessage, TransportStatus } from './stream-connection';

type Sink = { message(m: StreamMessage): void; status(s: TransportStatus): void };

function setup() {
  const topicsAsked: string[][] = [];
  let sink: Sink | null = null;
  let status: TransportStatus = { transport: 'connecting', everOpen: false, refusedForLimit: false, attempt: 0 };
  const connection: SharedConnection = {
    setTopics: (topics) => topicsAsked.push([...topics].sort()),
    goOnline: () => {},
    goOffline: () => {},
    current: () => status,
  };
  let built = 0;
  const stream = new SharedStream((s) => {
    built += 1;
    sink = s;
    return connection;
  });
  const tab = (key: string) => {
    const got: FromSharedStream[] = [];
    stream.add(key, (m) => got.push(m));
    return {
      got,
      topics: (...topics: string[]) => stream.receive(key, { type: 'topics', topics }),
      data: () => got.flatMap((m) => (m.type === 'message' && m.message.name === 'data' ? [m.message.data as { topic: string; data: unknown }] : [])),
    };
  };
  const server = {
    status(next: Partial<TransportStatus>) {
      status = { ...status, ...next };
      sink!.status(status);
    },
    send(name: StreamMessage['name'], data: unknown) {
      sink!.message({ name, data });
    },
  };
  return { stream, tab, server, topicsAsked, builds: () => built };
}

const price = (topic: string, value: string) => ({ topic, data: { type: 'last_price', price: value } });

describe('SharedStream', () => {
  it('holds one connection for the union of every tab’s topics, and reconnects only when the union changes', () => {
    const { tab, topicsAsked, builds } = setup();
    const a = tab('a');
    const b = tab('b');
    a.topics('price:1', 'price:2');
    b.topics('price:2', 'price:1');
    expect(builds()).toBe(1);
    expect(topicsAsked).toEqual([['price:1', 'price:2']]);
    b.topics('price:3');
    expect(topicsAsked.at(-1)).toEqual(['price:1', 'price:2', 'price:3']);
  });

  it('sends each event only to the tabs that want its topic, and upstream statuses to all', () => {
    const { tab, server } = setup();
    const a = tab('a');
    const b = tab('b');
    a.topics('price:1');
    b.topics('price:2');
    server.send('data', price('price:1', '10'));
    server.send('status', { tokenId: 't', stream: 'market', state: 'live' });
    expect(a.data()).toEqual([price('price:1', '10')]);
    expect(b.data()).toEqual([]);
    expect(b.got.some((m) => m.type === 'message' && m.message.name === 'status')).toBe(true);
  });

  it('gives a tab that joins late the latest value, the changes since its snapshot, health and upstreams', () => {
    const { stream, tab, server, topicsAsked } = setup();
    const a = tab('a');
    a.topics('price:1', 'positions:t:acc');
    server.status({ transport: 'open', everOpen: true, attempt: 1 });
    server.send('status', { tokenId: 't', stream: 'market', state: 'live' });
    server.send('data', price('price:1', '10'));
    server.send('data', price('price:1', '11'));
    const snapshot = { topic: 'positions:t:acc', data: { type: 'initial_positions', positions: {} } };
    const change = { topic: 'positions:t:acc', data: { type: 'position', change: {} } };
    server.send('data', snapshot);
    server.send('data', change);
    server.send('topic-health', { topic: 'price:1', health: 'live' });

    const b = tab('b');
    expect(b.got[0]).toEqual({ type: 'status', status: { transport: 'open', everOpen: true, refusedForLimit: false, attempt: 1 } });
    b.topics('price:1', 'positions:t:acc');
    expect(b.data()).toEqual([price('price:1', '11'), snapshot, change]);
    expect(b.got.filter((m) => m.type === 'message').map((m) => (m as { message: StreamMessage }).message.name)).toEqual(['status', 'data', 'topic-health', 'data', 'data']);
    // Same union: no reconnect for the late tab.
    expect(topicsAsked).toHaveLength(1);

    stream.remove('a');
    stream.remove('b');
    expect(topicsAsked.at(-1)).toEqual([]);
  });

  it('forgets a topic’s value on resync and health on a new connection attempt', () => {
    const { tab, server } = setup();
    const a = tab('a');
    a.topics('price:1');
    server.status({ transport: 'open', everOpen: true, attempt: 1 });
    server.send('data', price('price:1', '10'));
    server.send('topic-health', { topic: 'price:1', health: 'down' });
    server.send('resync', { topic: 'price:1' });
    server.status({ transport: 'connecting', attempt: 2 });
    const b = tab('b');
    b.topics('price:1');
    expect(b.got.filter((m) => m.type === 'message')).toEqual([]);
  });

  it('drops a tab that says bye, and its topics with it', () => {
    const { stream, tab, topicsAsked } = setup();
    const a = tab('a');
    const b = tab('b');
    a.topics('price:1');
    b.topics('price:2');
    stream.receive('b', { type: 'bye' });
    expect(stream.clientCount()).toBe(1);
    expect(topicsAsked.at(-1)).toEqual(['price:1']);
  });
});
