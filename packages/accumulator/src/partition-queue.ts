import { BatchDeque } from './batch-deque.js'
import type { ProducerBatch } from './producer-batch.js'

/**
 * The batches of one partition, oldest first, and whether the partition is muted (a batch of it is in flight
 * and `max.in.flight.requests.per.connection` is 1, or ordering requires waiting): muted partitions are
 * neither ready nor drained. Only the last batch can still take appends.
 */
export class PartitionQueue {
  readonly batches = new BatchDeque<ProducerBatch>()
  muted = false

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}
}
