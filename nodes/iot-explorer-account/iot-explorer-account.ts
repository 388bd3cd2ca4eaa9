import type { Node, NodeAPI, NodeDef } from 'node-red';
import { attachAccount } from '../../lib/account/account';
import { openAccount, type AccountCredentials } from '../../lib/account/open-account';
import { registerAdminEndpoints } from '../../lib/admin/endpoints';
import { localizeError } from '../../lib/node/i18n';
import { pushTimingSettings } from '../../lib/push/push-connection';
import { ACCOUNT_CREDENTIALS } from '../../lib/shared/account';
import { ACCOUNT_NAMESPACE } from '../../lib/shared/palette';
import { migrateAccount, type StoredAccount } from './settings';

export type AccountConfig = NodeDef & StoredAccount;
export type { AccountCredentials } from '../../lib/account/open-account';

export default function register(RED: NodeAPI): void {
  registerAdminEndpoints(RED);

  function IotExplorerAccountNode(this: Node<AccountCredentials>, config: AccountConfig): void {
    RED.nodes.createNode(this, config);
    const node = this;
    // Saved by any version: read through its migration (./settings.ts). The account's parts
    // live in lib/account/; nodes, the admin routes and companion packages reach them with
    // getAccount(RED, id).
    const opened = openAccount({
      id: node.id,
      settings: migrateAccount(config),
      credentials: this.credentials ?? {},
      pushTimings: pushTimingSettings(RED.settings),
      reports: {
        log: (text) => node.log(text),
        warn: (text) => node.warn(text),
        trace: (line) => node.trace(line),
        text: (key, params) => RED._(`${ACCOUNT_NAMESPACE}:${key}`, params),
        localize: (err) => localizeError(RED, err).message,
      },
    });
    attachAccount(this, opened.account);

    this.on('close', (_removed: boolean, done: () => void) => {
      void opened.close().then(done);
    });
  }

  RED.nodes.registerType<Node<AccountCredentials>, AccountConfig, unknown, AccountCredentials>(
    'iot-explorer-account',
    IotExplorerAccountNode,
    // All `password`, the phone number and e-mail included (lib/shared/account.ts).
    { credentials: ACCOUNT_CREDENTIALS },
  );
}

module.exports = register;
