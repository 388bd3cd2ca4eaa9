'use strict';
// Preloaded (node --require) into node-red-dev by scripts/scorecard.js: the Flow Library's
// catalogue cannot be reached from our machines, so its requests go to the local stub named by
// IOTX_CATALOGUE_URL. Every other request (the npm registry) is left alone.
const path = require('node:path');

const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';
const stub = process.env.IOTX_CATALOGUE_URL;
if (!stub) throw new Error('IOTX_CATALOGUE_URL is not set');

// node-red-dev's own copy of axios, the one its checks use.
const devDir = path.dirname(require.resolve('node-red-dev/package.json'));
const axios = require(require.resolve('axios', { paths: [path.join(devDir, 'src', 'libs')] }));
axios.interceptors.request.use((config) => {
  if (config.url === CATALOGUE) config.url = stub;
  return config;
});
