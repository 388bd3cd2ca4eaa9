import { DOORBELL_URL_VARIABLE } from './doorbell';
import type { FlowNode } from './user-dir';

/**
 * The demo's Dashboard 2 page: a device panel (the companion's `ui-iot-explorer-device`) for
 * every device the demo's user sees in the simulator, one group per room and one for the devices
 * shared with them, and a button that presses the simulated doorbell. It is the first page of
 * the dashboard the companion's examples share, so `/dashboard` opens on it.
 *
 * The panels may switch and call what the demo's devices offer: the demo listens on 127.0.0.1
 * only, and Dashboard 2 refuses sockets from other sites. What opens or unlocks (the front door's
 * `unlock`) stays read-only, the node's default; the shipped example is read-only altogether.
 */

/** The panels' page, under the dashboard's path: `/dashboard/devices`. */
export const PANELS_PAGE_PATH = '/devices';

const TAB = 'd0000000000db000';
const PAGE = 'd0000000000db001';
const FAMILY = 'f_demo_home';

/** What each group of the page shows (the simulator's home; see simulator/README.md). */
const GROUPS: {
  name: string;
  selection: Record<string, unknown>;
}[] = [
  { name: '客厅 Living room', selection: { selection: 'room', roomId: 'r_living' } },
  { name: '门厅 Hall', selection: { selection: 'room', roomId: 'r_hall' } },
  { name: '卧室 Bedroom', selection: { selection: 'room', roomId: 'r_bedroom' } },
  // The family's default room "0": devices not put in a room.
  { name: '默认房间 No room', selection: { selection: 'room', roomId: '0' } },
  {
    name: '共享给我 Shared with me',
    selection: {
      selection: 'devices',
      devices: ['LIGHT0A1B2/shared_lamp', 'THSNS7J8K9/shared_sensor'],
    },
  },
];

/** The id of the group named so on the demo's page (the doorbell's button sits in the hall's). */
const groupId = (index: number): string => `d0000000000db1${index.toString(16).padStart(2, '0')}`;
const panelId = (index: number): string => `d0000000000db2${index.toString(16).padStart(2, '0')}`;

/**
 * The demo's dashboard tab and its page and groups, on the Dashboard 2 base and theme that
 * `flows` (the companion's examples the demo deploys) define, and for the account they use.
 */
export function panelsTab(flows: readonly FlowNode[]): FlowNode[] {
  const base = flows.find((n) => n.type === 'ui-base');
  const theme = flows.find((n) => n.type === 'ui-theme');
  const account = flows.find((n) => n.type === 'iot-explorer-account');
  if (!base || !theme || !account) {
    throw new Error(
      "the demo's dashboard needs the companion's examples (a ui-base, a ui-theme, an account)",
    );
  }
  const hall = GROUPS.findIndex((g) => g.selection.roomId === 'r_hall');
  const nodes: FlowNode[] = [
    {
      id: TAB,
      type: 'tab',
      label: 'Dashboard: the home',
      disabled: false,
      info:
        'Demo only: the home of the simulator on FlowFuse Dashboard 2, at `/dashboard` (page `/dashboard/devices`). ' +
        "One **device panel** per room of the family, and one for the devices shared with the demo's user, each drawn from the products' data templates and kept current by push.\n\n" +
        'Switch the lamp there, or press *Ring the simulated doorbell* and watch its `ring` event appear on the doorbell\'s card (the tab "React to the doorbell at once" makes the lamp blink too).\n\n' +
        "The panels may change properties and call actions because the demo listens on 127.0.0.1 only; the front door's `unlock` stays read-only (*Allow what opens or unlocks* is off). " +
        'Before a dashboard leaves your machine, protect it: see the README of `@homeflow/node-red-dashboard-2-tencent-iot-explorer`, whose example *Live panel of the home* is read-only as shipped.',
    },
    {
      id: PAGE,
      type: 'ui-page',
      name: 'Devices',
      ui: base.id,
      path: PANELS_PAGE_PATH,
      icon: 'home',
      layout: 'grid',
      theme: theme.id,
      breakpoints: [
        { name: 'Default', px: '0', cols: '3' },
        { name: 'Tablet', px: '576', cols: '6' },
        { name: 'Small Desktop', px: '768', cols: '9' },
        { name: 'Desktop', px: '1024', cols: '12' },
      ],
      // Before the chart's page (order 1): /dashboard opens on the page of the lowest order.
      order: 0,
      className: '',
      visible: 'true',
      disabled: 'false',
    },
  ];
  GROUPS.forEach((group, index) => {
    nodes.push(
      {
        id: groupId(index),
        type: 'ui-group',
        name: group.name,
        page: PAGE,
        width: '6',
        height: '1',
        order: index + 1,
        showTitle: true,
        className: '',
        visible: 'true',
        disabled: 'false',
        groupType: 'default',
      },
      {
        id: panelId(index),
        type: 'ui-iot-explorer-device',
        z: TAB,
        name: group.name,
        group: groupId(index),
        order: 1,
        width: 0,
        height: 0,
        account: account.id,
        devices: [],
        familyId: FAMILY,
        roomId: '',
        productId: '',
        ...group.selection,
        allowProperties: true,
        allowActions: true,
        allowGuarded: false,
        guardWords: '',
        events: 5,
        x: 200,
        y: 60 + index * 60,
        wires: [['d0000000000db301']],
      },
    );
  });
  nodes.push(
    {
      id: 'd0000000000db301',
      type: 'debug',
      z: TAB,
      name: 'changed on the dashboard',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: false,
      complete: 'true',
      targetType: 'full',
      statusVal: '',
      statusType: 'auto',
      x: 520,
      y: 180,
      wires: [],
    },
    {
      id: 'd0000000000db302',
      type: 'catch',
      z: TAB,
      name: 'refused or failed',
      scope: null,
      uncaught: false,
      x: 180,
      y: 380,
      wires: [['d0000000000db303']],
    },
    {
      id: 'd0000000000db303',
      type: 'debug',
      z: TAB,
      name: 'panel error code',
      active: true,
      tosidebar: true,
      console: false,
      tostatus: true,
      complete: 'error',
      targetType: 'msg',
      statusVal: 'error.code',
      statusType: 'msg',
      x: 520,
      y: 380,
      wires: [],
    },
    // The simulator's doorbell, pressed from the page: its ring reaches the hall's panel by push.
    {
      id: 'd0000000000db311',
      type: 'ui-button',
      z: TAB,
      group: groupId(hall),
      name: 'ring the doorbell',
      label: 'Ring the simulated doorbell',
      order: 2,
      width: 0,
      height: 0,
      emulateClick: false,
      tooltip: 'Demo only: the simulator posts the doorbell’s ring event',
      color: '',
      bgcolor: '',
      className: 'iotx-demo-ring',
      icon: 'bell-ring',
      iconPosition: 'left',
      payload: '{"button":0}',
      payloadType: 'json',
      topic: 'topic',
      topicType: 'msg',
      buttonColor: '',
      textColor: '',
      iconColor: '',
      enableClick: true,
      enablePointerdown: false,
      pointerdownPayload: '',
      pointerdownPayloadType: 'str',
      enablePointerup: false,
      pointerupPayload: '',
      pointerupPayloadType: 'str',
      x: 170,
      y: 460,
      wires: [['d0000000000db312']],
    },
    {
      id: 'd0000000000db312',
      type: 'change',
      z: TAB,
      name: 'the simulator’s ring URL',
      rules: [{ t: 'set', p: 'url', pt: 'msg', to: DOORBELL_URL_VARIABLE, tot: 'env' }],
      x: 400,
      y: 460,
      wires: [['d0000000000db313']],
    },
    {
      id: 'd0000000000db313',
      type: 'http request',
      z: TAB,
      name: 'POST /_sim … /events/ring',
      method: 'POST',
      ret: 'obj',
      paytoqs: 'ignore',
      url: '',
      tls: '',
      persist: false,
      proxy: '',
      insecureHTTPParser: false,
      authType: '',
      senderr: false,
      headers: [],
      x: 640,
      y: 460,
      wires: [[]],
    },
  );
  return nodes;
}
