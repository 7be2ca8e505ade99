// The broker side of the SASL mechanisms the embedded cluster enables: PLAIN (RFC 4616) and SCRAM-SHA-256/512
// (RFC 5802, RFC 7677), with the error texts Kafka's PlainSaslServer and ScramSaslServer give a client.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

/** The SASL mechanisms the embedded brokers can enable. */
export type SaslMechanismName = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'

export const SASL_MECHANISMS: readonly SaslMechanismName[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']

/** One exchange: each client message gets the server's answer, or the reason authentication failed. */
export interface SaslServerExchange {
  respond(clientMessage: Uint8Array): { message: Uint8Array } | { error: string }
  readonly isComplete: boolean
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()
/** Kafka's minimum SCRAM iteration count. */
const SCRAM_ITERATIONS = 4096

export function saslServerExchange(
  mechanism: SaslMechanismName,
  users: ReadonlyMap<string, string>,
): SaslServerExchange {
  return mechanism === 'PLAIN' ? plainExchange(users) : scramExchange(mechanism, users)
}

/** PLAIN: one message `authzid NUL authcid NUL passwd`, answered with nothing. */
function plainExchange(users: ReadonlyMap<string, string>): SaslServerExchange {
  let isComplete = false
  return {
    get isComplete() {
      return isComplete
    },
    respond(clientMessage) {
      const parts = decoder.decode(clientMessage).split('\u0000')
      if (parts.length !== 3) return { error: 'Invalid SASL/PLAIN response: expected 3 tokens' }
      const [authorizationId, user, password] = parts as [string, string, string]
      if (authorizationId !== '' && authorizationId !== user) {
        return {
          error:
            'Authentication failed: Client requested an authorization id that is different from username',
        }
      }
      if (users.get(user) !== password)
        return { error: 'Authentication failed: Invalid username or password' }
      isComplete = true
      return { message: new Uint8Array(0) }
    },
  }
}

/** SCRAM: client-first → server-first (nonce, salt, iterations) → client-final (proof) → server-final (signature). */
function scramExchange(
  mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
  users: ReadonlyMap<string, string>,
): SaslServerExchange {
  const digest = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512'
  const keyLength = mechanism === 'SCRAM-SHA-256' ? 32 : 64
  const salt = randomBytes(16)
  let state: 'first' | 'final' | 'complete' = 'first'
  let clientFirstBare = ''
  let serverFirst = ''
  let nonce = ''
  let password = ''
  const invalidCredentials = { error: 'Authentication failed: Invalid user credentials' }
  return {
    get isComplete() {
      return state === 'complete'
    },
    respond(clientMessage) {
      const text = decoder.decode(clientMessage)
      if (state === 'first') {
        // gs2 header without channel binding or authorization id, then the bare message
        if (!text.startsWith('n,,')) return { error: 'Invalid SCRAM client first message' }
        clientFirstBare = text.slice(3)
        const attributes = scramAttributes(clientFirstBare)
        const user = (attributes.n ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=')
        const known = users.get(user)
        if (known === undefined || attributes.r === undefined) return invalidCredentials
        password = known
        nonce = `${attributes.r}${randomBytes(12).toString('base64')}`
        serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${SCRAM_ITERATIONS}`
        state = 'final'
        return { message: encoder.encode(serverFirst) }
      }
      if (state === 'final') {
        const attributes = scramAttributes(text)
        if (attributes.r !== nonce) return { error: 'Invalid SCRAM nonce' }
        const withoutProof = text.slice(0, text.lastIndexOf(',p='))
        const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`
        const salted = pbkdf2Sync(password, salt, SCRAM_ITERATIONS, keyLength, digest)
        const storedKey = createHash(digest)
          .update(hmac(digest, salted, 'Client Key'))
          .digest()
        const signature = hmac(digest, storedKey, authMessage)
        const proof = Buffer.from(attributes.p ?? '', 'base64')
        if (proof.length !== signature.length) return invalidCredentials
        const clientKey = Buffer.alloc(proof.length)
        for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!
        if (!timingSafeEqual(createHash(digest).update(clientKey).digest(), storedKey))
          return invalidCredentials
        state = 'complete'
        const serverSignature = hmac(digest, hmac(digest, salted, 'Server Key'), authMessage)
        return { message: encoder.encode(`v=${serverSignature.toString('base64')}`) }
      }
      return { error: 'Unexpected SCRAM message: the exchange is complete' }
    },
  }
}

function hmac(digest: string, key: Uint8Array, message: string): Buffer {
  return createHmac(digest, key).update(message, 'utf8').digest()
}

function scramAttributes(message: string): Record<string, string | undefined> {
  const attributes: Record<string, string | undefined> = {}
  for (const part of message.split(',')) if (part[1] === '=') attributes[part[0]!] = part.slice(2)
  return attributes
}
