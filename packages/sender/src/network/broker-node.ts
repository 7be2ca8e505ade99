/** A broker as metadata names it (Java `Node`). Bootstrap addresses get negative ids: -1, -2, … */
export interface BrokerNode {
  readonly id: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
  /** The resolved address to connect to when `host` is a name (bootstrap entries); `host` stays the TLS name. */
  readonly address?: string
}

export function describeNode(node: { id: number; host: string; port: number }): string {
  return node.id < 0 ? `bootstrap ${node.host}:${node.port}` : `node ${node.id} (${node.host}:${node.port})`
}
