/**
 * Plays Telegram from a separate OS process (as the real one is remote: its view of the webhook's answers is not
 * slowed by the bot's own event loop): posts updates from unbound accounts, `concurrency` at a time, and prints one
 * JSON line with each status and the slowest answer in ms. Usage: webhook-fire.ts <url> <secret> <first id> <count> <concurrency>
 */
const [url, secret, first, count, concurrency] = process.argv.slice(2);
const ids = Array.from({ length: Number(count) }, (_, i) => Number(first) + i);
const update = (id: number) =>
  JSON.stringify({
    update_id: id,
    message: { message_id: 1, date: 1, from: { id, is_bot: false, first_name: 'X' }, chat: { id, type: 'private' }, text: '你好' },
  });
const statuses: number[] = [];
let slowestMs = 0;
let next = 0;
const lane = async () => {
  while (next < ids.length) {
    const id = ids[next++]!;
    const t0 = performance.now();
    const r = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret! },
      body: update(id),
    }).catch(() => undefined);
    await r?.arrayBuffer();
    slowestMs = Math.max(slowestMs, performance.now() - t0);
    statuses.push(r?.status ?? 0);
  }
};
await Promise.all(Array.from({ length: Number(concurrency) }, lane));
export {};
process.stdout.write(`${JSON.stringify({ statuses, slowestMs })}\n`);
