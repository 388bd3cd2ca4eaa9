// The UMD's entry: Dashboard 2 loads resources/ui-iot-explorer-device.umd.js and takes the
// component from window['ui-iot-explorer-device'].UIIotExplorerDevice (package.json
// "node-red-dashboard-2" names both).
export { default as UIIotExplorerDevice } from './components/UIIotExplorerDevice.vue';
