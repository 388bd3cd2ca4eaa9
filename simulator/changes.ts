// What the model announces when a device changes: every report, control, action, event and
// online change, as the device and the cloud exchange them. The push server turns each one
// into a DeviceChange frame; anything else (a test, a benchmark) may listen too. Changes to
// the home (a device added, shared, moved…) are announced separately, as HomeChange.

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

/**
 * A change to the home itself rather than to a device's state: what the owner or the simulator's
 * operator did (simulator/home-edit.ts). The real service pushes none of these; the push server
 * listens only to end subscriptions the user has lost the right to.
 */
export type HomeChange =
  | { kind: 'deviceAdded'; device: ModelDevice }
  /** Unbound from its family; `unsharedFrom` lost it too. */
  | { kind: 'deviceRemoved'; device: ModelDevice; familyId: string; unsharedFrom: string[] }
  | { kind: 'deviceRenamed'; device: ModelDevice; from: string }
  | { kind: 'deviceMoved'; device: ModelDevice; fromRoomId: string }
  | { kind: 'deviceShared'; device: ModelDevice; userId: string }
  | { kind: 'deviceUnshared'; device: ModelDevice; userId: string }
  | { kind: 'roomAdded'; familyId: string; roomId: string }
  | { kind: 'roomRemoved'; familyId: string; roomId: string }
  | { kind: 'familyAdded'; familyId: string }
  | { kind: 'familyRemoved'; familyId: string };

export type HomeChangeListener = (change: HomeChange) => void;

/** A synchronous, typed listener list; a listener that throws does not stop the others. */
export class ChangeListeners<T> {
  private readonly listeners = new Set<(change: T) => void>();

  /** Adds a listener; returns the function that removes it. */
  on(listener: (change: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // One broken listener must not stop the model or the other listeners.
      }
    }
  }
}

/** The device changes (the push server turns each into a DeviceChange frame). */
export class ModelChanges extends ChangeListeners<ModelChange> {}
