/** Connects an adapter to the real core the way main.ts does: handle each message, then deliver the outbox. */
import type { ChatAdapter } from '../../src/core/chat-port.js';
import { handleIncoming } from '../../src/core/router.js';
import { drainOutbox } from '../../src/delivery/dispatcher.js';
import type { TestApp } from './app.js';

export async function wire(app: TestApp, adapter: ChatAdapter, afterEach: () => void = () => undefined): Promise<{ deliver(): Promise<unknown> }> {
  const adapters = new Map([[adapter.platform, adapter]]);
  const deliver = () => drainOutbox(app.deps.db, app.deps.clock, adapters);
  await adapter.start(async (m) => {
    await handleIncoming(app.deps, m);
    await deliver();
    afterEach();
  });
  return { deliver };
}
