import type { ProducerIdAndEpoch } from '@x/accumulator'

/** No producer id yet (Java `ProducerIdAndEpoch.NONE`). */
export const NO_PRODUCER_ID_AND_EPOCH: ProducerIdAndEpoch = Object.freeze({ producerId: -1n, epoch: -1 })

/** Java `Short.MAX_VALUE`: an idempotent producer at this epoch asks for a new producer id instead of bumping. */
export const MAX_PRODUCER_EPOCH = 32_767

/** Java `Integer.MAX_VALUE`: sequences wrap to 0 after it; also the idempotent InitProducerId's timeout. */
export const MAX_SEQUENCE = 2_147_483_647

export function isValidProducerIdAndEpoch(value: ProducerIdAndEpoch): boolean {
  return value.producerId >= 0n && value.epoch >= 0
}

export function sameProducerIdAndEpoch(a: ProducerIdAndEpoch, b: ProducerIdAndEpoch): boolean {
  return a.producerId === b.producerId && a.epoch === b.epoch
}

export function describeProducerIdAndEpoch(value: ProducerIdAndEpoch): string {
  return `(producerId=${value.producerId}, epoch=${value.epoch})`
}

/** Java `DefaultRecordBatch.incrementSequence`: sequences wrap from 2^31 - 1 to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > MAX_SEQUENCE - increment) return increment - (MAX_SEQUENCE - sequence) - 1
  return sequence + increment
}
