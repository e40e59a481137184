/**
 * Every chat platform the bot knows, one line each. Adding a platform: its folder under adapters/ with a
 * `platform.ts` descriptor (src/core/platform.ts), one line here, its fake in test/fakes and a contract test
 * (test/contract). The configuration, `npm start` and the dispatcher read the platforms from this list only.
 */
import type { PlatformDescriptor } from '../src/core/platform.js';
import { telegram } from './telegram/platform.js';
import { slack } from './slack/platform.js';
import { wechat } from './wechat/platform.js';
import { wecom } from './wecom/platform.js';
import { dingtalk } from './dingtalk/platform.js';
import { console_ } from './console/platform.js';

export const PLATFORMS = [telegram, slack, wechat, wecom, dingtalk, console_] as const;

/** The same list for code that hands each platform the whole configuration (each reads only its own variables). */
export const REGISTRY: readonly PlatformDescriptor[] = PLATFORMS;

export function platformNamed(name: string): PlatformDescriptor | undefined {
  return REGISTRY.find((p) => p.name === name);
}
