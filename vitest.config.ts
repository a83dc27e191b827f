// Unit tests: pure, fast, no services. Integration tests (tests/integration/) need servers that
// their suite script in tests/suites/ starts, and run with vitest.integration.config.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tools/*/test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
