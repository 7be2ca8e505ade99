import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { SenderConfigError } from '../errors/config-error.js'
import type { BrokerNode } from '../network/broker-node.js'

/** One `host:port` of `bootstrap.servers`. */
export interface BootstrapAddress {
  readonly host: string
  readonly port: number
}

/** Resolves a host name to its addresses; replaceable in tests. Default: every address `dns.lookup` gives. */
export type HostResolver = (host: string) => Promise<string[]>

export const dnsResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address)

/**
 * Parses `bootstrap.servers`: a comma-separated string or a list of `host:port` (IPv6 as `[::1]:9092`).
 * Throws `SenderConfigError` naming the bad entry (Java `ClientUtils.parseAndValidateAddresses`).
 */
export function parseBootstrapServers(servers: string | readonly string[]): BootstrapAddress[] {
  const entries = (typeof servers === 'string' ? servers.split(',') : servers)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
  if (entries.length === 0) {
    throw new SenderConfigError('bootstrap.servers', 'it is empty: give at least one host:port of a broker.')
  }
  return entries.map((entry) => {
    const match = /^\[([^\]]+)\]:(\d+)$/.exec(entry) ?? /^([^:]+):(\d+)$/.exec(entry)
    const port = match === null ? Number.NaN : Number(match[2])
    if (match === null || !Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new SenderConfigError(
        'bootstrap.servers',
        `"${entry}" is not a valid host:port (e.g. localhost:9092, [::1]:9092).`,
      )
    }
    return { host: match[1]!, port }
  })
}

/**
 * Resolves every bootstrap address to nodes with ids -1, -2, … (Java `client.dns.lookup=use_all_dns_ips`:
 * every address a name resolves to is tried). Names that do not resolve are skipped; when none resolves,
 * the result is a `SenderConfigError` as in Java ("No resolvable bootstrap urls").
 */
export async function resolveBootstrapServers(
  addresses: readonly BootstrapAddress[],
  resolve: HostResolver = dnsResolver,
): Promise<BrokerNode[]> {
  const nodes: BrokerNode[] = []
  const failures: string[] = []
  for (const { host, port } of addresses) {
    let resolved: string[]
    if (isIP(host) !== 0) resolved = [host]
    else {
      try {
        resolved = await resolve(host)
      } catch (error) {
        failures.push(`${host} (${error instanceof Error ? error.message : String(error)})`)
        continue
      }
    }
    for (const address of resolved) {
      nodes.push({
        id: -(nodes.length + 1),
        host,
        port,
        rack: null,
        ...(address === host ? {} : { address }),
      })
    }
  }
  if (nodes.length === 0) {
    throw new SenderConfigError(
      'bootstrap.servers',
      `no resolvable bootstrap urls: ${failures.join(', ')}. Check the host names and DNS.`,
    )
  }
  return nodes
}
