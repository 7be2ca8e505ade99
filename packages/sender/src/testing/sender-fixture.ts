// Test-only wiring: a fake cluster, a hand-stepped clock, a real BufferPool and RecordAccumulator, and the
// sender stack on top — everything the unit tests of the sender drive.
import { RecordAccumulator, type RecordAccumulatorOptions, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { type CreateSenderOptions, createSender, type SenderStack } from '../sender/create-sender.js'
import type { SenderEvent } from '../sender/sender-events.js'
import { FakeCluster, type FakeClusterOptions, type FakeTopicOptions } from './fake-cluster.js'
import { ManualClock } from './manual-clock.js'

/** How one sent record ended; `completions` must end at exactly 1. */
export interface Outcome {
  done: boolean
  completions: number
  partition: number | undefined
  offset: bigint | undefined
  error: Error | undefined
}

export interface FixtureOptions {
  cluster?: Omit<FakeClusterOptions, 'clock'>
  topics?: Record<string, FakeTopicOptions>
  sender?: Partial<Omit<CreateSenderOptions, 'accumulator' | 'bootstrapServers' | 'transport' | 'clock'>>
  accumulator?: Partial<Omit<RecordAccumulatorOptions, 'bufferPool' | 'recordsBuilderFactory'>>
  totalMemory?: number
}

export interface SenderFixture extends SenderStack {
  readonly clock: ManualClock
  readonly cluster: FakeCluster
  readonly accumulator: RecordAccumulator
  readonly pool: BufferPool
  readonly events: SenderEvent[]
  /** Appends one record (waiting for metadata if needed); the outcome fills in as it completes. */
  send(topic: string, value: string, options?: { partition?: number; key?: string | null }): Outcome
  /** Advances time until every outcome is done, or `maxMs` passed. */
  runUntilDone(outcomes: readonly Outcome[], maxMs?: number, stepMs?: number): Promise<boolean>
}

const encoder = new TextEncoder()

export function createSenderFixture(options: FixtureOptions = {}): SenderFixture {
  const clock = new ManualClock()
  const cluster = new FakeCluster({ ...options.cluster, clock })
  for (const [name, topic] of Object.entries(options.topics ?? {})) cluster.createTopic(name, topic)
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
    transport: cluster.transport,
    resolveHost: cluster.resolveHost,
    accumulator,
    clock,
    random: options.sender?.random ?? (() => 0.5),
  })
  const events: SenderEvent[] = []
  stack.sender.events$.subscribe((event) => events.push(event))

  const send = (
    topic: string,
    value: string,
    sendOptions: { partition?: number; key?: string | null } = {},
  ) => {
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
        clock.now(),
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
  return { ...stack, clock, cluster, accumulator, pool, events, send, runUntilDone }
}
