// The browser half, built the way Dashboard 2's own third-party widgets are: Vue 3 single-file
// components, Vite in library mode, one UMD whose library name is the widget type (Dashboard 2
// looks for window['ui-iot-explorer-device']), its CSS injected by the script itself, and Vue,
// Vuex and Vuetify left to the Dashboard 2 page that loads it.
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import cssInjectedByJs from 'vite-plugin-css-injected-by-js';

export const WIDGET_TYPE = 'ui-iot-explorer-device';

export default defineConfig({
  plugins: [vue(), cssInjectedByJs()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  logLevel: 'warn',
  build: {
    outDir: 'resources',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: 'ui/index.ts',
      name: WIDGET_TYPE,
      formats: ['umd'],
      fileName: () => `${WIDGET_TYPE}.umd.js`,
    },
    rollupOptions: {
      external: ['vue', 'vuex', 'vuetify'],
      output: { globals: { vue: 'Vue', vuex: 'vuex', vuetify: 'Vuetify' } },
    },
  },
});
