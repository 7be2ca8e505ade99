import { KafkaHarnessError } from './kafka-harness-error.js'

/** The Kafka release lines the harness can run: the newest 4.x (default) and 3.9.x. */
export type KafkaLine = '4' | '3.9'

export interface KafkaLineSpec {
  line: KafkaLine
  /** Version of `org.apache.kafka:kafka_2.13` the broker runs. */
  brokerVersion: string
  /** Version of `org.apache.kafka:kafka-tools` (reference clients); not every broker release publishes it. */
  toolsVersion: string
  /** POM (under `maven/`) resolving the broker's runtime classpath. */
  brokerPom: string
  /** POM resolving the tools' classpath; the same as `brokerPom` when both come at one version. */
  toolsPom: string
  /** Logging backend behind SLF4J 1.7: log4j2 on 4.x, reload4j on 3.9. */
  logging: 'log4j2' | 'reload4j'
}

const lines: Record<KafkaLine, KafkaLineSpec> = {
  '4': {
    line: '4',
    brokerVersion: '4.4.0',
    toolsVersion: '4.3.1',
    brokerPom: 'kafka-4/pom.xml',
    toolsPom: 'kafka-4-tools/pom.xml',
    logging: 'log4j2',
  },
  '3.9': {
    line: '3.9',
    brokerVersion: '3.9.2',
    toolsVersion: '3.9.2',
    brokerPom: 'kafka-3.9/pom.xml',
    toolsPom: 'kafka-3.9/pom.xml',
    logging: 'reload4j',
  },
}

/** The line named by `value`, else by env `KAFKA_LINE`, else `4`. Accepts `4`, `4.x`, `3.9`, `3.9.x`. */
export function kafkaLine(value: string | undefined = process.env.KAFKA_LINE): KafkaLineSpec {
  const name = (value ?? '4').trim()
  if (name === '' || name === '4' || name === '4.x') return lines['4']
  if (name === '3.9' || name === '3.9.x' || name === '3') return lines['3.9']
  throw new KafkaHarnessError(
    'INVALID_OPTION',
    `Unknown Kafka line "${value}" (KAFKA_LINE or --line): use 4 (Kafka ${lines['4'].brokerVersion}) or 3.9 (Kafka ${lines['3.9'].brokerVersion})`,
  )
}
