export * from './api-info.js'
export * from './generated/index.js'
