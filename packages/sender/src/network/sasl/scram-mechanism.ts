import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'
import { AuthenticationError } from '../../errors/authentication-error.js'
import type { SaslExchange, SaslMechanism } from './sasl-mechanism.js'

/** The hash behind each SCRAM mechanism Kafka enables, and its digest length in bytes. */
const HASHES = {
  'SCRAM-SHA-256': { digest: 'sha256', length: 32 },
  'SCRAM-SHA-512': { digest: 'sha512', length: 64 },
} as const

/** Kafka's `ScramMechanism.minIterations`: fewer is refused as too weak. */
const MIN_ITERATIONS = 4096

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * SASL/SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677) as Kafka's `ScramSaslClient` runs them: no
 * channel binding (`n,,`), the username escaped as a saslname, the password as UTF-8 bytes, at least 4096
 * iterations, and the server's signature verified before the connection is trusted.
 */
export class ScramMechanism implements SaslMechanism {
  constructor(
    readonly name: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
    private readonly username: string,
    private readonly password: string,
    /** The client nonce; random per exchange. Fixed only by tests reproducing RFC vectors. */
    private readonly nonce: () => string = () => randomBytes(24).toString('base64'),
  ) {}

  createExchange(): SaslExchange {
    return new ScramExchange(this.name, this.username, this.password, this.nonce())
  }
}

class ScramExchange implements SaslExchange {
  private state: 'initial' | 'first-sent' | 'final-sent' | 'done' = 'initial'
  private readonly clientFirstBare: string
  private expectedServerSignature: Buffer | undefined

  constructor(
    private readonly mechanism: keyof typeof HASHES,
    username: string,
    private readonly password: string,
    private readonly clientNonce: string,
  ) {
    this.clientFirstBare = `n=${saslName(username)},r=${clientNonce}`
  }

  initial(): Uint8Array {
    this.state = 'first-sent'
    return encoder.encode(`n,,${this.clientFirstBare}`)
  }

  respond(serverMessage: Uint8Array): Uint8Array | null {
    const text = decoder.decode(serverMessage)
    if (this.state === 'first-sent') return encoder.encode(this.clientFinal(text))
    if (this.state === 'final-sent') {
      this.verifyServerFinal(text)
      this.state = 'done'
      return null
    }
    throw this.failure(`unexpected server message in state ${this.state}`)
  }

  private clientFinal(serverFirst: string): string {
    const attributes = parseAttributes(serverFirst)
    if (attributes.e !== undefined)
      throw this.failure(`the server refused the client-first message: ${attributes.e}`)
    const nonce = attributes.r
    const salt = attributes.s
    const iterations = Number(attributes.i)
    if (nonce === undefined || salt === undefined || !Number.isInteger(iterations)) {
      throw this.failure(`malformed server-first message "${serverFirst}"`)
    }
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
      throw this.failure('the server nonce does not extend the client nonce')
    }
    if (iterations < MIN_ITERATIONS) {
      throw this.failure(
        `the server asks for ${iterations} iterations, fewer than the minimum ${MIN_ITERATIONS}`,
      )
    }
    const { digest, length } = HASHES[this.mechanism]
    const saltedPassword = pbkdf2Sync(
      Buffer.from(this.password, 'utf8'),
      Buffer.from(salt, 'base64'),
      iterations,
      length,
      digest,
    )
    const clientKey = hmac(digest, saltedPassword, 'Client Key')
    const storedKey = createHash(digest).update(clientKey).digest()
    const withoutProof = `c=biws,r=${nonce}`
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`
    const clientSignature = hmac(digest, storedKey, authMessage)
    const proof = Buffer.alloc(clientKey.length)
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!
    this.expectedServerSignature = hmac(digest, hmac(digest, saltedPassword, 'Server Key'), authMessage)
    this.state = 'final-sent'
    return `${withoutProof},p=${proof.toString('base64')}`
  }

  private verifyServerFinal(serverFinal: string): void {
    const attributes = parseAttributes(serverFinal)
    if (attributes.e !== undefined) throw this.failure(`the server refused the credentials: ${attributes.e}`)
    const signature = attributes.v === undefined ? undefined : Buffer.from(attributes.v, 'base64')
    const expected = this.expectedServerSignature!
    if (
      signature === undefined ||
      signature.length !== expected.length ||
      !timingSafeEqual(signature, expected)
    ) {
      throw this.failure(
        'the server signature is invalid: the broker does not know the password (or is not the broker)',
      )
    }
  }

  private failure(reason: string): AuthenticationError {
    return new AuthenticationError({ message: `${this.mechanism} authentication failed: ${reason}.` })
  }
}

function hmac(digest: string, key: Uint8Array, message: string): Buffer {
  return createHmac(digest, key).update(message, 'utf8').digest()
}

/** RFC 5802 saslname: `=` and `,` escaped as `=3D` and `=2C`. */
function saslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C')
}

function parseAttributes(message: string): Record<string, string | undefined> {
  const attributes: Record<string, string | undefined> = {}
  for (const part of message.split(',')) {
    const eq = part.indexOf('=')
    if (eq === 1) attributes[part[0]!] = part.slice(2)
  }
  return attributes
}
