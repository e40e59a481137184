/**
 * The console as the registry sees it: no variables, no limits. `npm start` opens it when no other platform is
 * configured (it is never "configured" itself); the operator types as any person and sees every delivery.
 */
import { z } from 'zod';
import { definePlatform, NO_LIMITS } from '../../src/core/platform.js';

export const console_ = definePlatform({
  name: 'console',
  configSchema: z.object({}),
  concurrency: 1,
  configured: () => false,
  limits: () => NO_LIMITS,
  async create(_c, rt) {
    const { createConsoleAdapter } = await import('./console-adapter.js');
    return createConsoleAdapter((d) => rt.log(`console → ${d.to}${d.chat === 'dm' ? '' : `（${d.chat}）`}: ${d.text}`));
  },
});
