// x-kafka end to end in this process: runCli against @x/testkit's embedded cluster on loopback TCP.
import { PassThrough, Readable } from 'node:stream'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './cli.js'
import type { CliIo } from './cli-io.js'

const decoder = new TextDecoder()

/** Captured streams around `runCli`. */
async function run(argv: string[], stdin = '') {
  const stdout: string[] = []
  const stderr: string[] = []
  const io: CliIo = {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: { write: (text) => stdout.push(typeof text === 'string' ? text : decoder.decode(text)) },
    stderr: { write: (text) => stderr.push(typeof text === 'string' ? text : decoder.decode(text)) },
    env: {},
  }
  const code = await runCli(argv, io)
  return { code, stdout: stdout.join(''), stderr: stderr.join('') }
}

let cluster: EmbeddedKafkaCluster
beforeAll(async () => {
  cluster = await EmbeddedKafkaCluster.start({
    topics: [
      { name: 'keyed', partitions: 6 },
      { name: 'plain', partitions: 1 },
    ],
  })
})
afterAll(() => cluster.stop())

function recordsOf(topic: string) {
  const partitions = cluster.topic(topic)!.partitions.length
  return Array.from({ length: partitions }, (_, partition) =>
    cluster.records(topic, partition).map((record) => ({
      partition,
      key: record.key === null ? null : decoder.decode(record.key),
      value: record.value === null ? null : decoder.decode(record.value),
      headers: record.headers.map(
        (header) => `${header.key}=${header.value === null ? 'null' : decoder.decode(header.value)}`,
      ),
    })),
  ).flat()
}

describe('x-kafka produce', () => {
  it('sends keyed stdin lines with headers, each key to one partition, and exits 0', async () => {
    const input = 'user-1:login\nuser-2:view\nuser-1:logout\n\nno-key-here\n'
    const result = await run(
      [
        'produce',
        '-b',
        cluster.bootstrapServers,
        '-t',
        'keyed',
        '-K',
        ':',
        '-H',
        'source=cli',
        '-H',
        'flag',
        '-q',
      ],
      input,
    )
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: '' })
    const records = recordsOf('keyed')
    expect(records.map((record) => `${record.key}=${record.value}`).sort()).toEqual([
      'null=no-key-here',
      'user-1=login',
      'user-1=logout',
      'user-2=view',
    ])
    const user1 = records.filter((record) => record.key === 'user-1')
    expect(new Set(user1.map((record) => record.partition)).size).toBe(1)
    expect(user1.map((record) => record.value)).toEqual(['login', 'logout'])
    expect(records.every((record) => record.headers.join(',') === 'source=cli,flag=null')).toBe(true)
  })

  it('tees every record with its delimiter and stops after -c records', async () => {
    const result = await run(
      [
        'produce',
        '--bootstrap-server',
        cluster.bootstrapServers,
        '--topic',
        'plain',
        '-D',
        ';',
        '-T',
        '-c',
        '2',
      ],
      'a;b;c;d',
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('a;b;')
    expect(recordsOf('plain').map((record) => record.value)).toEqual(['a', 'b'])
  })

  it('on Ctrl-C stops reading, delivers the whole messages read so far and exits 0', async () => {
    const stdin = new PassThrough()
    const interrupt = new AbortController()
    const stderr: string[] = []
    const io: CliIo = {
      stdin,
      stdout: { write: () => true },
      stderr: { write: (text) => stderr.push(String(text)) },
      env: {},
      signal: interrupt.signal,
    }
    const before = recordsOf('plain').length
    const running = runCli(['produce', '-b', cluster.bootstrapServers, '-t', 'plain', '-q'], io)
    stdin.write('first\nsecond\npartial')
    // Ctrl-C once the CLI has read what was typed (a loaded machine may take longer than any fixed pause).
    for (let tries = 0; tries < 1000 && stdin.readableLength > 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 10))
    await new Promise((resolve) => setTimeout(resolve, 20))
    interrupt.abort() // stdin stays open, as a terminal's does
    expect(await running).toBe(0)
    expect(stderr).toEqual([])
    expect(
      recordsOf('plain')
        .slice(before)
        .map((record) => record.value),
    ).toEqual(['first', 'second'])
  })

  it('starts the embedded cluster when no broker is given and says so on stderr only', async () => {
    const result = await run(['produce', '-t', 'anywhere', '-T'], 'x\n')
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('x\n')
    expect(result.stderr).toMatch(
      /^x-kafka produce: no --bootstrap-server given: started an embedded Kafka cluster/,
    )
  })

  it('exits 1 and says how many records failed when the broker rejects them', async () => {
    const fault = cluster.faults.injectError({
      api: 'Produce',
      topic: 'plain',
      error: 'INVALID_REQUIRED_ACKS',
      count: Infinity,
    })
    try {
      const result = await run(['produce', '-b', cluster.bootstrapServers, '-t', 'plain', '-q'], 'one\ntwo\n')
      expect(result.code).toBe(1)
      expect(result.stderr).toMatch(/delivery failed for a record to plain \[0\]/)
      expect(result.stderr).toMatch(/x-kafka produce: 2 of 2 records failed\.\n$/)
    } finally {
      fault.cancel()
    }
  })

  it('exits 1 with the option and the fix for a bad command line or producer property', async () => {
    expect(await run(['produce', '-b', cluster.bootstrapServers])).toMatchObject({
      code: 1,
      stderr: "x-kafka produce: error: -t <topic> missing.\nRun 'x-kafka produce --help' for the options.\n",
    })
    const bad = await run(
      ['produce', '-b', cluster.bootstrapServers, '-t', 'plain', '-X', 'linger.ms=soon'],
      'x\n',
    )
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^x-kafka produce: error: ConfigError: .*linger\.ms/)
  })

  it('lists the producer properties with their Java names and defaults for -X list', async () => {
    const result = await run(['produce', '-X', 'list'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^ {2}linger\.ms +lingerMs +5$/m)
    expect(result.stdout).toMatch(/^ {2}queue\.buffering\.max\.ms +=\s+linger\.ms$/m)
  })
})

describe('x-kafka perf', () => {
  const summary =
    /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th\.$/

  it("prints only the Java tool's lines on stdout and its summary for every record", async () => {
    const result = await run([
      'perf',
      '--topic',
      'perf',
      '--num-records',
      '5000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${cluster.bootstrapServers}`,
      'linger.ms=5',
    ])
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines.at(-1)).toMatch(summary)
    expect(summary.exec(lines.at(-1)!)![1]).toBe('5000')
    const stored = cluster.records('perf', 0)
    expect(stored).toHaveLength(5000)
    expect(stored.every((record) => record.key === null && record.value!.length === 100)).toBe(true)
  })

  it('adds the steady-state summary and the metrics table after a warm-up with --print-metrics', async () => {
    const result = await run([
      'perf',
      '--topic',
      'perf-metrics',
      '--num-records',
      '2000',
      '--payload-monotonic',
      '--throughput',
      '-1',
      '--warmup-records',
      '500',
      '--print-metrics',
      '--bootstrap-server',
      cluster.bootstrapServers,
    ])
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe(
      'Warmup first 500 records. Steady state results will print after the complete test summary.',
    )
    expect(lines.some((line) => /^1500 steady state records sent, /.test(line))).toBe(true)
    expect(lines).toContain('')
    expect(
      lines.some((line) =>
        /^producer-metrics:record-send-total:\{client-id=perf-producer-client\} +: 2000\.000$/.test(line),
      ),
    ).toBe(true)
  })

  it("reports the Java tool's argument errors", async () => {
    const result = await run([
      'perf',
      '--topic',
      't',
      '--num-records',
      '0',
      '--record-size',
      '1',
      '--throughput',
      '-1',
    ])
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^x-kafka perf: error: --num-records should be greater than zero\./),
    })
  })
})
