import { defineConfig } from 'tsup'

// `index` is the library; `main` is the command's entry, which bin/x-kafka.js runs in an installed package.
export default defineConfig({
  entry: ['src/index.ts', 'src/main.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
})
