// Idempotent produce on every target (KIP-98 with the KIP-360 rules of Kafka 2.5+): duplicates within
// the last five batches are answered with their original offset and not appended again, gaps and
// sequences older than the window are OUT_OF_ORDER_SEQUENCE_NUMBER, a new epoch must start at sequence 0
// and fences the old one (INVALID_PRODUCER_EPOCH), and a producer a partition has no state for may start
// at any sequence.
import { ErrorCode } from '@x/protocol'
import { expect, it } from 'vitest'
import { describeOnEveryTarget, freshTopic } from './conformance-targets'
import { buildBatch } from './protocol-session'

describeOnEveryTarget('Idempotent produce', (session) => {
  async function producer(): Promise<{
    topic: string
    batch: (sequence: number, records?: number, epoch?: number) => Uint8Array
  }> {
    const topic = freshTopic('idempotent')
    await session().createTopic(topic)
    const { errorCode, producerId, producerEpoch } = await session().initProducerId(null)
    expect([errorCode, producerEpoch]).toEqual([ErrorCode.NONE, 0])
    const batch = (sequence: number, records = 1, epoch = 0) =>
      buildBatch(
        Array.from({ length: records }, (_, index) => ({ key: 'k', value: `seq-${sequence + index}` })),
        { producerId, producerEpoch: epoch, baseSequence: sequence },
      )
    return { topic, batch }
  }

  it('answers a retried batch with its original offset and appends it only once', async () => {
    const { topic, batch } = await producer()
    const first = await session().produce(topic, 0, batch(0, 3))
    const next = await session().produce(topic, 0, batch(3, 2))
    const retry = await session().produce(topic, 0, batch(0, 3))
    expect([first.errorCode, first.baseOffset]).toEqual([ErrorCode.NONE, 0n])
    expect([next.errorCode, next.baseOffset]).toEqual([ErrorCode.NONE, 3n])
    expect([retry.errorCode, retry.baseOffset]).toEqual([ErrorCode.NONE, 0n])
    expect((await session().listOffsets(topic, 0, -1n)).offset).toBe(5n)
  })

  it('refuses a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER and appends nothing', async () => {
    const { topic, batch } = await producer()
    expect((await session().produce(topic, 0, batch(0, 2))).errorCode).toBe(ErrorCode.NONE)
    expect((await session().produce(topic, 0, batch(3))).errorCode).toBe(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    )
    expect((await session().produce(topic, 0, batch(2))).baseOffset).toBe(2n)
  })

  it('remembers the last five batches: a retry of the sixth-last is OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    const { topic, batch } = await producer()
    for (let sequence = 0; sequence < 6; sequence++) {
      expect((await session().produce(topic, 0, batch(sequence))).baseOffset).toBe(BigInt(sequence))
    }
    expect((await session().produce(topic, 0, batch(1))).baseOffset).toBe(1n)
    expect((await session().produce(topic, 0, batch(0))).errorCode).toBe(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    )
  })

  it('accepts any first sequence from a producer the partition has no state for', async () => {
    const { topic, batch } = await producer()
    const first = await session().produce(topic, 0, batch(42, 2))
    expect([first.errorCode, first.baseOffset]).toEqual([ErrorCode.NONE, 0n])
    expect((await session().produce(topic, 0, batch(44))).baseOffset).toBe(2n)
  })

  it('needs sequence 0 in a new epoch, then fences the old epoch with INVALID_PRODUCER_EPOCH', async () => {
    const { topic, batch } = await producer()
    expect((await session().produce(topic, 0, batch(0, 2))).errorCode).toBe(ErrorCode.NONE)
    expect((await session().produce(topic, 0, batch(2, 1, 1))).errorCode).toBe(
      ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
    )
    expect((await session().produce(topic, 0, batch(0, 1, 1))).baseOffset).toBe(2n)
    expect((await session().produce(topic, 0, batch(2, 1, 0))).errorCode).toBe(
      ErrorCode.INVALID_PRODUCER_EPOCH,
    )
  })
})
