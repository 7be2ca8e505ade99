import {
  apiVersionsApi,
  decodeRequestHeader,
  ErrorCode,
  encodeResponse,
  FrameSplitter,
  Reader,
  type RequestHeader,
  writeApiVersionsResponse,
} from '@x/protocol'
import { type ApiName, advertisedVersions, apiCodecs, apiNameOf } from '../api-codecs.js'
import type { BrokerNode } from '../cluster/broker-node.js'
import type { ClusterModel } from '../cluster/cluster-model.js'
import { NO_FAULTS, type PartitionVisitor, type RequestFaults } from '../faults/faults.js'
import type { HeldResponseEntry } from '../faults/held-responses.js'
import type { RequestLogEntry } from '../faults/request-log.js'
import {
  type ApiHandler,
  DEFERRED,
  type DeferredResponse,
  NO_RESPONSE,
  type RequestContext,
} from '../handlers/api-handler.js'
import { apiHandlers, supportedApiKeys } from '../handlers/index.js'
import { SaslSession } from '../sasl/sasl-session.js'

/** Where a connection's response bytes go: a TCP socket or the client end of an in-memory pair. */
export interface ConnectionSink {
  write(chunks: readonly Uint8Array[]): void
  close(): void
}

/** One response in a connection's queue, in request order. */
interface ResponseSlot {
  readonly correlationId: number
  chunks: readonly Uint8Array[] | undefined
  /** Added latency not yet elapsed. */
  delayed: boolean
  held: boolean
  entry: RequestLogEntry | undefined
  cancelTimer: (() => void) | undefined
  onCancel: (() => void) | undefined
  heldEntry?: HeldResponseEntry
  /** A `mid-response` disconnect: write half the bytes, then close. */
  cutMidResponse?: boolean
}

const NO_PARTITIONS: PartitionVisitor = () => false

/** Kafka's `connections.failed.authentication.delay.ms` default: how long a failed connection stays open. */
const FAILED_AUTHENTICATION_DELAY_MS = 100

/**
 * The broker end of one client connection, shared by the TCP listener and the in-memory transport: cuts
 * frames, decodes each request, applies faults, runs the handler and writes responses strictly in request
 * order (as Kafka does per connection), unless a test releases a held one out of order.
 */
export class BrokerConnection {
  readonly id: number
  private readonly splitter = new FrameSplitter()
  private readonly queue: ResponseSlot[] = []
  private closed = false
  /** Authentication state when the cluster enables SASL. */
  private readonly sasl: SaslSession | undefined
  private cancelFailedClose: (() => void) | undefined

  constructor(
    private readonly model: ClusterModel,
    readonly broker: BrokerNode,
    private readonly sink: ConnectionSink,
  ) {
    this.id = model.connectionId()
    broker.connections.add(this)
    const sasl = model.settings.sasl
    this.sasl = sasl === undefined ? undefined : new SaslSession(sasl)
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Bytes from the client, in any chunking. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return
    let frames: readonly Uint8Array[]
    try {
      frames = this.splitter.push(chunk)
    } catch (error) {
      this.model.reportError(this.broker.id, error)
      this.close()
      return
    }
    for (const frame of frames) {
      if (this.closed) return
      this.handleFrame(frame)
    }
  }

  /** Closes from the broker side (a fault, a broker going down, the cluster stopping). */
  close(): void {
    if (this.closed) return
    this.cleanUp()
    this.sink.close()
  }

  /** The client closed the connection. */
  peerClosed(): void {
    if (!this.closed) this.cleanUp()
  }

  private cleanUp(): void {
    this.closed = true
    this.cancelFailedClose?.()
    this.broker.connections.delete(this)
    const now = this.model.clock.now()
    for (const slot of this.queue) {
      slot.cancelTimer?.()
      slot.onCancel?.()
      if (slot.heldEntry !== undefined) slot.heldEntry.isReleased = true // dropped with its connection
      if (slot.entry !== undefined && slot.entry.outcome === 'pending') {
        slot.entry.outcome = 'disconnected'
        slot.entry.completedAtMs = now
      }
    }
    this.queue.length = 0
  }

  private handleFrame(frame: Uint8Array): void {
    let header: RequestHeader
    let bodyOffset: number
    try {
      const decoded = decodeRequestHeader(frame)
      header = decoded.header
      bodyOffset = decoded.reader.offset
    } catch {
      this.close() // an unknown API key or a malformed header: Kafka closes the connection
      return
    }
    const name = apiNameOf(header.requestApiKey)
    if (name === undefined) {
      this.close()
      return
    }
    const version = header.requestApiVersion
    const announced = this.model.settings.apiVersions[name]
    const implemented = advertisedVersions[name]
    if (version < announced.min || version > announced.max) {
      if (name === 'ApiVersions') this.answerUnsupportedApiVersions(header)
      else this.refuseVersion(header, name)
      return
    }
    if (version < implemented.min || version > implemented.max) {
      // announced to act as an older broker, but not a version this broker can serve
      this.refuseVersion(header, name)
      return
    }
    const logging = this.model.requestLog.isEnabled
    const handler = apiHandlers[name] as ApiHandler<ApiName>
    const codec = apiCodecs[name]
    let request: unknown
    try {
      const source = logging ? frame.slice() : frame
      request = codec.readRequest(new Reader(source, bodyOffset), version)
    } catch (error) {
      this.model.reportError(this.broker.id, error)
      this.close()
      return
    }
    if (this.sasl !== undefined && !this.sasl.allows(name)) {
      // before authentication only ApiVersions and the SASL exchange are read: Kafka closes the connection
      this.finishEntry(this.logEntry(header, name, request, []), 'disconnected')
      this.close()
      return
    }
    const faults: RequestFaults = this.model.faults.isEmpty
      ? NO_FAULTS
      : this.model.faults.decide(
          name,
          this.broker.id,
          handler.partitions?.(request as never) ?? NO_PARTITIONS,
        )
    const nowMs = this.model.clock.now()
    const entry = this.logEntry(header, name, request, faults.descriptions)
    if (faults.disconnect === 'before-handling') {
      this.finishEntry(entry, 'disconnected')
      this.close()
      return
    }
    const slot: ResponseSlot = {
      correlationId: header.correlationId,
      chunks: undefined,
      delayed: false,
      held: false,
      entry,
      cancelTimer: undefined,
      onCancel: undefined,
      cutMidResponse: faults.disconnect === 'mid-response',
    }
    let closeRequested = false
    const ctx: RequestContext<ApiName> = {
      model: this.model,
      broker: this.broker,
      header,
      apiVersion: version,
      faults,
      nowMs,
      defer: (): DeferredResponse<ApiName> => ({
        complete: (response) => {
          if (this.closed || !this.queue.includes(slot)) return
          slot.onCancel = undefined
          this.encodeInto(slot, name, version, response, faults)
          this.flush()
        },
        onCancel: (callback) => {
          slot.onCancel = callback
        },
      }),
      closeConnection: () => {
        closeRequested = true
      },
      sasl: this.sasl,
      failAuthentication: () => {
        this.cancelFailedClose ??= this.model.timers.schedule(
          () => this.close(),
          FAILED_AUTHENTICATION_DELAY_MS,
        )
      },
    }
    let result: unknown
    try {
      result = handler.handle(ctx, request as never)
    } catch (error) {
      this.model.reportError(this.broker.id, error)
      this.finishEntry(entry, 'disconnected')
      this.close()
      return
    }
    if (faults.disconnect === 'after-handling') {
      slot.onCancel?.()
      this.finishEntry(entry, 'disconnected')
      this.close()
      return
    }
    if (result === NO_RESPONSE) {
      if (faults.disconnect === 'mid-response') {
        this.finishEntry(entry, 'disconnected')
        this.close()
        return
      }
      this.finishEntry(entry, 'no-response')
      if (closeRequested) this.close()
      return
    }
    if (result !== DEFERRED) {
      this.encodeInto(slot, name, version, result, faults)
      if (this.closed) return
    }
    if (faults.latencyMs > 0) {
      slot.delayed = true
      slot.cancelTimer = this.model.timers.schedule(() => {
        slot.delayed = false
        slot.cancelTimer = undefined
        this.flush()
      }, faults.latencyMs)
    }
    if (faults.hold !== undefined) {
      slot.held = true
      const held: HeldResponseEntry = {
        api: name,
        brokerId: this.broker.id,
        connectionId: this.id,
        correlationId: header.correlationId,
        isReleased: false,
        release: (options) => {
          if (held.isReleased) return
          held.isReleased = true
          slot.held = false
          if (this.closed) return
          if (options?.outOfOrder === true) this.writeOutOfOrder(slot)
          else this.flush()
        },
      }
      slot.heldEntry = held
      faults.hold.add(held)
    }
    this.queue.push(slot)
    this.flush()
  }

  private encodeInto(
    slot: ResponseSlot,
    name: ApiName,
    version: number,
    response: unknown,
    faults: RequestFaults,
  ): void {
    if (faults.throttleTimeMs !== undefined && response !== null && typeof response === 'object') {
      ;(response as { throttleTimeMs?: number }).throttleTimeMs = faults.throttleTimeMs
    }
    try {
      slot.chunks = encodeResponse({
        api: apiCodecs[name].api,
        apiVersion: version,
        correlationId: slot.correlationId,
        body: response as never,
        writeBody: apiCodecs[name].writeResponse as never,
      })
    } catch (error) {
      this.model.reportError(this.broker.id, error)
      this.finishEntry(slot.entry, 'disconnected')
      this.close()
      return
    }
    if (slot.entry !== undefined) slot.entry.response = response
  }

  private flush(): void {
    const queue = this.queue
    while (queue.length > 0) {
      const head = queue[0]!
      if (head.chunks === undefined || head.delayed || head.held) return
      queue.shift()
      this.write(head)
    }
  }

  private writeOutOfOrder(slot: ResponseSlot): void {
    if (slot.chunks === undefined || slot.delayed) return // written in order once ready
    const index = this.queue.indexOf(slot)
    if (index < 0) return
    this.queue.splice(index, 1)
    this.write(slot)
    this.flush()
  }

  private write(slot: ResponseSlot): void {
    if (slot.cutMidResponse === true) {
      this.finishEntry(slot.entry, 'disconnected')
      this.sink.write(firstHalf(slot.chunks!))
      this.close()
      return
    }
    this.finishEntry(slot.entry, 'responded')
    this.sink.write(slot.chunks!)
  }

  private finishEntry(entry: RequestLogEntry | undefined, outcome: RequestLogEntry['outcome']): void {
    if (entry === undefined) return
    entry.outcome = outcome
    entry.completedAtMs = this.model.clock.now()
  }

  /** Logs a request as it arrives (`request` is undefined when its version could not be decoded). */
  private logEntry(
    header: RequestHeader,
    name: ApiName,
    request: unknown,
    faults: readonly string[],
  ): RequestLogEntry | undefined {
    if (!this.model.requestLog.isEnabled) return undefined
    const entry: RequestLogEntry = {
      sequence: this.model.requestLog.nextSequence(),
      api: name,
      apiKey: header.requestApiKey,
      apiVersion: header.requestApiVersion,
      brokerId: this.broker.id,
      connectionId: this.id,
      correlationId: header.correlationId,
      clientId: header.clientId,
      inFlightOnConnection: this.queue.length + 1,
      receivedAtMs: this.model.clock.now(),
      completedAtMs: undefined,
      outcome: 'pending',
      request,
      response: undefined,
      faults,
    }
    this.model.requestLog.add(entry)
    return entry
  }

  /** A request at a version the broker does not serve: Kafka closes the connection. */
  private refuseVersion(header: RequestHeader, name: ApiName): void {
    this.finishEntry(this.logEntry(header, name, undefined, []), 'disconnected')
    this.close()
  }

  /** KIP-511: a too-new ApiVersions request gets a v0 answer with UNSUPPORTED_VERSION and the supported ranges. */
  private answerUnsupportedApiVersions(header: RequestHeader): void {
    const body = {
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      apiKeys: supportedApiKeys(this.model.settings.apiVersions),
    }
    const chunks = encodeResponse({
      api: apiVersionsApi,
      apiVersion: 0,
      correlationId: header.correlationId,
      body,
      writeBody: writeApiVersionsResponse,
    })
    const entry = this.logEntry(header, 'ApiVersions', undefined, [])
    if (entry !== undefined) entry.response = body
    this.queue.push({
      correlationId: header.correlationId,
      chunks,
      delayed: false,
      held: false,
      entry,
      cancelTimer: undefined,
      onCancel: undefined,
    })
    this.flush()
  }
}

/** The first half of a response's bytes (at least one), for a connection cut in the middle of it. */
function firstHalf(chunks: readonly Uint8Array[]): Uint8Array[] {
  let remaining = 0
  for (const chunk of chunks) remaining += chunk.length
  remaining = Math.max(1, remaining >> 1)
  const half: Uint8Array[] = []
  for (const chunk of chunks) {
    if (remaining === 0) break
    const part = chunk.length <= remaining ? chunk : chunk.subarray(0, remaining)
    half.push(part)
    remaining -= part.length
  }
  return half
}
