// Test-only wiring: @x/testkit's embedded cluster (in-memory transport, faults, request log) and the sender
// stack on top — a real BufferPool and RecordAccumulator — all on one @x/testkit ManualClock, stepped with
// advanceAsync so every run is the same. The transport is wrapped to watch the sender's writes.
import { RecordAccumulator, type RecordAccumulatorOptions, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { EmbeddedKafkaCluster, type EmbeddedKafkaClusterOptions, ManualClock } from '@x/testkit'
import { type CreateSenderOptions, createSender, type SenderStack } from '../sender/create-sender.js'
import type { SenderEvent } from '../sender/sender-events.js'
import { RecordingTransport } from './recording-transport.js'

/** How one sent record ended; `completions` must end at exactly 1. */
export interface Outcome {
  done: boolean
  completions: number
  partition: number | undefined
  offset: bigint | undefined
  error: Error | undefined
}

export interface FixtureOptions {
  /** The embedded cluster (in memory only, on the fixture's clock; request log of 100,000 by default). */
  cluster?: Omit<EmbeddedKafkaClusterOptions, 'clock' | 'listen'>
  sender?: Partial<Omit<CreateSenderOptions, 'accumulator' | 'bootstrapServers' | 'transport' | 'clock'>>
  accumulator?: Partial<Omit<RecordAccumulatorOptions, 'bufferPool' | 'recordsBuilderFactory'>>
  totalMemory?: number
}

export interface SendOptions {
  partition?: number
  key?: string | null
  /** Record timestamp; default the clock's now. */
  timestamp?: number
}

export interface SenderFixture extends SenderStack {
  readonly clock: ManualClock
  readonly cluster: EmbeddedKafkaCluster
  readonly transport: RecordingTransport
  readonly accumulator: RecordAccumulator
  readonly pool: BufferPool
  readonly events: SenderEvent[]
  /** Appends one record (waiting for metadata if needed); the outcome fills in as it completes. */
  send(topic: string, value: string, options?: SendOptions): Outcome
  /** Advances time until every outcome is done, or `maxMs` passed. */
  runUntilDone(outcomes: readonly Outcome[], maxMs?: number, stepMs?: number): Promise<boolean>
  /** Force-closes the sender (if still open) and stops the cluster. */
  stop(): Promise<void>
}

const encoder = new TextEncoder()

export async function createSenderFixture(options: FixtureOptions = {}): Promise<SenderFixture> {
  const clock = new ManualClock(1_000_000)
  const cluster = await EmbeddedKafkaCluster.start({
    requestLog: 100_000,
    ...options.cluster,
    listen: false,
    clock,
  })
  const transport = new RecordingTransport(cluster.transport)
  const batchSize = options.accumulator?.batchSize ?? 16_384
  const pool = new BufferPool({
    totalMemory: options.totalMemory ?? 1_048_576,
    poolableSize: batchSize,
    timer: clock,
  })
  const accumulator = new RecordAccumulator({
    batchSize,
    lingerMs: 0,
    deliveryTimeoutMs: 120_000,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1000,
    ...options.accumulator,
    bufferPool: pool,
    recordsBuilderFactory: recordBatchBuilderFactory(),
    clock: () => clock.now(),
    random: () => 0.5,
  })
  const stack = createSender({
    requestTimeoutMs: 30_000,
    ...options.sender,
    bootstrapServers: cluster.bootstrapServers,
    transport,
    resolveHost: async (host) => [host],
    accumulator,
    clock,
    random: options.sender?.random ?? (() => 0.5),
  })
  const events: SenderEvent[] = []
  stack.sender.events$.subscribe((event) => events.push(event))

  const send = (topic: string, value: string, sendOptions: SendOptions = {}) => {
    const outcome: Outcome = {
      done: false,
      completions: 0,
      partition: undefined,
      offset: undefined,
      error: undefined,
    }
    const completion = {
      onCompletion(
        batch: { partition: number; baseOffset: bigint },
        index: number,
        error: Error | undefined,
      ) {
        outcome.completions++
        outcome.done = true
        outcome.partition = batch.partition
        outcome.error = error
        if (error === undefined)
          outcome.offset = batch.baseOffset < 0n ? -1n : batch.baseOffset + BigInt(index)
      },
    }
    const append = () => {
      const key =
        sendOptions.key === undefined || sendOptions.key === null ? null : encoder.encode(sendOptions.key)
      const result = accumulator.append(
        topic,
        sendOptions.partition ?? -1,
        sendOptions.timestamp ?? clock.now(),
        key,
        encoder.encode(value),
        null,
        completion,
        60_000,
        false,
        clock.now(),
        stack.metadata.fetch(),
      )
      if (result instanceof Promise) result.catch((error: Error) => fail(error))
    }
    const fail = (error: Error) => {
      outcome.completions++
      outcome.done = true
      outcome.error = error
    }
    const waited = stack.metadata.waitOnMetadata(topic, sendOptions.partition, 60_000, clock.now())
    if (waited instanceof Promise) waited.then(append, fail)
    else append()
    return outcome
  }

  const runUntilDone = (outcomes: readonly Outcome[], maxMs = 60_000, stepMs = 10) =>
    clock.advanceUntil(() => outcomes.every((outcome) => outcome.done), maxMs, stepMs)

  stack.sender.start()
  return {
    ...stack,
    clock,
    cluster,
    transport,
    accumulator,
    pool,
    events,
    send,
    runUntilDone,
    async stop() {
      await stack.sender.forceClose()
      await cluster.stop()
    },
  }
}
