import type { Uuid } from '@x/protocol'
import { PartitionLog } from '../log/partition-log.js'
import type { TopicConfig } from './topic-config.js'

/** What a NOT_LEADER_OR_FOLLOWER answer tells the client about the new leader (KIP-951). */
export type LeaderHint = 'current' | 'none' | 'stale'

/** One partition: its replicas, leader and leader epoch, and its log (one log: replicas are virtual). */
export class PartitionState {
  leaderId: number
  leaderEpoch = 0
  /** What the old leader says in NOT_LEADER_OR_FOLLOWER answers after the last move. */
  leaderHint: LeaderHint = 'current'
  readonly log: PartitionLog

  constructor(
    readonly topic: string,
    readonly index: number,
    public replicas: number[],
    log: PartitionLog = new PartitionLog(),
  ) {
    this.leaderId = replicas[0] ?? -1
    this.log = log
  }
}

/** One topic: id, partitions and config. */
export class TopicState {
  constructor(
    readonly name: string,
    readonly topicId: Uuid,
    readonly partitions: PartitionState[],
    readonly config: TopicConfig,
    readonly configEntries: ReadonlyMap<string, string>,
    readonly replicationFactor: number,
  ) {}
}
