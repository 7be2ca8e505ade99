// SCRAM-SHA-256 test vector from RFC 7677 §3 (user "user", password "pencil", client nonce
// "rOprNGfwEbeRWgbNEkqO"); SCRAM-SHA-512 and PLAIN are checked end to end against the fake broker's server side.
import { describe, expect, it } from 'vitest'
import { AuthenticationError } from '../../errors/authentication-error.js'
import { PlainMechanism } from './plain-mechanism.js'
import { ScramMechanism } from './scram-mechanism.js'

const encode = (text: string) => new TextEncoder().encode(text)
const decode = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes!)

describe('ScramMechanism', () => {
  it('produces the RFC 7677 SCRAM-SHA-256 client messages and accepts the server signature', () => {
    const exchange = new ScramMechanism(
      'SCRAM-SHA-256',
      'user',
      'pencil',
      () => 'rOprNGfwEbeRWgbNEkqO',
    ).createExchange()
    expect(decode(exchange.initial())).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO')
    const clientFinal = exchange.respond(
      encode('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'),
    )
    expect(decode(clientFinal)).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    )
    expect(exchange.respond(encode('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='))).toBeNull()
  })

  it('rejects a server signature that does not verify', () => {
    const exchange = new ScramMechanism(
      'SCRAM-SHA-256',
      'user',
      'pencil',
      () => 'rOprNGfwEbeRWgbNEkqO',
    ).createExchange()
    exchange.initial()
    exchange.respond(
      encode('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096'),
    )
    expect(() => exchange.respond(encode('v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='))).toThrow(
      AuthenticationError,
    )
  })

  it('refuses fewer than 4096 iterations and a nonce that does not extend its own', () => {
    const weak = new ScramMechanism('SCRAM-SHA-512', 'u', 'p', () => 'abc').createExchange()
    weak.initial()
    expect(() => weak.respond(encode('r=abcdef,s=c2FsdA==,i=1000'))).toThrow(/fewer than the minimum 4096/)
    const forged = new ScramMechanism('SCRAM-SHA-512', 'u', 'p', () => 'abc').createExchange()
    forged.initial()
    expect(() => forged.respond(encode('r=zzz,s=c2FsdA==,i=4096'))).toThrow(
      /does not extend the client nonce/,
    )
  })

  it('escapes "=" and "," in the user name as RFC 5802 saslnames', () => {
    const exchange = new ScramMechanism('SCRAM-SHA-256', 'a=b,c', 'p', () => 'n').createExchange()
    expect(decode(exchange.initial())).toBe('n,,n=a=3Db=2Cc,r=n')
  })
})

describe('PlainMechanism', () => {
  it('sends NUL-separated empty authzid, user and password in one message', () => {
    const exchange = new PlainMechanism('alice', 'secret').createExchange()
    expect([...exchange.initial()]).toEqual([...encode('\u0000alice\u0000secret')])
    expect(exchange.respond(new Uint8Array(0))).toBeNull()
  })
})
