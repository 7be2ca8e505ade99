import { describe, expect, it } from 'vitest'
import { SenderConfigError } from '../errors/config-error.js'
import { parseBootstrapServers, resolveBootstrapServers } from './bootstrap-servers.js'

describe('bootstrap.servers', () => {
  it('parses host:port lists, comma-separated strings and bracketed IPv6', () => {
    expect(parseBootstrapServers('a:9092, b:9093')).toEqual([
      { host: 'a', port: 9092 },
      { host: 'b', port: 9093 },
    ])
    expect(parseBootstrapServers(['[::1]:9092'])).toEqual([{ host: '::1', port: 9092 }])
  })

  it('rejects an entry without a valid port, naming it', () => {
    expect(() => parseBootstrapServers('localhost')).toThrow(SenderConfigError)
    expect(() => parseBootstrapServers('a:99999')).toThrow(/"a:99999" is not a valid host:port/)
    expect(() => parseBootstrapServers('')).toThrow(/bootstrap.servers/)
  })

  it('resolves every address of every name to bootstrap nodes -1, -2, … and skips names that do not resolve', async () => {
    const nodes = await resolveBootstrapServers(
      [
        { host: 'multi', port: 1 },
        { host: 'gone', port: 2 },
        { host: '10.0.0.9', port: 3 },
      ],
      async (host) => {
        if (host === 'gone') throw new Error('ENOTFOUND')
        return ['10.0.0.1', '10.0.0.2']
      },
    )
    expect(nodes).toEqual([
      { id: -1, host: 'multi', address: '10.0.0.1', port: 1, rack: null },
      { id: -2, host: 'multi', address: '10.0.0.2', port: 1, rack: null },
      { id: -3, host: '10.0.0.9', port: 3, rack: null },
    ])
  })

  it('fails like Java when no bootstrap address resolves', async () => {
    await expect(
      resolveBootstrapServers([{ host: 'nowhere', port: 1 }], async () => {
        throw new Error('ENOTFOUND')
      }),
    ).rejects.toThrow(/no resolvable bootstrap urls: nowhere \(ENOTFOUND\)/)
  })
})
