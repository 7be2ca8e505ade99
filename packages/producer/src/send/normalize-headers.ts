import type { Header } from '@x/accumulator'
import { InvalidArgumentError } from '../errors/invalid-argument-error.js'
import type { ProducerHeader, ProducerHeaders } from '../record/producer-record.js'

function headerError(why: string): InvalidArgumentError {
  return new InvalidArgumentError({
    argument: 'record.headers',
    message: `Invalid record headers: ${why} Headers are [{ key: string, value: Uint8Array | string | null }] or { [key]: Uint8Array | string | null }.`,
  })
}

/**
 * Headers as the record batch writes them. A list whose values are all bytes or null is returned as it is
 * (no copy, no allocation); string values are encoded as UTF-8 into a new list; an object becomes a list in
 * key order.
 *
 * @throws InvalidArgumentError for a non-string key or a value that is not bytes, a string or null.
 */
export function normalizeHeaders(headers: ProducerHeaders | null | undefined): readonly Header[] | null {
  if (headers === null || headers === undefined) return null
  if (!Array.isArray(headers))
    return fromObject(headers as Readonly<Record<string, Uint8Array | string | null>>)
  const list = headers as readonly ProducerHeader[]
  let copy: Header[] | undefined
  for (let index = 0; index < list.length; index++) {
    const header = list[index]
    if (typeof header !== 'object' || header === null || typeof header.key !== 'string')
      throw headerError(`header ${index} has no string key.`)
    const value = header.value
    if (value === null || value instanceof Uint8Array) {
      copy?.push(header as Header)
      continue
    }
    if (typeof value !== 'string') throw headerError(`header "${header.key}" has a ${typeof value} value.`)
    copy ??= list.slice(0, index) as Header[]
    copy.push({ key: header.key, value: Buffer.from(value, 'utf8') })
  }
  return copy ?? (list as readonly Header[])
}

function fromObject(headers: Readonly<Record<string, Uint8Array | string | null>>): Header[] {
  if (typeof headers !== 'object') throw headerError(`got a ${typeof headers}.`)
  const list: Header[] = []
  for (const key of Object.keys(headers)) {
    const value = headers[key]
    if (value === null || value instanceof Uint8Array) list.push({ key, value })
    else if (typeof value === 'string') list.push({ key, value: Buffer.from(value, 'utf8') })
    else throw headerError(`header "${key}" has a ${typeof value} value.`)
  }
  return list
}
