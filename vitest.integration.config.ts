// Integration tests: each area's suite script starts the servers it needs, then runs
//   npx vitest run --config vitest.integration.config.ts tests/integration/<area>
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/integration/**/*.test.ts', 'tests/rehearsal/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
