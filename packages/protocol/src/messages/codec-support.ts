/**
 * Small helpers the generated codecs call for their error paths, so each generated file stays straight-line
 * code and every error names the message, field and fix. Not part of the hot path: nothing here runs for
 * valid data.
 */
import { ProtocolDecodeError } from '../errors/protocol-decode-error.js'
import { ProtocolEncodeError } from '../errors/protocol-encode-error.js'
import { UnsupportedVersionError } from '../errors/unsupported-version-error.js'
import type { Reader } from '../primitives/reader.js'

/** Empty `bytes` default, shared: a zero-length view cannot be changed. */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0)

export function unsupportedVersion(
  message: string,
  version: number,
  min: number,
  max: number,
): UnsupportedVersionError {
  return new UnsupportedVersionError(
    `${message} version ${version} is not supported: this code handles versions ${min} to ${max}. ` +
      'Negotiate the version with ApiVersions and use one in range.',
  )
}

export function nonDefaultField(
  field: string,
  version: number,
  versions: string,
  defaultValue: string,
): UnsupportedVersionError {
  return new UnsupportedVersionError(
    `Attempted to write a non-default ${field} at version ${version}: the field exists only in versions ${versions}. ` +
      `Leave it at its default (${defaultValue}) or write a version that has it.`,
  )
}

export function nullField(field: string, version: number): ProtocolEncodeError {
  return new ProtocolEncodeError(
    `${field} is null but is not nullable at version ${version}: give it a value (an empty string or array).`,
  )
}

export function unknownTaggedFieldsNotSupported(struct: string, version: number): UnsupportedVersionError {
  return new UnsupportedVersionError(
    `${struct}.unknownTaggedFields are set but version ${version} has no tagged fields: drop them or write a flexible version.`,
  )
}

export function unexpectedNull(field: string): ProtocolDecodeError {
  return new ProtocolDecodeError(`Non-nullable field ${field} was serialized as null`)
}

/** Java's guard against allocating for an absurd array length: each element takes at least one byte. */
export function checkArrayLength(reader: Reader, length: number, field: string): void {
  if (length > reader.remaining) {
    throw new ProtocolDecodeError(
      `Array ${field} claims ${length} elements but only ${reader.remaining} bytes remain: the data is malformed`,
    )
  }
}

export function invalidTag(tag: number, struct: string, version: number): ProtocolDecodeError {
  return new ProtocolDecodeError(`Tag ${tag} of ${struct} is not valid in version ${version}`)
}
