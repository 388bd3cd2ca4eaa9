import type { Node, NodeAPI, NodeDef } from 'node-red';
import { handleCallMessages, type CallInfo } from '../../lib/node/call-life-cycle';
import { createFieldResolver } from '../../lib/node/typed-fields';
import { getAccount } from '../../lib/account/account';
import { migrateScene, type StoredScene } from './settings';
import type { StringFieldSpec } from '../../lib/node/typed-fields';

export interface SceneConfig extends NodeDef, StoredScene {
  account: string;
}

/** What `msg.iotexplorer` holds after a scene run. */
export interface SceneCallInfo extends CallInfo {
  action: 'AppRunScene';
  sceneId?: string;
}

/** Scene ids are text (`s_…`): a number in msg.sceneId is a mistake worth naming. */
const SCENE_SPECS: Record<'sceneId', StringFieldSpec> = {
  sceneId: { label: 'SceneId', msgProperty: 'sceneId', acceptNumber: false },
};

export default function register(RED: NodeAPI): void {
  function IotExplorerSceneNode(this: Node, config: SceneConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const { sceneId, sceneName } = migrateScene(config);
    const resolve = createFieldResolver(RED, node, { sceneId }, SCENE_SPECS);

    handleCallMessages<SceneCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: 'AppRunScene',
      async run(msg, { account, callOptions, info }) {
        info.sceneId = await resolve(msg, 'sceneId');
        const result = await account.client.runScene(info.sceneId, callOptions);
        info.requestId = result.requestId;
        const label = info.sceneId === sceneId.value && sceneName ? sceneName : info.sceneId;
        return `${label} · ${new Date().toLocaleTimeString()}`;
      },
    });
  }

  RED.nodes.registerType('iot-explorer-scene', IotExplorerSceneNode);
}

module.exports = register;
