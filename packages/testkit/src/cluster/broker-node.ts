import type { BrokerConnection } from '../network/broker-connection.js'

/** A TCP listener a broker can close (down) and reopen on the same port (up). */
export interface BrokerListener {
  close(): Promise<void>
  listen(): Promise<void>
}

/** One broker of the embedded cluster: identity, address, whether it is up, and its open connections. */
export class BrokerNode {
  isUp = true
  readonly connections = new Set<BrokerConnection>()
  listener: BrokerListener | undefined

  constructor(
    readonly id: number,
    readonly host: string,
    public port: number,
    readonly rack: string | null,
  ) {}

  /** Closes every open connection (a broker going down, or the cluster stopping). */
  closeConnections(): void {
    for (const connection of [...this.connections]) connection.close()
  }
}
