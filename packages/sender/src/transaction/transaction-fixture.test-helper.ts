// Test-only wiring for the transaction manager's tests: @x/testkit's embedded cluster (in-memory transport,
// idempotence and transactions validated as a Kafka 4 broker does, deterministic fault injection) under the
// real stack — BufferPool → RecordAccumulator → Sender — with a TransactionManager as both seam halves, all
// on the sender's hand-stepped clock.
import { RecordAccumulator, type RecordAccumulatorOptions, recordBatchBuilderFactory } from '@x/accumulator'
import { BufferPool } from '@x/buffer-pool'
import { EmbeddedKafkaCluster, type EmbeddedKafkaClusterOptions } from '@x/testkit'
import { type CreateSenderOptions, createSender, type SenderStack } from '../sender/create-sender.js'
import type { SenderEvent } from '../sender/sender-events.js'
import { ManualClock } from '../testing/manual-clock.js'
import type { Outcome } from '../testing/sender-fixture.js'
import { TransactionManager, type TransactionManagerOptions } from './transaction-manager.js'
import type { TransactionalRequestResult } from './transactional-request-result.js'

export type { Outcome }

export interface TxnFixtureOptions {
  cluster?: EmbeddedKafkaClusterOptions
  /** Another producer on the cluster of an existing fixture (not stopped with this one). */
  sharedCluster?: EmbeddedKafkaCluster
  transactionManager?: Omit<TransactionManagerOptions, 'clock'>
  sender?: Partial<Omit<CreateSenderOptions, 'accumulator' | 'bootstrapServers' | 'transport' | 'clock'>>
  accumulator?: Partial<Omit<RecordAccumulatorOptions, 'bufferPool' | 'recordsBuilderFactory'>>
}

export interface TxnFixture extends SenderStack {
  readonly clock: ManualClock
  readonly cluster: EmbeddedKafkaCluster
  readonly tm: TransactionManager
  readonly accumulator: RecordAccumulator
  readonly pool: BufferPool
  readonly events: SenderEvent[]
  /** Appends one record (after waiting for metadata); the outcome fills in as it completes. */
  send(topic: string, value: string, partition: number): Outcome
  /** As the producer does for a transactional send: refuse first, then append, then join the transaction. */
  sendInTransaction(topic: string, value: string, partition: number): Outcome
  /** Advances time until `condition` holds, or `maxMs` passed. */
  runUntil(condition: () => boolean, maxMs?: number, stepMs?: number): Promise<boolean>
  /** Advances time until every outcome is done. */
  runUntilDone(outcomes: readonly Outcome[], maxMs?: number): Promise<boolean>
  /** Values of a partition as a read_committed (default) or read_uncommitted consumer sees them. */
  values(topic: string, partition: number, isolation?: 'read_committed' | 'read_uncommitted'): string[]
  stop(): Promise<void>
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export async function createTxnFixture(options: TxnFixtureOptions = {}): Promise<TxnFixture> {
  const cluster =
    options.sharedCluster ?? (await EmbeddedKafkaCluster.start({ listen: false, ...options.cluster }))
  // Record timestamps come from this clock: start it at the wall-clock time the broker validates against.
  const clock = new ManualClock(Date.now())
  const tm = new TransactionManager({ retryBackoffMs: 100, ...options.transactionManager, clock })
  const batchSize = options.accumulator?.batchSize ?? 16_384
  const pool = new BufferPool({ totalMemory: 1_048_576, poolableSize: batchSize, timer: clock })
  const accumulator = new RecordAccumulator({
    batchSize,
    lingerMs: 0,
    deliveryTimeoutMs: 120_000,
    retryBackoffMs: 100,
    retryBackoffMaxMs: 1000,
    ...options.accumulator,
    bufferPool: pool,
    recordsBuilderFactory: recordBatchBuilderFactory(),
    transactionManager: tm,
    clock: () => clock.now(),
    random: () => 0.5,
  })
  const stack = createSender({
    requestTimeoutMs: 30_000,
    ...options.sender,
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    accumulator,
    transactionManager: tm,
    clock,
    random: () => 0.5,
  })
  const events: SenderEvent[] = []
  stack.sender.events$.subscribe((event) => events.push(event))

  const append = (topic: string, value: string, partition: number, transactional: boolean): Outcome => {
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
    const fail = (error: Error) => {
      outcome.completions++
      outcome.done = true
      outcome.error = error
    }
    const go = () => {
      const result = accumulator.append(
        topic,
        partition,
        clock.now(),
        null,
        encoder.encode(value),
        null,
        completion,
        60_000,
        false,
        clock.now(),
        stack.metadata.fetch(),
      )
      if (result instanceof Promise) result.catch(fail)
      else if (transactional) tm.maybeAddPartition(topic, result.partition)
    }
    if (transactional) tm.failIfNotReadyForSend()
    const waited = stack.metadata.waitOnMetadata(topic, partition, 60_000, clock.now())
    if (waited instanceof Promise) waited.then(go, fail)
    else go()
    stack.sender.wakeup()
    return outcome
  }

  const runUntil = (condition: () => boolean, maxMs = 60_000, stepMs = 10) =>
    clock.advanceUntil(condition, maxMs, stepMs)

  stack.sender.start()
  // Metadata of the topics first, so a record appends at once (as the producer's commit waits for sends still
  // waiting for metadata, before it ends the transaction).
  for (const topic of options.cluster?.topics ?? []) {
    const name = typeof topic === 'string' ? topic : topic.name
    stack.metadata.add(name, clock.now())
    stack.metadata.requestUpdate()
    await clock.advanceUntil(() => stack.metadata.fetch().partitionCount(name) !== undefined, 10_000)
  }
  return {
    ...stack,
    clock,
    cluster,
    tm,
    accumulator,
    pool,
    events,
    send: (topic, value, partition) => append(topic, value, partition, false),
    sendInTransaction: (topic, value, partition) => append(topic, value, partition, true),
    runUntil,
    runUntilDone: (outcomes, maxMs) => runUntil(() => outcomes.every((outcome) => outcome.done), maxMs),
    values: (topic, partition, isolation = 'read_committed') =>
      cluster.records(topic, partition, { isolation }).map((record) => decoder.decode(record.value!)),
    async stop() {
      await stack.sender.forceClose()
      if (options.sharedCluster === undefined) await cluster.stop()
    },
  }
}

/**
 * Runs the clock until a transactional result completes, then waits on it as the producer does (which marks
 * it seen, so the next operation may start). Resolves to its error, or undefined on success.
 */
export async function settleResult(
  fixture: TxnFixture,
  result: TransactionalRequestResult,
  maxMs = 60_000,
): Promise<Error | undefined> {
  fixture.sender.wakeup()
  const done = await fixture.runUntil(() => result.isCompleted, maxMs)
  if (!done) throw new Error(`the transactional result did not complete within ${maxMs} ms of cluster time`)
  return result.await(0, fixture.clock).then(
    () => undefined,
    (error: Error) => error,
  )
}
