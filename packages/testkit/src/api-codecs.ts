import {
  type ApiInfo,
  addOffsetsToTxnApi,
  addPartitionsToTxnApi,
  apiVersionsApi,
  createTopicsApi,
  endTxnApi,
  fetchApi,
  findCoordinatorApi,
  initProducerIdApi,
  listOffsetsApi,
  metadataApi,
  produceApi,
  type Reader,
  readAddOffsetsToTxnRequest,
  readAddOffsetsToTxnResponse,
  readAddPartitionsToTxnRequest,
  readAddPartitionsToTxnResponse,
  readApiVersionsRequest,
  readApiVersionsResponse,
  readCreateTopicsRequest,
  readCreateTopicsResponse,
  readEndTxnRequest,
  readEndTxnResponse,
  readFetchRequest,
  readFetchResponse,
  readFindCoordinatorRequest,
  readFindCoordinatorResponse,
  readInitProducerIdRequest,
  readInitProducerIdResponse,
  readListOffsetsRequest,
  readListOffsetsResponse,
  readMetadataRequest,
  readMetadataResponse,
  readProduceRequest,
  readProduceResponse,
  readSaslAuthenticateRequest,
  readSaslAuthenticateResponse,
  readSaslHandshakeRequest,
  readSaslHandshakeResponse,
  readTxnOffsetCommitRequest,
  readTxnOffsetCommitResponse,
  saslAuthenticateApi,
  saslHandshakeApi,
  txnOffsetCommitApi,
  type Writer,
  writeAddOffsetsToTxnRequest,
  writeAddOffsetsToTxnResponse,
  writeAddPartitionsToTxnRequest,
  writeAddPartitionsToTxnResponse,
  writeApiVersionsRequest,
  writeApiVersionsResponse,
  writeCreateTopicsRequest,
  writeCreateTopicsResponse,
  writeEndTxnRequest,
  writeEndTxnResponse,
  writeFetchRequest,
  writeFetchResponse,
  writeFindCoordinatorRequest,
  writeFindCoordinatorResponse,
  writeInitProducerIdRequest,
  writeInitProducerIdResponse,
  writeListOffsetsRequest,
  writeListOffsetsResponse,
  writeMetadataRequest,
  writeMetadataResponse,
  writeProduceRequest,
  writeProduceResponse,
  writeSaslAuthenticateRequest,
  writeSaslAuthenticateResponse,
  writeSaslHandshakeRequest,
  writeSaslHandshakeResponse,
  writeTxnOffsetCommitRequest,
  writeTxnOffsetCommitResponse,
} from '@x/protocol'
import { TestkitError } from './testkit-error.js'

/** The four generated functions of one API, both directions: the broker reads requests and writes responses, a client the reverse. */
export interface ApiCodec<Request, RequestInput, Response, ResponseInput> {
  readonly api: ApiInfo
  readRequest(reader: Reader, version: number): Request
  writeRequest(writer: Writer, version: number, value: RequestInput): void
  readResponse(reader: Reader, version: number): Response
  writeResponse(writer: Writer, version: number, value: ResponseInput): void
}

function codec<Request, RequestInput, Response, ResponseInput>(
  api: ApiInfo,
  readRequest: (reader: Reader, version: number) => Request,
  writeRequest: (writer: Writer, version: number, value: RequestInput) => void,
  readResponse: (reader: Reader, version: number) => Response,
  writeResponse: (writer: Writer, version: number, value: ResponseInput) => void,
): ApiCodec<Request, RequestInput, Response, ResponseInput> {
  return { api, readRequest, writeRequest, readResponse, writeResponse }
}

/** The APIs the embedded cluster serves, by the name the Kafka specs give them. */
export const apiCodecs = {
  Produce: codec(
    produceApi,
    readProduceRequest,
    writeProduceRequest,
    readProduceResponse,
    writeProduceResponse,
  ),
  Fetch: codec(fetchApi, readFetchRequest, writeFetchRequest, readFetchResponse, writeFetchResponse),
  ListOffsets: codec(
    listOffsetsApi,
    readListOffsetsRequest,
    writeListOffsetsRequest,
    readListOffsetsResponse,
    writeListOffsetsResponse,
  ),
  Metadata: codec(
    metadataApi,
    readMetadataRequest,
    writeMetadataRequest,
    readMetadataResponse,
    writeMetadataResponse,
  ),
  FindCoordinator: codec(
    findCoordinatorApi,
    readFindCoordinatorRequest,
    writeFindCoordinatorRequest,
    readFindCoordinatorResponse,
    writeFindCoordinatorResponse,
  ),
  ApiVersions: codec(
    apiVersionsApi,
    readApiVersionsRequest,
    writeApiVersionsRequest,
    readApiVersionsResponse,
    writeApiVersionsResponse,
  ),
  CreateTopics: codec(
    createTopicsApi,
    readCreateTopicsRequest,
    writeCreateTopicsRequest,
    readCreateTopicsResponse,
    writeCreateTopicsResponse,
  ),
  InitProducerId: codec(
    initProducerIdApi,
    readInitProducerIdRequest,
    writeInitProducerIdRequest,
    readInitProducerIdResponse,
    writeInitProducerIdResponse,
  ),
  AddPartitionsToTxn: codec(
    addPartitionsToTxnApi,
    readAddPartitionsToTxnRequest,
    writeAddPartitionsToTxnRequest,
    readAddPartitionsToTxnResponse,
    writeAddPartitionsToTxnResponse,
  ),
  AddOffsetsToTxn: codec(
    addOffsetsToTxnApi,
    readAddOffsetsToTxnRequest,
    writeAddOffsetsToTxnRequest,
    readAddOffsetsToTxnResponse,
    writeAddOffsetsToTxnResponse,
  ),
  EndTxn: codec(endTxnApi, readEndTxnRequest, writeEndTxnRequest, readEndTxnResponse, writeEndTxnResponse),
  TxnOffsetCommit: codec(
    txnOffsetCommitApi,
    readTxnOffsetCommitRequest,
    writeTxnOffsetCommitRequest,
    readTxnOffsetCommitResponse,
    writeTxnOffsetCommitResponse,
  ),
  SaslHandshake: codec(
    saslHandshakeApi,
    readSaslHandshakeRequest,
    writeSaslHandshakeRequest,
    readSaslHandshakeResponse,
    writeSaslHandshakeResponse,
  ),
  SaslAuthenticate: codec(
    saslAuthenticateApi,
    readSaslAuthenticateRequest,
    writeSaslAuthenticateRequest,
    readSaslAuthenticateResponse,
    writeSaslAuthenticateResponse,
  ),
} as const

export type ApiName = keyof typeof apiCodecs
type CodecOf<Name extends ApiName> = (typeof apiCodecs)[Name]
export type RequestOf<Name extends ApiName> = ReturnType<CodecOf<Name>['readRequest']>
export type RequestInputOf<Name extends ApiName> = Parameters<CodecOf<Name>['writeRequest']>[2]
export type ResponseOf<Name extends ApiName> = ReturnType<CodecOf<Name>['readResponse']>
export type ResponseInputOf<Name extends ApiName> = Parameters<CodecOf<Name>['writeResponse']>[2]

const byKey = new Map<number, ApiName>()
for (const name of Object.keys(apiCodecs) as ApiName[]) byKey.set(apiCodecs[name].api.apiKey, name)

/** The served API with this key, or `undefined`. */
export function apiNameOf(apiKey: number): ApiName | undefined {
  return byKey.get(apiKey)
}

/** A version range per API, as ApiVersions announces it. */
export type ApiVersionRanges = Readonly<Record<ApiName, { readonly min: number; readonly max: number }>>

/**
 * The version range the embedded broker advertises per API: what the codecs handle, from Kafka 4.0's
 * baseline (KIP-896 removed Produce v0-2 and Fetch v0-3, which carry the old message formats this broker
 * does not store; ListOffsets v0 and CreateTopics v0-1 went with them). Every broker lists SaslHandshake and
 * SaslAuthenticate, as Kafka does on every listener.
 */
export const advertisedVersions: ApiVersionRanges = {
  Produce: { min: 3, max: produceApi.maxVersion },
  Fetch: { min: 4, max: fetchApi.maxVersion },
  ListOffsets: { min: 1, max: listOffsetsApi.maxVersion },
  Metadata: { min: 0, max: metadataApi.maxVersion },
  FindCoordinator: { min: 0, max: findCoordinatorApi.maxVersion },
  ApiVersions: { min: 0, max: apiVersionsApi.maxVersion },
  CreateTopics: { min: 2, max: createTopicsApi.maxVersion },
  InitProducerId: { min: 0, max: initProducerIdApi.maxVersion },
  AddPartitionsToTxn: { min: 0, max: addPartitionsToTxnApi.maxVersion },
  AddOffsetsToTxn: { min: 0, max: addOffsetsToTxnApi.maxVersion },
  EndTxn: { min: 0, max: endTxnApi.maxVersion },
  TxnOffsetCommit: { min: 0, max: txnOffsetCommitApi.maxVersion },
  // v1 only: v0 sends the mechanism's tokens unframed, which this broker does not read
  SaslHandshake: { min: 1, max: 1 },
  SaslAuthenticate: { min: 0, max: saslAuthenticateApi.maxVersion },
}

/**
 * The ranges a broker announces: `advertisedVersions` with the `overrides` of the `apiVersions` option.
 * An override stays within what the codecs know (0 to the newest version) and may reach below what the
 * broker implements, to act as an older broker in a client's version negotiation.
 */
export function announcedVersions(
  overrides: Partial<Record<ApiName, { min: number; max: number }>> = {},
): ApiVersionRanges {
  const ranges = { ...advertisedVersions }
  for (const name of Object.keys(overrides) as ApiName[]) {
    const range = overrides[name]
    const codec = apiCodecs[name]
    if (codec === undefined) {
      throw new TestkitError(
        'INVALID_OPTION',
        `apiVersions names ${name}, which the embedded broker does not serve: use one of ${Object.keys(apiCodecs).join(', ')}`,
      )
    }
    if (
      range === undefined ||
      !Number.isInteger(range.min) ||
      !Number.isInteger(range.max) ||
      range.min < 0 ||
      range.min > range.max ||
      range.max > codec.api.maxVersion
    ) {
      throw new TestkitError(
        'INVALID_OPTION',
        `apiVersions.${name} must be { min, max } with 0 <= min <= max <= ${codec.api.maxVersion}, got ${JSON.stringify(range)}`,
      )
    }
    ranges[name] = { min: range.min, max: range.max }
  }
  return ranges
}
