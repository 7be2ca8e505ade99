import { type CommandResult, type RunCommandOptions, runCommand } from '../run-command.js'

/** What it takes to run Kafka's Java tools: their classpath and the logging flag sending logs to stderr. */
export interface JavaTools {
  toolsClasspath: string
  /** e.g. `-Dlog4j2.configurationFile=…/tools-log4j2.properties`. */
  toolsLogFlag: string
  /** Version of kafka-tools on the classpath: some flag names changed in 4.2. */
  toolsVersion: string
}

/**
 * The flag passing client configs to a tool: `--command-property` from 4.2 on (the old names still work
 * there but print a deprecation notice on stdout), else the tool's historical name.
 */
export function commandPropertyFlag(tools: JavaTools, legacy: string): string {
  const [major = 0, minor = 0] = tools.toolsVersion.split('.').map(Number)
  return major > 4 || (major === 4 && minor >= 2) ? '--command-property' : legacy
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
