import 'server-only';
// A typed bridge from protobuf-es service descriptors to grpc-js calls; errors stay raw here.
import { fromBinary, toBinary, type DescMessage, type DescMethod, type MessageShape } from '@bufbuild/protobuf';
import * as grpc from '@grpc/grpc-js';

export type UnaryMethod = DescMethod & { methodKind: 'unary' };
export type ServerStreamMethod = DescMethod & { methodKind: 'server_streaming' };
export type BidiMethod = DescMethod & { methodKind: 'bidi_streaming' };
export type RequestOf<M extends DescMethod> = MessageShape<M['input']>;
export type ResponseOf<M extends DescMethod> = MessageShape<M['output']>;

export interface BridgeCallOptions {
  metadata: grpc.Metadata;
  /** Relative deadline; none for long-lived streams. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Initial response metadata (x-ratelimit-*, x-tracking-id). */
  onHeaders?: (headers: grpc.Metadata) => void;
}

interface Codec {
  path: string;
  serialize: (value: unknown) => Buffer;
  deserialize: (bytes: Buffer) => unknown;
}

const codecs = new WeakMap<DescMethod, Codec>();

/** `/${service.typeName}/${method.name}` plus toBinary/fromBinary, built once per method. */
export function codecFor(method: DescMethod): Codec {
  let codec = codecs.get(method);
  if (!codec) {
    const input: DescMessage = method.input;
    const output: DescMessage = method.output;
    codec = {
      path: `/${method.parent.typeName}/${method.name}`,
      serialize: (value) => {
        const bytes = toBinary(input, value as MessageShape<typeof input>);
        // grpc-js frames with Buffer#copy, so hand it a Buffer view, not a bare Uint8Array.
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      },
      deserialize: (bytes) => fromBinary(output, bytes),
    };
    codecs.set(method, codec);
  }
  return codec;
}

function callOptions(options: BridgeCallOptions): grpc.CallOptions {
  return options.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs };
}

function bindSignal(call: { cancel(): void }, signal: AbortSignal | undefined): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    call.cancel();
    return () => {};
  }
  const cancel = () => call.cancel();
  signal.addEventListener('abort', cancel, { once: true });
  return () => signal.removeEventListener('abort', cancel);
}

/** One request, one response; rejects with the raw grpc ServiceError. */
export function callUnary<M extends UnaryMethod>(
  client: grpc.Client,
  method: M,
  request: RequestOf<M>,
  options: BridgeCallOptions,
): Promise<ResponseOf<M>> {
  const codec = codecFor(method);
  return new Promise((resolve, reject) => {
    let unbind = () => {};
    const call = client.makeUnaryRequest(codec.path, codec.serialize, codec.deserialize, request, options.metadata, callOptions(options), (error, response) => {
      unbind();
      if (error) reject(error);
      else resolve(response as ResponseOf<M>);
    });
    if (options.onHeaders) call.on('metadata', options.onHeaders);
    unbind = bindSignal(call, options.signal);
  });
}

/** A server stream; `deserialize` may replace fromBinary on hot paths (it must decode the same bytes). */
export function openServerStream<M extends ServerStreamMethod, T = ResponseOf<M>>(
  client: grpc.Client,
  method: M,
  request: RequestOf<M>,
  options: BridgeCallOptions,
  deserialize?: (bytes: Uint8Array) => T,
): grpc.ClientReadableStream<T> {
  const codec = codecFor(method);
  const call = client.makeServerStreamRequest(codec.path, codec.serialize, deserialize ?? codec.deserialize, request, options.metadata, callOptions(options));
  if (options.onHeaders) call.on('metadata', options.onHeaders);
  bindSignal(call, options.signal);
  return call as grpc.ClientReadableStream<T>;
}

/** A bidirectional stream: write requests, read responses. */
export function openBidiStream<M extends BidiMethod, T = ResponseOf<M>>(
  client: grpc.Client,
  method: M,
  options: BridgeCallOptions,
  deserialize?: (bytes: Uint8Array) => T,
): grpc.ClientDuplexStream<RequestOf<M>, T> {
  const codec = codecFor(method);
  const call = client.makeBidiStreamRequest(codec.path, codec.serialize, deserialize ?? codec.deserialize, options.metadata, callOptions(options));
  if (options.onHeaders) call.on('metadata', options.onHeaders);
  bindSignal(call, options.signal);
  return call as grpc.ClientDuplexStream<RequestOf<M>, T>;
}
