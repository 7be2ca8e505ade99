/** A topic and one of its partitions, by value (structural: any `{ topic, partition }` object fits). */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}
