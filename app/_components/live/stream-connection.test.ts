// StreamConnection against a stand-in EventSource: a draining server's `reconnect` event closes the
// stream and opens a new one after the server's delay, resuming from the last event id.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamConnection, type TransportStatus } from './stream-connection';

class FakeEventSource {
  static CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = 1;
  closed = false;
  private listeners = new Map<string, ((event: unknown) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(name: string, listener: (event: unknown) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(name: string, data?: unknown, lastEventId = '') {
    for (const listener of this.listeners.get(name) ?? []) listener({ data: JSON.stringify(data), lastEventId });
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeEventSource.opened = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('StreamConnection on a draining server', () => {
  it('reconnects after the delay the reconnect event names, with the last event id', () => {
    const statuses: TransportStatus[] = [];
    const connection = new StreamConnection({ message: () => {}, status: (status) => statuses.push(status) });
    connection.setTopics(['lastPrice:a']);
    vi.advanceTimersByTime(30);
    expect(FakeEventSource.opened).toHaveLength(1);
    const first = FakeEventSource.opened[0]!;
    first.emit('open');
    first.emit('data', { topic: 'lastPrice:a', seq: 7 }, 'ep.7.h');

    first.emit('reconnect', { reason: 'draining', retryMs: 800 });
    expect(first.closed).toBe(true);
    expect(statuses.at(-1)?.transport).toBe('retrying');
    vi.advanceTimersByTime(799);
    expect(FakeEventSource.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toHaveLength(2);
    const url = new URL(FakeEventSource.opened[1]!.url, 'http://localhost');
    expect(url.searchParams.get('topics')).toBe('lastPrice:a');
    expect(url.searchParams.get('lastEventId')).toBe('ep.7.h');
    connection.close();
  });

  it('ignores a reconnect event from a stream it already replaced', () => {
    const connection = new StreamConnection({ message: () => {}, status: () => {} });
    connection.setTopics(['lastPrice:a']);
    vi.advanceTimersByTime(30);
    const first = FakeEventSource.opened[0]!;
    connection.setTopics(['lastPrice:a', 'lastPrice:b']);
    vi.advanceTimersByTime(30);
    expect(FakeEventSource.opened).toHaveLength(2);
    first.emit('reconnect', { reason: 'draining', retryMs: 100 });
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(FakeEventSource.opened[1]!.closed).toBe(false);
    connection.close();
  });
});
