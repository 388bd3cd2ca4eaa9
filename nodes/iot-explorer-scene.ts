import type { Node, NodeAPI, NodeDef } from 'node-red';
import {
  createFieldResolver,
  handleDeviceMessages,
  type AccountNode,
  type CallInfo,
} from '../lib/node/device-node';
import type { StringFieldSpec } from '../lib/node/typed-fields';

export interface SceneConfig extends NodeDef {
  account: string;
  /** TypedInput; blank: msg.sceneId. */
  sceneId?: string;
  sceneIdType?: string;
  /** The picked scene's name and family, kept for the label and the editor's picker. */
  sceneName?: string;
  familyId?: string;
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
    const resolve = createFieldResolver(
      RED,
      node,
      { sceneId: { value: config.sceneId ?? '', type: config.sceneIdType || 'str' } },
      SCENE_SPECS,
    );

    handleDeviceMessages<SceneCallInfo>(RED, node, {
      account: RED.nodes.getNode(config.account) as AccountNode | null,
      action: 'AppRunScene',
      async run(msg, { account, signal, info }) {
        info.sceneId = await resolve(msg, 'sceneId');
        const result = await account.client.runScene(info.sceneId, { signal });
        info.requestId = result.requestId;
        const label =
          info.sceneId === config.sceneId && config.sceneName ? config.sceneName : info.sceneId;
        return `${label} · ${new Date().toLocaleTimeString()}`;
      },
    });
  }

  RED.nodes.registerType('iot-explorer-scene', IotExplorerSceneNode);
}

module.exports = register;
