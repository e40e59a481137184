import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, lineLogger } from '../../src/log.js';
import { NameRedactor } from '../../src/ops/redact.js';
import { makeApp } from '../helpers/app.js';
import { sensitiveNames } from '../../src/store/ops.repository.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, destination };
}

describe('log redaction', () => {
  it('tokens, secrets and known names never reach a log line, in the message or in fields', () => {
    const { lines, destination } = capture();
    const { logger, redactor } = createLogger({ level: 'debug', format: 'json', destination });
    redactor.setNames(['余小龙', '王秀英']);
    logger.info('telegram: GET https://api.telegram.org/bot123456789:AAEabcdefghijklmnopqrstuvwxyz0123/getMe failed');
    logger.warn({ text: '缺勤 余小龙 旷课', guardian: '王秀英', slack: 'xoxb-1234-5678-abcdefgh', token: 'anything' }, 'message from 余小龙的班主任');
    logger.error({ err: new Error('余小龙 could not be written') }, 'boom');
    lineLogger(logger)('delivery: message #3 to slack failed: invalid_auth xapp-1-A0-123456-abcdef');
    logger.warn('wecom: POST https://qyapi.weixin.qq.com/cgi-bin/message/send?access_token=AbCdEf0123456789xyz&debug=1 and webhook/send?key=693a91f6-7xyz');
    const all = lines.join('\n');
    for (const secret of ['余小龙', '王秀英', 'AAEabcdefghijklmnopqrstuvwxyz0123', 'xoxb-1234', 'anything', 'xapp-1-A0', 'AbCdEf0123456789xyz', '693a91f6'])
      expect(all).not.toContain(secret);
    expect(all).toContain('[姓名]');
    expect(all).toContain('[已隐去]');
    const parsed = lines.map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(parsed.map((p) => p.level)).toEqual(['info', 'warn', 'error', 'warn', 'warn']);
    expect(all).toContain('access_token=[已隐去]&debug=1');
    expect(parsed[1]!.msg).toBe('message from [姓名]的班主任');
  });

  it('masks a name inside longer Chinese text and leaves other text alone', () => {
    const r = new NameRedactor();
    r.setNames(['张三', '欧阳小明']);
    expect(r.scrub('张三今天旷课，欧阳小明病假；张老师说明天来')).toBe('[姓名]今天旷课，[姓名]病假；张老师说明天来');
    expect(r.scrub('应到45 实到44')).toBe('应到45 实到44');
  });

  it('loads every student and guardian name of a county from the store', async () => {
    const app = await makeApp();
    try {
      const names = await sensitiveNames(app.deps.db);
      expect(names.length).toBeGreaterThan(589);
      expect(names).toContain('余小龙');
    } finally {
      await app.close();
    }
  });
});
