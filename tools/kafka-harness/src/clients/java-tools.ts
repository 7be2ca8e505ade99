import { type CommandResult, type RunCommandOptions, runCommand } from '../run-command.js'

/** What it takes to run Kafka's Java tools: their classpath and the logging flag sending logs to stderr. */
export interface JavaTools {
  toolsClasspath: string
  /** e.g. `-Dlog4j2.configurationFile=…/tools-log4j2.properties`. */
  toolsLogFlag: string
}

export interface JavaToolOptions extends RunCommandOptions {
  /** Max heap, e.g. `256m` (Kafka's scripts give tools 256M). */
  heap?: string
  /** C1-only JIT: starts a short-lived tool faster; off for benchmarks, which need the optimising compiler. */
  quickStart?: boolean
}

/** Runs one Kafka tool's main class to completion (stdout bytes, stderr text, exit status). */
export function runJavaTool(
  tools: JavaTools,
  mainClass: string,
  args: string[],
  options: JavaToolOptions = {},
): Promise<CommandResult> {
  const jvm = [`-Xmx${options.heap ?? '256m'}`, '-Djava.awt.headless=true', tools.toolsLogFlag]
  if (options.quickStart ?? true) jvm.push('-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC')
  return runCommand('java', [...jvm, '-cp', tools.toolsClasspath, mainClass, ...args], {
    timeoutMs: options.timeoutMs ?? 120_000,
    ...options,
  })
}
