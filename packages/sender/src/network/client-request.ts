import type { ApiInfo, KafkaError, Reader, Writer } from '@x/protocol'

/** What to send: an API, its body and the generated codec functions for it. */
export interface RequestSpec<Body, Response> {
  readonly api: ApiInfo
  readonly body: Body
  /** The generated request writer, e.g. `writeProduceRequest`. */
  readonly write: (writer: Writer, version: number, body: Body) => void
  /** The generated response reader, e.g. `readProduceResponse`. */
  readonly read: (reader: Reader, version: number) => Response
  /** Lowest version acceptable (e.g. Produce v3, the first with RecordBatch v2). Default: the API's minimum. */
  readonly minVersion?: number
  /** False for Produce with acks=0: the request completes once written, no response comes. Default true. */
  readonly expectResponse?: boolean
  /** `request.timeout.ms` for this request. Default: the client's. */
  readonly requestTimeoutMs?: number
}

/** How a request ended (Java `ClientResponse`): a decoded body, or the error that ended it. */
export interface ClientResponse<Response> {
  readonly nodeId: number
  readonly correlationId: number
  readonly apiVersion: number
  /** The decoded response; undefined when `error` is set, and for requests that expect no response. */
  readonly body: Response | undefined
  /**
   * Set when no response came: `NetworkError` (disconnected, retriable), `TimeoutError` with
   * `timeout: 'request.timeout.ms'` (retriable; the connection was closed), `UnsupportedVersionError` (no
   * common version), `SenderClosedError` (the client closed).
   */
  readonly error: KafkaError | undefined
  readonly sendTimeMs: number
  readonly receivedTimeMs: number
}

/**
 * One request on its way through a connection: the encoder and decoder of its spec, the version and
 * correlation id the connection chose, and the bookkeeping the sender needs — when it was sent, whether its
 * bytes left the process (`written`, for pooled memory: KAFKA-19012), whether it settled.
 */
export class ClientRequest {
  correlationId = -1
  apiVersion = -1
  nodeId = Number.NaN
  sendTimeMs = 0
  /** The bytes left the process, or the socket failed (then they never will). */
  written = false
  /** The completion handler ran. */
  settled = false
  private releaseListeners: (() => void)[] | undefined

  constructor(
    readonly api: ApiInfo,
    readonly minVersion: number,
    readonly expectResponse: boolean,
    readonly requestTimeoutMs: number,
    /** Writes the body at the chosen version. */
    readonly encodeBody: (writer: Writer, version: number) => void,
    /** Decodes the body at the chosen version (reader positioned after the header); throws on bad bytes. */
    readonly decodeBody: (reader: Reader, version: number) => unknown,
    private readonly complete: (body: unknown, error: KafkaError | undefined, nowMs: number) => void,
  ) {}

  /** Ends the request once, with the decoded body or the error. Later calls are ignored. */
  settle(body: unknown, error: KafkaError | undefined, nowMs: number): void {
    if (this.settled) return
    this.settled = true
    this.complete(body, error, nowMs)
    if (this.written) this.fireReleased()
  }

  /** Settled and written: nothing references the request's bytes any more. */
  get released(): boolean {
    return this.settled && this.written
  }

  /**
   * Runs `listener` once the request has settled and its bytes left the process (at once if both hold):
   * the moment pooled memory behind its record batches may be reused (KAFKA-19012).
   */
  whenReleased(listener: () => void): void {
    if (this.released) {
      listener()
      return
    }
    if (this.releaseListeners === undefined) this.releaseListeners = []
    this.releaseListeners.push(listener)
  }

  /** The bytes left the process, or the socket failed so they never will. Idempotent. */
  markWritten(): void {
    if (this.written) return
    this.written = true
    if (this.settled) this.fireReleased()
  }

  private fireReleased(): void {
    const listeners = this.releaseListeners
    this.releaseListeners = undefined
    if (listeners !== undefined) for (const listener of listeners) listener()
  }
}

/** Builds a `ClientRequest` from a spec; `onComplete` gets the typed response exactly once. */
export function createClientRequest<Body, Response>(
  spec: RequestSpec<Body, Response>,
  defaultRequestTimeoutMs: number,
  onComplete: (response: ClientResponse<Response>) => void,
): ClientRequest {
  const request: ClientRequest = new ClientRequest(
    spec.api,
    spec.minVersion ?? spec.api.minVersion,
    spec.expectResponse ?? true,
    spec.requestTimeoutMs ?? defaultRequestTimeoutMs,
    (writer, version) => spec.write(writer, version, spec.body),
    spec.read,
    (body, error, nowMs) => {
      onComplete({
        nodeId: request.nodeId,
        correlationId: request.correlationId,
        apiVersion: request.apiVersion,
        body: body as Response | undefined,
        error,
        sendTimeMs: request.sendTimeMs,
        receivedTimeMs: nowMs,
      })
    },
  )
  return request
}
