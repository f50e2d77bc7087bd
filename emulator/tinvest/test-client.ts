// A raw grpc-js client over the generated descriptors, for the emulator's own tests (no lib/tinvest code).
import { create, fromBinary, toBinary, type DescMessage, type DescMethod, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { Client, credentials, Metadata, type ClientDuplexStream, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';

type Method<I extends DescMessage, O extends DescMessage> = DescMethod & { input: I; output: O };

export interface UnaryResult<O> {
  response?: O;
  error?: ServiceError;
  headers: Metadata;
  trailers: Metadata;
}

function path(method: DescMethod): string {
  return `/${method.parent.typeName}/${method.name}`;
}

function codec(schema: DescMessage) {
  return { serialize: (m: unknown) => Buffer.from(toBinary(schema, m as MessageShape<DescMessage>)), deserialize: (b: Buffer) => fromBinary(schema, b) };
}

/** One connection to one emulator port, authenticating with `token` unless told otherwise. */
export class TestClient {
  private readonly client: Client;

  constructor(address: string, private readonly token?: string) {
    this.client = new Client(address, credentials.createInsecure());
  }

  metadata(token = this.token): Metadata {
    const md = new Metadata();
    if (token) md.set('authorization', `Bearer ${token}`);
    md.set('x-app-name', 'strongroom.emulator-tests');
    return md;
  }

  unary<I extends DescMessage, O extends DescMessage>(method: Method<I, O>, request: MessageInitShape<I>, token?: string): Promise<UnaryResult<MessageShape<O>>> {
    const input = codec(method.input);
    const output = codec(method.output);
    return new Promise((resolve) => {
      let headers = new Metadata();
      let response: MessageShape<O> | undefined;
      let error: ServiceError | undefined;
      const call = this.client.makeUnaryRequest(path(method), input.serialize, output.deserialize, create(method.input, request), this.metadata(token ?? this.token), (err, value) => {
        error = err ?? undefined;
        response = value as MessageShape<O> | undefined;
      });
      call.on('metadata', (md) => (headers = md));
      call.on('status', (status) => setImmediate(() => resolve({ response, error, headers, trailers: status.metadata })));
    });
  }

  /** Unary call that must succeed. */
  async ok<I extends DescMessage, O extends DescMessage>(method: Method<I, O>, request: MessageInitShape<I>, token?: string): Promise<MessageShape<O>> {
    const result = await this.unary(method, request, token);
    if (!result.response) throw new Error(`${method.name} failed: ${result.error?.code} ${result.error?.details}`);
    return result.response;
  }

  bidi<I extends DescMessage, O extends DescMessage>(method: Method<I, O>, token?: string): ClientDuplexStream<MessageInitShape<I>, MessageShape<O>> {
    const input = codec(method.input);
    const output = codec(method.output);
    const stream = this.client.makeBidiStreamRequest(path(method), (m: MessageInitShape<I>) => input.serialize(create(method.input, m)), output.deserialize as (b: Buffer) => MessageShape<O>, this.metadata(token ?? this.token));
    // Tests observe errors through until(); a late CANCELLED after cleanup is expected.
    stream.on('error', () => {});
    return stream;
  }

  serverStream<I extends DescMessage, O extends DescMessage>(method: Method<I, O>, request: MessageInitShape<I>, token?: string): ClientReadableStream<MessageShape<O>> {
    const input = codec(method.input);
    const output = codec(method.output);
    const stream = this.client.makeServerStreamRequest(path(method), input.serialize, output.deserialize as (b: Buffer) => MessageShape<O>, create(method.input, request), this.metadata(token ?? this.token));
    stream.on('error', () => {});
    return stream;
  }

  close(): void {
    this.client.close();
  }
}

/** Collects stream messages until `predicate` holds, or rejects on error/timeout. */
export function until<T>(stream: NodeJS.EventEmitter, predicate: (all: T[]) => boolean, timeoutMs = 5000): Promise<T[]> {
  const seen: T[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`timed out after ${seen.length} messages`)), timeoutMs);
    const onData = (m: T) => {
      seen.push(m);
      if (predicate(seen)) done();
    };
    const onError = (e: Error) => done(e);
    function done(error?: Error) {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('error', onError);
      if (error) reject(Object.assign(error, { seen }));
      else resolve(seen);
    }
    stream.on('data', onData);
    stream.on('error', onError);
  });
}
