// Checklist §5.2 on @x/testkit's embedded cluster (in-memory transport, 3 brokers): F3, F4, F6, F9, F10, F11,
// F13 with the KafkaProducer façade, each in both modes. Every record is an oracle record (value
// `runId|producer|key|seq`, header x-test-seq) and the oracle reads the cluster's logs back. Idempotent runs
// must show lost = duplicated = reordered = 0; the plain (idempotence off, acks=all) runs are the negative
// controls: where the fault can cause a duplicate or a reordering, the control must show it, or the fault
// was not injected.
import { TimeoutError } from '@x/producer'
import { DeliveryLedger } from '@x/testkit'
import { describe, expect, it } from 'vitest'
import { useEmbeddedCluster } from './support/embedded-fixture.js'
import { type ProducerMode, sendMany, sleep, tableRow } from './support/oracle-producer.js'

const fixture = useEmbeddedCluster()
const modes: ProducerMode[] = ['idempotent', 'plain']

describe.each(modes)('%s producer on the embedded cluster', (mode) => {
  const idempotent = mode === 'idempotent'

  it('F3: keeps batch order when the first of five pipelined batches is refused and the rest are not', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f3', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer(mode, { batchSize: 512, lingerMs: 0, retryBackoffMs: 20 })
    const ledger = new DeliveryLedger({ runId: `f3-${mode}` })
    // one batch first: the broker then knows the producer, so a gap is OUT_OF_ORDER_SEQUENCE_NUMBER (a brand
    // new producer id may start at any sequence — see the F3 first-batch test below)
    await sendMany(producer, ledger, { topic: 'f3', count: 1, partition: 0, keys: 1, valueBytes: 80 })
    await producer.flush()
    cluster.faults.injectError({ api: 'Produce', topic: 'f3', error: 'NOT_LEADER_OR_FOLLOWER' })
    cluster.faults.latency({ api: 'Produce', ms: 30 }) // slow answers: five requests in flight at once
    await sendMany(producer, ledger, { topic: 'f3', count: 40, partition: 0, keys: 1, valueBytes: 80 })
    await producer.flush()
    await ledger.whenCompleted()
    const report = fixture.check(ledger, 'f3', { idempotent })
    tableRow({
      id: 'F3',
      scenario: 'first of 5 in-flight batches NOT_LEADER, later ones OOOSN (idempotent) or appended (plain)',
      broker: 'embedded',
      mode,
      report,
    })
    expect(report.counts).toMatchObject({ acked: 41, lost: 0, duplicated: 0 })
    if (idempotent) expect(report.violations).toEqual([])
    // the control: batches 2..5 were appended before batch 1's retry, as Java without idempotence allows
    else expect(report.counts.reordered).toBeGreaterThan(0)
  })

  it('F4: a response lost after the append (disconnect after handling) does not duplicate the batch', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f4', partitions: 2, replicationFactor: 3 })
    const producer = fixture.producer(mode, { lingerMs: 5, retryBackoffMs: 20 })
    await producer.partitionsFor('f4')
    const ledger = new DeliveryLedger({ runId: `f4-${mode}` })
    await sendMany(producer, ledger, { topic: 'f4', count: 100, keys: 8 })
    await producer.flush()
    cluster.faults.disconnect({ api: 'Produce', when: 'after-handling', count: 2 })
    await sendMany(producer, ledger, { topic: 'f4', count: 400, keys: 8, yieldEvery: 50 })
    await producer.flush()
    await ledger.whenCompleted()
    const report = fixture.check(ledger, 'f4', { idempotent })
    tableRow({
      id: 'F4',
      scenario: 'disconnect after append (2 Produce responses lost)',
      broker: 'embedded',
      mode,
      report,
    })
    expect(report.counts).toMatchObject({ acked: 500, lost: 0 })
    if (idempotent) expect(report.violations).toEqual([])
    else expect(report.counts.duplicated).toBeGreaterThan(0) // the negative control
  })

  it('F6: NOT_ENOUGH_REPLICAS_AFTER_APPEND on a batch that was appended does not duplicate it', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f6', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer(mode, { lingerMs: 5, retryBackoffMs: 20 })
    await producer.partitionsFor('f6')
    cluster.faults.injectError({
      api: 'Produce',
      topic: 'f6',
      error: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
      afterHandling: true,
    })
    const ledger = new DeliveryLedger({ runId: `f6-${mode}` })
    await sendMany(producer, ledger, { topic: 'f6', count: 200, keys: 2, yieldEvery: 20 })
    await producer.flush()
    await ledger.whenCompleted()
    const report = fixture.check(ledger, 'f6', { idempotent })
    tableRow({
      id: 'F6',
      scenario: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND on the first batch',
      broker: 'embedded',
      mode,
      report,
    })
    expect(report.counts).toMatchObject({ acked: 200, lost: 0 })
    if (idempotent) expect(report.violations).toEqual([])
    else expect(report.counts.duplicated).toBeGreaterThan(0)
  })

  it('F9: expires an in-flight batch at the delivery timeout, once, and ignores its late response', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f9', partitions: 1, replicationFactor: 3 })
    // attempt 1 fails fast, attempt 2 leaves ~1 s later: its request deadline (1 s + 4 s) is past the
    // batch's delivery deadline (4 s), so the batch expires in flight while its response is held
    const producer = fixture.producer(mode, {
      lingerMs: 0,
      deliveryTimeoutMs: 4_000,
      requestTimeoutMs: 4_000,
      retryBackoffMs: 1_000,
      retryBackoffMaxMs: 1_000,
    })
    await producer.partitionsFor('f9')
    cluster.faults.injectError({ api: 'Produce', topic: 'f9', error: 'NOT_ENOUGH_REPLICAS' })
    const held = cluster.faults.hold({ api: 'Produce', topic: 'f9', skip: 1, count: 1 })
    const ledger = new DeliveryLedger({ runId: `f9-${mode}` })
    const ids = await sendMany(producer, ledger, { topic: 'f9', count: 10, partition: 0, keys: 1 })
    await held.waitFor(1)
    await ledger.whenCompleted(20_000)
    held.releaseAll() // the late response: appended records the producer already failed
    await sleep(200)
    const failures = ledger.failures()
    expect(failures.map((f) => f.id)).toEqual(ids)
    for (const failure of failures) {
      expect(TimeoutError.isInstance(failure.error)).toBe(true)
      expect((failure.error as TimeoutError).timeout).toBe('delivery.timeout.ms')
      expect(failure.persisted).toBe('maybe')
    }
    // the producer goes on: later records are delivered
    const later = await sendMany(producer, ledger, { topic: 'f9', count: 10, partition: 0, keys: 1 })
    await producer.flush()
    await ledger.whenCompleted()
    const report = fixture.check(ledger, 'f9', { idempotent, deliveryTimeoutMs: 4_000, epsilonMs: 2_000 })
    tableRow({
      id: 'F9',
      scenario: 'in-flight expiry, late response after the delivery timeout',
      broker: 'embedded',
      mode,
      report,
    })
    expect(later.every((id) => ledger.outcome(id).state === 'ok')).toBe(true)
    expect(report.counts).toMatchObject({
      multipleCompletions: 0,
      uncompleted: 0,
      lateCompletions: 0,
      lost: 0,
    })
    expect(report.counts.maybePersistedPresent).toBe(10) // the held batch was appended: possibly persisted, and it was
    expect(report.violations).toEqual([])
  })

  it('F10: records queued for a dead leader expire unsent, and the partition works again afterwards', async () => {
    const cluster = await fixture.start()
    const topic = cluster.createTopic({ name: 'f10', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer(mode, {
      lingerMs: 0,
      deliveryTimeoutMs: 2_000,
      requestTimeoutMs: 1_500,
    })
    const ledger = new DeliveryLedger({ runId: `f10-${mode}` })
    await sendMany(producer, ledger, { topic: 'f10', count: 20, partition: 0, keys: 1 })
    await producer.flush()
    const leader = topic.partitions[0]!.leader
    await cluster.faults.brokerDown(leader, { electLeaders: false })
    const expired = await sendMany(producer, ledger, { topic: 'f10', count: 20, partition: 0, keys: 1 })
    await ledger.whenCompleted(20_000)
    expect(expired.every((id) => ledger.outcome(id).state === 'failed')).toBe(true)
    await cluster.faults.brokerUp(leader)
    const after = await sendMany(producer, ledger, { topic: 'f10', count: 20, partition: 0, keys: 1 })
    await producer.flush()
    await ledger.whenCompleted()
    const report = fixture.check(ledger, 'f10', { idempotent, deliveryTimeoutMs: 2_000, epsilonMs: 2_000 })
    tableRow({
      id: 'F10',
      scenario: 'leader down, queued records expire unsent, then recovery',
      broker: 'embedded',
      mode,
      report,
    })
    expect(after.every((id) => ledger.outcome(id).state === 'ok')).toBe(true)
    expect(report.counts).toMatchObject({ acked: 40, failed: 20, read: 40, maybePersistedPresent: 0 })
    expect(report.violations).toEqual([])
  })

  it('F11: splits batches the broker refuses as too large; a single oversized record fails alone', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({
      name: 'f11',
      partitions: 1,
      replicationFactor: 3,
      configs: { 'max.message.bytes': String(16 * 1024) },
    })
    const bufferMemory = 4 * 1024 * 1024
    const producer = fixture.producer(mode, { batchSize: 256 * 1024, lingerMs: 50, bufferMemory })
    const splits: number[] = []
    producer.events$.subscribe((event) => {
      if (event.type === 'batch-split') splits.push(1)
    })
    await producer.partitionsFor('f11')
    const ledger = new DeliveryLedger({ runId: `f11-${mode}` })
    await sendMany(producer, ledger, { topic: 'f11', count: 100, partition: 0, keys: 3, valueBytes: 1_000 })
    const [big] = await sendMany(producer, ledger, {
      topic: 'f11',
      count: 1,
      partition: 0,
      keys: 1,
      valueBytes: 20_000,
      producerId: 'big',
    })
    await sendMany(producer, ledger, {
      topic: 'f11',
      count: 100,
      partition: 0,
      keys: 3,
      valueBytes: 1_000,
      producerId: 'p1',
    })
    await producer.flush()
    await ledger.whenCompleted()
    const report = fixture.check(ledger, 'f11', { idempotent })
    tableRow({
      id: 'F11',
      scenario: 'MESSAGE_TOO_LARGE: split and resend; one 20 KB record > max.message.bytes',
      broker: 'embedded',
      mode,
      report,
    })
    expect(splits.length).toBeGreaterThan(0)
    expect(report.counts).toMatchObject({ sent: 201, acked: 200, failed: 1, abortedRead: 0 })
    const failure = ledger.outcome(big!)
    expect(failure.state === 'failed' && (failure.error as { code?: string }).code).toBe('MESSAGE_TOO_LARGE')
    expect(report.violations).toEqual([])
    expect(producer.metrics()['buffer-available-bytes']).toBe(bufferMemory) // no buffer leaked by the splits
  })

  it('F13: TOPIC_AUTHORIZATION_FAILED fails that topic only; the producer keeps working for the others', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f13-denied', partitions: 1, replicationFactor: 3 })
    cluster.createTopic({ name: 'f13-allowed', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer(mode, { lingerMs: 5 })
    await producer.partitionsFor('f13-denied')
    await producer.partitionsFor('f13-allowed')
    cluster.faults.injectError({
      api: 'Produce',
      topic: 'f13-denied',
      error: 'TOPIC_AUTHORIZATION_FAILED',
      count: Number.POSITIVE_INFINITY,
    })
    const ledger = new DeliveryLedger({ runId: `f13-${mode}` })
    const denied = await sendMany(producer, ledger, { topic: 'f13-denied', count: 30, keys: 2 })
    const allowed = await sendMany(producer, ledger, { topic: 'f13-allowed', count: 30, keys: 2 })
    await producer.flush()
    await ledger.whenCompleted()
    const later = await sendMany(producer, ledger, { topic: 'f13-allowed', count: 30, keys: 2 })
    await producer.flush()
    await ledger.whenCompleted()
    for (const id of denied) {
      const outcome = ledger.outcome(id)
      expect(outcome.state === 'failed' && (outcome.error as { code?: string }).code).toBe(
        'TOPIC_AUTHORIZATION_FAILED',
      )
    }
    expect([...allowed, ...later].every((id) => ledger.outcome(id).state === 'ok')).toBe(true)
    const report = fixture.check(ledger, 'f13-allowed', { idempotent })
    expect(report.counts).toMatchObject({ acked: 60, failed: 30, lost: 0, duplicated: 0, abortedRead: 0 })
  })
})

describe('plain producer, one request in flight (Java: ordering kept without idempotence)', () => {
  it('F3 control: max.in.flight.requests.per.connection=1 keeps order when a batch is refused', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f3-one', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer('plain', {
      batchSize: 512,
      lingerMs: 0,
      retryBackoffMs: 20,
      maxInFlightRequestsPerConnection: 1,
    })
    await producer.partitionsFor('f3-one')
    cluster.faults.injectError({ api: 'Produce', topic: 'f3-one', error: 'NOT_LEADER_OR_FOLLOWER' })
    cluster.faults.latency({ api: 'Produce', ms: 30 })
    const ledger = new DeliveryLedger({ runId: 'f3-one' })
    await sendMany(producer, ledger, { topic: 'f3-one', count: 40, partition: 0, keys: 1, valueBytes: 80 })
    await producer.flush()
    await ledger.whenCompleted()
    const report = fixture.check(ledger, 'f3-one', { idempotent: true })
    tableRow({
      id: 'F3',
      scenario: 'as F3 with max.in.flight=1',
      broker: 'embedded',
      mode: 'plain',
      report,
      note: 'max.in.flight=1',
    })
    expect(report.violations).toEqual([])
  })
})

describe('idempotent producer, a retriable error on its very first batch to a partition', () => {
  it('F3 first batch: later batches land first (Kafka takes any first sequence), the first fails at the delivery timeout — reported, not duplicated or reordered, and completions stay in send order', async () => {
    const cluster = await fixture.start()
    cluster.createTopic({ name: 'f3-first', partitions: 1, replicationFactor: 3 })
    const producer = fixture.producer('idempotent', {
      batchSize: 512,
      lingerMs: 0,
      retryBackoffMs: 20,
      deliveryTimeoutMs: 3_000,
      requestTimeoutMs: 2_000,
    })
    await producer.partitionsFor('f3-first')
    cluster.faults.injectError({ api: 'Produce', topic: 'f3-first', error: 'NOT_LEADER_OR_FOLLOWER' })
    cluster.faults.latency({ api: 'Produce', ms: 30 })
    const ledger = new DeliveryLedger({ runId: 'f3-first' })
    await sendMany(producer, ledger, { topic: 'f3-first', count: 40, partition: 0, keys: 1, valueBytes: 80 })
    await producer.flush()
    await ledger.whenCompleted()
    const report = fixture.check(ledger, 'f3-first', {
      idempotent: true,
      deliveryTimeoutMs: 3_000,
      epsilonMs: 2_000,
    })
    tableRow({
      id: 'F3',
      scenario: 'as F3 on the producer’s first batch to the partition (no broker state yet)',
      broker: 'embedded',
      mode: 'idempotent',
      report,
      note: 'first batch retried with OUT_OF_ORDER_SEQUENCE_NUMBER until delivery.timeout.ms, then failed',
    })
    const failed = ledger.failures()
    expect(failed.map((f) => f.id)).toEqual([0, 1, 2]) // the first batch, exactly
    for (const failure of failed) expect(TimeoutError.isInstance(failure.error)).toBe(true)
    expect(report.counts).toMatchObject({ acked: 37, gaps: 3, duplicated: 0, reordered: 0 })
    // the later batches were acknowledged first, yet their completions waited for the first batch to fail
    expect(report.counts.completionOrderViolations).toBe(0)
    expect(report.violations).toEqual([])
  })
})
