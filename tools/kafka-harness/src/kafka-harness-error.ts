import { KafkaError } from '@x/protocol'

/** Codes of the harness's own failures: what is missing on the machine, or which step of a run failed. */
export type KafkaHarnessErrorCode =
  | 'JAVA_MISSING'
  | 'MAVEN_MISSING'
  | 'KCAT_MISSING'
  | 'INVALID_OPTION'
  | 'FETCH_FAILED'
  | 'NOT_FETCHED'
  | 'BROKER_START_FAILED'
  | 'BROKER_NOT_READY'
  | 'CLUSTER_STATE_MISSING'
  | 'TOOL_FAILED'
  | 'PROTOCOL_ERROR'
  | 'TIMEOUT'

/** Every error the harness throws: the message names what failed and what to do about it. */
export class KafkaHarnessError extends KafkaError {
  override name = 'KafkaHarnessError'
  declare readonly code: KafkaHarnessErrorCode

  constructor(code: KafkaHarnessErrorCode, message: string, cause?: unknown) {
    super({ code, message, retriable: false, cause })
  }
}
