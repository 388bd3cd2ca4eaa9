// The editor's shared script (resources/iot-explorer-editor.js) loaded in a sandbox without a
// DOM, as a browser would before the editor starts: its pure parts can be tested in Node.

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { PROJECT_ROOT } from '../../demo/launch';

export interface EditorTemplate {
  checkValue(define: unknown, value: unknown, label: string): { key: string } | undefined;
  checkInput(action: unknown, input: unknown): { key: string } | undefined;
  actionsOf(template: unknown): Array<{ id: string }>;
  propertiesOf(template: unknown): Array<{ id: string }>;
  describeDefine(define: unknown): string;
}

export interface EditorDevice {
  productId: string;
  deviceName: string;
}

export interface EditorLists {
  propertyIds(text: string): string[];
  withProperty(text: string, id: string, included: boolean): string;
  sharedProductId(devices: EditorDevice[]): string;
  listsDevice(devices: EditorDevice[], device: EditorDevice): boolean;
}

export interface EditorScript {
  template: EditorTemplate;
  lists: EditorLists;
}

export function loadEditor(): EditorScript {
  const source = fs.readFileSync(
    path.join(PROJECT_ROOT, 'resources', 'iot-explorer-editor.js'),
    'utf8',
  );
  const sandbox: Record<string, unknown> = {};
  sandbox.window = sandbox;
  vm.runInNewContext(source, sandbox);
  return sandbox.IotExplorerEditor as EditorScript;
}
