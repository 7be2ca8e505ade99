/**
 * @x/cli: the `x-kafka` command line over @x/producer — `x-kafka produce` with kcat's producer flags and
 * `x-kafka perf` with kafka-producer-perf-test's flags and output — and the pieces it is built from, for
 * tools of your own: the argument parser, the perf statistics printing Java's lines, Java's number format,
 * the delimited-input splitter and the `.properties` reader. Without a bootstrap server both commands run
 * on @x/testkit's embedded cluster. Not a consumer: reading back is kcat's or Kafka's console consumer's job.
 */

export {
  type OptionArity,
  type OptionSpec,
  type ParsedArguments,
  parseArguments,
} from './arguments/parse-arguments.js'
export { cliUsage, runCli } from './cli.js'
export { type CliIo, type CliOutput, processIo } from './cli-io.js'
export { CliUsageError } from './cli-usage-error.js'
export { openTargetCluster, type TargetCluster, type TargetClusterOptions } from './cluster/target-cluster.js'
export { parseProperties, readPropertiesFile } from './config/properties-file.js'
export { formatJavaFixed } from './perf/java-number-format.js'
export { PayloadSource, readPayloadFile } from './perf/payload-source.js'
export { runPerf } from './perf/perf-command.js'
export {
  DEFAULT_EMBEDDED_TOPIC,
  type PerfOptions,
  parsePerfOptions,
  perfOptionSpecs,
  perfUsage,
} from './perf/perf-options.js'
export { PerfStats, type PerfStatsOptions } from './perf/perf-stats.js'
export { formatMetrics } from './perf/print-metrics.js'
export { ProgressBar } from './perf/progress-bar.js'
export { ThroughputThrottler } from './perf/throughput-throttler.js'
export { DelimitedSplitter } from './produce/delimited-splitter.js'
export { parseKcatDelimiter } from './produce/kcat-delimiter.js'
export { type KeyedMessage, type KeyedMessageOptions, toKeyedMessage } from './produce/keyed-message.js'
export { runProduce } from './produce/produce-command.js'
export {
  type ProduceHeader,
  type ProduceOptions,
  parseProduceOptions,
  produceOptionSpecs,
  produceUsage,
} from './produce/produce-options.js'
export { createProducer, splitProperty } from './producer-properties.js'
