// What the model announces when a device changes: every report, control, action, event and
// online change, as the device and the cloud exchange them. The push server turns each one
// into a DeviceChange frame; anything else (a test, a benchmark) may listen too.

import type { ModelDevice } from './model';

export type ModelChange =
  /** The device reported property values (Property/Report, method "report"). */
  | {
      kind: 'report';
      device: ModelDevice;
      params: Record<string, unknown>;
      clientToken: string;
    }
  /** The cloud sent a control down to the device (Property/Push, method "control"). */
  | {
      kind: 'control';
      device: ModelDevice;
      params: Record<string, unknown>;
      clientToken: string;
    }
  /** The cloud sent an action to the device (Action/Push, method "action"). */
  | {
      kind: 'action';
      device: ModelDevice;
      actionId: string;
      params: Record<string, unknown>;
      clientToken: string;
    }
  /** The device answered an action (Action/Report, method "action_reply"). */
  | {
      kind: 'actionReply';
      device: ModelDevice;
      actionId: string;
      clientToken: string;
      code: number;
      status: string;
      response: Record<string, unknown>;
    }
  /** The device posted an event (Event/Report, method "event_post"). */
  | {
      kind: 'event';
      device: ModelDevice;
      eventId: string;
      eventType: 'info' | 'alert' | 'fault';
      params: Record<string, unknown>;
      clientToken: string;
    }
  /** The device connected or disconnected (StatusChange Online / Offline). */
  | { kind: 'online'; device: ModelDevice; online: boolean };

export type ModelChangeListener = (change: ModelChange) => void;

/** A synchronous, typed listener list; a listener that throws does not stop the others. */
export class ModelChanges {
  private readonly listeners = new Set<ModelChangeListener>();

  /** Adds a listener; returns the function that removes it. */
  on(listener: ModelChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: ModelChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // One broken listener must not stop the model or the other listeners.
      }
    }
  }
}
