import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { KafkaLineSpec } from './kafka-line.js'

/** JVM flags selecting the server and the tools logging configs written by `writeLogConfigs`. */
export interface LogFlags {
  server: string
  tools: string
}

// Server logs go to stdout (redirected to a file). WARN keeps the file small; KafkaRaftServer stays at INFO
// for the readiness line "[KafkaRaftServer nodeId=N] Kafka Server started".
const log4j2Server = `status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = STDOUT
logger.raft.name = kafka.server.KafkaRaftServer
logger.raft.level = INFO
`

// Tools print data on stdout, so their logs go to stderr.
const log4j2Tools = `status = warn
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
`

const reload4jServer = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.server.KafkaRaftServer=INFO
`

const reload4jTools = `log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.stderr.Target=System.err
`

/** Writes the line's two logging configs into `dir` and returns the JVM flags that select them. */
export function writeLogConfigs(spec: KafkaLineSpec, dir: string): LogFlags {
  if (spec.logging === 'log4j2') {
    const server = join(dir, 'server-log4j2.properties')
    const tools = join(dir, 'tools-log4j2.properties')
    writeFileSync(server, log4j2Server)
    writeFileSync(tools, log4j2Tools)
    return { server: `-Dlog4j2.configurationFile=${server}`, tools: `-Dlog4j2.configurationFile=${tools}` }
  }
  const server = join(dir, 'server-log4j.properties')
  const tools = join(dir, 'tools-log4j.properties')
  writeFileSync(server, reload4jServer)
  writeFileSync(tools, reload4jTools)
  // log4j 1.x reads log4j.configuration as a URL; a bare path would be looked up on the classpath
  return { server: `-Dlog4j.configuration=file:${server}`, tools: `-Dlog4j.configuration=file:${tools}` }
}
