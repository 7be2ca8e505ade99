import { spawnSync } from 'node:child_process'
import { KafkaHarnessError } from './kafka-harness-error.js'

const javaHint =
  'install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless) and put java on PATH'

/** Fails unless `java` 17+ is on PATH: Kafka 4.x brokers and tools need 17. Returns the major version. */
export function requireJava(): number {
  const run = spawnSync('java', ['-version'], { encoding: 'utf8' })
  if (run.error || run.status !== 0) {
    throw new KafkaHarnessError('JAVA_MISSING', `java was not found or failed to run: ${javaHint}`, run.error)
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(run.stderr)
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : 0
  if (major < 17) {
    throw new KafkaHarnessError(
      'JAVA_MISSING',
      `java ${major || '(unknown version)'} is too old: ${javaHint}`,
    )
  }
  return major
}

/** Fails unless `javac` is on PATH (the harness compiles its small Java helpers at fetch time). */
export function requireJavac(): void {
  const run = spawnSync('javac', ['-version'], { encoding: 'utf8' })
  if (run.error || run.status !== 0) {
    throw new KafkaHarnessError(
      'JAVA_MISSING',
      `javac was not found: ${javaHint} (a JDK, not only a JRE)`,
      run.error,
    )
  }
}

/** Fails unless `mvn` is on PATH (it resolves the Kafka jars from Maven Central). */
export function requireMaven(): void {
  const run = spawnSync('mvn', ['--version'], { encoding: 'utf8' })
  if (run.error || run.status !== 0) {
    throw new KafkaHarnessError(
      'MAVEN_MISSING',
      'mvn was not found: install Maven (Debian: apt-get install maven) to fetch the Kafka jars from Maven Central',
      run.error,
    )
  }
}

/** Fails unless `kcat` is on PATH (the librdkafka reference client). */
export function requireKcat(): void {
  const run = spawnSync('kcat', ['-V'], { encoding: 'utf8' })
  if (run.error || run.status !== 0) {
    throw new KafkaHarnessError(
      'KCAT_MISSING',
      'kcat was not found: install kcat: apt-get install kcat',
      run.error,
    )
  }
}
