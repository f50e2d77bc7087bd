// The shared live worker: one /api/stream connection for every tab of this browser on this origin
// (tabs count against the per-person connection cap, lib/http/live-limits.ts). Started by LiveStore
// through `new SharedWorker(new URL('./live-worker.ts', import.meta.url))`; gone when the last tab is.
import { SharedStream, type ToSharedStream } from './shared-stream';
import { StreamConnection } from './stream-connection';

interface SharedWorkerScope {
  onconnect: ((event: MessageEvent) => void) | null;
  navigator: Navigator;
  addEventListener(type: 'online' | 'offline', listener: () => void): void;
}

const scope = globalThis as unknown as SharedWorkerScope;
let connection: StreamConnection | null = null;
const stream = new SharedStream((sink) => (connection = new StreamConnection(sink)));

scope.addEventListener('online', () => connection?.goOnline());
scope.addEventListener('offline', () => connection?.goOffline());

scope.onconnect = (event) => {
  const port = event.ports[0]!;
  let client: string | null = null;
  stream.add(port, (message) => port.postMessage(message));
  port.onmessage = (message: MessageEvent<ToSharedStream>) => {
    const data = message.data;
    if (data.type === 'hello') client = data.client;
    // A tab cannot say it is closing (it may crash or be discarded); it holds a Web Lock named after
    // itself instead, and the lock frees when the tab goes.
    else if (data.type === 'held' && client && scope.navigator.locks) void scope.navigator.locks.request(`strongroom-live:${client}`, () => stream.remove(port));
    stream.receive(port, data);
  };
  port.start();
};
