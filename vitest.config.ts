import { defineConfig } from 'vitest/config'
import { aliases } from './vitest.shared'

// Projects: one unit project per package (its own vitest.config.ts), plus `kafka`, the integration tests that
// run against a real Apache Kafka broker started once per run by the harness's global setup.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'tools/*/vitest.config.ts',
      'bench/vitest.config.ts',
      {
        resolve: { alias: aliases },
        test: {
          name: 'kafka',
          include: ['packages/*/test/**/*.test.ts', 'tools/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['tools/kafka-harness/src/vitest/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          // `compat` tests also run against Kafka 3.9 in CI (`KAFKA_LINE=3.9 … --tags-filter compat`)
          tags: [{ name: 'compat', description: 'also runs against the Kafka 3.9 line' }],
        },
      },
    ],
  },
})
