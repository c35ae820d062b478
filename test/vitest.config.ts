import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['fixtures/**', 'node_modules/**', '.tmp/**'],
    // Loading environments with jiti and running real tools takes longer than unit tests.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
