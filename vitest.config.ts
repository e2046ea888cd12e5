import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// One runner for every test. Unit tests are fast and pure; integration and e2e tests start real
// processes (the control plane, containerd, chromium) and so get longer timeouts and run one file at a time.
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['tests/**/*.test.ts', 'main/**/*.test.ts', 'vm-images/**/*.test.ts', 'renderer/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
