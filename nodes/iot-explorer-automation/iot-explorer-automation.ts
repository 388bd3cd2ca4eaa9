import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { AutomationSummary } from '../../lib/api/scenes';
import { handleCallMessages, type CallInfo } from '../../lib/node/call-life-cycle';
import { createFieldResolver } from '../../lib/node/typed-fields';
import { getAccount } from '../../lib/account/account';
import { IotExplorerError, LocalErrorCode } from '../../lib/errors/errors';
import { migrateAutomation, type StoredAutomation } from './settings';
import { describeValue, type StringFieldSpec } from '../../lib/node/typed-fields';

export type { AutomationOperation, AutomationState } from './settings';

export interface AutomationConfig extends NodeDef, StoredAutomation {
  account: string;
}

/** What `msg.iotexplorer` holds after a switch or a list. */
export interface AutomationCallInfo extends CallInfo {
  action: 'AppModifyAutomationStatus' | 'AppGetAutomationList';
  automationId?: string;
  /** The state asked for (a switch). */
  enabled?: boolean;
  familyId?: string;
}

/** Automation and family ids are text: a number is a mistake worth naming. */
const AUTOMATION_SPECS: Record<'automationId' | 'familyId', StringFieldSpec> = {
  automationId: { label: 'AutomationId', msgProperty: 'automationId', acceptNumber: false },
  familyId: { label: 'FamilyId', msgProperty: 'familyId', acceptNumber: false },
};

/**
 * msg.payload as on or off: a boolean, or the words on/off, true/false. A number is refused on
 * purpose: the API's own Status number reads both ways in its sources, so the flow never uses it.
 */
function readEnabled(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === 'on' || word === 'true') return true;
    if (word === 'off' || word === 'false') return false;
  }
  throw new IotExplorerError({
    code: LocalErrorCode.InvalidField,
    key: 'automationState',
    params: {
      got: typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : describeValue(value),
    },
  });
}

export default function register(RED: NodeAPI): void {
  function IotExplorerAutomationNode(this: Node, config: AutomationConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    const settings = migrateAutomation(config);
    const { operation, state, automationName } = settings;
    // Only the field the operation uses is resolved, so only its override is warned about.
    const used = operation === 'list' ? 'familyId' : 'automationId';
    const resolve = createFieldResolver(
      RED,
      node,
      { id: settings[used] },
      { id: AUTOMATION_SPECS[used] },
    );

    handleCallMessages<AutomationCallInfo>(RED, node, {
      account: getAccount(RED, config.account),
      action: operation === 'list' ? 'AppGetAutomationList' : 'AppModifyAutomationStatus',
      async run(msg, { account, callOptions, info }) {
        if (operation === 'list') {
          info.familyId = await resolve(msg, 'id');
          const result = await account.client.listAutomations(info.familyId, callOptions);
          info.requestId = result.requestId;
          msg.payload = result.automations satisfies AutomationSummary[];
          const on = result.automations.filter((a) => a.enabled).length;
          return RED._('iot-explorer-automation.status.listed', {
            on,
            count: result.automations.length,
          });
        }
        info.automationId = await resolve(msg, 'id');
        const enabled = state === 'payload' ? readEnabled(msg.payload) : state === 'on';
        info.enabled = enabled;
        const result = await account.client.setAutomationEnabled(
          info.automationId,
          enabled,
          callOptions,
        );
        info.requestId = result.requestId;
        msg.payload = enabled;
        const label =
          info.automationId === settings.automationId.value && automationName
            ? automationName
            : info.automationId;
        return RED._(`iot-explorer-automation.status.${enabled ? 'on' : 'off'}`, { label });
      },
    });
  }

  RED.nodes.registerType('iot-explorer-automation', IotExplorerAutomationNode);
}

module.exports = register;
