import { defineConfig } from 'vitest/config'

// Unit tests of the logic that is not layout (src/api, src/lib). @tarojs/taro cannot be
// imported outside a Taro build, so the tested modules take their platform calls as arguments.
export default defineConfig({
  test: { include: ['tests/**/*.test.ts'], environment: 'node' },
})
