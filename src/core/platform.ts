/**
 * What a chat platform is to the rest of the bot: one folder under adapters/ exporting a descriptor — its name, its
 * own environment variables (a zod object merged into the configuration), its delivery limits and a factory that
 * loads its SDK only when it is configured. The registry (adapters/registry.ts) lists the descriptors; `npm start`,
 * the configuration and the dispatcher read them from there and name no platform themselves.
 */
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { ChatAdapter, ChatRef } from './chat-port.js';

/**
 * One sliding window sends must stay in: at most `max` platform calls in `ms`. Calls count together when they share
 * the key; a key that starts with `<platform>:<chat id>` is that chat's own window, any other key is platform-wide.
 */
export interface RateWindow {
  key: string;
  ms: number;
  max: number;
}

/** A platform's delivery limits under one configuration, kept by the dispatcher. */
export interface DeliveryLimits {
  /** The windows a send to this chat counts in; none: no limit. */
  windows(chat: ChatRef): RateWindow[];
  /** How far back earlier claims count in those windows, in ms: as long as the longest of them (0: nothing counts). */
  historyMs: number;
  /** Messages a day on this platform (local midnight to midnight), when it has a daily cap. */
  perDay?: number;
}

export const NO_LIMITS: DeliveryLimits = { windows: () => [], historyMs: 0 };

/** What a platform's factory gets from `npm start`. */
export interface PlatformRuntime {
  log: (line: string) => void;
  clock: Clock;
  /** HTTPS_PROXY when set: the platform's API calls go through it. */
  proxy?: string;
  /** The dispatcher gives a send this long; a platform's own call timeouts stay under it. */
  sendTimeoutMs: number;
  /** The address a platform's callback server listens on: all interfaces unless told (tests: 127.0.0.1). */
  listenHost?: string;
}

/** A problem between configuration variables, named by the variable to change. */
export interface ConfigProblem {
  name: string;
  message: string;
}

export interface PlatformDescriptor<S extends z.ZodObject = z.ZodObject> {
  /** The platform part of chat refs (`<name>:dm:<id>`). */
  readonly name: string;
  /** The platform's own environment variables; every one starts with the platform's prefix. */
  readonly configSchema: S;
  /** Messages in flight at once on this platform (each chat still one at a time). */
  readonly concurrency: number;
  /** Whether `npm start` should start this platform. */
  configured(c: z.output<S>): boolean;
  /** Rules between this platform's variables (those that parsed), added to the configuration's own. */
  checks?(c: Partial<z.output<S>>): ConfigProblem[];
  /** A log line when some variables are set but not enough to start (the platform is then skipped). */
  incomplete?(c: z.output<S>): string | undefined;
  limits(c: z.output<S>): DeliveryLimits;
  /** Loads the platform's SDK and builds its adapter (not started yet). */
  create(c: z.output<S>, rt: PlatformRuntime): Promise<ChatAdapter>;
}

/** Keeps a descriptor's own schema type, so the configuration knows every platform variable's type. */
export function definePlatform<S extends z.ZodObject>(d: PlatformDescriptor<S>): PlatformDescriptor<S> {
  return d;
}
