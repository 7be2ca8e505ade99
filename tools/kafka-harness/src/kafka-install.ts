import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { KafkaHarnessError } from './kafka-harness-error.js'
import type { KafkaLineSpec } from './kafka-line.js'
import { harnessDir, installDir, mavenRepoDir } from './paths.js'
import { requireJava, requireJavac, requireMaven } from './required-tools.js'
import { runCommand, tail } from './run-command.js'

/** A fetched Kafka line: the classpaths to run its broker and its tools with. */
export interface KafkaInstall {
  spec: KafkaLineSpec
  /** `.cache/kafka/<brokerVersion>`: classpath files, the stamp, compiled helpers. */
  dir: string
  brokerClasspath: string
  /** The tools' jars plus the harness's compiled Java helpers (JsonRecordFormatter). */
  toolsClasspath: string
}

interface Stamp {
  fingerprint: string
  brokerVersion: string
  toolsVersion: string
}

const javaSources = ['JsonRecordFormatter.java']
// Pinned so Maven needs no plugin-metadata lookup.
const dependencyPlugin = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1'

/** Changes whenever a POM or a Java helper changes, so an edit re-resolves and recompiles. */
function fingerprint(spec: KafkaLineSpec): string {
  const hash = createHash('sha256')
  for (const pom of new Set([spec.brokerPom, spec.toolsPom]))
    hash.update(readFileSync(join(harnessDir, 'maven', pom)))
  for (const source of javaSources) hash.update(readFileSync(join(harnessDir, 'java', source)))
  return hash.digest('hex').slice(0, 16)
}

function readClasspath(file: string): string[] {
  return readFileSync(file, 'utf8').trim().split(delimiter).filter(Boolean)
}

function assemble(spec: KafkaLineSpec, dir: string): KafkaInstall {
  return {
    spec,
    dir,
    brokerClasspath: readClasspath(join(dir, 'broker.classpath')).join(delimiter),
    toolsClasspath: [join(dir, 'classes'), ...readClasspath(join(dir, 'tools.classpath'))].join(delimiter),
  }
}

/** The install of `spec` if it was fetched with the current POMs and every jar is still there. */
export function loadKafkaInstall(spec: KafkaLineSpec): KafkaInstall | undefined {
  const dir = installDir(spec.brokerVersion)
  const stampFile = join(dir, 'stamp.json')
  if (!existsSync(stampFile)) return undefined
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Stamp
  if (stamp.fingerprint !== fingerprint(spec)) return undefined
  const jars = [
    ...readClasspath(join(dir, 'broker.classpath')),
    ...readClasspath(join(dir, 'tools.classpath')),
  ]
  if (!jars.every((jar) => existsSync(jar))) return undefined
  return assemble(spec, dir)
}

/** The install of `spec`, or a `NOT_FETCHED` error saying which command fetches it. */
export function requireKafkaInstall(spec: KafkaLineSpec): KafkaInstall {
  const install = loadKafkaInstall(spec)
  if (!install) {
    throw new KafkaHarnessError(
      'NOT_FETCHED',
      `Kafka ${spec.brokerVersion} jars are not fetched: run \`npm run kafka -- fetch --line ${spec.line}\``,
    )
  }
  return install
}

async function buildClasspath(pom: string, outputFile: string): Promise<void> {
  const args = [
    '-B',
    '-q',
    `-Dmaven.repo.local=${mavenRepoDir}`,
    '-f',
    join(harnessDir, 'maven', pom),
    `${dependencyPlugin}:build-classpath`,
    '-DincludeScope=runtime',
    `-Dmdep.outputFile=${outputFile}`,
  ]
  const run = await runCommand('mvn', args, { timeoutMs: 20 * 60_000 })
  if (run.status !== 0 || !existsSync(outputFile)) {
    throw new KafkaHarnessError(
      'FETCH_FAILED',
      `mvn could not resolve maven/${pom} from Maven Central (exit ${run.status}); check network access to Maven Central:\n${tail(run.stdout.toString('utf8') + run.stderr, 30)}`,
    )
  }
}

/**
 * Resolves the line's jars into `.cache/m2` with Maven, writes the broker and tools classpaths into
 * `.cache/kafka/<brokerVersion>/` and compiles the Java helpers against the tools classpath. Does nothing
 * when the cached install is current. A slow first run (≈150 MB of jars) is expected.
 */
export async function fetchKafka(
  spec: KafkaLineSpec,
  log: (line: string) => void = () => {},
): Promise<KafkaInstall> {
  requireJava()
  const current = loadKafkaInstall(spec)
  if (current) return current
  requireMaven()
  requireJavac()
  const dir = installDir(spec.brokerVersion)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  log(`kafka-harness: resolving Kafka ${spec.brokerVersion} (broker) with Maven into ${mavenRepoDir}`)
  // one after the other: Maven 3.8's local repository is not safe for concurrent writers
  await buildClasspath(spec.brokerPom, join(dir, 'broker.classpath'))
  log(`kafka-harness: resolving kafka-tools ${spec.toolsVersion}`)
  await buildClasspath(spec.toolsPom, join(dir, 'tools.classpath'))
  const classes = join(dir, 'classes')
  mkdirSync(classes, { recursive: true })
  const javac = await runCommand('javac', [
    '--release',
    '17',
    '-d',
    classes,
    '-cp',
    readClasspath(join(dir, 'tools.classpath')).join(delimiter),
    ...javaSources.map((source) => join(harnessDir, 'java', source)),
  ])
  if (javac.status !== 0) {
    throw new KafkaHarnessError(
      'FETCH_FAILED',
      `javac failed on the harness's Java helpers:\n${tail(javac.stderr)}`,
    )
  }
  const stamp: Stamp = {
    fingerprint: fingerprint(spec),
    brokerVersion: spec.brokerVersion,
    toolsVersion: spec.toolsVersion,
  }
  writeFileSync(join(dir, 'stamp.json.tmp'), `${JSON.stringify(stamp, null, 2)}\n`)
  renameSync(join(dir, 'stamp.json.tmp'), join(dir, 'stamp.json'))
  log(`kafka-harness: Kafka ${spec.brokerVersion} ready in ${dir}`)
  return assemble(spec, dir)
}
