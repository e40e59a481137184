/** The delivery settings: lease, send timeout, digest period, retention. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { deliveryOptionsFrom } from '../../src/delivery/dispatcher.js';

describe('delivery settings', () => {
  it('become the dispatcher options', () => {
    const o = deliveryOptionsFrom(
      loadConfig({ OUTBOX_LEASE_SECONDS: '120', OUTBOX_SEND_TIMEOUT_SECONDS: '20', OUTBOX_DIGEST_MINUTES: '30', OUTBOX_RETENTION_DAYS: '7' }),
    );
    expect(o).toMatchObject({ leaseMs: 120_000, sendTimeoutMs: 20_000, digestEveryMs: 30 * 60_000, retentionMs: 7 * 86_400_000 });
    expect(deliveryOptionsFrom(loadConfig({}))).toMatchObject({
      leaseMs: 300_000,
      sendTimeoutMs: 30_000,
      digestEveryMs: 15 * 60_000,
      retentionMs: 30 * 86_400_000,
    });
  });

  it('refuse a send timeout over half the lease, saying why and with an example', () => {
    const bad = () => loadConfig({ OUTBOX_LEASE_SECONDS: '60', OUTBOX_SEND_TIMEOUT_SECONDS: '40' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/OUTBOX_SEND_TIMEOUT_SECONDS: 须不超过 OUTBOX_LEASE_SECONDS 的一半.*如 30 与 300.*当前值 "40"/);
    expect(() => loadConfig({ OUTBOX_RETENTION_DAYS: '0' })).toThrow(/OUTBOX_RETENTION_DAYS: 至少为 1/);
  });
});
