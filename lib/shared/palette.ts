/**
 * Where our nodes sit in the palette and how they look. Node-RED's Flow Library validator wants
 * `category` and `color` as literals in each node's `registerType` call, so the `.html` files
 * repeat them; test/unit/editor-html.test.ts holds every one of them to these values.
 */
export const PALETTE_CATEGORY = 'Tencent IoT';
export const PALETTE_COLOR = '#8EC1F5';

/** The npm package; Node-RED names catalogues and serves `resources/` under it. */
export const PACKAGE_NAME = '@homeflow/node-red-tencent-iot-explorer';

/** Node-RED registers each node file's catalogue under `<module>/<file>`. */
export const ACCOUNT_NAMESPACE = `${PACKAGE_NAME}/iot-explorer-account`;
