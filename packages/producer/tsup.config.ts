import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  // The CJS build needs `import.meta.url` (tracing's lazy require of @opentelemetry/api); peers stay external.
  shims: true,
})
