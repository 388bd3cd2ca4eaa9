// The demo as `npm start` runs it (its compiled script), for the tests that start it.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../demo/launch';

/** A demo started as `npm start` starts it (its compiled script), on free ports. */
export interface Demo {
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Node-RED's URL, once the banner has been printed. */
  url: string;
  stop(): Promise<void>;
}

export function startDemo(
  userDir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<Demo> {
  const child = spawn(
    process.execPath,
    [path.join(PROJECT_ROOT, 'dist', 'demo', 'run.js'), ...args],
    {
      env: {
        ...process.env,
        NODE_RED_PORT: '0',
        SIMULATOR_PORT: '0',
        DEMO_USER_DIR: userDir,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise<Demo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 60000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      // The whole banner, from Node-RED's address to its last line.
      const match = /Node-RED:\s+(http:\/\/127\.0\.0\.1:\d+)\/[^]*Stop:\s+Ctrl\+C/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ process: child, output: () => output, url: match[1], stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited with ${code}:\n${output}`));
    });
  });
}
