// ApiVersions (key 18), versions 0-4. Lists every API and version range this broker serves. A request
// newer than v4 never reaches this handler: the connection answers it in v0 with UNSUPPORTED_VERSION
// (KIP-511). v3+ checks the client software name and version as Kafka does (INVALID_REQUEST).
import { ErrorCode } from '@x/protocol'
import type { ApiHandler } from './api-handler.js'
import { supportedApiKeys } from './supported-api-keys.js'

const SOFTWARE_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/

export const apiVersionsHandler: ApiHandler<'ApiVersions'> = {
  name: 'ApiVersions',
  handle(ctx, request) {
    if (
      ctx.apiVersion >= 3 &&
      (!SOFTWARE_PATTERN.test(request.clientSoftwareName) ||
        !SOFTWARE_PATTERN.test(request.clientSoftwareVersion))
    ) {
      return { errorCode: ErrorCode.INVALID_REQUEST, apiKeys: [] }
    }
    const injected = ctx.faults.errorFor()
    if (injected !== 0) return { errorCode: injected, apiKeys: [] }
    return { errorCode: 0, apiKeys: supportedApiKeys(ctx.model.settings.apiVersions), throttleTimeMs: 0 }
  },
}
