import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto'

/** The broker side of one SASL exchange (test-only): returns the server message, or an error text. */
export interface FakeSaslServerExchange {
  respond(clientMessage: Uint8Array): { message: Uint8Array } | { error: string }
  readonly complete: boolean
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** PLAIN (RFC 4616) against a user table. */
export function plainServer(users: ReadonlyMap<string, string>): FakeSaslServerExchange {
  let complete = false
  return {
    get complete() {
      return complete
    },
    respond(clientMessage) {
      const [, user, password] = decoder.decode(clientMessage).split('\u0000')
      if (user === undefined || users.get(user) !== password) {
        return { error: 'Authentication failed: Invalid username or password' }
      }
      complete = true
      return { message: new Uint8Array(0) }
    },
  }
}

/** SCRAM-SHA-256/512 server side (RFC 5802), as Kafka's `ScramSaslServer` checks a client. */
export function scramServer(
  mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
  users: ReadonlyMap<string, string>,
  iterations = 4096,
): FakeSaslServerExchange {
  const digest = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512'
  const length = mechanism === 'SCRAM-SHA-256' ? 32 : 64
  const salt = randomBytes(16)
  let state: 'first' | 'final' | 'done' = 'first'
  let clientFirstBare = ''
  let serverFirst = ''
  let nonce = ''
  let password: string | undefined
  return {
    get complete() {
      return state === 'done'
    },
    respond(clientMessage) {
      const text = decoder.decode(clientMessage)
      if (state === 'first') {
        if (!text.startsWith('n,,')) return { error: 'Invalid SCRAM client first message' }
        clientFirstBare = text.slice(3)
        const attributes = parse(clientFirstBare)
        const user = (attributes.n ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=')
        password = users.get(user)
        if (password === undefined) return { error: `Authentication failed: Invalid user credentials` }
        nonce = `${attributes.r}${randomBytes(12).toString('base64')}`
        serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`
        state = 'final'
        return { message: encoder.encode(serverFirst) }
      }
      if (state === 'final') {
        const attributes = parse(text)
        if (attributes.r !== nonce) return { error: 'Invalid SCRAM nonce' }
        const withoutProof = text.slice(0, text.lastIndexOf(',p='))
        const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`
        const salted = pbkdf2Sync(Buffer.from(password!, 'utf8'), salt, iterations, length, digest)
        const clientKey = hmac(digest, salted, 'Client Key')
        const storedKey = createHash(digest).update(clientKey).digest()
        const signature = hmac(digest, storedKey, authMessage)
        const proof = Buffer.from(attributes.p ?? '', 'base64')
        if (proof.length !== signature.length)
          return { error: 'Authentication failed: Invalid user credentials' }
        const recovered = Buffer.alloc(proof.length)
        for (let i = 0; i < proof.length; i++) recovered[i] = proof[i]! ^ signature[i]!
        const recoveredStored = createHash(digest).update(recovered).digest()
        if (!timingSafeEqual(recoveredStored, storedKey)) {
          return { error: 'Authentication failed: Invalid user credentials' }
        }
        state = 'done'
        const serverSignature = hmac(digest, hmac(digest, salted, 'Server Key'), authMessage)
        return { message: encoder.encode(`v=${serverSignature.toString('base64')}`) }
      }
      return { error: 'SCRAM exchange already complete' }
    },
  }
}

function hmac(digest: string, key: Uint8Array, message: string): Buffer {
  return createHmac(digest, key).update(message, 'utf8').digest()
}

function parse(message: string): Record<string, string | undefined> {
  const attributes: Record<string, string | undefined> = {}
  for (const part of message.split(',')) if (part[1] === '=') attributes[part[0]!] = part.slice(2)
  return attributes
}
