import {
  type ApiVersionsResponse,
  decodeResponseHeader,
  encodeRequest,
  FrameSplitter,
  peekCorrelationId,
  type Writer,
} from '@x/protocol'
import { type ApiName, apiCodecs, type RequestInputOf, type ResponseOf } from '../api-codecs.js'
import { tcpTransport } from '../network/tcp-transport.js'
import { TestkitError } from '../testkit-error.js'
import type { Transport, TransportSocket } from '../transport.js'

export interface KafkaWireClientOptions {
  host: string
  port: number
  /** Default: plain TCP. Pass `cluster.transport` to reach the embedded cluster without sockets. */
  transport?: Transport
  clientId?: string
  /** Reject a request without a response after this long. Default 30 s. */
  requestTimeoutMs?: number
}

interface PendingRequest {
  readonly api: ApiName
  readonly version: number
  resolve(response: unknown): void
  reject(error: Error): void
  timer: NodeJS.Timeout | undefined
}

/**
 * A deliberately small Kafka client over one connection: send any request of the served APIs with the
 * generated codecs and get the decoded response. No retries, no metadata, no batching; versions are the
 * highest both sides support once `apiVersions()` ran, else this code's highest. For tests that speak the
 * protocol directly (the conformance suite, the embedded cluster's own tests).
 */
export class KafkaWireClient {
  private readonly splitter = new FrameSplitter()
  private readonly pending = new Map<number, PendingRequest>()
  private nextCorrelationId = 1
  private negotiated: Map<number, { min: number; max: number }> | undefined
  private closedError: Error | undefined

  private constructor(
    private readonly socket: TransportSocket,
    readonly host: string,
    readonly port: number,
    private readonly clientId: string,
    private readonly requestTimeoutMs: number,
  ) {
    socket.onData((chunk) => this.receive(chunk))
    socket.onClose((error) =>
      this.failAll(
        error ??
          new TestkitError('CONNECTION_CLOSED', `${host}:${port} closed the connection`, { retriable: true }),
      ),
    )
  }

  static async connect(options: KafkaWireClientOptions): Promise<KafkaWireClient> {
    const transport = options.transport ?? tcpTransport
    const socket = await transport.connect({ host: options.host, port: options.port })
    return new KafkaWireClient(
      socket,
      options.host,
      options.port,
      options.clientId ?? 'x-testkit-wire-client',
      options.requestTimeoutMs ?? 30_000,
    )
  }

  get isClosed(): boolean {
    return this.closedError !== undefined
  }

  /** Sends ApiVersions (v3) and remembers the broker's ranges for later version choices. */
  async apiVersions(version = 3): Promise<ApiVersionsResponse> {
    const response = await this.request(
      'ApiVersions',
      { clientSoftwareName: 'x-testkit', clientSoftwareVersion: '0.0.0' },
      { version },
    )
    if (response.errorCode === 0) {
      this.negotiated = new Map(
        response.apiKeys.map((api) => [api.apiKey, { min: api.minVersion, max: api.maxVersion }]),
      )
    }
    return response
  }

  /** The version `request` uses for `api`: the highest both sides support (after `apiVersions()`), else ours. */
  version(api: ApiName): number {
    const ours = apiCodecs[api].api
    const theirs = this.negotiated?.get(ours.apiKey)
    if (this.negotiated === undefined) return ours.maxVersion
    if (theirs === undefined || theirs.min > ours.maxVersion || theirs.max < ours.minVersion) {
      throw new TestkitError(
        'REQUEST_FAILED',
        `The broker at ${this.host}:${this.port} does not support any version of ${api} this code can write`,
      )
    }
    return Math.min(ours.maxVersion, theirs.max)
  }

  /** Sends one request and resolves with its decoded response. */
  request<Name extends ApiName>(
    api: Name,
    body: RequestInputOf<Name>,
    options: { version?: number } = {},
  ): Promise<ResponseOf<Name>> {
    return new Promise((resolve, reject) => {
      const version = options.version ?? this.version(api)
      const correlationId = this.send(api, body, version)
      this.track(correlationId, api, version, resolve as (response: unknown) => void, reject)
    })
  }

  private track(
    correlationId: number,
    api: ApiName,
    version: number,
    resolve: (response: unknown) => void,
    reject: (error: Error) => void,
  ): void {
    const entry: PendingRequest = { api, version, resolve, reject, timer: undefined }
    entry.timer = setTimeout(() => {
      this.pending.delete(correlationId)
      reject(
        new TestkitError(
          'TIMEOUT',
          `No ${api} response from ${this.host}:${this.port} within ${this.requestTimeoutMs} ms`,
          {
            retriable: true,
          },
        ),
      )
    }, this.requestTimeoutMs)
    entry.timer.unref()
    this.pending.set(correlationId, entry)
  }

  /**
   * Sends a hand-written body at any version and reads the response at `responseVersion`: for requests
   * the codecs cannot write, such as an ApiVersions newer than the broker knows (answered in v0, KIP-511).
   */
  requestRaw<Name extends ApiName>(
    api: Name,
    requestVersion: number,
    writeBody: (writer: Writer) => void,
    responseVersion: number,
  ): Promise<ResponseOf<Name>> {
    return new Promise((resolve, reject) => {
      if (this.closedError !== undefined) throw this.closedError
      const correlationId = this.nextCorrelationId++
      const chunks = encodeRequest({
        api: apiCodecs[api].api,
        apiVersion: requestVersion,
        correlationId,
        clientId: this.clientId,
        body: undefined,
        writeBody: (writer) => writeBody(writer),
      })
      this.track(correlationId, api, responseVersion, resolve as (response: unknown) => void, reject)
      this.socket.write(chunks)
    })
  }

  /** Sends a request that gets no response (Produce with acks=0); returns its correlation id. */
  send<Name extends ApiName>(api: Name, body: RequestInputOf<Name>, version = this.version(api)): number {
    if (this.closedError !== undefined) throw this.closedError
    const codec = apiCodecs[api]
    const correlationId = this.nextCorrelationId++
    const chunks = encodeRequest({
      api: codec.api,
      apiVersion: version,
      correlationId,
      clientId: this.clientId,
      body: body as never,
      writeBody: codec.writeRequest as never,
    })
    this.socket.write(chunks)
    return correlationId
  }

  close(): void {
    this.socket.close()
    this.failAll(new TestkitError('CONNECTION_CLOSED', 'The wire client was closed'))
  }

  private receive(chunk: Uint8Array): void {
    let frames: readonly Uint8Array[]
    try {
      frames = this.splitter.push(chunk)
    } catch (error) {
      this.failAll(error as Error)
      this.socket.close()
      return
    }
    for (const frame of frames) {
      const correlationId = peekCorrelationId(frame)
      const entry = this.pending.get(correlationId)
      if (entry === undefined) continue // a request that timed out
      this.pending.delete(correlationId)
      clearTimeout(entry.timer)
      try {
        const codec = apiCodecs[entry.api]
        const { reader } = decodeResponseHeader(frame, codec.api.apiKey, entry.version)
        entry.resolve(codec.readResponse(reader, entry.version))
      } catch (error) {
        entry.reject(error as Error)
      }
    }
  }

  private failAll(error: Error): void {
    this.closedError ??= error
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer)
      entry.reject(error)
    }
    this.pending.clear()
  }
}
