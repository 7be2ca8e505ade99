import {
  type ApiVersionsResponse,
  apiVersionsApi,
  decodeResponseHeader,
  ErrorCode,
  encodeRequest,
  errorForCode,
  FrameSplitter,
  KafkaError,
  peekCorrelationId,
  type Reader,
  readApiVersionsResponse,
  writeApiVersionsRequest,
} from '@x/protocol'
import type { SenderClock } from '../clock.js'
import { NetworkError } from '../errors/network-error.js'
import { TimeoutError } from '../errors/timeout-error.js'
import type { Transport, TransportSocket, TransportTlsOptions } from '../transport/transport.js'
import { NodeApiVersions } from './api-versions.js'
import { describeNode } from './broker-node.js'
import {
  type ClientRequest,
  type ClientResponse,
  createClientRequest,
  type RequestSpec,
} from './client-request.js'
import { InFlightRequests } from './in-flight-requests.js'
import { authenticate } from './sasl/sasl-authenticate.js'
import type { SaslMechanism } from './sasl/sasl-mechanism.js'

/** Where a connection is in its life; `ready` once ApiVersions (and SASL) completed. */
export type BrokerConnectionState = 'connecting' | 'handshaking' | 'ready' | 'closed'

/** What a connection tells its owner (the `NetworkClient`). */
export interface BrokerConnectionListener {
  onReady(connection: BrokerConnection): void
  /** Called once; `error` is undefined for a close the owner asked for. */
  onClose(connection: BrokerConnection, error: KafkaError | undefined): void
  /** A write handed to the transport finished (bytes left the process, or failed). */
  onWritten(connection: BrokerConnection): void
  onResponse(connection: BrokerConnection, request: ClientRequest): void
}

export interface BrokerConnectionOptions {
  readonly nodeId: number
  readonly host: string
  readonly port: number
  readonly transport: Transport
  readonly tls: TransportTlsOptions | undefined
  readonly sasl: SaslMechanism | undefined
  readonly clientId: string | null
  readonly clientSoftwareName: string
  readonly clientSoftwareVersion: string
  readonly maxInFlight: number
  readonly requestTimeoutMs: number
  readonly connectTimeoutMs: number
  readonly clock: SenderClock
  readonly listener: BrokerConnectionListener
}

const MAX_CORRELATION_ID = 0x7fffffff

/**
 * One connection to one broker (Java's `KafkaChannel` plus the per-node half of `NetworkClient`): opens the
 * transport, negotiates API versions (ApiVersions at our highest version, retried at the broker's highest
 * when it answers UNSUPPORTED_VERSION), authenticates with SASL when configured, then carries requests.
 *
 * Requests are pipelined up to `max.in.flight.requests.per.connection` (enforced by `InFlightRequests`);
 * every request sent during one event-loop turn leaves in a single transport write. Responses are matched
 * to the oldest request by correlation id and decoded at the version negotiated. One timer watches the
 * earliest `request.timeout.ms` deadline: when it passes the connection closes and every request in flight
 * fails with a retriable `TimeoutError` (Java completes them as REQUEST_TIMED_OUT). A broken stream (wrong
 * correlation id, undecodable frame) closes the connection and fails its requests with a retriable
 * `NetworkError`.
 */
export class BrokerConnection {
  readonly nodeId: number
  readonly host: string
  readonly port: number
  state: BrokerConnectionState = 'connecting'
  /** The broker's API versions, once negotiated. */
  apiVersions: NodeApiVersions | undefined
  readonly inFlight: InFlightRequests
  private socket: TransportSocket | undefined
  private readonly splitter = new FrameSplitter()
  private nextCorrelationId = 0
  private pendingChunks: Uint8Array[] = []
  private pendingRequests: ClientRequest[] = []
  private flushScheduled = false
  private timer: unknown
  private timerDueMs = Number.POSITIVE_INFINITY

  constructor(private readonly options: BrokerConnectionOptions) {
    this.nodeId = options.nodeId
    this.host = options.host
    this.port = options.port
    this.inFlight = new InFlightRequests(options.maxInFlight)
  }

  get description(): string {
    return describeNode({ id: this.nodeId, host: this.host, port: this.port })
  }

  get isClosed(): boolean {
    return this.state === 'closed'
  }

  /** True when ready and one more request may be pipelined. */
  canSendMore(): boolean {
    return this.state === 'ready' && this.inFlight.canSendMore()
  }

  /** Opens the transport and runs the handshake; the listener hears `onReady` or `onClose`. */
  connect(): void {
    const { transport, host, port, tls, connectTimeoutMs } = this.options
    let connecting: Promise<TransportSocket>
    try {
      connecting = transport.connect({ host, port, tls, connectTimeoutMs })
    } catch (error) {
      connecting = Promise.reject(error)
    }
    connecting.then(
      (socket) => {
        if (this.state === 'closed') {
          socket.close()
          return
        }
        this.socket = socket
        socket.onData((chunk) => this.onData(chunk))
        socket.onClose((error) =>
          this.close(
            new NetworkError({
              nodeId: this.nodeId,
              message: `The connection to ${this.description} was closed${error ? `: ${error.message}` : ' by the broker'}.`,
              cause: error,
            }),
          ),
        )
        this.state = 'handshaking'
        this.negotiateApiVersions(apiVersionsApi.maxVersion)
      },
      (error: unknown) => this.close(asConnectError(error, this.nodeId, this.description)),
    )
  }

  /**
   * Sends a request on a ready connection. The response (or the error that ends the request) goes to the
   * request's completion handler. A version both sides speak must exist, else the request completes with
   * `UnsupportedVersionError` (asynchronously, like every completion).
   */
  send(request: ClientRequest, nowMs: number): void {
    if (this.state !== 'ready' || this.apiVersions === undefined) {
      throw new KafkaError({
        code: 'ILLEGAL_STATE',
        message: `Attempt to send a request to ${this.description}, whose connection is ${this.state}, not ready.`,
      })
    }
    let version: number
    try {
      version = this.apiVersions.latestUsableVersion(request.api, request.minVersion)
    } catch (error) {
      request.nodeId = this.nodeId
      request.sendTimeMs = nowMs
      request.markWritten()
      queueMicrotask(() => request.settle(undefined, error as KafkaError, this.options.clock.now()))
      return
    }
    this.dispatch(request, version, nowMs)
  }

  /** Closes the connection; requests in flight fail with `error` (a `NetworkError` when not given). */
  close(error?: KafkaError): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer)
    this.timer = undefined
    this.socket?.close()
    // Requests never handed to the transport will never be written.
    for (const request of this.pendingRequests) request.markWritten()
    this.pendingChunks = []
    this.pendingRequests = []
    const failure =
      error ??
      new NetworkError({
        nodeId: this.nodeId,
        message: `The connection to ${this.description} was closed by the client.`,
      })
    const nowMs = this.options.clock.now()
    for (const request of this.inFlight.clear()) {
      if (this.socket === undefined) request.markWritten()
      request.settle(undefined, failure, nowMs)
    }
    this.options.listener.onClose(this, error)
  }

  private dispatch(request: ClientRequest, version: number, nowMs: number): void {
    request.apiVersion = version
    request.correlationId = this.nextCorrelationId
    this.nextCorrelationId = this.nextCorrelationId === MAX_CORRELATION_ID ? 0 : this.nextCorrelationId + 1
    request.nodeId = this.nodeId
    request.sendTimeMs = nowMs
    const chunks = encodeRequest({
      api: request.api,
      apiVersion: version,
      correlationId: request.correlationId,
      clientId: this.options.clientId,
      body: undefined,
      writeBody: (writer, writeVersion) => request.encodeBody(writer, writeVersion),
    })
    this.inFlight.add(request)
    for (const chunk of chunks) this.pendingChunks.push(chunk)
    this.pendingRequests.push(request)
    if (!this.flushScheduled) {
      this.flushScheduled = true
      queueMicrotask(() => this.flush())
    }
    this.armTimer(nowMs)
  }

  /** One transport write for every request queued during this turn. */
  private flush(): void {
    this.flushScheduled = false
    const chunks = this.pendingChunks
    const requests = this.pendingRequests
    if (requests.length === 0 || this.socket === undefined || this.state === 'closed') return
    this.pendingChunks = []
    this.pendingRequests = []
    try {
      this.socket.write(chunks, (error) => this.written(requests, error))
    } catch (error) {
      // A transport that throws instead of failing through the callback: the bytes did not go out.
      for (const request of requests) request.markWritten()
      this.close(this.streamError('the transport refused a write', error))
    }
  }

  private written(requests: ClientRequest[], error: Error | undefined): void {
    const nowMs = this.options.clock.now()
    for (const request of requests) {
      request.markWritten()
      if (!request.expectResponse && error === undefined && this.inFlight.remove(request)) {
        request.settle(undefined, undefined, nowMs)
      }
    }
    if (this.state !== 'closed') this.options.listener.onWritten(this)
  }

  private onData(chunk: Uint8Array): void {
    if (this.state === 'closed') return
    let frames: readonly Uint8Array[]
    try {
      frames = this.splitter.push(chunk)
    } catch (error) {
      this.close(this.streamError(`an invalid frame arrived`, error))
      return
    }
    for (const frame of frames) {
      if (this.isClosed) return
      this.onFrame(frame)
    }
  }

  private onFrame(frame: Uint8Array): void {
    const nowMs = this.options.clock.now()
    let correlationId: number
    try {
      correlationId = peekCorrelationId(frame)
    } catch (error) {
      this.close(this.streamError('a response frame is too short', error))
      return
    }
    const request = this.oldestAwaitingResponse()
    if (request === undefined || request.correlationId !== correlationId) {
      this.close(
        this.streamError(
          `the response's correlation id ${correlationId} does not match the oldest request in flight (${request === undefined ? 'none' : request.correlationId})`,
        ),
      )
      return
    }
    this.inFlight.remove(request)
    let body: unknown
    try {
      const { reader } = decodeResponseHeader(frame, request.api.apiKey, request.apiVersion)
      body = request.decodeBody(reader, request.apiVersion)
    } catch (error) {
      request.settle(
        undefined,
        this.streamError(`a ${request.api.name} response could not be decoded`, error),
        nowMs,
      )
      this.close(this.streamError(`a ${request.api.name} response could not be decoded`, error))
      return
    }
    request.settle(body, undefined, nowMs)
    if (!this.isClosed) {
      this.options.listener.onResponse(this, request)
      this.armTimer(nowMs)
    }
  }

  /** Requests that expect no response (acks=0) are skipped: they leave once written. */
  private oldestAwaitingResponse(): ClientRequest | undefined {
    return this.inFlight.oldestExpectingResponse()
  }

  private streamError(what: string, cause?: unknown): NetworkError {
    return new NetworkError({
      nodeId: this.nodeId,
      message: `Closing the connection to ${this.description}: ${what}${cause instanceof Error ? ` (${cause.message})` : ''}.`,
      cause,
    })
  }

  /** Keeps one timer at (or before) the earliest request deadline; it re-checks when it fires. */
  private armTimer(nowMs: number): void {
    const due = this.inFlight.earliestDeadline()
    if (due === Number.POSITIVE_INFINITY || due >= this.timerDueMs) return
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer)
    this.timerDueMs = due
    this.timer = this.options.clock.setTimeout(() => this.onTimer(), Math.max(0, due - nowMs))
  }

  private onTimer(): void {
    this.timer = undefined
    this.timerDueMs = Number.POSITIVE_INFINITY
    if (this.state === 'closed') return
    const nowMs = this.options.clock.now()
    const expired = this.inFlight.timedOut(nowMs)
    if (expired !== undefined) {
      this.close(
        new TimeoutError({
          timeout: 'request.timeout.ms',
          timeoutMs: expired.requestTimeoutMs,
          message: `Disconnected from ${this.description} due to timeout: ${expired.api.name} request (correlation id ${expired.correlationId}) got no response within request.timeout.ms (${expired.requestTimeoutMs} ms).`,
        }),
      )
      return
    }
    this.armTimer(nowMs)
  }

  /** Sends a handshake request (ApiVersions, SASL) before the connection is ready. */
  private sendInternal<Body, Response>(
    spec: RequestSpec<Body, Response>,
    version: number,
    onResponse: (response: ClientResponse<Response>) => void,
  ): void {
    const request = createClientRequest(spec, this.options.requestTimeoutMs, (response) => {
      if (this.state === 'closed') return
      try {
        onResponse(response)
      } catch (error) {
        this.close(KafkaError.isInstance(error) ? error : this.streamError('the handshake failed', error))
      }
    })
    this.dispatch(request, version, this.options.clock.now())
  }

  private negotiateApiVersions(version: number): void {
    this.sendInternal(
      {
        api: apiVersionsApi,
        body: {
          clientSoftwareName: this.options.clientSoftwareName,
          clientSoftwareVersion: this.options.clientSoftwareVersion,
        },
        write: writeApiVersionsRequest,
        read: readApiVersionsWithFallback,
      },
      version,
      (response) => {
        if (response.error !== undefined) throw response.error
        const body = response.body!
        if (body.errorCode === ErrorCode.UNSUPPORTED_VERSION && version > 0) {
          // The broker answered in v0 with its own ApiVersions range: retry at its highest (KIP-511).
          const brokerMax = body.apiKeys.find((api) => api.apiKey === apiVersionsApi.apiKey)?.maxVersion ?? 0
          this.negotiateApiVersions(Math.min(brokerMax, version - 1))
          return
        }
        const error = errorForCode(body.errorCode)
        if (error !== null) throw error
        this.apiVersions = new NodeApiVersions(body.apiKeys)
        this.authenticateIfNeeded()
      },
    )
  }

  private authenticateIfNeeded(): void {
    const mechanism = this.options.sasl
    if (mechanism === undefined) {
      this.becomeReady()
      return
    }
    authenticate(mechanism, this.apiVersions!, (spec, version, onResponse) =>
      this.sendInternal(spec, version, onResponse),
    ).then(
      () => this.becomeReady(),
      (error: unknown) =>
        this.close(
          KafkaError.isInstance(error) ? error : this.streamError('SASL authentication failed', error),
        ),
    )
  }

  private becomeReady(): void {
    if (this.state === 'closed') return
    this.state = 'ready'
    this.options.listener.onReady(this)
  }
}

/** ApiVersions responses to a version the broker does not speak come back in v0 (Java `ApiVersionsResponse.parse`). */
function readApiVersionsWithFallback(reader: Reader, version: number): ApiVersionsResponse {
  const start = reader.offset
  try {
    const response = readApiVersionsResponse(reader, version)
    if (response.errorCode !== ErrorCode.UNSUPPORTED_VERSION || version === 0) return response
  } catch (error) {
    if (version === 0) throw error
  }
  reader.offset = start
  return readApiVersionsResponse(reader, 0)
}

function asConnectError(error: unknown, nodeId: number, description: string): KafkaError {
  if (KafkaError.isInstance(error)) return error
  return new NetworkError({
    nodeId,
    message: `Connection to ${description} could not be established: ${error instanceof Error ? error.message : String(error)}.`,
    cause: error,
  })
}
