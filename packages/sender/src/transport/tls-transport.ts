import { isIP } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { NetworkError } from '../errors/network-error.js'
import { openSocket, type SocketOptions } from './tcp-transport.js'
import type { Transport, TransportConnectOptions, TransportSocket, TransportTlsOptions } from './transport.js'

/**
 * TLS (`node:tls`) for SSL and SASL_SSL listeners. Options per connection come from
 * `TransportConnectOptions.tls`, falling back to the ones given here. The server name (SNI and hostname
 * verification) is the broker's host unless it is an IP address or `servername` says otherwise.
 */
export class TlsTransport implements Transport {
  constructor(
    private readonly defaults: TransportTlsOptions = {},
    private readonly socketOptions: SocketOptions = {},
  ) {}

  connect(options: TransportConnectOptions): Promise<TransportSocket> {
    const tls = { ...this.defaults, ...options.tls }
    const servername = tls.servername ?? (isIP(options.host) === 0 ? options.host : undefined)
    return openSocket(
      options,
      'secureConnect',
      () =>
        tlsConnect({
          host: options.host,
          port: options.port,
          ...(servername === undefined ? {} : { servername }),
          ...(tls.ca === undefined ? {} : { ca: toPem(tls.ca) }),
          ...(tls.cert === undefined ? {} : { cert: toBuffer(tls.cert) }),
          ...(tls.key === undefined ? {} : { key: toBuffer(tls.key) }),
          ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
          rejectUnauthorized: tls.rejectUnauthorized ?? true,
        }),
      this.socketOptions,
    ).catch((error: unknown) => {
      throw NetworkError.isInstance(error) && error.cause instanceof Error && isCertificateError(error.cause)
        ? new NetworkError({
            retriable: false,
            message: `TLS handshake with ${options.host}:${options.port} failed: ${error.cause.message}. Check tls.ca (the broker's CA), tls.servername and the broker's certificate.`,
            cause: error.cause,
          })
        : error
    })
  }
}

function toBuffer(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

function toPem(
  value: string | Uint8Array | Array<string | Uint8Array>,
): Array<string | Buffer> | string | Buffer {
  return Array.isArray(value) ? value.map(toBuffer) : toBuffer(value)
}

function isCertificateError(error: Error): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|HOSTNAME/.test(code)
}
