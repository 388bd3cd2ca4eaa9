// The Node-RED a browser test opens the editor on: a user directory of its own with both packages
// linked in, the test's flow and tokens, and a simulator of its own on 127.0.0.1.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  prepareUserDir,
  startNodeRed,
  writeCredentials,
  type NodeRedInstance,
} from '../../demo/launch';
import type { Credentials } from '../../demo/credentials';
import { startSimulator, type Simulator } from '../../simulator';
import type { SimulatorOptions } from '../../simulator/types';

type FlowNode = Record<string, unknown> & { id: string; type: string };

export interface EditorRuntime {
  sim: Simulator;
  red: NodeRedInstance;
  userDir: string;
  /** Stops Node-RED and the simulator and removes the user directory. */
  stop(): Promise<void>;
}

export interface EditorRuntimeOptions {
  /** The start of the user directory's name, in the system's temporary folder. */
  name: string;
  simulator?: SimulatorOptions;
  /** The flows, given the simulator's tokenapi URL for their account nodes. */
  flows(endpoint: string): FlowNode[];
  /** flows_cred.json, written in clear: each account node's token. */
  credentials: Credentials;
  /** Node module folders Node-RED must not load (`nodesExcludes`). */
  nodesExcludes?: string[];
}

/** Starts the simulator, then Node-RED on the flow; resolves once the flows have started. */
export async function startEditorRuntime(options: EditorRuntimeOptions): Promise<EditorRuntime> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), `${options.name}-`));
  const sim = await startSimulator({ port: 0, ...options.simulator });
  try {
    prepareUserDir({
      userDir,
      endpoint: sim.tokenapiUrl,
      accessToken: 'unused: the flows below replace the demo flows',
      examples: [],
      keepFlows: true,
      nodesExcludes: options.nodesExcludes,
    });
    fs.writeFileSync(
      path.join(userDir, 'flows.json'),
      JSON.stringify(options.flows(sim.tokenapiUrl)),
    );
    writeCredentials(userDir, options.credentials);
    const red = await startNodeRed(userDir, 0);
    return {
      sim,
      red,
      userDir,
      async stop() {
        await red.stop();
        await sim.close();
        fs.rmSync(userDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await sim.close();
    fs.rmSync(userDir, { recursive: true, force: true });
    throw err;
  }
}
