import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/support/setup.ts'],
    // Sized for a shared two-core machine under load: integration tests start JVMs and servers.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Two cores: DynamoDB Local JVMs per file are heavy, so keep file parallelism modest.
    maxWorkers: 2,
    pool: 'forks',
    // Structured logs go straight to stdout; tests assert on outcomes, not log lines.
    env: {
      LOG_LEVEL: 'silent',
      POWERTOOLS_METRICS_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
