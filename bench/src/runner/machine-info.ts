import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import type { MachineInfo } from '../report/results.js'
import { repoRoot } from './bundle-children.js'
import { node24Binary } from './run-client.js'

/** dpkg-query's format for a package's version (a literal `${Version}`, not a template). */
const DPKG_VERSION = ['$', '{Version}'].join('')

export function machineInfo(loadStart: number): MachineInfo {
  const release = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : ''
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    os: /PRETTY_NAME="([^"]+)"/.exec(release)?.[1] ?? os.platform(),
    kernel: os.release(),
    loadAverage: { start: loadStart, end: os.loadavg()[0]! },
  }
}

function packageVersion(name: string): string {
  const file = join(repoRoot, 'node_modules', name, 'package.json')
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    : 'not installed'
}

function firstMatch(command: string, args: string[], pattern: RegExp): string {
  const run = spawnSync(command, args, { encoding: 'utf8' })
  return pattern.exec(`${run.stdout ?? ''}${run.stderr ?? ''}`)?.[1] ?? 'unknown'
}

/** Versions of everything in the comparison, for the report. */
export function versions(
  brokerVersion: string,
  toolsVersion: string,
  source: 'head' | 'worktree',
  nodes: number,
): Record<string, string> {
  const commit = spawnSync('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD'], {
    encoding: 'utf8',
  }).stdout.trim()
  const dirty = spawnSync('git', ['-C', repoRoot, 'status', '--porcelain', '--', 'packages'], {
    encoding: 'utf8',
  }).stdout.trim()
  return {
    '@x/producer':
      source === 'head'
        ? `commit ${commit} (sources of HEAD)`
        : `${commit} work tree${dirty ? ' with uncommitted changes in packages/' : ''} (--worktree)`,
    'Node (most clients)': process.version,
    'Node (@platformatic/kafka, x-send-node24)': existsSync(node24Binary)
      ? spawnSync(node24Binary, ['-v'], { encoding: 'utf8' }).stdout.trim()
      : 'not installed',
    kafkajs: packageVersion('kafkajs'),
    '@platformatic/kafka': packageVersion('@platformatic/kafka'),
    'node-rdkafka': `${packageVersion('node-rdkafka')} on librdkafka ${firstMatch('dpkg-query', ['-W', '-f', DPKG_VERSION, 'librdkafka-dev'], /^(\S+)/)} (Debian)`,
    kcat: `${firstMatch('kcat', ['-V'], /Version (\S+)/)} on librdkafka ${firstMatch('kcat', ['-V'], /librdkafka ([\d.]+)/)}`,
    'Java ProducerPerformance': `kafka-tools ${toolsVersion} on Java ${firstMatch('java', ['-version'], /version "([^"]+)"/)}`,
    broker:
      nodes === 1
        ? `Apache Kafka ${brokerVersion}, 1 KRaft node (broker+controller) on loopback, replication factor 1`
        : `Apache Kafka ${brokerVersion}, ${nodes} KRaft nodes (broker+controller) on loopback, replication factor ${Math.min(3, nodes)}`,
  }
}
