// A local stand-in for Tencent Cloud IoT Explorer's app-side API (tokenapi + appapi).
// See simulator/README.md for what it models.

import { loadFixture } from './fixture';
import { SimulatorServer } from './server';
import type { Simulator, SimulatorOptions } from './types';

export type { ActionCall, RecordedRequest, Simulator, SimulatorOptions } from './types';
export type { EnvelopeMode } from './envelope';
export type { FaultKind, FaultSpec } from './faults';
export type { HomeChange, HomeChangeListener, ModelChange, ModelChangeListener } from './changes';
export type { HomeOptions, ListLimitPolicy, MissingPanelConfig } from './home-options';
export { DEFAULT_HOME_OPTIONS } from './home-options';
export { HomeEditError, HomeEditor, type NewDevice, type NewFamily } from './home-edit';
export { generateHome, parseHomeSpec, type GenerateHomeOptions } from './generate-home';
export { UNSHARED_DEVICE_CODE } from './envelope';
export type {
  MalformedKind,
  PushConnectionInfo,
  PushOptions,
  PushStats,
  SimulatorPush,
} from './push';
export type { PushFaultKind, PushFaultSpec } from './push-faults';
export { PUSH_PATHS, SERVER_FAULT } from './push';
export { parsePushFaultSpec } from './push-faults';
export type {
  DeviceActionBehaviour,
  Fixture,
  FixtureAppKey,
  FixtureDevice,
  FixtureExtension,
  FixtureFamily,
  FixtureProduct,
  FixtureShare,
  FixtureToken,
  FixtureUser,
  ScriptEntry,
} from './fixture';
export type { DataTemplate, TemplateDefine } from './template';
export type {
  ModelDevice,
  ModelFamily,
  ModelProduct,
  ModelToken,
  ModelUser,
  PropertyState,
} from './model';
export { SimulatorModel } from './model';
export {
  defaultFixturePath,
  FixtureError,
  loadFixture,
  mergeFixtures,
  shippedFixturePath,
  validateFixture,
} from './fixture';
export { signAppApiParams } from './signature';
export { parseFaultArg, parseFaultSpec } from './faults';

/** Loads the fixture, starts listening, starts the fixture's scripts. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const fixture = loadFixture(options.fixture);
  const simulator = new SimulatorServer(fixture, options);
  await simulator.listen();
  return simulator;
}
